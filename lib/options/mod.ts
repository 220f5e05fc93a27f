/**
 * The rules every option of the library is checked by (a positive number, a decay rate, an
 * integer with a least value, a name from a list), the {@linkcode OptionError} they throw, and
 * {@linkcode envVar}, the options set by environment variables.
 *
 * @module
 */

export * from "./option_rules.ts";

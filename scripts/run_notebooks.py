"""Execute the project's notebooks with the Deno kernel and write the HTML report.

Run by scripts/report.sh and by tests/notebooks_test.ts, with Debian's python3 and with
JUPYTER_PATH pointing at the project's kernelspec (scripts/setup.sh sets both up). The kernelspec
starts Deno behind scripts/kernel_broker.py, which delivers every output before the cell's idle,
so a plain nbclient NotebookClient collects them all, cell by cell.

    run_notebooks.py execute [--quick] [--out DIR] NOTEBOOK...
        Execute each notebook top to bottom in its own folder (so `../lib/mod.ts` resolves).
        Without --out the executed notebook replaces the original, only once every cell has run.
        --quick sets BACKPROP_QUICK=1, which each notebook reads in its first code cell.
        Fails (exit 1) on the first cell that raises or writes to stderr, naming the notebook,
        the cell and the error; nothing already saved is overwritten by a failed run. The run
        store's line about a damaged entry it passed over (the run trained again) is no failure.
        Asynchronous errors fail it too: an unhandled promise rejection (a forgotten `await`) or
        an error thrown in a timer or other callback, which the broker turns into an error output
        under the cell running when it arrives. After the last cell the runner waits
        FINAL_WAIT_SECONDS, then asks the kernel for the asynchronous errors it recorded that no
        cell caught (arrived between two cells, or after the last): it fails naming the cell
        sent last before the first of them.
    run_notebooks.py html --out DIR NOTEBOOK...
        Write one HTML page per notebook and DIR/index.html linking them, with the stylesheet they
        share (DIR/report.css), KaTeX's (DIR/katex/) and a copy of the student report
        (DIR/student-report.html and .md) that the index's table of its errors links
        (scripts/report_html.py).
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from nbclient.util import run_sync
    from report_html import write_html
except ImportError as missing:  # setup.sh checks this first; this is the fallback
    sys.stderr.write(
        f"run_notebooks: {missing.name} is missing for {sys.executable}.\n"
        "  Debian: apt-get install jupyter-nbconvert python3-nbclient jupyter-client\n"
        "  Other:  python3 -m pip install nbclient nbconvert jupyter-client\n"
    )
    sys.exit(1)

KERNEL_NAME = "backprop"
CELL_TIMEOUT_SECONDS = 3600
FINAL_WAIT_SECONDS = 0.2

# Run silently after the last cell: waits, then fails listing the asynchronous errors recorded by
# the handlers scripts/kernel_broker.py installs (ASYNC_ERRORS_JS there), as JSON in the message.
LATE_ERRORS_JS = f"""\
await (async () => {{
  await new Promise((resolve) => setTimeout(resolve, {round(FINAL_WAIT_SECONDS * 1000)}));
  const errors = globalThis[Symbol.for("backprop.asyncErrors")];
  if (errors === undefined) {{
    throw new Error("no record of asynchronous errors: is the kernel behind kernel_broker.py?");
  }}
  if (errors.length > 0) {{
    throw Object.assign(new Error(JSON.stringify(errors)), {{ name: "AsyncErrors" }});
  }}
}})();
"""


class NotebookFailed(Exception):
    """A notebook failed; the message says which one, which cell and why."""


def first_lines(text, count=3):
    lines = text.strip().splitlines()
    shown = "\n".join("    " + line for line in lines[:count])
    return shown + ("\n    ..." if len(lines) > count else "")


# The run store's line about an entry it passed over (damaged, foreign or unreadable): the run is
# trained again, so the line shows under its cell but does not fail the run (lib/store/run_store.ts).
RECOVERED = re.compile(r"^run store: ignoring .*; the run is trained again$")


def error_outputs(cell):
    """Yield a one-paragraph description of every error or stderr output of a code cell."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            yield f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
        elif output.get("output_type") == "stream" and output.get("name") == "stderr":
            text = "".join(output.get("text", ""))
            lines = [line for line in text.strip().splitlines() if not RECOVERED.match(line)]
            if lines:
                yield "stderr: " + "\n".join(lines)


def asynchronous(uncaught, when):
    """The line under an asynchronous error; `uncaught` opens its traceback (ASYNC_ERRORS_JS)."""
    if uncaught.startswith("Uncaught (in promise)"):
        return f"An unhandled promise rejection (a missing `await`?), which arrived {when}"
    return f"An error thrown in a timer or other callback, which arrived {when}"


def describe_failure(path, nb, index, reason):
    cell = nb.cells[index]
    number = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
    return (
        f"{path}: code cell {number} (cell {index + 1} of {len(nb.cells)}) failed:\n"
        f"{first_lines(cell.source)}\n  {reason}"
    )


async def late_errors(client, path):
    """The asynchronous errors the kernel recorded (no cell caught them), after a short wait."""
    msg_id = client.kc.execute(LATE_ERRORS_JS, silent=True, store_history=False)
    reply = (await client.async_wait_for_reply(msg_id))["content"]
    if reply["status"] == "ok":
        return []
    if reply.get("ename") == "AsyncErrors":
        return json.loads(reply["evalue"])
    raise NotebookFailed(f"{path}: checking for asynchronous errors failed: {reply.get('evalue')}")


async def run_cells(client, nb, path):
    """Execute the cells in order; raise NotebookFailed at the first that fails."""
    started = []  # (wall-clock time in ms, cell index) of each code cell, as it is sent
    async with client.async_setup_kernel():
        info = await client.async_wait_for_reply(client.kc.kernel_info())
        nb.metadata["language_info"] = info["content"]["language_info"]
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and cell.source.strip():
                started.append((time.time() * 1000, index))
            try:
                await client.async_execute_cell(
                    cell, index, execution_count=client.code_cells_executed + 1
                )
            except CellExecutionError as problem:
                reason = "\n  ".join(error_outputs(cell)) or str(problem).strip()
                raise NotebookFailed(describe_failure(path, nb, index, reason)) from None
            problems = list(error_outputs(cell))
            if problems:
                # the reply was "ok": any error output came from the broker's handlers
                for output in cell.outputs:
                    if output.get("output_type") == "error":
                        first = (output.get("traceback") or [""])[0]
                        problems.append(asynchronous(first, "while this cell was running"))
                        break
                raise NotebookFailed(describe_failure(path, nb, index, "\n  ".join(problems)))
        errors = await late_errors(client, path)
        if errors:
            # the cell sent last before the first error arrived (an error in the few ms between a
            # cell's idle and the next cell's start is put under the next one)
            first = errors[0]
            index = ([i for t, i in started if t <= first["time"]] or [started[0][1]])[-1]
            reason = f"{first['ename']}: {first['evalue']}\n  " + asynchronous(
                first["uncaught"], "after this cell had finished, while no cell was running"
            )
            raise NotebookFailed(describe_failure(path, nb, index, reason))


def execute(path, out_dir, quick):
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": "Deno (backprop)",
        "language": "typescript",
    }
    if quick:
        os.environ["BACKPROP_QUICK"] = "1"
    else:
        os.environ.pop("BACKPROP_QUICK", None)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_SECONDS,
        startup_timeout=300,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    started = time.monotonic()
    try:
        run_sync(run_cells)(client, nb, path)  # as NotebookClient.execute runs its coroutine
    except (CellTimeoutError, DeadKernelError) as problem:
        raise NotebookFailed(f"{path}: the kernel stopped answering: {problem}") from None
    seconds = time.monotonic() - started
    target = path if out_dir is None else Path(out_dir) / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".ipynb.partial")
    nbformat.write(nb, temporary)
    os.replace(temporary, target)
    print(f"executed {path} in {seconds:.1f} s -> {target}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["execute", "html"])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--out", help="output folder (default for execute: in place)")
    parser.add_argument("--quick", action="store_true", help="set BACKPROP_QUICK=1")
    args = parser.parse_args()
    for notebook in args.notebooks:
        if not Path(notebook).is_file():
            sys.stderr.write(f"run_notebooks: no notebook at {notebook}\n")
            return 1
    if args.command == "html":
        if not args.out:
            sys.stderr.write("run_notebooks: html needs --out DIR\n")
            return 2
        write_html(args.notebooks, args.out)
        return 0
    try:
        for notebook in args.notebooks:
            execute(notebook, args.out, args.quick)
    except NotebookFailed as failure:
        sys.stderr.write(f"notebook failed: {failure}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

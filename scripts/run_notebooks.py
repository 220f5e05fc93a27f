"""Execute the project's notebooks with the Deno kernel and write the HTML report.

Run by scripts/report.sh and by tests/notebooks_test.ts, with Debian's python3 and with
JUPYTER_PATH pointing at the project's kernelspec (scripts/setup.sh sets both up). The kernelspec
starts Deno behind scripts/kernel_broker.py, which delivers every output before the cell's idle,
so a plain nbclient NotebookClient collects them all.

    run_notebooks.py execute [--quick] [--out DIR] NOTEBOOK...
        Execute each notebook top to bottom in its own folder (so `../lib/mod.ts` resolves).
        Without --out the executed notebook replaces the original, only once every cell has run.
        --quick sets BACKPROP_QUICK=1, which each notebook reads in its first code cell.
        Fails (exit 1) on the first cell that raises or writes to stderr, naming the notebook,
        the cell and the error; nothing already saved is overwritten by a failed run.
    run_notebooks.py html --out DIR NOTEBOOK...
        Write one HTML page per notebook and DIR/index.html linking them (scripts/report_html.py).
"""

import argparse
import os
import sys
import time
from pathlib import Path

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
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


class NotebookFailed(Exception):
    """A notebook failed; the message says which one, which cell and why."""


def first_lines(text, count=3):
    lines = text.strip().splitlines()
    shown = "\n".join("    " + line for line in lines[:count])
    return shown + ("\n    ..." if len(lines) > count else "")


def error_outputs(cell):
    """Yield a one-paragraph description of every error or stderr output of a code cell."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            yield f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
        elif output.get("output_type") == "stream" and output.get("name") == "stderr":
            yield "stderr: " + "".join(output.get("text", "")).strip()


def describe_failure(path, nb, index, reason):
    cell = nb.cells[index]
    number = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
    return (
        f"{path}: code cell {number} (cell {index + 1} of {len(nb.cells)}) failed:\n"
        f"{first_lines(cell.source)}\n  {reason}"
    )


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
        client.execute()
    except CellExecutionError as problem:
        # execution stopped at the failing cell; its error output names what went wrong
        for index, cell in enumerate(nb.cells):
            problems = list(error_outputs(cell)) if cell.cell_type == "code" else []
            if problems:
                raise NotebookFailed(
                    describe_failure(path, nb, index, "\n  ".join(problems))
                ) from None
        raise NotebookFailed(f"{path}: {str(problem).strip()}") from None
    except (CellTimeoutError, DeadKernelError) as problem:
        raise NotebookFailed(f"{path}: the kernel stopped answering: {problem}") from None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        problems = list(error_outputs(cell))
        if problems:
            raise NotebookFailed(describe_failure(path, nb, index, "\n  ".join(problems)))
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

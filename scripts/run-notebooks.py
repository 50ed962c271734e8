#!/usr/bin/env python3
"""Run every notebook headless, top to bottom, with the tslab kernel.

Executed copies go to outputs/notebooks/ (the repo keeps notebooks without
outputs). Any cell error fails the run. Ends with an 'N passed, N failed' line.
Usage: scripts/run-notebooks.py [-p NAME=VALUE ...] [NOTEBOOK ...]
  (default: notebooks/*.ipynb)
-p sets a parameter, papermill-style: in each notebook's cell tagged
`parameters`, the line `const NAME[: type] = ...;` gets VALUE (a JSON literal,
which is valid TypeScript). A parameter no notebook declares is an error.
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "outputs" / "notebooks"


def set_parameters(nb, params: dict) -> set:
    """Rewrites the parameters cell of `nb`; returns the names it declared."""
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if not cells:
        return set()
    found = set()
    lines = cells[0].source.split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*(?:const|let)\s+(\w+)\s*(?::[^=]+)?=\s*)(.+?);(.*)$", line)
        if m and m.group(2) in params:
            found.add(m.group(2))
            lines[i] = f"{m.group(1)}{json.dumps(params[m.group(2)])}; // set by run-notebooks.py -p"
    cells[0].source = "\n".join(lines)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description="Run notebooks headless with the tslab kernel.")
    parser.add_argument(
        "-p", "--param", action="append", default=[], metavar="NAME=VALUE", help="set a parameter (VALUE: a JSON literal)"
    )
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args()
    params = {}
    for p in args.param:
        key, sep, value = p.partition("=")
        try:
            if not sep:
                raise ValueError("no '='")
            params[key] = json.loads(value)
        except ValueError as err:
            print(f"-p {p}: expected NAME=<JSON literal> ({err})", file=sys.stderr)
            return 2
    # tslab's kernel spec starts the `tslab` executable: it must be on PATH.
    os.environ["PATH"] = f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    try:
        KernelSpecManager().get_kernel_spec("tslab")
    except NoSuchKernel:
        print("the tslab kernel is not registered: run `npx tslab install --python=python3`", file=sys.stderr)
        return 2
    if not (ROOT / "dist" / "index.js").exists():
        print("dist/ is missing: run `npm run build` first (notebooks import the compiled src/)", file=sys.stderr)
        return 2
    paths = [Path(p).resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    notebooks = [(path, nbformat.read(path, as_version=4)) for path in paths]
    declared = set()
    for path, nb in notebooks:
        declared |= set_parameters(nb, params)
    if set(params) - declared:
        print(f"no notebook's parameters cell declares {', '.join(sorted(set(params) - declared))}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    passed, failed = 0, 0
    for path, nb in notebooks:
        client = NotebookClient(nb, timeout=900, kernel_name="tslab", resources={"metadata": {"path": str(path.parent)}})
        start = time.monotonic()
        try:
            client.execute()
            passed += 1
            status = "ok"
        except CellExecutionError as err:
            failed += 1
            status = f"FAILED\n{err}"
        finally:
            nbformat.write(nb, OUT / path.name)
        print(f"notebook {path.name}: {status} ({time.monotonic() - start:.1f} s)", flush=True)
    print(f"notebooks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

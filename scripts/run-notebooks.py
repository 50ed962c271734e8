#!/usr/bin/env python3
"""Run every notebook headless, top to bottom, with the tslab kernel.

Executed copies go to outputs/notebooks/ (the repo keeps notebooks without
outputs). Any cell error fails the run. Ends with an 'N passed, N failed' line.
Usage: scripts/run-notebooks.py [NOTEBOOK ...]   (default: notebooks/*.ipynb)
"""
import os
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "outputs" / "notebooks"


def main() -> int:
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
    paths = [Path(p).resolve() for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    OUT.mkdir(parents=True, exist_ok=True)
    passed, failed = 0, 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
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

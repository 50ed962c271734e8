#!/usr/bin/env python3
"""Check that every notebook and its plain-text twin (jupytext percent format,
notebooks/NAME.ts, the file to review as code) hold the same cells.

Usage: scripts/check-notebook-pairs.py [--write]
  --write  rewrite each .ts from its .ipynb (after editing a notebook in
           Jupyter; `jupytext --sync notebooks/*.ipynb` does the same for
           whichever side is newer).
Exit 1, naming the notebook and the first differing cell, when a pair differs.
"""

import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
FORMAT = "ts:percent"


def cells(nb):
    return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", []))) for c in nb.cells]


def main() -> int:
    write = "--write" in sys.argv[1:]
    failed = 0
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    for ipynb in notebooks:
        text = ipynb.with_suffix(".ts")
        nb = jupytext.read(ipynb)
        if write:
            nb.metadata.setdefault("jupytext", {})["formats"] = f"ipynb,{FORMAT}"
            jupytext.write(nb, ipynb)
            jupytext.write(nb, text, fmt=FORMAT)
            continue
        if not text.exists():
            print(f"{ipynb.name}: no paired {text.name} (scripts/check-notebook-pairs.py --write)")
            failed += 1
            continue
        a, b = cells(nb), cells(jupytext.read(text))
        if a != b:
            first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            print(
                f"{ipynb.name} and {text.name} differ from cell {first} on ({len(a)} vs {len(b)} cells): "
                f"run `jupytext --sync notebooks/{ipynb.name}`"
            )
            failed += 1
    if not write:
        print(f"notebook pairs: {len(notebooks) - failed} in sync, {failed} not")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

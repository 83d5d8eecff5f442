"""The two references that vosp-monitor is measured against (issue 6).

* ``naive``: what an analyst would write first — ``pandas.read_excel(engine="openpyxl")``
  of every sheet of every file, in one loop in one process.
* ``floor``: python-calamine opening each file and reading all its cells to Python values,
  nothing else, on the same number of processes as vosp-monitor uses.

Usage:  python benchmarks/references.py naive|floor DIR [--jobs N] [--limit N]
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path


def _files(root: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if p.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".ods"})


def naive(root: Path, limit: int | None = None) -> int:
    import pandas as pd

    cells = 0
    for path in _files(root)[:limit]:
        try:
            frames = pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)
        except Exception:  # a broken file: the analyst's loop would skip it (or stop)
            continue
        cells += sum(frame.size for frame in frames.values())
    return cells


def _read_all_cells(paths: list[str]) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in paths:
        try:
            workbook = CalamineWorkbook.from_path(path)
            for name in workbook.sheet_names:
                for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False):
                    cells += len(row)
        except Exception:
            continue
    return cells


def floor(root: Path, jobs: int) -> int:
    paths = _files(root)
    chunk = 64
    chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        return sum(pool.map(_read_all_cells, chunks))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["naive", "floor"])
    parser.add_argument("root", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, default=None, help="naive: read only the first N files")
    args = parser.parse_args()
    cells = naive(args.root, args.limit) if args.kind == "naive" else floor(args.root, args.jobs)
    print(cells)


if __name__ == "__main__":
    main()

"""The result tables: ranking.xlsx, scores.csv, indicators.csv and results.json.

Everything here is read from a finished :class:`Results`; nothing is computed anew.
Each file is written whole or not at all (``outputs.write_atomic``). The writers live
by format: ``ranking_xlsx`` (with the streaming sheet writer ``xlsx_stream``),
``csv_tables`` and ``results.store``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..outputs import ensure_dir, write_atomic
from ..results import Results, gc_paused, write_results_json
from .csv_tables import write_indicators_csv, write_scores_csv
from .ranking_xlsx import write_ranking_xlsx

# File name → writer(results, path); write_tables writes them in this order.
TABLE_WRITERS: dict[str, Callable[[Results, Path], None]] = {
    "ranking.xlsx": write_ranking_xlsx,
    "scores.csv": write_scores_csv,
    "indicators.csv": write_indicators_csv,
    "results.json": write_results_json,
}


@gc_paused()  # millions of short-lived strings and dicts; nothing here forms a cycle
def write_tables(results: Results, out_dir: Path) -> list[Path]:
    """Write ranking.xlsx, scores.csv, indicators.csv and results.json into ``out_dir``."""
    out_dir = ensure_dir(Path(out_dir))
    return [_write_one(out_dir / name, write, results) for name, write in TABLE_WRITERS.items()]


def _write_one(target: Path, write: Callable[[Results, Path], None], results: Results) -> Path:
    return write_atomic(target, lambda tmp: write(results, tmp))

"""Times a regional run's documents (issue 26): 1 500 schools in 40 municipalities, every document.

The results are built as ``benchmarks/territories.py`` builds them (random valid values,
seeded; a registry naming each school's municipality), then ``report`` is timed as a user
runs it, on that results.json: the regional справка (Markdown, HTML, Word, with the chart of
municipalities), the regional order, a letter to each municipal authority and each
municipality's own set (справка, order, letters to its schools, with ``--cards`` the
schools' cards too). Each case runs ``vosp-monitor report`` in a fresh process (its wall
time and peak memory; best of ``--repeat``). Rows go to ``results/regional-documents.csv``.

Usage:  python benchmarks/regional_documents.py [--schools 1500] [--municipalities 40] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "regional-documents.csv"


def make_results(folder: Path, n: int, per: int) -> Path:
    """results.json of a region of ``n`` schools in ``per`` municipalities."""
    sys.path.insert(0, str(HERE))
    from uncertainty import _submissions

    from vosp_monitor.analysis import build_results
    from vosp_monitor.config import load_config
    from vosp_monitor.ingest.registry import RegistryEntry
    from vosp_monitor.results import write_results_json
    from vosp_monitor.validate.territories import place_schools

    config = load_config()
    subs = _submissions(config, n, 2)
    registry = [
        RegistryEntry(s.school_code, s.school_name, (), (f"Муниципальный район № {i % per + 1}",))
        for i, s in enumerate(subs)
    ]
    placement, _ = place_schools(subs, registry, config)
    results = build_results(config, subs, placement=placement, source="benchmarks")
    path = folder / "results.json"
    write_results_json(results, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1500)
    parser.add_argument("--municipalities", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        source = make_results(Path(tmp), args.schools, args.municipalities)
        for cards in (False, True):
            best = math.inf
            for k in range(args.repeat):
                out = Path(tmp) / f"out-{cards}-{k}"
                command = [sys.executable, "-m", "vosp_monitor", "report", str(source), "-o", str(out)]
                command.append("--cards" if cards else "--no-cards")
                start = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True)
                best = min(best, time.perf_counter() - start)
            files = sum(1 for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
            row = {
                "schools": args.schools,
                "municipalities": args.municipalities,
                "cards": cards,
                "files": files,
                "seconds": round(best, 2),
            }
            print(row)
            rows.append(row)
    RESULTS.parent.mkdir(exist_ok=True)
    with RESULTS.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()

"""Times the roll-up by territory (issue 25): placement, roll-up, ranking and intervals at N schools.

No forms are read: N schools get random valid values (``uncertainty._submissions``, seeded)
and a registry entry naming their territory, and ``build_results`` runs with and without the
placement, as ``score`` runs it. What territories cost is timed on its own (``place_schools`` and
``build_territories``, best of ``--repeat``): on a shared machine the difference of two whole runs
is mostly noise. Cases:

* ``region``: 1 500 schools in 40 municipalities (one level), every ranking method, with the
  weights varied (the default up to 5 000 schools) and with the bootstrap alone;
* ``country``: 40 000 schools, 85 regions × 25 municipalities (two levels) and 2 125
  municipalities without regions (one level): roll-up alone, bootstrap intervals (the
  default above 5 000 schools), and with ``--uncertainty`` (weights varied too).

Each case runs in a fresh process (peak memory is that process's); each time is the best of
``--repeat``. Rows go to ``results/territories.csv`` and are printed.

Usage:  python benchmarks/territories.py [--cases region,country] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "territories.csv"
CASES = {
    "region": [
        # (label, schools, regions, municipalities per region, ranking, uncertainty)
        ("region-mean", 1500, 1, 40, "mean", None),
        ("region-median", 1500, 1, 40, "median", None),
        ("region-pooled", 1500, 1, 40, "pooled", None),
        ("region-mean-bootstrap-only", 1500, 1, 40, "mean", "off-weights"),
    ],
    "country": [
        ("country-2-levels-rollup", 40000, 85, 25, "mean", False),
        ("country-2-levels", 40000, 85, 25, "mean", None),
        ("country-1-level", 40000, 1, 2125, "mean", None),
        ("country-2-levels-pooled", 40000, 85, 25, "pooled", None),
        ("country-2-levels-uncertainty", 40000, 85, 25, "mean", True),
    ],
}


def measure(label: str, n: int, regions: int, per: int, method: str, wanted: object, repeat: int) -> dict:
    sys.path.insert(0, str(HERE))
    import psutil
    from uncertainty import _peak_mb, _submissions

    from vosp_monitor.analysis import build_results
    from vosp_monitor.config import load_config
    from vosp_monitor.ingest.registry import RegistryEntry
    from vosp_monitor.validate.territories import place_schools

    config = load_config()
    update = {"territories": config.territories.model_copy(update={"ranking": method})}
    if wanted == "off-weights":  # the schools' robustness analysis off: intervals from the bootstrap alone
        unc = config.analysis.uncertainty.model_copy(update={"enabled": False})
        update["analysis"] = config.analysis.model_copy(update={"uncertainty": unc})
        wanted = None
    config = config.model_copy(update=update)
    subs = _submissions(config, n, 2)
    registry = []
    for i, sub in enumerate(subs):
        region, municipality = i % regions, (i // regions) % per
        path = (f"Регион {region}", f"МО {region}-{municipality}") if regions > 1 else (f"МО {municipality}",)
        registry.append(RegistryEntry(sub.school_code, sub.school_name, (), path))
    from vosp_monitor.analysis import assemble

    best = {"without": math.inf, "placement": math.inf, "with": math.inf, "rollup": math.inf}
    timed = assemble.build_territories

    def build_territories(*args: object) -> object:  # the roll-up's own time, apart from the noise around it
        start = time.perf_counter()
        made = timed(*args)  # type: ignore[arg-type]
        if made is not None:  # the run without placement returns at once: not a roll-up
            best["rollup"] = min(best["rollup"], time.perf_counter() - start)
        return made

    assemble.build_territories = build_territories  # type: ignore[assignment]
    for _ in range(repeat):
        start = time.perf_counter()
        build_results(config, subs, uncertainty=wanted)
        best["without"] = min(best["without"], time.perf_counter() - start)
        start = time.perf_counter()
        placement, _ = place_schools(subs, registry, config)
        best["placement"] = min(best["placement"], time.perf_counter() - start)
        start = time.perf_counter()
        results = build_results(config, subs, uncertainty=wanted, placement=placement)
        best["with"] = min(best["with"], time.perf_counter() - start)
    territories = results.territories
    assert territories is not None
    return {
        "case": label,
        "schools": n,
        "territories": len(territories.units),
        "regions": len(territories.parents),
        "ranking": method,
        "runs": territories.runs,
        "weights_varied": territories.weights_varied,
        "without_s": round(best["without"], 3),
        "placement_s": round(best["placement"], 3),
        "with_s": round(best["with"], 3),
        "territories_s": round(
            best["rollup"] + best["placement"], 3
        ),  # placement, roll-up, places, intervals
        "peak_rss_mb": round(_peak_mb(psutil), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="region,country")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child process measuring one case
    args = parser.parse_args()
    if args.one is not None:
        case = next(c for cases in CASES.values() for c in cases if c[0] == args.one)
        print(json.dumps(measure(*case, repeat=args.repeat)))
        return
    rows = []
    for name in args.cases.split(","):
        for case in CASES[name]:
            command = [sys.executable, __file__, "--one", case[0], "--repeat", str(args.repeat)]
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            row = json.loads(out.strip().splitlines()[-1])
            rows.append(row)
            print(
                f"{row['case']:32} {row['schools']:>6} ОО, {row['territories']:>5} МО, {row['regions']:>3} рег.: "
                f"без территорий {row['without_s']} с, с территориями {row['with_s']} с"
                f"; территории (размещение {row['placement_s']} с и всё остальное) {row['territories_s']} с, "
                f"{row['runs']} пересчётов{' с весами' if row['weights_varied'] else ''}, пик {row['peak_rss_mb']} МБ"
            )
    RESULTS.parent.mkdir(exist_ok=True)
    kept = []  # rows of the other cases from earlier runs stay
    if RESULTS.is_file():
        with RESULTS.open(encoding="utf-8", newline="") as handle:
            measured = {row["case"] for row in rows}
            kept = [r for r in csv.DictReader(handle) if r["case"] not in measured]
    order = [case[0] for cases in CASES.values() for case in cases]
    with RESULTS.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(sorted([*kept, *rows], key=lambda r: order.index(r["case"])))


if __name__ == "__main__":
    main()

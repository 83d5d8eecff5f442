"""Times the rank-robustness analysis (Monte Carlo, sensitivity, leave-one-out) at N schools.

The analysis works on the scored indicator arrays, so no forms are read: N schools get
random valid values for every indicator of the config (seeded), are scored once by
``build_results`` without the analysis, and then the analysis runs on its own, as
``score`` runs it. Rows go to ``results/uncertainty.csv`` (and are printed).

Usage:  python benchmarks/uncertainty.py [--sizes 600,2000] [--runs 1000] [-c indicators.yaml]

Each size is measured in a fresh process (the peak memory is that process's), after one
warm-up call at 20 schools (numpy's first calls cost a few milliseconds); each time is the
best of :data:`REPEAT` (the machine is shared: the best is the least disturbed).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "uncertainty.csv"
TARGET_SECONDS = 3.0  # issue 14: 1,000 runs for 600 schools on 2 cores
REPEAT = 3


def _submissions(config, n: int, seed: int):  # type: ignore[no-untyped-def]
    from vosp_monitor.config import IndicatorType
    from vosp_monitor.validate.submission import IndicatorEntry, Submission

    rng = random.Random(seed)
    subs = []
    for i in range(n):
        entries = {}
        for ind in config.indicators():
            if ind.type == IndicatorType.share:
                den = rng.randint(5, 60)
                num = rng.randint(0, den)
                entries[ind.code] = IndicatorEntry(ind.code, num / den * 100, num, den)
            elif ind.type == IndicatorType.yesno:
                entries[ind.code] = IndicatorEntry(ind.code, float(rng.random() < 0.6))
            elif ind.type == IndicatorType.choice:
                entries[ind.code] = IndicatorEntry(
                    ind.code, rng.choice([o.points for o in ind.options or []])
                )
            elif ind.type == IndicatorType.mark:
                entries[ind.code] = IndicatorEntry(ind.code, float(rng.randint(0, ind.max_mark or 1)))
            else:
                low, high = ind.min or 0.0, ind.max if ind.max is not None else 100.0
                entries[ind.code] = IndicatorEntry(ind.code, float(rng.randint(int(low), int(min(high, 60)))))
        subs.append(
            Submission(
                file=f"{i:05d}.xlsx", school_code=f"{i:05d}", school_name=f"ОО {i}", indicators=entries
            )
        )
    return subs


def measure(n: int, runs: int, config_path: str | None, repeat: int = REPEAT) -> dict[str, float | int]:
    """One size, in this process: seconds of the analysis and of its parts, and peak memory."""
    import psutil

    from vosp_monitor.analysis import build_results
    from vosp_monitor.analysis.uncertainty import analyse_uncertainty
    from vosp_monitor.config import load_config
    from vosp_monitor.scoring.methods import score_submissions
    from vosp_monitor.scoring.ranking import rank_scores

    config = load_config(config_path)
    settings = config.analysis.uncertainty.model_copy(update={"enabled": True, "runs": runs})
    config = config.model_copy(
        update={"analysis": config.analysis.model_copy(update={"uncertainty": settings})}
    )
    warm = score_submissions(config, _submissions(config, 20, 1))
    analyse_uncertainty(config, warm, rank_scores(warm.total))
    subs = _submissions(config, n, 2)
    results = build_results(config, subs, uncertainty=False)
    table = score_submissions(config, sorted(subs, key=lambda s: s.school_code))
    places = rank_scores(table.total, ties=config.ranking.ties, decimals=config.ranking.decimals)
    timings: dict[str, float | int] = {"n": len(results.schools), "runs": runs}
    for label, update in (
        ("monte_carlo", {"sensitivity": False, "leave_one_out": False}),
        ("with_sensitivity", {"sensitivity": True, "leave_one_out": False}),
        ("all", {"sensitivity": True, "leave_one_out": True}),
    ):
        part = settings.model_copy(update=update)
        cfg = config.model_copy(update={"analysis": config.analysis.model_copy(update={"uncertainty": part})})
        best = math.inf
        for _ in range(repeat):
            start = time.perf_counter()
            outcome, _ = analyse_uncertainty(cfg, table, places)
            best = min(best, time.perf_counter() - start)
        timings[label] = round(best, 3)
        if label == "all":
            assert outcome is not None
            timings["evaluations"] = outcome.runs + outcome.sensitivity_runs + len(outcome.removals)
    timings["peak_rss_mb"] = round(_peak_mb(psutil), 1)
    timings["cores"] = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0
    )
    return timings


def _peak_mb(psutil) -> float:  # type: ignore[no-untyped-def]
    """This process's peak resident memory (Linux, macOS: getrusage; Windows: peak working set)."""
    try:
        import resource
    except ImportError:
        return float(psutil.Process().memory_info().peak_wset) / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="600,2000")
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("-c", "--config", default=None)
    parser.add_argument(
        "--repeat", type=int, default=REPEAT, help="best of this many (40 000 schools: use 1)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process measuring one size
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.runs, args.config, args.repeat)))
        return
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        command = [
            sys.executable,
            __file__,
            "--one",
            str(size),
            "--runs",
            str(args.runs),
            "--repeat",
            str(args.repeat),
        ]
        if args.config:
            command += ["-c", args.config]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        row = json.loads(out.strip().splitlines()[-1])
        rows.append(row)
        verdict = "достигнута" if row["monte_carlo"] < TARGET_SECONDS else "НЕ достигнута"
        print(
            f"{row['n']:>6} ОО, {row['runs']} пересчётов: Монте-Карло {row['monte_carlo']} с, "
            f"с чувствительностью {row['with_sensitivity']} с, всё {row['all']} с "
            f"({row['evaluations']} пересчётов), пик памяти {row['peak_rss_mb']} МБ "
            f"(цель {TARGET_SECONDS:g} с при 600 ОО: {verdict if row['n'] <= 600 else '—'})"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    kept = []  # rows of other sizes from earlier runs stay
    if RESULTS.is_file():
        with RESULTS.open(encoding="utf-8", newline="") as handle:
            measured = {row["n"] for row in rows}
            kept = [r for r in csv.DictReader(handle) if int(r["n"]) not in measured]
    with RESULTS.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(sorted([*kept, *rows], key=lambda r: int(r["n"])))


if __name__ == "__main__":
    main()

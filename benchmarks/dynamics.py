"""What ``score --previous`` adds: reading earlier results.json, the comparison, and its outputs.

    python benchmarks/dynamics.py                 # N = 2000 schools, two previous years
    python benchmarks/dynamics.py -n 2000 40000 --years 2 --save benchmarks/results/dynamics

The 24 forms of ``samples/forms/`` are read once and replicated to N schools with distinct codes
(as ``outputs.py`` does); the earlier years are the same schools with every value moved by
a seeded random factor, scored with an earlier ``monitoring.period`` and written as
results.json, one per year. Then, for the current year, what ``score`` writes once the forms
are read (``writing.write_score_outputs``: ranking.xlsx, the CSV files, results.json, the
справка in HTML, Markdown and Word, the order, and — up to 2 000 schools, as by default —
the cards and the letters, switched into the output folder). As in ``score``, the chart
workers were started before (``score`` starts them when it begins reading, so they have
imported matplotlib by then) and draw while the tables are written:

* ``outputs``: without a comparison;
* ``read previous`` (``dynamics.load_baseline``: every results.json), ``compare``
  (``Baseline.compare``), and the same outputs *with* the comparison.

«added» = read previous + compare + (outputs with − outputs without): what the option
costs a ``score`` run. Each is the least wall time over ``--repeat`` runs (5), a run without
and one with the comparison in turn: wall time, since the charts and the letters are written
by other processes, and the least, since on a shared machine other work only ever adds. (The
median of paired differences, runs back to back in alternating order, was tried and
dropped: the first run of a pair came out 0.3–0.5 s slower than the second whichever
it was, so a pair's order decided much of its difference; one kit run gave −0.02 s.)
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from factories import replicate  # the tests' helper: the 24 forms → N distinct schools

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = 3.0  # s: the chart workers import matplotlib (in score, while the forms are read)
PERIODS = ("2025/2026 учебный год", "2024/2025 учебный год", "2023/2024 учебный год", "2022/2023 учебный год")


def _earlier(subs: list, seed: int) -> list:
    """The same schools a year before: each value moved by up to ±30 %."""
    from vosp_monitor.validate.submission import EntryStatus

    rng = random.Random(seed)
    out = []
    for sub in subs:
        entries = {}
        for code, entry in sub.indicators.items():
            if entry.status != EntryStatus.ok or entry.value is None:
                entries[code] = entry
                continue
            factor = rng.uniform(0.7, 1.3)
            if entry.numerator is not None and entry.denominator:
                numerator = min(entry.denominator, round(entry.numerator * factor))
                entries[code] = dataclasses.replace(
                    entry, numerator=numerator, value=numerator / entry.denominator * 100
                )
            elif entry.value in (0.0, 1.0) or code.startswith(("UPR-1", "ROD-1", "KR-4")):
                entries[code] = entry  # yes/no and choices keep their answer
            else:
                entries[code] = dataclasses.replace(entry, value=float(round(entry.value * factor)))
        out.append(dataclasses.replace(sub, indicators=entries))
    return out


def _config(period: str):
    from vosp_monitor.config import load_config

    config = load_config()
    return config.model_copy(update={"monitoring": config.monitoring.model_copy(update={"period": period})})


def _wall(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def measure(
    n: int, years: int, base: list, folder: Path, repeat: int = 3, cards: bool | None = None
) -> dict[str, float]:
    """Each stage ``repeat`` times, the runs with and without the comparison interleaved, and
    the least wall time of each kept: other processes on a shared machine only ever add."""
    import shutil

    from vosp_monitor.analysis import build_results
    from vosp_monitor.dynamics import load_baseline
    from vosp_monitor.pipeline.writing import write_score_outputs
    from vosp_monitor.results import write_results_json
    from vosp_monitor.writers.charts.worker import ChartDrawer

    subs = replicate(base, n)
    paths = []
    previous = subs
    for k in range(1, years + 1):
        previous = _earlier(previous, seed=k)
        results = build_results(_config(PERIODS[k]), previous)
        path = folder / f"y{k}" / "results.json"
        path.parent.mkdir(parents=True)
        write_results_json(results, path)
        paths.append(path)
    config = _config(PERIODS[0])
    results = build_results(config, subs)
    cards = n <= 2000 if cards is None else cards
    spent: list[float] = []

    def outputs(target: Path) -> None:
        """What ``score`` writes once the forms are read: its chart workers were started
        when reading began (so matplotlib is imported: here, before the clock starts)."""
        shutil.rmtree(target, ignore_errors=True)
        with ChartDrawer() as drawer:
            time.sleep(WARM_UP)
            start = time.perf_counter()
            write_score_outputs(results, target, [], templates_dir=None, cards=cards, drawer=drawer)
            spent.append(time.perf_counter() - start)

    times: dict[str, list[float]] = {"read": [], "compare": [], "plain": [], "with": []}
    wall = 0.0
    for _ in range(repeat):
        results.dynamics = None
        outputs(folder / "plain")
        times["plain"].append(spent.pop())
        found: list = []  # as score holds it: read, compared, then released before writing
        times["read"].append(
            _wall(
                lambda found=found: found.append(load_baseline(paths, None, config.monitoring.id, PERIODS[0]))
            )
        )
        times["compare"].append(
            _wall(lambda found=found: setattr(results, "dynamics", found[0].compare(results)))
        )
        found.clear()  # last year's schools freed before writing, as in score (its pages given back too)
        outputs(folder / "dynamics")
        times["with"].append(spent.pop())
        wall = times["read"][-1] + times["compare"][-1] + times["with"][-1]
    best = {key: min(values) for key, values in times.items()}
    return {
        "schools": n,
        "previous years": years,
        "cards": cards,
        "read previous, s": best["read"],
        "compare, s": best["compare"],
        "outputs without, s": best["plain"],
        "outputs with, s": best["with"],
        "added, s": best["read"] + best["compare"] + best["with"] - best["plain"],
        "wall with, s": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, nargs="+", default=[2000])
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="runs of each kind (without and with the comparison); the least wall time counts",
    )
    parser.add_argument(
        "--cards",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write the cards (default: as score does, up to 2 000 schools)",
    )
    parser.add_argument("--save", type=Path, help="write <save>.csv and <save>.json")
    args = parser.parse_args()
    from vosp_monitor.config import load_config
    from vosp_monitor.pipeline import collect

    base = collect(ROOT / "samples" / "forms", load_config(), jobs=1).scorable
    rows = []
    for n in args.n:
        with tempfile.TemporaryDirectory() as tmp:
            row = measure(n, args.years, base, Path(tmp), args.repeat, args.cards)
        rows.append(row)
        print(
            ", ".join(f"{k}: {v:.2f}" if isinstance(v, float) else f"{k}: {v}" for k, v in row.items()),
            file=sys.stderr,
        )
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        with args.save.with_suffix(".csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        args.save.with_suffix(".json").write_text(
            json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8"
        )


if __name__ == "__main__":
    main()

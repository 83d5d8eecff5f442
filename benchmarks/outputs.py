"""Time everything after reading: build_results, each table, the report and the cards.

    python benchmarks/outputs.py                    # N = 2000 and 40000; cards timed up to 2000
    python benchmarks/outputs.py -n 600 2000 --cards 0    # no cards
    python benchmarks/outputs.py --source benchmarks/data/600 --save benchmarks/results/outputs
    python benchmarks/outputs.py -n 40000 --cards 0 --xlsx-api   # also ranking.xlsx by the public API

The submissions are read once from ``--source`` (default ``benchmarks/data/2000``, the
generator's synthetic forms, with their realistic share of mistakes), then replicated to
N schools with distinct codes and file names, so every N has the same mix of problems,
normalisations and excluded files as the real folder. Each N runs in a fresh process, so
its peak RSS (psutil / ru_maxrss) is its own. Outputs go to a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGES = (
    "build_results",
    "ranking.xlsx",
    "ranking.xlsx (API)",
    "scores.csv",
    "indicators.csv",
    "results.json",
    "report",
    "cards",
)


def _collect(source: Path, cache: Path) -> None:
    from vosp_monitor.config import load_config
    from vosp_monitor.pipeline import collect

    start = time.perf_counter()
    collection = collect(source, load_config())
    print(
        f"read {len(collection.submissions)} submissions from {source} in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    with cache.open("wb") as handle:
        pickle.dump(collection, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _replicate(collection, n: int):
    """N submissions from the collected ones: copy k gets codes «<code>-k» and files «k/<file>»."""
    base = collection.submissions
    subs, problems = [], []
    for i in range(n):
        k, sub = divmod(i, len(base))
        sub = base[sub]
        if k == 0:
            subs.append(sub)
            continue
        code, file = f"{sub.school_code}-{k}", f"{k}/{sub.file}"
        subs.append(
            dataclasses.replace(
                sub,
                file=file,
                school_code=code,
                problems=[dataclasses.replace(p, file=file, school=code) for p in sub.problems],
                normalisations=[dataclasses.replace(x, file=file) for x in sub.normalisations],
            )
        )
    problems = [p for s in subs for p in s.problems]
    return subs, problems


def _peak_rss_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    except ImportError:  # Windows
        import psutil

        return psutil.Process().memory_info().peak_wset / 2**20


def _one(cache: Path, n: int, cards: bool, xlsx_api: bool = False) -> dict:
    from vosp_monitor.analysis import build_results
    from vosp_monitor.config import load_config
    from vosp_monitor.outputs import write_atomic
    from vosp_monitor.writers import tables
    from vosp_monitor.writers.html_md import report as report_mod

    try:
        from vosp_monitor.results import gc_paused
    except ImportError:  # an older vosp-monitor (to measure «before»): no pause
        gc_paused = contextlib.nullcontext
    writers = (
        {"ranking.xlsx": tables.write_ranking_xlsx, **tables.TABLE_WRITERS}
        if hasattr(tables, "RANKING_XLSX")
        else getattr(tables, "TABLE_WRITERS", None)
        or {
            "ranking.xlsx": tables.write_ranking_xlsx,
            "scores.csv": lambda r, p: tables._write_csv(p, *tables._scores_rows(r)),
            "indicators.csv": lambda r, p: tables._write_csv(p, *tables._indicator_rows(r)),
            "results.json": tables.write_results_json,
        }
    )

    with cache.open("rb") as handle:
        collection = pickle.load(handle)
    subs, problems = _replicate(collection, n)
    del collection
    config = load_config()
    times: dict[str, float | None] = {}
    cpu_start = time.process_time()  # CPU seconds: steadier than wall time on a shared machine
    start = time.perf_counter()
    results = build_results(
        config,
        subs,
        skipped=[],
        not_submitted=[],
        problems=problems,
        source="benchmark",
    )
    times["build_results"] = time.perf_counter() - start
    del subs, problems
    with tempfile.TemporaryDirectory(prefix="vosp-outputs-") as tmp:
        out = Path(tmp)
        sizes = {}
        for name, write in writers.items():
            start = time.perf_counter()
            with gc_paused():  # as write_tables does
                write_atomic(out / name, lambda p, write=write: write(results, p))
            times[name] = time.perf_counter() - start
            sizes[name] = (out / name).stat().st_size / 2**20
        times["ranking.xlsx (API)"] = None
        if xlsx_api:  # xlsxwriter's public API only: what the fast row writer is measured against
            from vosp_monitor.writers.xlsx.ranking import write_ranking_xlsx

            start = time.perf_counter()
            with gc_paused():
                write_ranking_xlsx(results, out / "api.xlsx", fast=False)
            times["ranking.xlsx (API)"] = time.perf_counter() - start
        start = time.perf_counter()
        report_mod.render_reports(results, out, cards=False)
        times["report"] = time.perf_counter() - start
        sizes["report.html"] = (out / "report.html").stat().st_size / 2**20
        times["cards"] = None
        if cards:
            view = report_mod.build_view(results, cards=True)
            start = time.perf_counter()
            report_mod.render_cards(
                results,
                out / "schools",
                view,
            )
            times["cards"] = time.perf_counter() - start
    return {
        "n": n,
        "schools": len(results.schools),
        **times,
        "total": sum(t for stage, t in times.items() if t is not None and stage != "ranking.xlsx (API)"),
        "cpu": time.process_time() - cpu_start,
        "peak_rss_mb": _peak_rss_mb(),
        "sizes_mb": sizes,
    }


def _table(rows: list[dict]) -> str:
    head = ["stage"] + [f"N={r['n']:,}".replace(",", " ") for r in rows]
    lines = [head]
    for stage in (*STAGES, "total", "cpu", "peak_rss_mb"):
        cells = [{"peak_rss_mb": "peak RSS, MB", "cpu": "total CPU"}.get(stage, stage)]
        for r in rows:
            value = r.get(stage)
            cells.append(
                "—" if value is None else (f"{value:.0f}" if stage == "peak_rss_mb" else f"{value:.2f} s")
            )
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join(
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, nargs="+", default=[2000, 40000], help="numbers of schools")
    parser.add_argument("--source", type=Path, default=Path("benchmarks/data/2000"))
    parser.add_argument(
        "--cards", type=int, default=2000, metavar="N", help="time the school cards for runs up to N schools"
    )
    parser.add_argument("--save", type=Path, help="write the table as <SAVE>.csv and <SAVE>.json")
    parser.add_argument(
        "--xlsx-api",
        action="store_true",
        help="also time ranking.xlsx written by xlsxwriter's public API only",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(_one(args.cache, args.one, args.one <= args.cards, args.xlsx_api)))
        return
    with tempfile.TemporaryDirectory(prefix="vosp-outputs-src-") as tmp:
        cache = Path(tmp) / "collection.pickle"
        _collect(args.source, cache)
        rows = []
        for n in args.n:
            command = [
                sys.executable,
                __file__,
                "--one",
                str(n),
                "--cache",
                str(cache),
                "--cards",
                str(args.cards),
                *(["--xlsx-api"] if args.xlsx_api else []),
            ]
            done = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ)
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"N={n}: {rows[-1]['total']:.1f} s", file=sys.stderr)
    print(_table(rows))
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
        with args.save.with_suffix(".csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(
                handle,
                fieldnames=["n", "schools", *STAGES, "total", "cpu", "peak_rss_mb"],
                extrasaction="ignore",
            )
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()

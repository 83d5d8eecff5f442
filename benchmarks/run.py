"""Benchmark vosp-monitor against the naive script and the calamine floor, in one run.

For each N it generates N synthetic submissions once (cached in benchmarks/data/), then
runs, each as a separate process tree on the same files and the same number of worker
processes: the floor (python-calamine reads every cell), the naive analyst script (pandas
+ openpyxl, one process), ``vosp-monitor validate`` (reading and validation) and
``vosp-monitor score`` (every output written). It records wall time, files per second and
the peak resident memory of the whole process tree (sampled every 10 ms with psutil), and
compares against the targets of issue 6, saying by how much a target is missed.

Usage:  python benchmarks/run.py [--sizes 20,600,2000,40000] [--jobs 2] [--naive-limit 2000]
Writes benchmarks/results/latest.csv and latest.json and prints a table.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
PYTHON = sys.executable
# The console script as users run it; `python -m vosp_monitor` where it is not on PATH.
CLI = [shutil.which("vosp-monitor") or ""] if shutil.which("vosp-monitor") else [PYTHON, "-m", "vosp_monitor"]


@dataclass
class Measure:
    n: int
    what: str
    seconds: float
    files_per_second: float
    peak_rss_mb: float
    exit_code: int


def measure(command: list[str], n: int, what: str) -> Measure:
    """Run ``command``; wall time and peak RSS summed over the process and its children."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    watched = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    if process.returncode not in (0, 1):
        sys.stderr.write(process.stderr.read().decode("utf-8", "replace")[-2000:] if process.stderr else "")
    return Measure(
        n, what, round(seconds, 3), round(n / seconds, 1), round(peak / 2**20, 1), process.returncode
    )


def dataset(n: int) -> Path:
    folder = DATA / str(n)
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {n} submissions in {folder} …", file=sys.stderr)
        subprocess.run([PYTHON, str(HERE / "generate.py"), str(n), str(folder)], check=True)
        (folder / ".complete").write_text("ok", encoding="utf-8")
    return folder


def startup() -> list[Measure]:
    """`--help` and `score` of the bundled samples (best of 5 and of 3)."""
    helps = [measure([*CLI, "--help"], 0, "--help") for _ in range(5)]
    with tempfile.TemporaryDirectory() as out:
        samples = [
            measure(
                [*CLI, "score", str(HERE.parent / "samples" / "forms"), "-o", out, "--quiet"],
                24,
                "score samples",
            )
            for _ in range(3)
        ]
    return [min(helps, key=lambda m: m.seconds), min(samples, key=lambda m: m.seconds)]


def naive(folder: Path, n: int, limit: int) -> Measure:
    """The naive script; above ``limit`` files it reads the first ``limit`` and scales linearly.

    It reads one file after another in one process, so its time is proportional to the
    number of files; at 40,000 files it would run for over an hour on this machine.
    """
    command = [PYTHON, str(HERE / "references.py"), "naive", str(folder)]
    if n <= limit:
        return measure(command, n, "naive (pandas+openpyxl)")
    sample = measure([*command, "--limit", str(limit)], limit, "naive")
    seconds = round(sample.seconds * n / limit, 3)
    what = f"naive (pandas+openpyxl), extrapolated from {limit} files"
    return Measure(n, what, seconds, round(n / seconds, 1), sample.peak_rss_mb, sample.exit_code)


def run_size(n: int, jobs: int, naive_limit: int) -> list[Measure]:
    folder = dataset(n)
    rows = [
        measure(
            [PYTHON, str(HERE / "references.py"), "floor", str(folder), "--jobs", str(jobs)],
            n,
            "floor (calamine)",
        ),
        naive(folder, n, naive_limit),
    ]
    rows.append(measure([*CLI, "validate", str(folder), "--jobs", str(jobs), "--quiet"], n, "vosp validate"))
    with tempfile.TemporaryDirectory() as out:
        rows.append(
            measure([*CLI, "score", str(folder), "-o", out, "--jobs", str(jobs), "--quiet"], n, "vosp score")
        )
    return rows


def verdicts(rows: list[Measure]) -> list[str]:
    """Issue 6's targets, each with the measured figure and the margin."""
    by = {(m.n, m.what): m for m in rows}
    lines = []

    def check(label: str, value: float, limit: float, unit: str = "") -> None:
        ok = value <= limit
        margin = f"{value / limit:.2f}× the limit" if not ok else "met"
        lines.append(
            f"{'OK  ' if ok else 'MISS'} {label}: {value:.2f}{unit} (limit {limit:.2f}{unit}; {margin})"
        )

    if (0, "--help") in by:
        check("vosp-monitor --help", by[(0, "--help")].seconds, 0.3, " s")
    if (24, "score samples") in by:
        check("score of the 24 samples", by[(24, "score samples")].seconds, 3.0, " s")
    for n in sorted({m.n for m in rows if m.n > 24}):
        floor, score = by.get((n, "floor (calamine)")), by.get((n, "vosp score"))
        validate = by.get((n, "vosp validate"))
        naive = next((m for m in rows if m.n == n and m.what.startswith("naive")), None)
        if n >= 40000 and floor and score:
            check(f"N={n}: score / floor", score.seconds / floor.seconds, 2.0, "×")
            check(f"N={n}: peak RSS of score", score.peak_rss_mb, 1024, " MB")
            if naive:
                check(f"N={n}: score / naive", score.seconds / naive.seconds, 0.1, "×")
        if n == 2000 and floor and validate:
            check(
                f"N={n}: validate − 1.5×floor (fixed cost)", validate.seconds - 1.5 * floor.seconds, 1.0, " s"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,600,2000,40000")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--naive-limit",
        type=int,
        default=2000,
        help="above this N, the naive time is extrapolated from N files",
    )
    args = parser.parse_args()
    rows = startup()
    for n in [int(s) for s in args.sizes.split(",") if s]:
        rows += run_size(n, args.jobs, args.naive_limit)
        print(f"done N={n}", file=sys.stderr)
    floors = {m.n: m.seconds for m in rows if m.what.startswith("floor")}
    naives = {m.n: m.seconds for m in rows if m.what.startswith("naive")}
    RESULTS.mkdir(exist_ok=True)
    table = [
        asdict(m)
        | {
            "vs_floor": round(m.seconds / floors[m.n], 2) if m.n in floors else None,
            "vs_naive": round(m.seconds / naives[m.n], 3) if m.n in naives else None,
        }
        for m in rows
    ]
    lines = verdicts(rows)
    meta = {
        "machine": f"{platform.node()} {os.cpu_count()} cores, {platform.python_version()}",
        "jobs": args.jobs,
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    (RESULTS / "latest.json").write_text(
        json.dumps({"meta": meta, "rows": table, "targets": lines}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    with (RESULTS / "latest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    print("| N | what | seconds | files/s | peak RSS, MB | × floor | × naive |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for row in table:
        print(
            f"| {row['n']} | {row['what']} | {row['seconds']} | {row['files_per_second']} | {row['peak_rss_mb']} | "
            f"{row['vs_floor'] if row['vs_floor'] is not None else ''} | {row['vs_naive'] if row['vs_naive'] is not None else ''} |"
        )
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()

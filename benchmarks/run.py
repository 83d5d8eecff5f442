"""Benchmark vosp-monitor against the naive script and the calamine floor, in one run.

For each N it generates N synthetic submissions once (cached in benchmarks/data/), then
runs, each as a separate process tree on the same files and the same number of worker
processes: the floor (python-calamine reads every cell), the naive analyst script (pandas
+ openpyxl, one process), ``vosp-monitor validate`` (reading and validation) and
``vosp-monitor score`` (every output written). It records wall time, files per second and
the peak resident memory of the whole process tree (sampled every 10 ms with psutil), and
states each figure as a ratio to the floor and to the naive script of the same run.

The features of issues 11–14 are timed by their own scripts, each in fresh processes, and
their rows join the table: the Word documents at 600 schools (``documents.py``), what
``--previous`` with two earlier years adds at 2 000 schools (``dynamics.py``), and 1 000
rank-robustness runs at 600 schools (``uncertainty.py``); ``--features read`` takes their
latest CSVs instead of running them. Every target of issues 6 and 15 is then checked and
its margin printed (met with how much to spare, or missed by how much).

A region of 1 500 schools in 40 municipalities runs once with every document (``--region``), and
the CPU time of each process tree (user + system) is recorded beside its wall time, so that the
per-form cost of ``validate`` is compared with calamine's on a machine shared with other work.

Before measuring, the package's modules are compiled to bytecode, as ``pip install`` does: an
editable install in an environment with ``PYTHONDONTWRITEBYTECODE`` (such as this project's
machines) would otherwise compile every module from source in every process of every run,
about 0.2 s of CPU each — a cost no installed copy has (a district's run has four processes).

Usage:  python benchmarks/run.py [--sizes 20,600,2000,40000] [--jobs 2] [--naive-limit 2000]
                                 [--features run|read|skip] [--region 1500] [--readme]
Writes benchmarks/results/latest.csv and latest.json and prints a table; with ``--readme``
it also rewrites the table and the targets in benchmarks/README.md's «Производительность».
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

try:
    import resource
except ImportError:  # Windows: no CPU time of the children
    resource = None  # type: ignore[assignment]

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
    cpu_seconds: float = 0.0  # user + system time of the whole process tree (0: not measured)


def measure(command: list[str], n: int, what: str) -> Measure:
    """Run ``command``; wall time and peak RSS summed over the process and its children.

    The memory of the known processes is read every 10 ms; the tree itself (which means
    reading /proc of every process on the machine) only every 100 ms, so that the sampling
    does not take a noticeable part of a 2-core machine from what it measures.
    """
    cpu_before = _children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    watched = psutil.Process(process.pid)
    tree = [watched]
    scanned = 0.0
    while process.poll() is None:
        try:
            if time.perf_counter() - scanned > 0.1:
                tree = [watched, *watched.children(recursive=True)]
                scanned = time.perf_counter()
            peak = max(peak, sum(_rss(p) for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    cpu = _children_cpu() - cpu_before
    if process.returncode not in (0, 1):
        sys.stderr.write(process.stderr.read().decode("utf-8", "replace")[-2000:] if process.stderr else "")
    return Measure(
        n,
        what,
        round(seconds, 3),
        round(n / seconds, 1),
        round(peak / 2**20, 1),
        process.returncode,
        round(cpu, 3),
    )


def _children_cpu() -> float:
    """User + system seconds of every finished descendant waited for (the workers of a run
    are joined by their parent, so a whole process tree is counted once it has ended)."""
    if resource is None:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _rss(process: psutil.Process) -> int:
    try:
        return int(process.memory_info().rss)
    except psutil.Error:  # it has ended since the tree was read
        return 0


def compile_package() -> None:
    """The installed package's bytecode, written where Python looks for it (see the module's docstring)."""
    import compileall

    import vosp_monitor

    compileall.compile_dir(Path(vosp_monitor.__file__).parent, quiet=1)


def dataset(n: int) -> Path:
    folder = DATA / str(n)
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {n} submissions in {folder} …", file=sys.stderr)
        subprocess.run([PYTHON, str(HERE / "generate.py"), str(n), str(folder)], check=True)
        (folder / ".complete").write_text("ok", encoding="utf-8")
    return folder


DISTRICT = "score samples (district, everything)"
REGION = "score region (40 municipalities, every document)"
REGION_MUNICIPALITIES = 40


def region_dataset(n: int) -> tuple[Path, Path]:
    """``n`` synthetic forms and a registry placing school i in «Муниципальный район № (i mod 40) + 1»:
    a region as a regional centre runs it (``score FORMS --schools registry.csv``)."""
    folder = DATA / f"region-{n}"
    forms, registry = folder / "forms", folder / "registry.csv"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating a region of {n} submissions in {folder} …", file=sys.stderr)
        subprocess.run([PYTHON, str(HERE / "generate.py"), str(n), str(forms)], check=True)
        lines = ["Код ОО;Наименование;Муниципалитет"] + [
            f"{i:06d};Школа № {i} (синтетическая);Муниципальный район № {(i - 1) % REGION_MUNICIPALITIES + 1}"
            for i in range(1, n + 1)
        ]
        registry.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
        (folder / ".complete").write_text("ok", encoding="utf-8")
    return forms, registry


def region(n: int, jobs: int) -> Measure:
    """A region's whole job, once: every form read, the regional справка, order and letters to the
    municipal authorities, each municipality's own set, and the schools' letters and cards."""
    forms, registry = region_dataset(n)
    with tempfile.TemporaryDirectory() as out:
        command = [
            *CLI,
            "score",
            str(forms),
            "--schools",
            str(registry),
            "-o",
            out,
            "--jobs",
            str(jobs),
            "--quiet",
        ]
        return measure(command, n, REGION)


def startup() -> list[Measure]:
    """`--help` (best of 5) and a district's whole job (best of 3): the 24 bundled samples with
    the registry, every output (tables, справка in HTML, Markdown and Word, order, cards, letters)."""
    helps = [measure([*CLI, "--help"], 0, "--help") for _ in range(5)]
    samples = HERE.parent / "samples"
    district = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            command = [*CLI, "score", str(samples / "forms"), "-o", f"{tmp}/out", "--quiet"]
            district.append(measure([*command, "--schools", str(samples / "registry.csv")], 24, DISTRICT))
    return [min(helps, key=lambda m: m.seconds), min(district, key=lambda m: m.seconds)]


@dataclass(frozen=True)
class Feature:
    """A feature script's row: its N, the script and arguments, its CSV and the cell read, the target."""

    n: int
    script: tuple[str, ...]
    csv: str
    key: str  # the CSV column holding N
    column: str  # the CSV column holding the seconds
    limit: float  # seconds (issue 15)


FEATURES = {
    "Word documents (documents.py)": Feature(
        600, ("documents.py", "-n", "600"), "documents.csv", "n", "total", 15.0
    ),
    "--previous, 2 years: added (dynamics.py)": Feature(
        2000,
        ("dynamics.py", "-n", "2000", "--save", str(RESULTS / "dynamics")),
        "dynamics.csv",
        "schools",
        "added, s",
        2.0,
    ),
    "robustness, 1000 runs (uncertainty.py)": Feature(
        600, ("uncertainty.py", "--sizes", "600"), "uncertainty.csv", "n", "monte_carlo", 3.0
    ),
}


def features(mode: str) -> list[Measure]:
    """The rows of the feature scripts: run now (``run``) or from their latest CSV (``read``)."""
    rows = []
    for what, feature in FEATURES.items():
        if mode == "run":
            script, *arguments = feature.script
            try:
                subprocess.run(
                    [PYTHON, str(HERE / script), *arguments], check=True, stdout=subprocess.DEVNULL
                )
            except subprocess.CalledProcessError as failure:  # the rows measured so far are kept
                print(f"{script} failed ({failure.returncode}): its row is left out", file=sys.stderr)
                continue
        path = RESULTS / feature.csv
        if not path.exists():
            print(f"{path} not found: run {feature.script[0]} first", file=sys.stderr)
            continue
        with path.open(encoding="utf-8") as handle:
            found = [r for r in csv.DictReader(handle) if int(r[feature.key]) == feature.n]
        if found:
            seconds = float(found[-1][feature.column])
            per_second = round(feature.n / seconds, 1) if seconds else 0.0
            rows.append(Measure(feature.n, what, round(seconds, 3), per_second, 0.0, 0))
    return rows


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
    cpu = round(sample.cpu_seconds * n / limit, 3)
    return Measure(n, what, seconds, round(n / seconds, 1), sample.peak_rss_mb, sample.exit_code, cpu)


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


@dataclass
class Verdict:
    label: str
    value: float
    limit: float
    unit: str

    @property
    def met(self) -> bool:
        return self.value <= self.limit

    def line(self) -> str:
        if self.met:
            margin = f"met, {self.limit - self.value:.2f}{self.unit} to spare ({self.value / self.limit:.0%} of the limit)"
        else:
            margin = f"MISSED by {self.value - self.limit:.2f}{self.unit} ({self.value / self.limit:.2f}× the limit)"
        return f"{'OK  ' if self.met else 'MISS'} {self.label}: {self.value:.2f}{self.unit} (limit {self.limit:g}{self.unit}); {margin}"


def verdicts(rows: list[Measure]) -> list[Verdict]:
    """Every target of issues 6 and 15, each with the measured figure and the margin."""
    by = {(m.n, m.what): m for m in rows}
    found: list[Verdict] = []

    def check(label: str, value: float, limit: float, unit: str = "") -> None:
        found.append(Verdict(label, value, limit, unit))

    if (0, "--help") in by:
        check("vosp-monitor --help", by[(0, "--help")].seconds, 0.3, " s")
    if (24, DISTRICT) in by:
        check("a district of 24 schools, everything (score --schools)", by[(24, DISTRICT)].seconds, 2.0, " s")
    for what, feature in FEATURES.items():
        if (feature.n, what) in by:
            check(f"N={feature.n}: {what}", by[(feature.n, what)].seconds, feature.limit, " s")
    for n in sorted({m.n for m in rows if m.n > 24}):
        floor, score = by.get((n, "floor (calamine)")), by.get((n, "vosp score"))
        validate = by.get((n, "vosp validate"))
        naive = next((m for m in rows if m.n == n and m.what.startswith("naive")), None)
        if n >= 40000 and floor and validate:
            check(
                f"N={n}: validate / floor (reading and validation)",
                validate.seconds / floor.seconds,
                1.5,
                "×",
            )
        if n >= 40000 and floor and score:
            check(f"N={n}: score / floor", score.seconds / floor.seconds, 2.0, "×")
            check(f"N={n}: peak RSS of score", score.peak_rss_mb, 1024, " MB")
            if naive:
                check(f"N={n}: score / naive", score.seconds / naive.seconds, 0.1, "×")
        if n == 600 and score:
            check(f"N={n}: score, every document", score.seconds, 3.0, " s")
        if n >= 2000 and floor and validate and floor.cpu_seconds:
            check(
                f"N={n}: validate / floor, CPU time per form",
                validate.cpu_seconds / floor.cpu_seconds,
                1.5,
                "×",
            )
        if n == 2000 and floor and validate:
            check(
                f"N={n}: validate − 1.5×floor (fixed cost)", validate.seconds - 1.5 * floor.seconds, 1.0, " s"
            )
    return found


def table_rows(rows: list[Measure]) -> list[dict[str, object]]:
    """The rows as results/latest.csv holds them: each with its ratio to the floor and to the
    naive script of the same N."""
    floors = {m.n: m.seconds for m in rows if m.what.startswith("floor")}
    naives = {m.n: m.seconds for m in rows if m.what.startswith("naive")}
    return [
        asdict(m)
        | {
            "vs_floor": round(m.seconds / floors[m.n], 2) if m.n in floors else None,
            "vs_naive": round(m.seconds / naives[m.n], 3) if m.n in naives else None,
        }
        for m in rows
    ]


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
    parser.add_argument(
        "--features",
        choices=["run", "read", "skip"],
        default="run",
        help="the Word documents, --previous and robustness rows: run their scripts, read their latest CSVs, or leave out",
    )
    parser.add_argument(
        "--region",
        type=int,
        default=1500,
        help=f"schools of the regional run ({REGION_MUNICIPALITIES} municipalities, every document); 0 leaves it out",
    )
    parser.add_argument(
        "--readme", action="store_true", help="rewrite benchmarks/README.md's table and targets from this run"
    )
    args = parser.parse_args()
    compile_package()
    rows = startup()
    for n in [int(s) for s in args.sizes.split(",") if s]:
        rows += run_size(n, args.jobs, args.naive_limit)
        print(f"done N={n}", file=sys.stderr)
    if args.region:
        rows.append(region(args.region, args.jobs))
    if args.features != "skip":
        rows += features(args.features)
    RESULTS.mkdir(exist_ok=True)
    table = table_rows(rows)
    checked = verdicts(rows)
    lines = [v.line() for v in checked]
    meta = {
        "machine": f"{platform.node()} {os.cpu_count()} cores, {platform.python_version()}",
        "jobs": args.jobs,
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    (RESULTS / "latest.json").write_text(
        json.dumps(
            {"meta": meta, "rows": table, "targets": lines, "verdicts": [asdict(v) for v in checked]},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    with (RESULTS / "latest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    print("| N | what | seconds | CPU, s | files/s | peak RSS, MB | × floor | × naive |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for row in table:
        print(
            f"| {row['n']} | {row['what']} | {row['seconds']} | {row['cpu_seconds']} | {row['files_per_second']} | {row['peak_rss_mb']} | "
            f"{row['vs_floor'] if row['vs_floor'] is not None else ''} | {row['vs_naive'] if row['vs_naive'] is not None else ''} |"
        )
    print()
    print("\n".join(lines))
    if args.readme:
        from readme_table import update_readme

        update_readme(table, checked, meta)


if __name__ == "__main__":
    main()

"""Times the Word documents (issue 11) at N schools: report.docx, order.docx and the letters.

    python benchmarks/documents.py                  # N = 600 (the issue's budget: < 15 s on 2 cores)
    python benchmarks/documents.py -n 24 600 2000 --repeat 3

The forms are the generator's synthetic district (``benchmarks/data/N/``, made once with
``generate.py`` when absent). ``score --no-cards`` scores them once into a temporary
results.json; then, in a fresh process per N, the view is built and the documents written
as ``score`` writes them, each stage on its own: the charts as PNG (shared with
report.html in a real run), report.docx, order.docx, and the letters (a letter per school
and letters.docx with all of them). Each time is the best of ``--repeat`` (the machine
may be shared: the best is the least disturbed). Rows go to ``results/documents.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "documents.csv"
TARGET_SECONDS = 15.0  # issue 11 and 15: every Word document for 600 schools on 2 cores
STAGES = ("view", "charts", "report.docx", "order.docx", "letters")


def _forms(n: int) -> Path:
    folder = HERE / "data" / str(n)
    if not folder.is_dir():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(folder)], check=True)
    return folder


def _score(forms: Path, out: Path) -> Path:
    command = [
        sys.executable,
        "-m",
        "vosp_monitor",
        "score",
        str(forms),
        "-o",
        str(out),
        "--no-cards",
        "--quiet",
    ]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return out / "results.json"


def measure(results_json: Path, repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` seconds per stage (run in a fresh process by :func:`main`), each
    stage called as ``writers.render.render_all`` calls it."""
    from vosp_monitor.analysis.stored import read_results_json
    from vosp_monitor.report.view import build_view
    from vosp_monitor.writers.charts.chart_set import district_charts
    from vosp_monitor.writers.docx import documents as docs
    from vosp_monitor.writers.html_md.report import spravka
    from vosp_monitor.writers.markup.source import Templates, document_context

    results = read_results_json(results_json)
    best = dict.fromkeys(STAGES, float("inf"))
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            times: dict[str, float] = {}
            start = time.perf_counter()
            view = build_view(results, cards=True)
            times["view"] = time.perf_counter() - start
            start = time.perf_counter()
            png = district_charts(view, png=True).png
            times["charts"] = time.perf_counter() - start
            context = document_context(view, results)
            start = time.perf_counter()
            docs.write_spravka_docx(spravka(view, results, Templates(None)), png, out, None)
            times["report.docx"] = time.perf_counter() - start  # the справка's text, then its Word layout
            start = time.perf_counter()
            docs.write_order(context, out, None)
            times["order.docx"] = time.perf_counter() - start
            start = time.perf_counter()
            docs.write_letters(results, view, context, out, None)
            times["letters"] = time.perf_counter() - start
        best = {stage: min(best[stage], times[stage]) for stage in STAGES}
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--sizes", type=int, nargs="+", default=[600])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # child: measure this results.json
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.repeat)))
        return
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            results_json = _score(_forms(n), Path(tmp) / "out")
            child = [sys.executable, __file__, "--one", str(results_json), "--repeat", str(args.repeat)]
            times = json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout)
        total = sum(times[s] for s in STAGES)
        rows.append({"n": n, **{s: round(times[s], 3) for s in STAGES}, "total": round(total, 3)})
        verdict = (
            ""
            if n != 600
            else (" — met" if total < TARGET_SECONDS else f" — MISSED by {total - TARGET_SECONDS:.1f} s")
        )
        print(
            f"{n} schools: "
            + ", ".join(f"{s} {times[s]:.2f} s" for s in STAGES)
            + f"; total {total:.2f} s{verdict}"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    with RESULTS.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()

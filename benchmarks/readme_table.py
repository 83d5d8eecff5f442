"""The «Производительность» table and targets of benchmarks/README.md, written from one run of the kit.

``run.py --readme`` calls :func:`update_readme` with the rows it wrote to results/latest.csv
and its verdicts; the text between the two markers below is replaced, the rest of the
section (how to read it, where the time goes) is the file's own. (The project's README.md
gives users the gist in a few lines and points here.)

    python benchmarks/readme_table.py     # again from results/latest.json, without measuring
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
START, END = "<!-- performance table: benchmarks/run.py --readme -->", "<!-- end of performance table -->"
SIZES_WHAT = {
    "floor": "floor (calamine)",
    "validate": "vosp validate",
    "score": "vosp score",
}


# The kit's target labels, as the README says them.
LABELS = {
    "vosp-monitor --help": "`vosp-monitor --help`",
    "a district of 24 schools, everything (score --schools)": "район, 24 школы, всё (`score --schools`)",
    "N=600: Word documents (documents.py)": "600 школ: документы Word (`documents.py`)",
    "N=2000: --previous, 2 years: added (dynamics.py)": "2 000 школ: `--previous` с двумя годами добавляет (`dynamics.py`)",
    "N=600: robustness, 1000 runs (uncertainty.py)": "600 школ: 1 000 пересчётов устойчивости (`uncertainty.py`)",
    "N=600: score, every document": "600 школ: `score`, все документы",
    "N=2000: validate / floor, CPU time per form": "2 000 школ: `validate` / пол, время процессора на форму",
    "N=40000: validate / floor, CPU time per form": "40 000 школ: `validate` / пол, время процессора на форму",
    "N=2000: validate − 1.5×floor (fixed cost)": "2 000 школ: `validate` − 1,5× пола (постоянные затраты)",
    "N=40000: validate / floor (reading and validation)": "40 000 школ: чтение и проверка (`validate`) / пол",
    "N=40000: score / floor": "40 000 школ: `score` / пол",
    "N=40000: peak RSS of score": "40 000 школ: пик памяти `score`",
    "N=40000: score / naive": "40 000 школ: `score` / наивный скрипт",
}


def _int(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0") if value >= 1000 else str(value)


def _num(value: float, digits: int = 2) -> str:
    """Russian style: decimal comma, thin groups of thousands, no useless zeros."""
    if value >= 100:
        text = f"{value:,.0f}".replace(",", "\u00a0")
    elif value >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.{digits}f}"
    return text.replace(".", ",")


def table_text(rows: list[dict[str, Any]], verdicts: list[Any], meta: dict[str, Any]) -> str:
    by = {(r["n"], r["what"]): r for r in rows}
    sizes = sorted({r["n"] for r in rows if r["what"] == "floor (calamine)"})
    lines = [
        f"Измерено командой `python benchmarks/run.py --readme` ({meta['date']}, {meta['machine']}, "
        f"`--jobs {meta['jobs']}`); все числа — `benchmarks/results/latest.csv`.",
        "",
        "| школ | пол, с | наивный скрипт, с | `validate`, с | `validate` / пол | `score` (всё записано), с "
        "| `score` / пол | `score` / наивный | пик памяти `score`, МБ |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        floor, validate, score = (by.get((n, SIZES_WHAT[k])) for k in ("floor", "validate", "score"))
        naive = next((r for r in rows if r["n"] == n and r["what"].startswith("naive")), None)
        if not (floor and validate and score and naive):
            continue
        approx = "≈" if "extrapolated" in naive["what"] else ""
        lines.append(
            f"| {_int(n)} | {_num(floor['seconds'])} | {approx}{_num(naive['seconds'])} | {_num(validate['seconds'])} "
            f"| {_num(validate['vs_floor'])} | {_num(score['seconds'])} | {_num(score['vs_floor'])} "
            f"| {_num(score['vs_naive'], 3)} | {_num(score['peak_rss_mb'])} |"
        )
    region = next((r for r in rows if r["what"].startswith("score region")), None)
    if region:
        lines += [
            "",
            f"Регион: {_int(region['n'])} школ в 40 муниципалитетах, все документы (`score --schools`: справка, "
            f"приказ и письма органам управления региона, комплект каждого муниципалитета, письма и карточки "
            f"школ) — {_num(region['seconds'])} с, процессор {_num(region.get('cpu_seconds', 0.0))} с, "
            f"пик памяти {_num(region['peak_rss_mb'])} МБ (цели у этой строки нет).",
        ]
    lines += ["", "| цель | измерено | предел | итог |", "|---|---:|---:|---|"]
    for v in verdicts:
        unit = v.unit.strip() or ""
        unit = {"s": "с", "MB": "МБ", "×": "×"}.get(unit, unit)
        sep = "" if unit == "×" else "\u00a0"
        outcome = (
            f"достигнута, запас {_num(v.limit - v.value)}{sep}{unit}"
            if v.met
            else f"**не достигнута**: больше на {_num(v.value - v.limit)}{sep}{unit}"
        )
        lines.append(
            f"| {LABELS.get(v.label, v.label)} | {_num(v.value)}{sep}{unit} | {_num(v.limit)}{sep}{unit} | {outcome} |"
        )
    return "\n".join(lines)


def update_readme(rows: list[dict[str, Any]], verdicts: list[Any], meta: dict[str, Any]) -> None:
    text = README.read_text(encoding="utf-8")
    block = f"{START}\n{table_text(rows, verdicts, meta)}\n{END}"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        sys.exit(f"{README} has no {START!r} … {END!r} block to replace")
    README.write_text(pattern.sub(lambda _m: block, text), encoding="utf-8")


def main() -> None:
    sys.path.insert(0, str(HERE))
    from run import Verdict

    data = json.loads((HERE / "results" / "latest.json").read_text(encoding="utf-8"))
    verdicts = [Verdict(**v) for v in data["verdicts"]]
    update_readme(data["rows"], verdicts, data["meta"])


if __name__ == "__main__":
    main()

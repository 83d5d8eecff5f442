"""What computed indicators cost: 20 computed indicators against plain indicators, two ways.

    python benchmarks/computed.py                       # 2 000 forms, 5 rounds, 2 jobs
    python benchmarks/computed.py -n 2000 --rounds 7 --save benchmarks/results/computed

Three configs of the same four blocks. ``computed``: 20 indicators computed by the formulas
real regional sets use (``type: computed``), five times each — a survey share
(r1 + r2) / R × 100 with a check r1 + r2 ≤ R and R = 0 not applicable, points per level
capped at 15, a rating per participant (5·I + 3·II + III) / N with a check, a rate per 100
pupils from the school's own number of pupils: 55 inputs the school types. Against it:

* ``values`` — the same 20 indicators, the school typing each value itself (``type:
  number``, the same scoring, ``missing`` and ranges): what computing saves the school; its
  form has 20 typed cells against 55, so reading it is cheaper in proportion;
* ``cells`` — the same 55 numbers typed as 55 plain indicators (``type: count``, scored
  linearly): the same form size, so the difference is what computing itself costs
  (formulas, checks, the values audit in the outputs).

Each gets ``N`` synthetic forms (``generate.py``: the tool's own form, values patched into
its XML), read by ``vosp-monitor validate DIR -c CONFIG --jobs J --quiet`` and scored by
``vosp-monitor score DIR -c CONFIG -o TMP --jobs J --no-cards --quiet``, a run of each config
in turn (the order rotating), ``--rounds`` times.

The machine is shared, so a single run means little: the figure is the median wall time
of each config over the rounds, and the ratio of the medians; the median of the per-round
ratios, the least times and the CPU time of each run's whole process tree (user + system,
from ``getrusage``: less disturbed by other work than the wall time) are saved beside them. Target (issue 27): the computed
config within 10 % of the plain one for 2 000 forms.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import resource  # CPU time of the process tree (Linux, macOS: where the benchmarks run)
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402  (benchmarks/ is not a package)
from run import CLI, Measure, measure  # noqa: E402

from vosp_monitor.config import parse_config  # noqa: E402

HEAD = """\
monitoring: {id: bench-computed, title: Вычисляемые показатели, form_version: "1"}
school_fields:
  - {key: code, label: Код ОО, role: key}
  - {key: name, label: Наименование, role: name}
  - {key: students, label: Численность обучающихся, type: integer, role: contingent, min: 1, max: 2000}
blocks:
"""
# (computed part, plain part, scoring and common keys) of the four kinds of indicator
KINDS = (
    (
        "inputs: [{key: r1, label: Полностью}, {key: r2, label: Скорее}, {key: R, label: Всего ответивших}]\n"
        "formula: (r1 + r2) / R * 100\nchecks: [{rule: r1 + r2 <= R}]\n",
        'unit: "%"\nmax: 100\nmissing: not_applicable\n'
        "scoring: {method: bands, bands: [{from: 0, to: 50, points: 0}, {from: 50, to: 80, points: 1}, {from: 80, to: null, points: 2}]}\n",
    ),
    (
        "inputs: [{key: mun, label: Муниципальные}, {key: reg, label: Региональные}, {key: intl, label: Международные}]\n"
        "formula: mun + 2 * reg + min(5 * intl, 15)\n",
        "scoring: {method: best}\n",
    ),
    (
        "inputs: [{key: I, label: I место}, {key: II, label: II место}, {key: III, label: III место}, {key: N, label: Участников}]\n"
        "formula: round((5 * I + 3 * II + III) / N, 3)\nchecks: [{rule: I + II + III <= N}]\n",
        "max: 5\nmissing: zero\nscoring: {method: linear, low: 0, high: 3}\n",
    ),
    (
        "inputs: [{key: events, label: Мероприятий}]\nformula: events / students * 100\n",
        "scoring: {method: linear, low: 0, high: 10}\n",
    ),
)
COUNT = 20


def config_text(kind: str) -> str:
    """The four blocks of ``kind`` (``computed``, ``values`` or ``cells``: the module docstring)."""
    lines = [HEAD]
    for block in range(4):
        lines.append(f"  - id: B{block}\n    title: Блок {block}\n    indicators:\n")
        for k in range(COUNT // 4):
            number = block * (COUNT // 4) + k
            inputs, common = KINDS[number % len(KINDS)]
            if kind == "cells":
                for key in re.findall(r"key: (\w+)", inputs):
                    body = f"code: I-{number}-{key}\ntitle: Показатель {number}, {key}\ntype: count\n"
                    body += "scoring: {method: linear, low: 0, high: 60}\n"
                    lines.append("      - " + body.replace("\n", "\n        ").rstrip() + "\n")
                continue
            body = f"code: I-{number}\ntitle: Показатель {number}\n"
            body += ("type: computed\n" + inputs) if kind == "computed" else "type: number\n"
            body += common
            lines.append("      - " + body.replace("\n", "\n        ").rstrip() + "\n")
    return "".join(lines)


def score(folder: Path, config: Path, n: int, jobs: int, what: str, command: str) -> tuple[Measure, float]:
    """The run's wall time (and memory) and the CPU time of its whole process tree (user + system:
    what other work on a shared machine disturbs far less than the wall time)."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [*CLI, command, str(folder), "-c", str(config), "--jobs", str(jobs), "--quiet"]
        if command == "score":
            args += ["-o", f"{tmp}/out", "--no-cards"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        m = measure(args, n, what)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return m, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--save", type=Path, default=None, help="write PATH.csv and PATH.json")
    args = parser.parse_args(argv)
    rows: list[dict[str, object]] = []
    kinds = ("values", "cells", "computed")
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        configs: dict[str, Path] = {}
        for kind in kinds:
            text = config_text(kind)
            configs[kind] = root / f"{kind}.yaml"
            configs[kind].write_text(text, encoding="utf-8")
            generate(parse_config(text), args.n, root / kind, seed=27)  # a config an analyst could write
            print(f"{kind}: {args.n} forms generated", file=sys.stderr)
        for command in ("validate", "score"):
            times: dict[str, list[float]] = {kind: [] for kind in kinds}
            cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
            for round_ in range(args.rounds):
                shift = round_ % len(kinds)
                for kind in kinds[shift:] + kinds[:shift]:
                    m, seconds = score(
                        root / kind, configs[kind], args.n, args.jobs, f"{command} {kind}", command
                    )
                    if m.exit_code not in (0, 1):
                        raise SystemExit(f"{command} {kind} failed: exit code {m.exit_code}")
                    times[kind].append(m.seconds)
                    cpu[kind].append(round(seconds, 3))
                    print(
                        f"  {command} {kind}: {m.seconds:.2f} s, CPU {seconds:.2f} s, {m.peak_rss_mb:.0f} MB",
                        file=sys.stderr,
                    )
            computed = statistics.median(times["computed"])
            computed_cpu = statistics.median(cpu["computed"])
            for plain in ("values", "cells"):
                base = statistics.median(times[plain])
                base_cpu = statistics.median(cpu[plain])
                ratios = [c / p for p, c in zip(times[plain], times["computed"], strict=True)]
                rows.append(
                    {
                        "command": command,
                        "against": plain,
                        "forms": args.n,
                        "jobs": args.jobs,
                        "rounds": args.rounds,
                        "plain_median_s": round(base, 3),
                        "computed_median_s": round(computed, 3),
                        "ratio_of_medians": round(computed / base, 4),
                        "median_of_ratios": round(statistics.median(ratios), 4),
                        "plain_cpu_median_s": round(base_cpu, 3),
                        "computed_cpu_median_s": round(computed_cpu, 3),
                        "cpu_ratio_of_medians": round(computed_cpu / base_cpu, 4),
                        "plain_min_s": round(min(times[plain]), 3),
                        "computed_min_s": round(min(times["computed"]), 3),
                        "plain_runs_s": times[plain],
                        "computed_runs_s": times["computed"],
                        "plain_cpu_runs_s": cpu[plain],
                        "computed_cpu_runs_s": cpu["computed"],
                    }
                )
    for row in rows:
        verdict = "met" if float(str(row["ratio_of_medians"])) <= 1.10 else "missed"
        print(
            f"{row['command']:8} {row['forms']} forms, against {row['against']}: plain {row['plain_median_s']} s, "
            f"computed {row['computed_median_s']} s (medians of {row['rounds']}); ratio {row['ratio_of_medians']} "
            f"(median of ratios {row['median_of_ratios']}); CPU {row['plain_cpu_median_s']} s → "
            f"{row['computed_cpu_median_s']} s, ratio {row['cpu_ratio_of_medians']}; target ≤ 1.10 — {verdict}"
        )
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.with_suffix(".json").write_text(
            json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        with args.save.with_suffix(".csv").open("w", encoding="utf-8", newline="") as handle:
            fields = [k for k in rows[0] if not k.endswith("runs_s")]
            writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()

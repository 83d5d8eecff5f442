"""Where computed indicators cost time: the stages of ``score`` that differ, timed in one process.

    python benchmarks/computed_parts.py               # 2 000 forms, 5 rounds
    python benchmarks/computed_parts.py -n 2000 --rounds 5 --save benchmarks/results/computed-parts

The three configs of ``computed.py`` (``values``, ``cells``, ``computed``) and their synthetic
forms; for each, in one process and in turn (the order rotating each round), the CPU time
(``time.process_time``: what other work on a shared machine disturbs least) of

* ``floor``: every cell of every form read by python-calamine (the kit's floor, in one
  process): what reading the larger form costs by itself, whoever reads it;
* ``read + check``: every form read and checked (``FormReader`` and ``Checker``, what a
  worker process does for each file);
* ``results``: scoring, ranking and the district analysis (``build_results``);
* ``tables``: ranking.xlsx (with «Вычисления» for computed indicators), the CSV files and
  results.json (``write_tables``).

The справка, the order, the charts and the process pool are the same for the three configs
(one more table in the методика aside) and are left to ``computed.py``, which times whole
``score`` runs. Medians over the rounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from computed import config_text  # noqa: E402  (benchmarks/ is not a package)
from generate import generate  # noqa: E402

from vosp_monitor.analysis import build_results  # noqa: E402
from vosp_monitor.config import parse_config  # noqa: E402
from vosp_monitor.ingest import RawForm  # noqa: E402
from vosp_monitor.ingest.reader import FormReader  # noqa: E402
from vosp_monitor.validate import Checker  # noqa: E402
from vosp_monitor.writers.tables import write_tables  # noqa: E402

KINDS = ("values", "cells", "computed")
STAGES = ("floor", "read + check", "results", "tables")


def _floor(paths: list[Path]) -> float:
    from python_calamine import CalamineWorkbook

    start = time.process_time()
    for path in paths:
        try:
            book = CalamineWorkbook.from_path(str(path))
        except Exception:  # the generator's broken files, as the kit's floor skips them
            continue
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        book.close()
    return time.process_time() - start


def _one_round(config: object, paths: list[Path], out: Path) -> dict[str, float]:
    floor = _floor(paths)
    reader, checker = FormReader(config), Checker(config)  # type: ignore[arg-type]
    start = time.process_time()
    subs = [checker.check(raw) for path in paths if isinstance(raw := reader.read(path, path.name), RawForm)]
    read = time.process_time()
    results = build_results(config, subs, uncertainty=False)  # type: ignore[arg-type]
    built = time.process_time()
    write_tables(results, out)
    tables = time.process_time() - built
    return {"floor": floor, "read + check": read - start, "results": built - read, "tables": tables}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--save", type=Path, default=None, help="write PATH.json")
    args = parser.parse_args(argv)
    times = {kind: {stage: [] for stage in STAGES} for kind in KINDS}  # type: dict[str, dict[str, list[float]]]
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        configs = {kind: parse_config(config_text(kind)) for kind in KINDS}
        paths = {kind: generate(configs[kind], args.n, root / kind, seed=27) for kind in KINDS}
        for round_ in range(args.rounds):
            shift = round_ % len(KINDS)
            for kind in KINDS[shift:] + KINDS[:shift]:
                out = root / f"out-{kind}-{round_}"
                out.mkdir()
                for stage, seconds in _one_round(configs[kind], paths[kind], out).items():
                    times[kind][stage].append(round(seconds, 3))
                print(f"  round {round_ + 1} {kind}: {[times[kind][s][-1] for s in STAGES]}", file=sys.stderr)
    medians = {kind: {stage: statistics.median(times[kind][stage]) for stage in STAGES} for kind in KINDS}
    print(f"{args.n} forms, CPU seconds (medians of {args.rounds}):")
    print(f"{'':12}" + "".join(f"{stage:>15}" for stage in (*STAGES, "all but floor")))
    for kind in KINDS:
        row = [medians[kind][stage] for stage in STAGES]
        print(f"{kind:12}" + "".join(f"{value:15.3f}" for value in (*row, sum(row[1:]))))
    total = {kind: sum(v for stage, v in medians[kind].items() if stage != "floor") for kind in KINDS}
    for plain in ("values", "cells"):
        floors = medians["computed"]["floor"] / medians[plain]["floor"]
        print(f"computed / {plain}: {total['computed'] / total[plain]:.3f} (the floor alone: {floors:.3f})")
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        data = {"forms": args.n, "rounds": args.rounds, "medians": medians, "runs": times}
        args.save.with_suffix(".json").write_text(
            json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8"
        )


if __name__ == "__main__":
    main()

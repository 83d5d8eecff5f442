"""Cost of reading one form: ``ingest.FormReader.read`` against the bare python-calamine floor.

The floor opens the workbook and converts every sheet to Python values, nothing else;
the reader adds the pre-flight checks, the extent check of each sheet it reads, the
cell-details pass (only when a cell it needs is empty) and locating rows by content. A
run builds one ``FormReader`` and reuses it; ``read_form`` (which builds one per call) is
timed too. Also reports the peak memory of rejecting a zip bomb. Run from the repository:

    python benchmarks/read_one.py [--repeat 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def floor(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    workbook.close()


def timed_pair(first, second, repeat: int) -> tuple[float, float]:
    """Median CPU time of two functions, interleaved so that both see the same machine load.

    CPU time (not wall time): the machine is shared, and waiting for a core is not the
    reader's cost.
    """
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for func, into in ((first, samples[0]), (second, samples[1])):
            start = time.process_time()
            func()
            into.append(time.process_time() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def details_cost(form: Path, repeat: int) -> float:
    """CPU time of the regex pass that restores error cells and formulas without a value.

    ``read_form`` runs it only when a cell that validation reads is empty (a filled form
    never needs it); this is its cost when it does run, on every sheet the form reads.
    """
    from vosp_monitor import layout
    from vosp_monitor.ingest import preflight
    from vosp_monitor.ingest.book import Book

    data = form.read_bytes()
    package = preflight.inspect_zip(data)
    book = Book(data, package)
    sheets = [
        name
        for name in book.names
        if name in package.sheet_parts
        and (
            layout.is_sheet(name, layout.SHEET_INDICATORS)
            or layout.is_sheet(name, layout.SHEET_FIELDS)
            or name == layout.SHEET_STAMP
        )
    ]
    for name in sheets:
        book.rows(name)
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        for name in sheets:
            book.details_of(name)
        samples.append(time.process_time() - start)
    book.close()
    return statistics.median(samples)


def batch(form: Path, count: int, tmp: Path) -> None:
    """Wall time for ``count`` files: serial floor, serial read_form, and the pool (2 workers)."""
    import os
    import shutil

    import hostile
    from vosp_monitor.pipeline.pool import Done, map_isolated
    from workbooks import default_config

    folder = tmp / "batch"
    folder.mkdir()
    paths = [shutil.copy(form, folder / f"{i:05d}.xlsx") for i in range(count)]
    items = [(str(path), Path(path).name) for path in paths]
    config = default_config()
    start = time.perf_counter()
    for path in paths:
        floor(Path(path))
    t_floor = time.perf_counter() - start
    start = time.perf_counter()
    for item in items:
        hostile.read_in_worker(config, item)
    t_serial = time.perf_counter() - start
    start = time.perf_counter()
    outcomes = map_isolated(hostile.read_in_worker, items, context=config, jobs=2, memory_mb=400)
    t_pool = time.perf_counter() - start
    assert all(isinstance(o, Done) for o in outcomes)
    print(f"batch of {count} files (wall time, {os.cpu_count()} cores, shared machine):")
    print(f"  calamine floor, serial:       {t_floor:.2f} s")
    print(f"  read_form, serial:            {t_serial:.2f} s")
    print(f"  read_form, pool of 2 workers: {t_pool:.2f} s (incl. worker start-up)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--batch", type=int, default=0, help="also read N copies through the pool")
    args = parser.parse_args()

    import hostile
    from vosp_monitor.ingest import FormReader, RawForm, read_form
    from workbooks import default_config, fill_form, typical_school

    config = default_config()
    reader = FormReader(config)
    fixtures = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
    with tempfile.TemporaryDirectory() as tmp:
        written = fill_form(Path(tmp) / "0101.xlsx", config, *typical_school("0101", "Школа № 1"))
        forms = [
            ("openpyxl-written form", written),
            ("LibreOffice-saved form", fixtures / "form-libreoffice.xlsx"),
        ]
        print(f"median CPU time of {args.repeat} runs, interleaved")
        for label, form in forms:
            assert isinstance(reader.read(form, form.name), RawForm)
            t_floor, t_read = timed_pair(
                lambda form=form: floor(form),
                lambda form=form: reader.read(form, form.name),
                args.repeat,
            )
            t_reused, t_wrapper = timed_pair(
                lambda form=form: reader.read(form, form.name),
                lambda form=form: read_form(form, config, form.name),
                args.repeat,
            )
            t_details = details_cost(form, args.repeat)
            print(f"{label} ({form.stat().st_size / 1024:.1f} KB):")
            print(f"  calamine floor (open + all sheets): {t_floor * 1000:.3f} ms")
            print(
                f"  FormReader.read:                    {t_read * 1000:.3f} ms  ({t_read / t_floor:.2f}× the floor)"
            )
            print(
                f"  read_form (a new reader each call): {t_wrapper * 1000:.3f} ms  "
                f"(+{(t_wrapper - t_reused) * 1000:.3f} ms)"
            )
            print(f"    cell-details pass, when needed:   {t_details * 1000:.3f} ms")

        if args.batch:
            batch(written, args.batch, Path(tmp))
        bomb = hostile.zip_bomb(Path(tmp) / "bomb.xlsx")
        tracemalloc.start()
        start = time.perf_counter()
        problem = read_form(bomb, config, bomb.name)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"zip bomb: {bomb.stat().st_size / 1024:.0f} KB on disk → {problem.code} in {elapsed * 1000:.1f} ms, "
            f"peak Python memory {peak / 1024 / 1024:.1f} MB"
        )


if __name__ == "__main__":
    main()

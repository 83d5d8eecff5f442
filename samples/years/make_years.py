"""Generate the two earlier years of the sample district, for ``score --previous`` (run from anywhere).

    python samples/years/make_years.py

The same invented district as ``samples/make_samples.py`` (its schools and its way of
filling a form), one and two years earlier, with the changes a real district has:

* the schools were weaker (each by its own amount; two were stronger than now), and the
  share of teachers trained in «Воспитание обучающихся» (KR-1) grew from about 21 % to
  27 % and reaches the 30 % target only this year;
* indicators.yaml changed in 2024/2025: KR-7 was added and RES-2 got new bands (so
  between 2023/2024 and 2024/2025 RES-2's values compare, its points, the RES and KR
  blocks and the total do not); since then it is the same, so this year compares in full;
* «ООШ д. Небывальщина» had the code 0126 (0124 now), «ООШ д. Небылицыно» (0109) absorbed
  «НОШ д. Малое Небылицыно» (0127) this year, «НОШ с. Былое» (0128) closed, and
  «НОШ д. Тридевятое» (0119) opened this year — ``school-map.csv`` says the first two.

Each year is a consolidated table (``svod.csv``) and its indicators.yaml, scored by
vosp-monitor into ``results.json``; 2024/2025 is itself compared with 2023/2024, so its
results.json carries the series (next year's run given only that file still sees both
years). Dates and seeds are fixed: every run writes the same bytes (a test checks it).
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from vosp_monitor.config import Config, load_config, parse_config
from vosp_monitor.dynamics import load_baseline
from vosp_monitor.outputs import write_atomic, write_text_atomic
from vosp_monitor.pipeline import RunOptions, run
from vosp_monitor.results import write_results_json

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent
MAP_NAME = "school-map.csv"


def _make_samples() -> Any:
    """samples/make_samples.py, whose schools and way of filling forms these years share."""
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_samples", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Year:
    folder: str
    period: str
    form_version: str
    generated_at: str
    lift: float  # added to every school's strength (this year's) …
    kr1: float  # … and the share of KR-1's numerator kept
    old_framework: bool  # before KR-7 and RES-2's new bands


YEARS = (
    Year("2023-2024", "2023/2024 учебный год", "0.8", "2024-05-30T12:00:00+03:00", -0.2, 0.8, True),
    Year("2024-2025", "2024/2025 учебный год", "0.9", "2025-05-29T12:00:00+03:00", -0.1, 0.915, False),
)
# School by school: this year's strength plus the year's lift plus this; 0105 and 0122 were
# stronger than now, 0112 grew the most, 0103 and 0116 stayed where they were.
OWN_LIFT = {"0105": 0.3, "0122": 0.28, "0112": -0.12, "0101": 0.05, "0103": 0.1, "0116": 0.095}
RENAMED = {"0124": "0126"}  # code now → code then
MERGED_INTO = {"0109": ("0127", "МБОУ «НОШ д. Малое Небылицыно»", 19, 0.34)}  # absorbed school
CLOSED = ("0128", "МБОУ «НОШ с. Былое»", 16, 0.28)
OPENED = ("0119",)
OLD_RES2_BANDS = [
    {"from": 0, "to": 10, "points": 0},
    {"from": 10, "to": 20, "points": 1},
    {"from": 20, "to": None, "points": 2},
]


def year_config(year: Year) -> tuple[str, Config]:
    """The year's indicators.yaml: this year's, and in the old framework no KR-7 and RES-2's old bands."""
    data = yaml.safe_load((SAMPLES.parent / "indicators.yaml").read_text(encoding="utf-8"))
    data["monitoring"]["period"] = year.period
    data["monitoring"]["form_version"] = year.form_version
    if year.old_framework:  # no KR-7 yet, nor a measure for it
        data.get("documents", {}).get("measures", {}).pop("KR-7", None)
    for block in data["blocks"] if year.old_framework else ():
        block["indicators"] = [ind for ind in block.get("indicators", []) if ind["code"] != "KR-7"]
        for ind in block["indicators"]:
            if ind["code"] == "RES-2":
                ind["scoring"]["bands"] = OLD_RES2_BANDS
    text = "# Показатели мониторинга этого года (создано make_years.py)\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=100
    )
    return text, parse_config(text)


def year_profiles(samples: Any, year: Year) -> list[Any]:
    profiles = []
    for profile in samples.SCHOOLS:
        if profile.code in OPENED:
            continue
        strength = min(0.97, max(0.05, profile.strength + year.lift + OWN_LIFT.get(profile.code, 0.0)))
        profiles.append(replace(profile, code=RENAMED.get(profile.code, profile.code), strength=strength))
        if profile.code in MERGED_INTO:
            code, name, students, strength = MERGED_INTO[profile.code]
            profiles.append(
                replace(
                    profile,
                    code=code,
                    name=name,
                    students=students,
                    strength=strength,
                    school_type=samples.PRIMARY,
                )
            )
    code, name, students, strength = CLOSED
    profiles.append(replace(samples.SCHOOLS[10], code=code, name=name, students=students, strength=strength))
    return sorted(profiles, key=lambda p: p.code)


def _cell(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def write_table(path: Path, config: Config, rows: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    """The consolidated table: a column per field key and per input cell (``KR-1.numerator``)."""
    columns: list[tuple[str, str, str]] = [(f.key, "field", "") for f in config.school_fields]
    for ind in config.indicators():
        for part in ind.input_cells:
            columns.append((ind.code if part == "value" else f"{ind.code}.{part}", ind.code, part))

    def value_of(fields: dict[str, Any], values: dict[str, Any], column: tuple[str, str, str]) -> str:
        _header, code, part = column
        if code == "field":
            return _cell(fields[_header])
        given = values[code]
        if isinstance(given, dict):
            given = given.get("value", given.get("numerator"))
        if isinstance(given, tuple):
            given = given[0] if part == "numerator" else given[1]
        return _cell(given)

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow([header for header, _, _ in columns])
            for fields, values in rows:
                writer.writerow([value_of(fields, values, column) for column in columns])

    write_atomic(path, write)


def school_rows(samples: Any, config: Config, year: Year) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    rows = []
    for profile in year_profiles(samples, year):
        fields, values = samples.school_data(config, profile)
        fields["filled_on"] = fields["filled_on"].replace(year=int(year.generated_at[:4]))
        trained = values["KR-1"]["numerator"]
        values["KR-1"] = round(trained * year.kr1)
        rows.append((fields, {code: values[code] for code in (ind.code for ind in config.indicators())}))
    return rows


def main(out: Path = HERE) -> None:
    samples = _make_samples()
    written: list[Path] = []
    for year in YEARS:
        folder = out / year.folder
        folder.mkdir(parents=True, exist_ok=True)
        text, config = year_config(year)
        write_text_atomic(folder / "indicators.yaml", text)
        write_table(folder / "svod.csv", config, school_rows(samples, config, year))
        results = run(folder / "svod.csv", config, options=RunOptions(table=True, jobs=1))
        results.generated_at = year.generated_at
        results.source = f"samples/years/{year.folder}/svod.csv"
        label = config.monitoring.period
        baseline = load_baseline(written, None, config.monitoring.id, label)
        if baseline is not None:
            results.dynamics = baseline.compare(results)
        write_results_json(results, folder / "results.json")
        written.append(folder / "results.json")
    write_school_map(out / MAP_NAME)
    print(f"Записаны годы: {', '.join(y.period for y in YEARS)} и {MAP_NAME} → {out}")


def write_school_map(path: Path) -> None:
    """Last year's codes → this year's: the renamed school and the one merged into 0109."""

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(["Прежний код", "Новый код", "Что произошло"])
            for now, then in RENAMED.items():
                writer.writerow([then, now, "ОО получила новый код"])
            for now, (then, name, _students, _strength) in MERGED_INTO.items():
                writer.writerow([then, now, f"{name} присоединена к ОО {now}"])

    write_atomic(path, write)


if __name__ == "__main__":
    load_config()  # fail early when the package is not importable
    main()

"""A district over three years, built in code, for the year-over-year tests (every number by hand).

Two blocks (each «сумма баллов / максимум», the total their mean; levels низкий < 50 ≤
средний < 80 ≤ высокий):

* A: S — share of trained teachers, bands 0–10 → 0, 10–20 → 1, 20–30 → 2, ≥30 → 3,
  target 30 %, deficit = target missed; C — a count, bands (2023/2024) 0–1 → 0, 1–3 → 1,
  ≥3 → 2, from 2024/2025 0–2 → 0, 2–4 → 1, ≥4 → 2 (its points are not comparable
  across that change; its values are);
* B: Y — yes/no, 2 points for «да»; N — an expert mark 0–3, added in 2024/2025.

Schools: 2023/2024 — 1, 2, 3, 4, 9; 2024/2025 — 1, 2, 3, 4, 5, 6, 9; 2025/2026 — 1, 2,
3, 40 (school 4 with a new code), 5 (schools 5 and 6 merged), 7 (new); 9 closed. The
school map: 4 → 40, 6 → 5. Pooled S: 21/100 = 21 %, 27/100 = 27 %, 33/100 = 33 % — the
target is reached in the third year.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from scoring_helpers import school
from vosp_monitor.analysis import build_results
from vosp_monitor.config import Config, parse_config
from vosp_monitor.results import Results, write_results_json

PERIODS = ("2023/2024 учебный год", "2024/2025 учебный год", "2025/2026 учебный год")
OLD_C_BANDS = [
    {"from": 0, "to": 1, "points": 0},
    {"from": 1, "to": 3, "points": 1},
    {"from": 3, "to": None, "points": 2},
]
NEW_C_BANDS = [
    {"from": 0, "to": 2, "points": 0},
    {"from": 2, "to": 4, "points": 1},
    {"from": 4, "to": None, "points": 2},
]

# code → (S numerator, S denominator, C, Y, N); N is absent in the first year
YEAR_1 = {"1": (5, 20, 3, 1), "2": (2, 20, 0, 0), "3": (6, 20, 2, 1), "4": (4, 20, 1, 0), "9": (4, 20, 4, 1)}
YEAR_2 = {
    "1": (6, 20, 4, 1, 3),
    "2": (3, 20, 1, 0, 1),
    "3": (7, 20, 3, 1, 2),
    "4": (3, 10, 2, 1, 2),
    "5": (2, 10, 2, 0, 1),
    "6": (2, 10, 0, 0, 0),
    "9": (4, 10, 5, 1, 3),
}
YEAR_3 = {
    "1": (8, 20, 4, 1, 3),
    "2": (4, 20, 3, 1, 2),
    "3": (7, 20, 3, 1, 2),
    "40": (4, 10, 1, 0, 1),
    "5": (6, 20, 2, 1, 2),
    "7": (4, 10, 4, 0, 1),
}
SCHOOL_MAP = "Прежний код;Новый код\r\n4;40\r\n6;5\r\n"


def year_config(year: int, **dynamics: float) -> Config:
    """The framework of year 1, 2 or 3 (years 2 and 3 are the same but for the period)."""
    return parse_config(year_yaml(year, **dynamics))


def year_yaml(year: int, **dynamics: float) -> str:
    """indicators.yaml of year 1, 2 or 3."""
    s = {
        "code": "S",
        "title": "Доля педагогов, прошедших КПК",
        "type": "share",
        "unit": "%",
        "numerator": "прошли КПК",
        "denominator": "педагогов",
        "target": 30,
        "deficit": {"target_missed": True},
        "scoring": {
            "method": "bands",
            "bands": [
                {"from": 0, "to": 10, "points": 0},
                {"from": 10, "to": 20, "points": 1},
                {"from": 20, "to": 30, "points": 2},
                {"from": 30, "to": None, "points": 3},
            ],
        },
    }
    c = {
        "code": "C",
        "title": "Число мероприятий",
        "type": "count",
        "unit": "ед.",
        "scoring": {"method": "bands", "bands": OLD_C_BANDS if year == 1 else NEW_C_BANDS},
    }
    y = {
        "code": "Y",
        "title": "Положение принято",
        "type": "yesno",
        "scoring": {"method": "yesno", "yes_points": 2},
    }
    n = {"code": "N", "title": "Экспертная оценка", "type": "mark", "max_mark": 3}
    data: dict[str, Any] = {
        "monitoring": {"id": "test", "title": "Тест", "form_version": str(year), "period": PERIODS[year - 1]},
        "school_fields": [
            {"key": "code", "label": "Код ОО", "role": "key"},
            {"key": "name", "label": "Наименование", "role": "name"},
        ],
        "scoring": {"aggregation": "arithmetic"},
        "blocks": [
            {"id": "A", "title": "Блок A", "aggregation": "percent_of_max", "indicators": [s, c]},
            {
                "id": "B",
                "title": "Блок B",
                "aggregation": "percent_of_max",
                "indicators": [y] if year == 1 else [y, n],
            },
        ],
    }
    if dynamics:
        data["dynamics"] = dynamics
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def year_results(year: int, **dynamics: float) -> Results:
    config = year_config(year, **dynamics)
    table = (YEAR_1, YEAR_2, YEAR_3)[year - 1]
    subs = []
    for code, row in table.items():
        values: dict[str, Any] = {"S": (row[0], row[1]), "C": row[2], "Y": row[3]}
        if year > 1:
            values["N"] = row[4]
        subs.append(school(code, values))
    results = build_results(config, subs, source=f"year{year}")
    results.generated_at = dt.datetime(2023 + year, 5, 30, 12, 0).isoformat()
    return results


def write_years(folder: Path, years: tuple[int, ...] = (1, 2)) -> list[Path]:
    """results.json of the given years in ``folder/yN/``; year 2 compared with year 1 when both are."""
    from vosp_monitor.dynamics import load_baseline

    written: list[Path] = []
    for year in years:
        results = year_results(year)
        baseline = load_baseline(written, None, "test", PERIODS[year - 1])
        if baseline is not None:
            results.dynamics = baseline.compare(results)
        path = folder / f"y{year}" / "results.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_results_json(results, path)
        written.append(path)
    return written


def compared_third_year(folder: Path) -> Results:
    """Year 3 compared with year 2 (and the series from year 1), with the school map."""
    from vosp_monitor.dynamics import PreviousYear, compare_years, read_school_map

    (folder / "map.csv").write_text(SCHOOL_MAP, encoding="utf-8")
    years = [PreviousYear(PERIODS[k - 1], Path(f"y{k}.json"), year_results(k)) for k in (1, 2)]
    results = year_results(3)
    results.dynamics = compare_years(results, years, read_school_map(folder / "map.csv"))
    return results

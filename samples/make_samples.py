"""Generate the bundled samples: a fictional district of 24 schools (run from anywhere).

    python samples/make_samples.py

Every school, place and person here is invented («Вымышленский район», «р.п. Вымышленное»,
«с. Небывалово» …). The data are plausible and varied (a strong gymnasium, small rural
schools, a few weak schools), drawn from a fixed seed, and written with the tool's own
form writer, so the files are byte-for-byte the same on every run. Exactly three files
carry the mistakes that schools really make; ``README.md`` lists them, cell by cell.
Two clean schools typed a number as text («72,5») or «Да» with a capital letter: those
are normalisations the tool reports as notes, not errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tools/ (the form filler) is not in the wheel

from tools.formfill import fill_workbook, locate_inputs

from vosp_monitor.config import Config, IndicatorType, load_config
from vosp_monitor.form import build_form, save_workbook
from vosp_monitor.outputs import write_atomic, write_text_atomic

HERE = Path(__file__).resolve().parent
SEED = 2026
GENERATED = dt.date(2026, 5, 12)  # the date the district sent out the form
SAVED_AT = dt.datetime(2026, 5, 29, 16, 0)  # fixed file timestamps → identical bytes
DISTRICT = "Вымышленский муниципальный район"
FORMS = "forms"  # the filled forms, in a folder of their own


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    school_type: str
    locality: str
    students: int
    strength: float  # 0 (weak) … 1 (strong): drives every indicator, with noise


MAIN, BASIC, PRIMARY, GYM, BOARDING = (
    "Средняя школа",
    "Основная школа",
    "Начальная школа",
    "Гимназия, лицей",
    "Школа-интернат",
)
TOWN, VILLAGE = "город", "село"

SCHOOLS = (
    Profile("0101", "МБОУ «СОШ № 1 р.п. Вымышленное»", MAIN, TOWN, 812, 0.78),
    Profile("0102", "МБОУ «СОШ № 2 р.п. Вымышленное»", MAIN, TOWN, 640, 0.62),
    Profile("0103", "МБОУ «Гимназия имени Небывалова р.п. Вымышленное»", GYM, TOWN, 905, 0.92),
    Profile("0104", "МБОУ «Лицей „Придуманный“ р.п. Вымышленное»", GYM, TOWN, 540, 0.86),
    Profile("0105", "МБОУ «СОШ № 3 р.п. Вымышленное»", MAIN, TOWN, 455, 0.33),
    Profile("0106", "МБОУ «СОШ с. Небывалово»", MAIN, VILLAGE, 214, 0.58),
    Profile("0107", "МБОУ «СОШ с. Выдуманка»", MAIN, VILLAGE, 176, 0.47),
    Profile("0108", "МБОУ «ООШ с. Сказочное»", BASIC, VILLAGE, 64, 0.52),
    Profile("0109", "МБОУ «ООШ д. Небылицыно»", BASIC, VILLAGE, 38, 0.24),
    Profile("0110", "МБОУ «СОШ с. Условное»", MAIN, VILLAGE, 248, 0.71),
    Profile("0111", "МБОУ «НОШ д. Примерная»", PRIMARY, VILLAGE, 22, 0.41),
    Profile("0112", "МБОУ «СОШ с. Понарошку»", MAIN, VILLAGE, 197, 0.55),
    Profile("0113", "МБОУ «ООШ с. Мнимое»", BASIC, VILLAGE, 71, 0.36),
    Profile("0114", "МБОУ «СОШ с. Фантазёрово»", MAIN, VILLAGE, 163, 0.66),
    Profile("0115", "МБОУ «СОШ с. Химерино»", MAIN, VILLAGE, 139, 0.44),
    Profile("0116", "ГКОУ «Школа-интернат с. Небывалово»", BOARDING, VILLAGE, 118, 0.5),
    Profile("0117", "МБОУ «ООШ д. Вообразилово»", BASIC, VILLAGE, 45, 0.3),
    Profile("0118", "МБОУ «СОШ с. Сочинёнки»", MAIN, VILLAGE, 231, 0.74),
    Profile("0119", "МБОУ «НОШ д. Тридевятое»", PRIMARY, VILLAGE, 18, 0.46),
    Profile("0120", "МБОУ «СОШ с. Тридесятое»", MAIN, VILLAGE, 188, 0.6),
    Profile("0121", "МБОУ «СОШ № 4 р.п. Вымышленное»", MAIN, TOWN, 702, 0.69),
    Profile("0122", "МБОУ «ООШ с. Кудыкино»", BASIC, VILLAGE, 57, 0.2),
    Profile("0123", "МБОУ «СОШ с. Лукоморье»", MAIN, VILLAGE, 205, 0.82),
    Profile("0124", "МБОУ «ООШ д. Небывальщина»", BASIC, VILLAGE, 49, 0.39),
)
NOT_SUBMITTED = Profile("0125", "МБОУ «ООШ д. Забытое»", BASIC, VILLAGE, 31, 0.3)

# The three planted mistakes: school, sheet, (indicator code or field key, input part or
# None for a field), what is written there, how README shows it, what is wrong.
PLANTED = (
    (
        "0107",
        "Показатели",
        ("RES-5", "numerator"),
        (5, 3),
        "5 (знаменатель в F — 3)",
        "числитель больше знаменателя: снято с учёта 5 из 3 состоявших",
    ),
    ("0115", "Показатели", ("UPR-4", "value"), "нет данных", "«нет данных»", "слово вместо числа"),
    ("0121", "Сведения об ОО", ("teachers", None), None, "пусто", "не заполнено обязательное поле"),
)
# Typed-as-text values in clean schools: normalised with a note, not errors.
TYPED = {"0104": {"ROD-3": "72,5"}, "0110": {"KR-5": "Да"}}

SURNAMES = (
    "Небывалова",
    "Придумкин",
    "Сказкина",
    "Вымыслов",
    "Фантазина",
    "Мечтаев",
    "Выдумова",
    "Небылицын",
)
INITIALS = ("А. А.", "В. С.", "Е. Н.", "И. П.", "М. Ю.", "Н. В.", "О. Г.", "Т. К.")


def main(out: Path = HERE) -> None:
    """Write the forms into ``out/forms``, ``registry.csv`` and ``README.md`` into ``out`` (the samples folder).

    The forms have a folder of their own so that a run over it reads forms only (the
    registry, this script and the README beside them are not forms to report as skipped).
    """
    config = load_config()
    (out / FORMS).mkdir(parents=True, exist_ok=True)
    district = [(profile, school_data(config, profile)) for profile in SCHOOLS]
    check_no_outliers(config, [data for profile, data in district if profile.code not in _planted_codes()])
    locations = {}
    for profile, (fields, values) in district:
        fields, values = dict(fields), dict(values)
        values.update(TYPED.get(profile.code, {}))
        for code, _sheet, (target, part), value, *_ in PLANTED:
            if code == profile.code:
                (fields if part is None else values)[target] = value
        workbook = build_form(config, generated=GENERATED)
        fill_workbook(workbook, config, fields, values)
        locations[profile.code] = locate_inputs(workbook)
        save_workbook(workbook, out / FORMS / f"{profile.code}.xlsx", moment=SAVED_AT)
    write_registry(out / "registry.csv")
    write_text_atomic(out / "README.md", readme(config, district, locations))
    print(f"Записано форм: {len(district)} в {FORMS}/, реестр: registry.csv, описание: README.md → {out}")


def _planted_codes() -> set[str]:
    return {code for code, *_ in PLANTED}


def school_data(config: Config, profile: Profile) -> tuple[dict[str, object], dict[str, object]]:
    """Plausible fields and values for one school; the same on every run."""
    rng = random.Random(f"{SEED}-{profile.code}")
    s = profile.strength

    def pick(low: float, high: float, spread: float = 0.12) -> float:
        """A value between low and high, higher for stronger schools, with noise."""
        t = min(1.0, max(0.0, s + rng.uniform(-spread, spread)))
        return low + (high - low) * t

    def share(total: int, low: float, high: float) -> int:
        return min(total, max(0, round(total * pick(low, high) / 100)))

    def option(code: str, ladder: tuple[float, ...]) -> str:
        labels = [o.label for o in config.indicator(code).options or []]
        level = sum(pick(0, 1, 0.2) >= step for step in ladder)
        return labels[min(level, len(labels) - 1)]

    students = profile.students
    small = students < 80
    teachers = max(6, round(students / (14 if profile.locality == TOWN else 9) + rng.randint(0, 3)))
    if profile.school_type == PRIMARY:
        class_teachers = min(teachers - 1, 2 + rng.randint(0, 1))
    else:
        class_teachers = min(teachers - 2, max(5, round(students / 24)))
    families = max(1, round(students * rng.uniform(0.74, 0.86)))
    on_register = 0 if small and rng.random() < 0.6 else round(students * pick(2.2, 0.2) / 100)
    registered_in_year = on_register + (rng.randint(0, 2) if students > 100 else 0)
    removed = min(registered_in_year, round(registered_in_year * pick(0.15, 0.7, 0.2)))
    surveyed = max(5, round(families * rng.uniform(0.35, 0.7)))
    fields: dict[str, object] = {
        "code": profile.code,
        "name": profile.name,
        "school_type": profile.school_type,
        "locality": profile.locality,
        "students": students,
        "teachers": teachers,
        "class_teachers": class_teachers,
        "families": families,
        "head": f"{rng.choice(SURNAMES)} {rng.choice(INITIALS)}",
        "filled_by": f"{rng.choice(SURNAMES)} {rng.choice(INITIALS)}, 8 (800) 000-01-{profile.code[-2:]}",
        "filled_on": GENERATED + dt.timedelta(days=rng.randint(3, 16)),
    }
    values: dict[str, object] = {
        "UPR-1": option("UPR-1", (0.05, 0.4)),
        "UPR-2": 0 if small and s < 0.4 else min(3, 1 + round(pick(0, 2)) + (students > 400)),
        "UPR-3": round(pick(0, 5)),
        "UPR-4": round(pick(2, 14)),
        "UPR-5": share(students, 45, 92),
        "RES-1": share(students, 22, 75),
        "RES-2": share(students, 4, 28),
        "RES-3": share(students, 25, 80),
        "RES-4": on_register,
        "RES-5": (removed, registered_in_year),
        "RES-6": max(0, round(pick(2.4, 0))),
        "ROD-1": option("ROD-1", (0.1, 0.45)),
        "ROD-2": share(families, 28, 85),
        "ROD-3": round(pick(42, 88)),
        "ROD-4": round(pick(1, 11)),
        "ROD-5": (min(surveyed, round(surveyed * pick(55, 95) / 100)), surveyed),
        "KR-1": share(teachers, 8, 45),
        "KR-2": share(class_teachers, 20, 100),
        "KR-3": share(class_teachers, 40, 100),
        "KR-4": option("KR-4", (0.35, 0.65, 0.9)),
        "KR-5": "да" if pick(0, 1, 0.25) >= 0.35 else "нет",
        "KR-6": round(pick(0, 7)),
        "KR-7": min(3, round(pick(0, 3.4))),
    }
    values["UPR-1"] = {
        "value": values["UPR-1"],
        "comment": f"Приказ № {rng.randint(40, 160)}-о от 29.08.2025",
    }
    values["KR-1"] = {"numerator": values["KR-1"], "comment": "Удостоверения ПК (реестр в приложении)"}
    return fields, values


def indicator_value(config: Config, code: str, fields: dict[str, object], given: object) -> float | None:
    """The value scoring would see (shares in %), for the outlier self-check."""
    indicator = config.indicator(code)
    if isinstance(given, dict):
        given = given.get("value", given.get("numerator"))
    if indicator.type != IndicatorType.share:
        return float(given) if isinstance(given, int | float) else None
    numerator, denominator = given if isinstance(given, tuple) else (given, None)
    if indicator.denominator_field:
        denominator = fields[indicator.denominator_field]
    return numerator / denominator * 100 if denominator else None


def check_no_outliers(config: Config, schools: list[tuple[dict, dict]]) -> None:
    """Refuse to write samples whose clean schools would trip the outlier warning."""
    factor = config.analysis.outlier_iqr
    for indicator in config.indicators():
        if indicator.type not in (IndicatorType.share, IndicatorType.quantity, IndicatorType.percent):
            continue
        found = [indicator_value(config, indicator.code, f, v[indicator.code]) for f, v in schools]
        numbers = [x for x in found if x is not None]
        q1, _, q3 = statistics.quantiles(numbers, n=4, method="inclusive")
        spread = q3 - q1
        if spread <= 0:
            continue
        low, high = max(0.0, q1 - factor * spread), q3 + factor * spread
        strange = [round(x, 1) for x in numbers if not low <= x <= high]
        if strange:
            raise SystemExit(
                f"{indicator.code}: нетипичные значения {strange} (допустимо {low:.1f}…{high:.1f})"
            )


def write_registry(path: Path) -> None:
    """The district's list of schools (one never sent its form), as a methodologist keeps it."""

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(["Код ОО", "Наименование", "Тип ОО", "Местность"])
            for profile in (*SCHOOLS, NOT_SUBMITTED):
                writer.writerow([profile.code, profile.name, profile.school_type, profile.locality])

    write_atomic(path, write)


def readme(config: Config, district: list, locations: dict) -> str:
    labels = {f.key: f.label for f in config.school_fields}
    mistakes = []
    for code, sheet, (target, part), _value, shown, what in PLANTED:
        cells = locations[code]
        cell = cells.fields[target] if part is None else cells.indicators[target][part]
        subject = f"поле «{labels[target]}»" if part is None else f"показатель {target}"
        mistakes.append(
            f"| `forms/{code}.xlsx` | {sheet} | {cell.coordinate} | {subject} | {shown} | {what} |"
        )
    typed = [
        f"| `forms/{code}.xlsx` | Показатели | {locations[code].indicators[ind]['value'].coordinate} | {ind} | «{text}» |"
        for code, changes in TYPED.items()
        for ind, text in changes.items()
    ]
    rows = [
        f"| {p.code} | {p.name} | {p.school_type} | {p.locality} | {fields['students']} |"
        for p, (fields, _values) in district
    ]
    return "\n".join(
        [
            "# Примеры: вымышленный район",
            "",
            f"**{DISTRICT}** — выдуманный район из {len(SCHOOLS)} школ для проверки и демонстрации",
            "vosp-monitor. Все школы, населённые пункты, люди и телефоны вымышлены; совпадения случайны.",
            "Формы сделаны программой (`vosp-monitor form`) и заполнены правдоподобными данными:",
            "сильные гимназия и лицей, средние школы посёлка, малокомплектные сельские школы, несколько",
            "слабых школ. Файлы создаёт скрипт `make_samples.py` (фиксированное начальное число",
            "генератора и фиксированные даты), поэтому при повторном запуске они получаются",
            "побайтно такими же:",
            "",
            "```",
            "python samples/make_samples.py",
            "```",
            "",
            "Файлы:",
            "",
            f"* `forms/0101.xlsx` … `forms/{SCHOOLS[-1].code}.xlsx` — заполненные формы {len(SCHOOLS)} школ"
            " (в своей папке: кроме форм, в ней ничего нет);",
            "* `registry.csv` — реестр школ района (UTF-8 с BOM, разделитель «;»): "
            f"{len(SCHOOLS) + 1} школ, школа {NOT_SUBMITTED.code} «{NOT_SUBMITTED.name}» форму не прислала;",
            "* `make_samples.py` — скрипт, который всё это создаёт.",
            "",
            "Пример запуска: `vosp-monitor score samples/forms/ --schools samples/registry.csv -o report/`.",
            "",
            "## Намеренные ошибки (ровно три файла)",
            "",
            f"Без ошибок заполнено форм: {len(SCHOOLS) - len(PLANTED)} из {len(SCHOOLS)}. В трёх — ошибки,",
            "которые школы делают на самом деле:",
            "",
            "| файл | лист | ячейка | что | значение | ошибка |",
            "|---|---|---|---|---|---|",
            *mistakes,
            "",
            "Пустое число педагогов в 0121 — знаменатель показателя KR-1, поэтому долю KR-1 этой",
            "школы тоже нельзя вычислить; это следствие той же ошибки.",
            "",
            "## Значения, введённые текстом (не ошибки)",
            "",
            "Две школы ввели значения так, как их часто вводят на практике: число текстом с запятой",
            "и «Да» с заглавной буквы. Программа их распознаёт, ошибками они не считаются (о приведении",
            "текста «72,5» к числу программа сообщает в примечаниях):",
            "",
            "| файл | лист | ячейка | показатель | введено |",
            "|---|---|---|---|---|",
            *typed,
            "",
            "## Школы",
            "",
            "| код | наименование | тип ОО | местность | обучающихся |",
            "|---|---|---|---|---|",
            *rows,
            f"| {NOT_SUBMITTED.code} | {NOT_SUBMITTED.name} | {NOT_SUBMITTED.school_type} | "
            f"{NOT_SUBMITTED.locality} | (форма не прислана) |",
            "",
        ]
    )


if __name__ == "__main__":
    main()

"""Generate samples/computed: twelve schools of the fictional district under a config with
computed indicators (run from anywhere).

    python samples/computed/make_computed.py

The schools are the first twelve of ``samples/make_samples.py`` (same codes, names, sizes and
strengths); their forms are made from ``indicators.yaml`` beside this script by the tool's own
form writer and filled as a school would, row by row of inputs, from a fixed seed and with
fixed dates, so the files are byte-for-byte the same on every run. The same answers are
written once more as a consolidated table (``svod.csv``, columns ``CODE.key``) for
``--table``. A few schools carry the cases the README lists: no survey held (R = 0), a survey
of too few parents («мало данных»), no contest participants (N = 0), and one form where the
satisfied parents outnumber those who answered (an error the tool reports).
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tools/ and samples/ are not in the wheel

from samples.make_samples import GENERATED, INITIALS, SAVED_AT, SCHOOLS, SURNAMES, Profile
from tools.formfill import fill_workbook

from vosp_monitor import layout
from vosp_monitor.config import Config, IndicatorType, load_config
from vosp_monitor.form import build_form, save_workbook
from vosp_monitor.outputs import write_atomic, write_text_atomic

HERE = Path(__file__).resolve().parent
SEED = 2027
DISTRICT = SCHOOLS[:12]
FORMS = "forms"
NO_SURVEY = "0103"  # R = 0: ROD-6 does not apply
FEW_ANSWERS = "0111"  # 6 parents answered: «мало данных»
NO_CONTESTS = "0108"  # N = 0: RAT-1 scores 0 (missing: zero)
TOO_MANY = "0109"  # r1 + r2 > R: the check between the inputs fails


def answers(profile: Profile) -> tuple[dict[str, object], dict[str, object]]:
    """Plausible fields and inputs of one school; the same on every run."""
    rng = random.Random(f"{SEED}-{profile.code}")
    s = profile.strength

    def pick(low: float, high: float, spread: float = 0.15) -> float:
        t = min(1.0, max(0.0, s + rng.uniform(-spread, spread)))
        return low + (high - low) * t

    students = profile.students
    teachers = max(6, round(students / 12) + rng.randint(0, 3))
    families = max(1, round(students * 0.8))
    answered = (
        0
        if profile.code == NO_SURVEY
        else (6 if profile.code == FEW_ANSWERS else max(12, round(families * 0.4)))
    )
    r1 = round(answered * pick(0.2, 0.6))
    r2 = min(answered - r1, round(answered * pick(0.1, 0.35)))
    if profile.code == TOO_MANY:
        r2 = answered - r1 + 4
    participants = 0 if profile.code == NO_CONTESTS else max(3, round(students * pick(0.03, 0.15)))
    first = round(participants * pick(0.0, 0.2))
    second = min(participants - first, round(participants * pick(0.05, 0.25)))
    third = min(participants - first - second, round(participants * pick(0.05, 0.3)))
    fields: dict[str, object] = {
        "code": profile.code,
        "name": profile.name,
        "locality": profile.locality,
        "students": students,
        "teachers": teachers,
        "head": f"{rng.choice(SURNAMES)} {rng.choice(INITIALS)}",
    }
    values: dict[str, object] = {
        "ROD-6": {"r1": r1, "r2": r2, "R": answered},
        "ROD-7": (round(families * pick(0.2, 0.85)), families),
        "OLY-1": {
            "mun": round(pick(0, 12)),
            "reg": round(pick(0, 5)),
            "fed": max(0, round(pick(-1, 2))) if s > 0.5 else 0,
            "intl": 4 if profile.code == "0103" else 0,  # the gymnasium: 4 × 5 = 20, capped at 15
        },
        "RAT-1": {"I": first, "II": second, "III": third, "N": participants},
        "EV-1": {"events": max(1, round(students * pick(0.02, 0.08)))},
        "KR-1": round(teachers * pick(0.1, 0.5)),
    }
    return fields, values


def main(out: Path = HERE) -> None:
    config = load_config(HERE / "indicators.yaml")
    (out / FORMS).mkdir(parents=True, exist_ok=True)
    district = [(profile, *answers(profile)) for profile in DISTRICT]
    for profile, fields, values in district:
        workbook = build_form(config, generated=GENERATED)
        fill_workbook(workbook, config, fields, values)
        save_workbook(workbook, out / FORMS / f"{profile.code}.xlsx", moment=SAVED_AT)
    write_table(config, out / "svod.csv", [(fields, values) for _, fields, values in district])
    write_text_atomic(out / "README.md", readme(district))
    print(f"Записано форм: {len(district)} в {FORMS}/, сводная таблица: svod.csv → {out}")


def write_table(config: Config, path: Path, rows: list[tuple[dict[str, object], dict[str, object]]]) -> None:
    """The same answers as one consolidated table: a column per field and per input («ROD-6.r1»)."""
    header = [f.key for f in config.school_fields]
    parts: list[tuple[str, str, str]] = []  # (code, part, column)
    for ind in config.indicators():
        if ind.type == IndicatorType.computed:
            parts += [(ind.code, item.key, layout.input_code(ind.code, item.key)) for item in ind.inputs]
        else:
            parts += [(ind.code, part, f"{ind.code}.{part}") for part in ind.input_cells]
    header += [column for _, _, column in parts]

    def cell(given: object, part: str) -> object:
        if isinstance(given, dict):
            return given[part]
        if isinstance(given, tuple):
            return given[("numerator", "denominator").index(part)]
        return given

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(header)
            for fields, values in rows:
                writer.writerow(
                    [fields[f.key] for f in config.school_fields]
                    + [cell(values[code], part) for code, part, _ in parts]
                )

    write_atomic(path, write)


def readme(district: list[tuple[Profile, dict[str, object], dict[str, object]]]) -> str:
    rows = []
    for profile, fields, values in district:
        rod, rat, oly = values["ROD-6"], values["RAT-1"], values["OLY-1"]
        assert isinstance(rod, dict) and isinstance(rat, dict) and isinstance(oly, dict)
        rows.append(
            f"| {profile.code} | {profile.name} | {fields['students']} | {rod['r1']} + {rod['r2']} из {rod['R']} | "
            f"{oly['mun']} / {oly['reg']} / {oly['fed']} / {oly['intl']} | "
            f"{rat['I']} / {rat['II']} / {rat['III']} из {rat['N']} |"
        )
    return "\n".join(
        [
            "# Пример: вычисляемые показатели",
            "",
            "Двенадцать школ вымышленного района (`samples/`) в мониторинге, где показатели заданы",
            "формулами, как в региональных методиках: школа вводит числа, значение вычисляет программа",
            "(`indicators.yaml` здесь, описание ключей — docs/config.md, «Вычисляемые показатели»).",
            "Файлы создаёт `make_computed.py` (фиксированное начальное число и даты — побайтно те же):",
            "",
            "```",
            "python samples/computed/make_computed.py",
            "vosp-monitor check-config samples/computed/indicators.yaml",
            "vosp-monitor score samples/computed/forms/ -c samples/computed/indicators.yaml -o report/",
            "vosp-monitor score --table samples/computed/svod.csv -c samples/computed/indicators.yaml -o report2/",
            "```",
            "",
            "* `forms/*.xlsx` — заполненные формы: под каждым вычисляемым показателем — строки входных",
            "  данных (`ROD-6.r1`, `ROD-6.r2`, `ROD-6.R` …);",
            "* `svod.csv` — те же ответы сводной таблицей: столбец на каждое поле и входное значение (`ROD-6.r1`);",
            "* `indicators.yaml` — показатели: доля по анкете (ROD-6), баллы за уровни побед с ограничением",
            "  (OLY-1, по лучшей ОО), рейтинг на участника (RAT-1), мероприятия на 100 обучающихся (EV-1,",
            "  по лучшей ОО), обычные доли (ROD-7, KR-1); `min_denominator: 10` — «мало данных».",
            "",
            "## Что в данных",
            "",
            f"* {NO_SURVEY} — анкетирование не проводилось (R = 0): ROD-6 для неё не учитывается"
            " (`missing: not_applicable`); у неё же 4 международные победы — 20 баллов, ограничены 15;",
            f"* {FEW_ANSWERS} — ответили 6 родителей: значение ROD-6 отмечено «мало данных»;",
            f"* {NO_CONTESTS} — участников конкурсов не было (N = 0): RAT-1 — 0 баллов (`missing: zero`);",
            f"* {TOO_MANY} — удовлетворённых больше, чем ответивших: ошибка `input-check-failed`, ОО исключена;",
            "* у малых школ меньше 10 педагогов: их KR-1 отмечены «мало данных».",
            "",
            "| код | наименование | обучающихся | ROD-6: r1 + r2 из R | OLY-1: мун. / рег. / всеросс. / междунар. | RAT-1: I / II / III из N |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )


if __name__ == "__main__":
    main()

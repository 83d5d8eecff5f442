"""Generate the sample region: three invented municipalities, a folder of forms each (run from anywhere).

    python samples/region/make_region.py

The same invented world and way of filling a form as ``samples/make_samples.py``, one level
up: «Вымышленская область» with three municipalities. A regional centre keeps a folder of
forms per municipality and a registry with a column «Муниципалитет»:

* «Северный муниципальный район» — eight schools, mostly strong; one of its forms was put
  into the folder of «Южный муниципальный округ» by mistake (the registry says where the
  school belongs: a ``territory-folder-conflict`` warning);
* «Южный муниципальный округ» — seven schools that sent forms and one that did not;
* «Озёрный городской округ» — three forms, one with an error, so only two schools are
  scored: fewer than ``territories.min_schools`` (3), so it is shown but not ranked.

Each municipality also fills its own form (``form --level territory``) for the
indicators of ``indicators.yaml`` here (the bundled file plus a ``territories`` section:
the seed order's «поддержка классных руководителей со стороны муниципального района»);
«Озёрный городской округ» did not send it. With the bundled indicators.yaml the same
folder is a regional run without municipal indicators (the territory forms are set aside
with a warning). Seeds and dates are fixed: every run writes the same bytes.
"""

from __future__ import annotations

import csv
import importlib.util
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent
sys.path.insert(0, str(SAMPLES.parent))  # tools/ (the form filler) is not in the wheel

from tools.formfill import fill_workbook, locate_inputs  # noqa: E402

from vosp_monitor.config import Config, load_config, parse_config, territory_config  # noqa: E402
from vosp_monitor.form import build_form, save_workbook  # noqa: E402
from vosp_monitor.outputs import write_atomic, write_text_atomic  # noqa: E402

FORMS = "forms"
NORTH, SOUTH, LAKE = "Северный муниципальный район", "Южный муниципальный округ", "Озёрный городской округ"
TERRITORIES = (NORTH, SOUTH, LAKE)

TERRITORY_SECTION = """
# ---------------------------------------------------------------- Территории (регион)
# Образец региона (samples/region): показатели, которые заполняет сам муниципалитет
# (vosp-monitor form --level territory), и как они входят в индекс муниципалитета.
territories:
  word: "муниципалитет"
  min_schools: 3
  ranking: mean
  weights: {schools: 3, territory: 1}
  blocks:
    - id: MUN
      title: "Поддержка классных руководителей со стороны муниципалитета"
      indicators:
        - code: MUN-1
          title: "Муниципальный нормативный правовой акт, регламентирующий систему мер поддержки классных руководителей"
          type: yesno
          scoring: {method: yesno, yes_points: 2}
          evidence: "Реквизиты акта"
          measure: "Разработать и утвердить муниципальный акт о системе мер поддержки классных руководителей."
        - code: MUN-2
          title: "Число муниципальных конкурсных мероприятий для классных руководителей за год"
          type: count
          min: 0
          max: 50
          scoring:
            method: bands
            bands:
              - {from: 0, to: 1, points: 0}
              - {from: 1, to: 3, points: 1}
              - {from: 3, to: null, points: 2}
          measure: "Создать систему муниципальных конкурсных мероприятий для классных руководителей."
        - code: MUN-3
          title: "Муниципальное методическое объединение классных руководителей"
          type: choice
          options:
            - {label: "Не создано", points: 0}
            - {label: "Создано, заседания проводятся нерегулярно", points: 1}
            - {label: "Создано, работает по плану с учётом дефицитов педагогов", points: 2}
          measure: "Создать муниципальное методическое объединение классных руководителей."
"""

# code, name, type, locality, students, strength, municipality
REGION = (
    ("0201", "МБОУ «СОШ № 1 г. Северска-Вымышленного»", "Средняя школа", "город", 760, 0.86, NORTH),
    ("0202", "МБОУ «Лицей № 2 г. Северска-Вымышленного»", "Гимназия, лицей", "город", 690, 0.93, NORTH),
    ("0203", "МБОУ «СОШ с. Полуночное»", "Средняя школа", "село", 230, 0.72, NORTH),
    ("0204", "МБОУ «СОШ с. Студёное»", "Средняя школа", "село", 205, 0.66, NORTH),
    ("0205", "МБОУ «ООШ д. Заречье-Северное»", "Основная школа", "село", 61, 0.58, NORTH),
    ("0206", "МБОУ «СОШ с. Ледяное»", "Средняя школа", "село", 188, 0.77, NORTH),
    ("0207", "МБОУ «ООШ д. Морошка»", "Основная школа", "село", 48, 0.52, NORTH),
    ("0208", "МБОУ «СОШ с. Сияние»", "Средняя школа", "село", 176, 0.69, NORTH),
    ("0211", "МБОУ «СОШ № 1 пгт Южнозаветный»", "Средняя школа", "город", 610, 0.61, SOUTH),
    ("0212", "МБОУ «СОШ № 2 пгт Южнозаветный»", "Средняя школа", "город", 540, 0.48, SOUTH),
    ("0213", "МБОУ «СОШ с. Полдень»", "Средняя школа", "село", 197, 0.42, SOUTH),
    ("0214", "МБОУ «ООШ с. Зной»", "Основная школа", "село", 66, 0.35, SOUTH),
    ("0215", "МБОУ «НОШ д. Суховей»", "Начальная школа", "село", 24, 0.39, SOUTH),
    ("0216", "МБОУ «СОШ с. Бахчевое»", "Средняя школа", "село", 172, 0.55, SOUTH),
    ("0217", "ГКОУ «Школа-интернат с. Южное»", "Школа-интернат", "село", 112, 0.45, SOUTH),
    ("0221", "МБОУ «СОШ № 1 г. Озёрска-Придуманного»", "Средняя школа", "город", 480, 0.57, LAKE),
    ("0222", "МБОУ «ООШ д. Камышовка»", "Основная школа", "село", 52, 0.31, LAKE),
    ("0223", "МБОУ «СОШ с. Плёс»", "Средняя школа", "село", 159, 0.5, LAKE),
)
NOT_SUBMITTED = ("0218", "МБОУ «ООШ д. Забывалово»", "Основная школа", "село", 40, 0.3, SOUTH)
MISPLACED = "0208"  # a Северный school whose form lies in Южный's folder
BROKEN = ("0222", "teachers")  # an empty required field: the school is excluded
OWN = {  # each municipality's own form (Озёрный sent none)
    NORTH: (
        "Управление образования администрации Северного муниципального района",
        "Морозова Е. Н.",
        "да",
        4,
        2,
    ),
    SOUTH: ("Отдел образования администрации Южного муниципального округа", "Полуднев И. П.", "нет", 1, 1),
}


def _make_samples() -> Any:
    """samples/make_samples.py: its Profile, way of filling a form, dates and file timestamps."""
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_samples", module)
    spec.loader.exec_module(module)
    return module


def region_config_text() -> str:
    """The bundled indicators.yaml with the ``territories`` section of the sample region."""
    bundled = (SAMPLES.parent / "indicators.yaml").read_text(encoding="utf-8")
    return bundled.rstrip("\n") + "\n" + TERRITORY_SECTION


def main(out: Path = HERE) -> None:
    samples = _make_samples()
    config = load_config()
    (out / FORMS).mkdir(parents=True, exist_ok=True)
    written = []
    for code, name, kind, locality, students, strength, municipality in REGION:
        profile = samples.Profile(code, name, kind, locality, students, strength)
        fields, values = samples.school_data(config, profile)
        if code == BROKEN[0]:
            fields = {**fields, BROKEN[1]: None}
        folder = SOUTH if code == MISPLACED else municipality
        workbook = build_form(config, generated=samples.GENERATED)
        fill_workbook(workbook, config, fields, values)
        (out / FORMS / folder).mkdir(exist_ok=True)
        save_workbook(workbook, out / FORMS / folder / f"{code}.xlsx", moment=samples.SAVED_AT)
        written.append((code, folder))
    text = region_config_text()
    write_text_atomic(out / "indicators.yaml", text)
    territory = territory_config(parse_config(text))
    assert territory is not None
    for municipality, (authority, head, act, contests, association) in OWN.items():
        _territory_form(
            territory,
            out / FORMS / municipality / "муниципалитет.xlsx",
            samples,
            municipality,
            authority,
            head,
            act,
            contests,
            association,
        )
    write_registry(out / "registry.csv")
    write_text_atomic(out / "README.md", readme(written))
    print(f"Записано форм ОО: {len(written)}, форм муниципалитетов: {len(OWN)} → {out / FORMS}")


def _territory_form(
    territory: Config,
    path: Path,
    samples: Any,
    municipality: str,
    authority: str,
    head: str,
    act: str,
    contests: int,
    association: int,
) -> None:
    options = [o.label for o in territory.indicator("MUN-3").options or []]
    workbook = build_form(territory, generated=samples.GENERATED)
    rng = random.Random(f"region-{municipality}")
    fields = {
        "territory": municipality,
        "authority": authority,
        "head": head,
        "filled_by": f"{head}, 8 (800) 000-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
    }
    fill_workbook(
        workbook, territory, fields, {"MUN-1": act, "MUN-2": contests, "MUN-3": options[association]}
    )
    locate_inputs(workbook)
    save_workbook(workbook, path, moment=samples.SAVED_AT)


def write_registry(path: Path) -> None:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(["Код ОО", "Наименование", "Тип ОО", "Местность", "Муниципалитет"])
            for code, name, kind, locality, _students, _strength, municipality in sorted(
                (*REGION, NOT_SUBMITTED)
            ):
                writer.writerow([code, name, kind, locality, municipality])

    write_atomic(path, write)


def readme(written: list[tuple[str, str]]) -> str:
    rows = [
        f"| {code} | {name} | {municipality} | `forms/{folder}/{code}.xlsx` |"
        for (code, name, *_rest, municipality), (_code, folder) in zip(REGION, written, strict=True)
    ]
    return "\n".join(
        [
            "# Пример: вымышленный регион из трёх муниципалитетов",
            "",
            "Всё вымышлено. Региональный центр держит папку форм на каждый муниципалитет и реестр школ со",
            "столбцом «Муниципалитет». Файлы создаёт `python samples/region/make_region.py` (фиксированные",
            "начальные числа и даты: при повторном запуске — те же байты).",
            "",
            "```",
            "vosp-monitor score samples/region/forms --schools samples/region/registry.csv -o регион/",
            "vosp-monitor score samples/region/forms --schools samples/region/registry.csv \\",
            "    -c samples/region/indicators.yaml -o регион-с-показателями-муниципалитетов/",
            "```",
            "",
            "Первая команда — без изменения настроек: муниципалитет школы берётся из реестра, итоги и места",
            "муниципалитетов — в листе «Муниципалитеты» ranking.xlsx и в territories.csv. Вторая — с",
            "показателями, которые заполняет сам муниципалитет (`indicators.yaml` здесь — встроенный файл",
            "и раздел `territories`; форма — `vosp-monitor form --level territory -c samples/region/indicators.yaml`).",
            "",
            f"* «{NORTH}» — 8 ОО; форма {MISPLACED} по ошибке лежит в папке «{SOUTH}» (предупреждение",
            "  `territory-folder-conflict`: ОО учитывается в своём муниципалитете по реестру);",
            f"* «{SOUTH}» — 7 ОО прислали формы, {NOT_SUBMITTED[0]} «{NOT_SUBMITTED[1]}» — нет;",
            f"* «{LAKE}» — 3 формы, в форме {BROKEN[0]} не заполнена численность педагогов (ОО исключена),",
            "  оценены 2 ОО — меньше `territories.min_schools` (3): муниципалитет показан, но не ранжируется;",
            "  свою форму муниципалитета он не прислал (`territory-form-missing`).",
            "",
            "| код | наименование | муниципалитет | файл |",
            "|---|---|---|---|",
            *rows,
            "",
        ]
    )


if __name__ == "__main__":
    main()

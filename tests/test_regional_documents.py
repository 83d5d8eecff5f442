"""The regional document set on the sample region, read back from Word (issue 26).

``samples/region``: «Северный муниципальный район» (8 scored schools, its own form names its
authority), «Южный муниципальный округ» (7 scored, one school sent no form, its own form names
its authority) and «Озёрный городской округ» (2 scored, one excluded, not ranked, no own form).
The config names the regional реквизиты and the authority of «Северный» only; «Южный» takes
its authority from its own form, «Озёрный» keeps a placeholder.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from types import SimpleNamespace

import docx
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.analysis.territory_results import territory_results
from vosp_monitor.cli import main
from vosp_monitor.report.territory_set import territory_folders
from vosp_monitor.words.formatting import format_number

REGION = Path(__file__).resolve().parents[1] / "samples" / "region"
NORTH, SOUTH, LAKE = "Северный муниципальный район", "Южный муниципальный округ", "Озёрный городской округ"
NAMES = (NORTH, SOUTH, LAKE)
MINISTRY = "Министерство образования Вымышленной области"
INSTITUTE = "ГАУ ДПО «Институт развития образования Вымышленной области»"
NORTH_AUTHORITY = "Управление образования администрации Северного муниципального района"
SOUTH_AUTHORITY = "Отдел образования администрации Южного муниципального округа"  # from its own form
DEADLINE, REPORT_BACK = "до 1 марта 2027 г.", "до 1 апреля 2027 г."


def _config(folder: Path) -> Path:
    data = yaml.safe_load((REGION / "indicators.yaml").read_text(encoding="utf-8"))
    data["documents"].update(
        authority=MINISTRY,
        territory="регион",
        territory_name="Вымышленная область",
        signatory={"position": "Министр образования", "name": "А.Б. Вымышленный"},
        executor={"name": "Иванова Мария Петровна", "phone": "8 (800) 000-00-00"},
        order={"number": "1005", "date": "20.07.2026", "place": "г. Вымышленск"},
        letters={"number": "01-12/7", "date": "21.07.2026"},
        regional={
            "institute": INSTITUTE,
            "authorities": {NORTH: {"name": NORTH_AUTHORITY, "head": "Е.Н. Морозова"}},
            "deadline": DEADLINE,
            "report_back": REPORT_BACK,
        },
    )
    path = folder / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("regional")
    out = folder / "out"
    args = [
        "score",
        str(REGION / "forms"),
        "--schools",
        str(REGION / "registry.csv"),
        "-c",
        str(_config(folder)),
    ]
    result = CliRunner().invoke(main, [*args, "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts).replace("\xa0", " ")


def _highlighted(path: Path) -> list[str]:
    document = docx.Document(str(path))
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [
        r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
    ]
    return [r.text for r in runs if r.font.highlight_color is not None]


def _schools(region: Path) -> list[dict]:
    return json.loads((region / "results.json").read_text(encoding="utf-8"))["schools"]


def _means(schools: list[dict]) -> dict[str, float]:
    """Each municipality's mean total, grouped here from the registry and the stored schools."""
    registry = pd.read_csv(REGION / "registry.csv", sep=";", dtype=str, encoding="utf-8-sig")
    where = dict(zip(registry["Код ОО"], registry["Муниципалитет"], strict=True))
    return {name: statistics.fmean(s["total"] for s in schools if where[s["code"]] == name) for name in NAMES}


def test_the_regional_spravka_names_every_municipality_with_its_figures(region):
    schools = _schools(region)
    means = _means(schools)
    word = docx.Document(str(region / "report.docx"))
    headings = [
        p.text
        for p in word.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Заголовок к тексту"
    ]
    for wanted in (
        "Основные выводы",
        "Участие в мониторинге по муниципалитетам",
        "Результаты муниципалитетов",
        "Выводы по муниципалитетам",
        "Системные дефициты",
        "Управленческие решения",
        "Рейтинг муниципалитетов",
    ):
        assert any(wanted in h for h in headings), wanted
    table = next(t for t in word.tables if len(t.columns) > 4 and t.rows[0].cells[2].text == "Муниципалитет")
    rows = {r.cells[2].text.rstrip("*"): r for r in table.rows[1:]}
    assert set(rows) == {*NAMES, "Регион"}
    for name in NAMES:
        assert rows[name].cells[4].text == format_number(means[name])
    assert rows[NORTH].cells[0].text == "1" and rows[SOUTH].cells[0].text == "2"
    assert rows[LAKE].cells[0].text == "—" and rows[LAKE].cells[2].text.endswith("*")
    assert any(
        p.text.startswith(f"* {LAKE}: не ранжируется: оценено ОО — 2, нужно не меньше 3")
        for p in word.paragraphs
    )
    overall = statistics.fmean(s["total"] for s in schools)
    assert rows["Регион"].cells[4].text == format_number(overall)
    markdown = (region / "report.md").read_text(encoding="utf-8")
    assert all(name in markdown for name in NAMES)
    assert "МБОУ «ООШ д. Забывалово»" in markdown  # who did not submit, named
    assert _highlighted(region / "report.docx") == []  # every реквизит is in the config


def test_the_regional_order_addresses_the_municipal_authorities_with_deadlines(region):
    paragraphs = [
        p.text.replace("\xa0", " ")
        for p in docx.Document(str(region / "order.docx")).paragraphs
        if p.text.strip()
    ]
    text = "\n".join(paragraphs)
    assert MINISTRY in text and "ПРИКАЗ" in text and "ПРИКАЗЫВАЮ:" in text
    lead = next(
        i
        for i, p in enumerate(paragraphs)
        if p.startswith("4. Рекомендовать органам местного самоуправления")
    )
    items = [p for p in paragraphs[lead + 1 :] if p.startswith("4.")]
    assert len(items) == 2
    # decisions a month after the order (20.07.2026), before the report; the report after the
    # measures' deadline, so it is on their execution; the institute's measures by DEADLINE
    assert items[0].endswith("Срок: до 20 августа 2026 г.") and items[1].endswith(f"Срок: {REPORT_BACK}")
    assert (
        "Представить в Министерство образования Вымышленной области информацию о выполнении мер" in items[1]
    )
    institute = [p for p in paragraphs if p.startswith("3.") and not p.endswith(":")]
    assert institute and all(p.endswith(f"Срок: {DEADLINE}") for p in institute)
    # the authority's own task is an item of its own, never «Министерству …:»
    assert any(p.startswith("2. Направить в органы местного самоуправления") for p in paragraphs)
    assert not any(p.startswith("2. Министерств") for p in paragraphs)
    assert any(
        p.startswith("3. ГАУ ДПО «Институт развития образования") or p.startswith("3. Гау")
        for p in paragraphs
    )
    assert paragraphs[-3].startswith("5. Контроль за исполнением")
    assert _highlighted(region / "order.docx") == []


def test_a_letter_to_each_municipal_authority_names_its_municipality_only(region):
    letters = sorted((region / "authorities").glob("*.docx"))
    assert [p.stem for p in letters] == sorted(NAMES)
    for path in letters:
        text = _text(path)
        others = [n for n in NAMES if n != path.stem]
        assert path.stem in text and not any(other in text for other in others), path.stem
        assert "Системные дефициты и рекомендуемые меры" in text and REPORT_BACK.rstrip(".") in text
    north = _text(region / "authorities" / f"{NORTH}.docx")
    assert "Управлению образования администрации Северного муниципального района" in north
    assert "Е.Н. Морозовой" in north and "Место среди 2 ранжируемых муниципалитетов: 1" in north
    south = _text(region / "authorities" / f"{SOUTH}.docx")
    assert "Отделу образования администрации Южного муниципального округа" in south
    assert "МБОУ «ООШ с. Зной»" in south  # its school in the risk zone
    assert _highlighted(region / "authorities" / f"{NORTH}.docx") == []
    lake = _highlighted(region / "authorities" / f"{LAKE}.docx")  # no authority in the config nor a form
    assert lake == [f"[орган управления образованием: {LAKE}]"]


def test_each_municipality_has_its_own_set_naming_it_and_no_other(region):
    for name in NAMES:
        folder = region / "territories" / name
        for document in ("report.docx", "order.docx"):
            # the data-quality appendix names the folder a form lay in (0208 of «Северный» lay in «Южный»'s)
            text = "\n".join(line for line in _text(folder / document).splitlines() if "0208" not in line)
            assert name in text or name.split()[0][:-2] in text, (name, document)
            assert not any(other in text for other in NAMES if other != name), (name, document)
        headings = [
            p.text
            for p in docx.Document(str(folder / "report.docx")).paragraphs
            if p.style.name.startswith("Heading")
        ]
        assert f"{name} и регион" in headings
        assert (folder / "letters.docx").is_file() and (folder / "report.md").is_file()
    north_order = _text(region / "territories" / NORTH / "order.docx")
    assert NORTH_AUTHORITY in north_order and MINISTRY not in north_order
    assert len(list((region / "territories" / NORTH / "letters").glob("*.docx"))) == 8
    assert (
        len(list((region / "territories" / SOUTH / "letters").glob("*.docx"))) == 8
    )  # 7 and the one missing


def test_a_territorys_results_are_its_schools_placed_among_themselves(region):
    results = read_results_json(region / "results.json")
    lake = next(u for u in results.territories.units if u.name == LAKE)
    own = territory_results(results, lake)
    totals = sorted((s.total for s in results.schools if s.code in lake.schools), reverse=True)
    assert [s.total for s in own.schools] == totals and [s.place for s in own.schools] == [1, 2]
    assert own.total_stats.mean == pytest.approx(sum(totals) / 2, abs=1e-9)
    assert [e.code for e in own.excluded] == ["0222"] and own.not_submitted == []
    assert own.expected_count == 3


def test_report_territory_rewrites_one_set_and_nothing_else(region, tmp_path):
    before = {p: p.stat().st_mtime_ns for p in region.rglob("*") if p.is_file() and ".vosp" not in p.name}
    result = CliRunner().invoke(
        main, ["report", str(region / "results.json"), "--territory", "озёрный городской  округ"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"Записаны документы муниципалитета в папку {region / 'territories' / LAKE}"
    )
    after = {p: p.stat().st_mtime_ns for p in region.rglob("*") if p.is_file() and ".vosp" not in p.name}
    assert set(after) == set(before)
    changed = {p for p in before if after[p] != before[p]}
    assert changed and all(LAKE in p.parts for p in changed)
    unknown = CliRunner().invoke(main, ["report", str(region / "results.json"), "--territory", "Нет такого"])
    assert unknown.exit_code == 2
    assert "нет территории «Нет такого»" in unknown.output.splitlines()[0]


def test_the_sets_folders_are_safe_file_names():
    units = [SimpleNamespace(name=n, parent="") for n in ("CON", "Округ: «Север»/Юг", "con", "Озёрный")]
    folders = territory_folders(SimpleNamespace(units=units))  # type: ignore[arg-type]
    assert folders == {
        "CON": "_CON",
        "Округ: «Север»/Юг": "Округ_ «Север»_Юг",
        "con": "_con_2",
        "Озёрный": "Озёрный",
    }


def test_every_key_of_the_regional_requisites_is_documented():
    from vosp_monitor.config.documents import MunicipalAuthority, RegionalRequisites

    docs = (Path(__file__).resolve().parents[1] / "docs" / "config.md").read_text(encoding="utf-8")
    section = docs.split("## `documents`", 1)[1].split("\n## ", 1)[0]
    assert "`regional.institute`" in section
    for key in RegionalRequisites.model_fields:
        assert f"`regional.{key}`" in section, key
    for key in MunicipalAuthority.model_fields:
        assert f"`regional.authorities.<муниципалитет>.{key}`" in section, key

"""ranking.xlsx, scores.csv and indicators.csv checked against results.json; any text in them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import vosp_monitor
from scoring_helpers import NA, block, indicator, linear, make_config, school
from vosp_monitor.analysis import build_results
from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.cli import main
from vosp_monitor.ingest.registry import RegistryEntry
from vosp_monitor.pipeline import RunOptions
from vosp_monitor.problems import make_problem
from vosp_monitor.validate.submission import Normalisation
from vosp_monitor.writers.tables import csv_number, write_tables

HOSTILE = '=HYPERLINK("http://x","y")'


def _results():
    config = make_config(
        [
            block("B", [linear("A", measure="Провести семинар"), indicator("Y", "yesno", critical=True)]),
            block("C", [linear("D", missing="not_applicable")]),
        ],
        ranking={"groups": ["kind"], "decimals": 1},
    )
    subs = [
        school("0101", {"A": 82.5, "Y": 1, "D": 70}, kind="город"),
        school("0102", {"A": 0, "Y": 0, "D": NA}, name=HOSTILE, kind="село"),
        school("0103", {"A": 55.25, "Y": 1, "D": 10}, name="-1+1", kind="село"),
    ]
    subs[0].normalisations.append(Normalisation("0101.xlsx", "Показатели", "E5", "A", "82,5 %", "82.5"))
    problem = make_problem(
        "value-outlier", file="0103.xlsx", indicator="A", value="55.25", low="60", high="90"
    )
    subs[2].problems.append(problem)
    return build_results(
        config, subs, not_submitted=[RegistryEntry("0104", "@Школа 4")], skipped=[("x.txt", "не форма")]
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    results = _results()
    paths = write_tables(results, out)
    return out, results, paths


def test_all_files_written(written):
    out, _, paths = written
    assert sorted(p.name for p in paths) == ["indicators.csv", "ranking.xlsx", "results.json", "scores.csv"]
    assert not list(out.glob(".*tmp"))


def test_ranking_sheet_matches_results_json(written):
    out, _, _ = written
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(out / "ranking.xlsx")
    assert book.sheetnames == [
        "Рейтинг",
        "Баллы",
        "Значения",
        "Дефициты",
        "Проблемы",
        "Исключены",
        "Не представили",
        "Адресаты решений",  # the decisions' schools: its header only, no decisions passed here
        "Качество показателей",  # the audit is on by default; rank robustness is not
    ]
    ws = book["Рейтинг"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["Место", "Код ОО", "Наименование ОО", "Итог", "Уровень"]
    assert "Место в группе «Тип ОО»" in header
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == len(data["schools"])
    for row, s in zip(rows, data["schools"], strict=True):
        assert row[:5] == [s["place"], s["code"], s["name"], pytest.approx(s["total"]), s["level"]]
        assert row[header.index("B. Блок B")] == pytest.approx(s["blocks"]["B"]["score"])
        assert row[header.index("Место в группе «Тип ОО»")] == s["group_places"]["kind"]
    assert ws.freeze_panes == "D2"
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws["D2"].number_format == "0.0"
    assert ws.conditional_formatting, "colour scale on scores"


def test_formula_like_text_stays_text_in_xlsx(written):
    out, _, _ = written
    book = openpyxl.load_workbook(out / "ranking.xlsx")
    cells = [c for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    hostile = [c for c in cells if c.value.startswith(("=", "-", "@"))]
    assert {c.value for c in hostile} >= {HOSTILE, "-1+1", "@Школа 4"}
    assert all(c.data_type == "s" for c in hostile)


def test_points_values_deficits_problems_missing_sheets(written):
    out, results, _ = written
    book = openpyxl.load_workbook(out / "ranking.xlsx")
    points = [[c.value for c in row] for row in book["Баллы"].iter_rows(min_row=2)]
    first = results.schools[0]
    assert points[0][:3] == [first.place, first.code, first.name]
    assert points[0][3] == pytest.approx(first.indicators["A"].points)
    values = book["Значения"]
    assert "Жёлтым" in values["A1"].value
    marked = [c for row in values.iter_rows(min_row=3) for c in row if c.comment is not None]
    assert [(c.value, "82,5 %" in c.comment.text) for c in marked] == [(82.5, True)]
    assert marked[0].fill.fgColor.rgb.endswith("FFE699")
    assert any(c.value == "н/п" for row in values.iter_rows(min_row=3) for c in row)
    deficits = [[c.value for c in row] for row in book["Дефициты"].iter_rows(min_row=2)]
    assert deficits[0][:3] == ["0102", HOSTILE, "A"]
    assert deficits[0][-1] == "Провести семинар"
    problems = [[c.value for c in row] for row in book["Проблемы"].iter_rows(min_row=2)]
    assert problems[0][7] == "value-outlier" and problems[0][6] == "предупреждение"
    assert problems[-1][0] == "x.txt"
    missing = [[c.value for c in row] for row in book["Не представили"].iter_rows(min_row=2)]
    assert missing == [["0104", "@Школа 4"]]


def _read_csv(path):
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"Код ОО": str})


def test_scores_csv_matches_results(written):
    out, results, _ = written
    raw = (out / "scores.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = _read_csv(out / "scores.csv")
    assert frame["Код ОО"].tolist() == [s.code for s in results.schools]
    assert frame["Итог"].tolist() == [round(s.total, 1) for s in results.schools]  # rounded for people
    assert frame["Блок C"].tolist()[: len(results.schools)][0] == round(
        results.schools[0].blocks["C"].score, 1
    )
    names = frame["Наименование ОО"].tolist()
    assert "'" + HOSTILE in names and "'-1+1" in names
    assert frame["Ниже базового"].tolist() == ["да" if s.below_base else "нет" for s in results.schools]


def test_indicators_csv_is_tidy_and_matches_results(written):
    out, results, _ = written
    frame = _read_csv(out / "indicators.csv")
    assert len(frame) == 3 * len(results.schools)
    for row in frame.itertuples(index=False):
        r = next(s for s in results.schools if s.code == row[0]).indicators[row[3]]
        assert (row[7] if not pd.isna(row[7]) else None) == (None if r.points is None else round(r.points, 2))
        assert row[11] == ("да" if r.deficit else "нет")
    na = frame[(frame["Код ОО"] == "0102") & (frame["Показатель"] == "D")]
    assert na["Статус"].tolist() == ["не применимо"]


def test_csv_number_uses_a_decimal_comma_and_rounds_for_people():
    assert [csv_number(x) for x in (None, 3.0, 2, 12.5, 1 / 3)] == ["", "3", "2", "12,5", "0,333333333333333"]
    assert [csv_number(x, 1) for x in (68.8012345, 68.96, 2, -0.04, 100.0)] == ["68,8", "69", "2", "0", "100"]


SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FORMS = SAMPLES / "forms"


@pytest.mark.skipif(not (FORMS / "0101.xlsx").is_file(), reason="samples/ ещё не сгенерированы")
def test_score_command_on_samples_writes_everything(tmp_path):
    out = tmp_path / "отчёт"
    args = ["score", str(FORMS), "-o", str(out), "--schools", str(SAMPLES / "registry.csv")]
    result = CliRunner().invoke(main, [*args, "--strict", "--jobs", "2", "--quiet"])
    results = read_results_json(out / "results.json")
    assert results.excluded, "the samples include broken submissions"
    assert result.exit_code == 1, result.output  # --strict and a school was excluded
    assert "Лучшие:" in result.stdout and f"Оценено школ: {len(results.schools)}" in result.stdout
    for name in ("ranking.xlsx", "scores.csv", "indicators.csv", "report.md", "report.html"):
        assert (out / name).is_file(), name
    frame = _read_csv(out / "scores.csv")
    assert frame["Код ОО"].tolist() == [s.code for s in results.schools]
    assert frame["Итог"].tolist() == [round(s.total, 1) for s in results.schools]
    assert max(len(str(x)) for x in (out / "scores.csv").read_text(encoding="utf-8-sig").split(";")) < 120
    book = openpyxl.load_workbook(out / "ranking.xlsx", read_only=True)
    codes = [row[1] for row in book["Рейтинг"].iter_rows(min_row=2, values_only=True)]
    assert codes == [s.code for s in results.schools]
    missing = [row[0] for row in book["Не представили"].iter_rows(min_row=2, values_only=True)]
    assert missing == [e.code for e in results.not_submitted]
    excluded = [row[:3] for row in book["Исключены"].iter_rows(min_row=2, values_only=True)]
    assert {row[0] for row in excluded} == {e.code for e in results.excluded}  # a row per error
    assert ("0107", "МБОУ «СОШ с. Выдуманка»", "0107.xlsx") in excluded
    book.close()


def test_run_api_on_a_consolidated_table(tmp_path):
    config = make_config([block("B", [linear("A")])])
    table = tmp_path / "свод.csv"
    table.write_text("code;name;A\n01;Школа 1;40\n02;Школа 2;90\n", encoding="utf-8-sig")
    results = vosp_monitor.run(table, config, tmp_path / "out", RunOptions(table=True))
    assert [(s.code, s.place, s.total) for s in results.schools] == [("02", 1, 90), ("01", 2, 40)]
    assert (tmp_path / "out" / "ranking.xlsx").is_file()
    assert read_results_json(tmp_path / "out" / "results.json").schools[0].code == "02"
    assert vosp_monitor.run(table, config, options=RunOptions(table=True)).schools[1].code == "01"


def test_import_stays_light_and_run_is_lazy():
    import subprocess
    import sys

    code = (
        "import sys, vosp_monitor; assert 'numpy' not in sys.modules and 'xlsxwriter' not in sys.modules; "
        "assert callable(vosp_monitor.run)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_score_needs_a_folder_or_a_table(tmp_path):
    result = CliRunner().invoke(main, ["score", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "укажите папку с формами (или одну форму) или сводную таблицу" in result.stderr


# --------------------------------------------------------------------------- fast paths


def _tricky_results():
    """make_results with names and values that exercise every escaping rule of the xlsx writer."""
    import dataclasses
    import math

    from factories import make_results

    results = make_results(30)
    names = [
        "A & B <i>",
        " leading space",
        "trailing tab\t",
        "bell\x07 and _x0041_ literal",
        "\ufffe odd",
        "line\nbreak",
        "<r>rich-looking</r>",
        "",
        "x" * 40000,  # beyond Excel's 32,767 characters: truncated like xlsxwriter does
    ]
    for record, name in zip(results.schools, names, strict=False):
        record.name = name
    first = results.schools[0]
    first.indicators = dict(first.indicators)
    code = next(iter(first.indicators))
    first.indicators[code] = dataclasses.replace(first.indicators[code], value=-0.0, points=1e-20)
    results.schools[1].blocks = {
        k: dataclasses.replace(b, score=math.nan) for k, b in results.schools[1].blocks.items()
    }
    # A comment on the very last row of «Значения», where xlsxwriter is most fragile.
    last = results.schools[-1]
    results.normalisations.append(Normalisation(last.file, "Показатели", "E5", code, "1,5", "1.5"))
    return results


def test_fast_xlsx_rows_are_what_xlsxwriter_writes(tmp_path):
    """The fast row writer must produce the very sheets xlsxwriter's public API writes."""
    import zipfile

    from vosp_monitor.writers.xlsx.ranking import write_ranking_xlsx

    results = _tricky_results()
    # The public API refuses NaN (the fast path writes an empty cell), and in constant_memory
    # mode it writes a text shaped like «<r>…</r>» as raw rich-text XML (the fast path
    # escapes it: see the next test). Compare without those two.
    for b in results.schools[1].blocks.values():
        b.score = None
    results.schools[6].name = "r-shaped, but not rich"
    write_ranking_xlsx(results, tmp_path / "fast.xlsx")
    write_ranking_xlsx(results, tmp_path / "api.xlsx", fast=False)
    with zipfile.ZipFile(tmp_path / "fast.xlsx") as fast, zipfile.ZipFile(tmp_path / "api.xlsx") as api:
        assert fast.namelist() == api.namelist()
        differ = [n for n in fast.namelist() if fast.read(n) != api.read(n) and n != "docProps/core.xml"]
    assert differ == []


def test_fast_xlsx_keeps_text_as_text_and_drops_nan(tmp_path):
    from vosp_monitor.writers.xlsx.ranking import write_ranking_xlsx

    results = _tricky_results()
    write_ranking_xlsx(results, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    ws = book["Рейтинг"]
    names = {row[2].value for row in ws.iter_rows(min_row=2)}
    assert {"A & B <i>", " leading space", "trailing tab\t", "line\nbreak", "<r>rich-looking</r>"} <= names
    # Control characters are dropped (text.xml_text); a literal «_x0041_» is escaped as
    # Excel expects (openpyxl does not decode the escape) and U+FFFE, no XML character, goes.
    assert {"bell and _x005F_x0041_ literal", " odd"} <= names
    assert max(len(n or "") for n in names) == 32767
    nan_school = results.schools[1]
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == nan_school.code)
    assert [c.value for c in row[5 : 5 + len(nan_school.blocks)]] == [None] * len(nan_school.blocks)
    noted = [c for r in book["Значения"].iter_rows(min_row=3) for c in r if c.comment is not None]
    assert any("«1,5»" in c.comment.text for c in noted)


def test_fast_csv_matches_the_plain_writer(tmp_path):
    """Memoised numbers and texts, batched lines: the same bytes as csv.writer over the helpers."""
    import csv as csv_module

    from vosp_monitor.config.expression_text import named_values
    from vosp_monitor.writers import tables

    results = _tricky_results()
    tables_path = tmp_path / "fast.csv"
    tables.write_indicators_csv(results, tables_path)
    header = tables.INDICATORS_HEADER
    with (tmp_path / "plain.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv_module.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for s in results.schools:
            for ind in results.config.indicators():
                r = s.indicators[ind.code]
                texts = [s.code, s.name, results.config.block_of()[ind.code], ind.code]
                numbers = [r.value, r.numerator, r.denominator, r.points, r.max_points]
                row = [tables.csv_text(t) for t in texts] + [csv_number(x, 2) for x in numbers]
                row.append(csv_number(r.score, tables.score_decimals(results.config)))
                row += [tables.STATUS_RU[r.status], "да" if r.deficit else "нет"]
                row += [
                    tables.csv_text(named_values(r.inputs)) if r.inputs else "",
                    "да" if r.small else "нет",
                ]
                writer.writerow(row)
    assert tables_path.read_bytes() == (tmp_path / "plain.csv").read_bytes()


def test_negative_numbers_stay_numbers_and_only_text_gets_the_formula_guard(tmp_path):
    """A negative value was written as text «'-5,5» (issue 9, item 9); text still gets «'»."""
    config = make_config([block("B", [linear("N", low=-10, high=10)])])
    subs = [school("0101", {"N": -5.5}, name="-Школа"), school("0102", {"N": 3}, name="+7 школа")]
    write_tables(build_results(config, subs), tmp_path)
    text = (tmp_path / "indicators.csv").read_text(encoding="utf-8-sig")
    rows = [line.split(";") for line in text.splitlines()[1:]]
    by_code = {row[0]: row for row in rows}
    assert by_code["0101"][4] == "-5,5" and by_code["0101"][1] == "'-Школа"
    assert by_code["0102"][1] == "'+7 школа"
    assert "'-5" not in text
    frame = _read_csv(tmp_path / "indicators.csv")
    assert frame.loc[frame["Код ОО"] == "0101", "Значение"].tolist() == [-5.5]


def test_codes_with_leading_zeros_are_text_in_ranking_xlsx_and_unchanged_in_csv(written):
    """The documented outcome for «0101»: text in ranking.xlsx, written as is in scores.csv."""
    out, results, _ = written
    book = openpyxl.load_workbook(out / "ranking.xlsx")
    cells = [row[1] for row in book["Рейтинг"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == [s.code for s in results.schools]
    assert all(c.data_type == "s" for c in cells) and "0101" in [c.value for c in cells]
    lines = (out / "scores.csv").read_text(encoding="utf-8-sig").splitlines()
    assert any(line.split(";")[1] == "0101" for line in lines[1:])


UNRULY = (
    "Школа\x0bс переносом",  # Shift+Enter in text pasted from Word
    "\x1b[31mкрасная\x1b[0m школа",  # ANSI escapes
    "строка\nвторая\r\nтретья",
    "\u202eанавИ\u200f и \u200e",  # RTL override and marks
    "школа 🏫 № 5\x00\x07",
    "Я" * 10_000,
)


def _unruly_results():
    config = make_config(
        [block("B", [linear("A", measure="Мера\x0bс переносом")])], ranking={"groups": ["kind"]}
    )
    subs = [school(f"01{i:02d}", {"A": 10 * i}, name=name, kind=name[:20]) for i, name in enumerate(UNRULY)]
    subs[0].problems.append(
        make_problem("value-outlier", file="0100.xlsx", indicator="A", value="\x1b[2J\x0b", low="1", high="2")
    )
    return build_results(config, subs, not_submitted=[RegistryEntry("0199", "Реестр\x0b\x1bимя")])


def _control_characters(text: str, allowed: str = "\t\n\r") -> set[str]:
    return {ch for ch in text if (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F) and ch not in allowed}


def test_any_text_comes_out_of_every_writer_as_text(tmp_path):
    """Controls, ANSI escapes, line breaks, bidi marks, emoji and 10,000 characters (issue 9, item 2)."""
    from vosp_monitor.writers.html_md.report import render_reports

    results = _unruly_results()
    write_tables(results, tmp_path)
    render_reports(results, tmp_path, charts=False)
    book = openpyxl.load_workbook(tmp_path / "ranking.xlsx")
    names = [row[2].value for row in book["Рейтинг"].iter_rows(min_row=2)]
    assert "Школа\nс переносом" in names  # a vertical tab becomes a line break (text.xml_text)
    assert "[31mкрасная[0m школа" in names  # ESC dropped, the rest kept as text
    assert "Я" * 10_000 in names
    assert not any("_x00" in str(c.value) for ws in book for row in ws.iter_rows() for c in row)
    for name in ("scores.csv", "indicators.csv"):
        text = (tmp_path / name).read_text(encoding="utf-8-sig")
        assert _control_characters(text, allowed="\r\n") == set(), name
        assert "\u202e" not in text
        assert len(text.splitlines()) == 1 + len(UNRULY), name  # one indicator: a line per school
        assert "Школа с переносом" in text and "школа 🏫 № 5" in text
    for name in ("report.md", *(f"schools/{p.name}" for p in (tmp_path / "schools").glob("*.md"))):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert _control_characters(text, allowed="\n") == set(), name
        assert "\u202e" not in text, name
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "строка вторая третья" in md and "анавИ\u200f" in md
    for page in [tmp_path / "report.html", *(tmp_path / "schools").glob("*.html")]:
        text = page.read_text(encoding="utf-8")
        assert _control_characters(text) == set(), page.name
        assert "\u202e" not in text, page.name
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "[31mкрасная [0m школа" in html and "мера с переносом" in html  # one line, as in every format


def test_xlsx_fast_path_is_active_with_the_installed_xlsxwriter(tmp_path):
    """pyproject pins xlsxwriter to the versions the fast path is tested with; a version
    without its internals must fail here, not switch the fast path off silently."""
    import xlsxwriter

    from vosp_monitor.writers.xlsx.stream import StreamSheet, fast_path_available

    assert fast_path_available(), f"xlsxwriter {xlsxwriter.__version__} lacks the fast path's internals"
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    sheet = StreamSheet(book, {"header": None, "note": None}, "Лист", ["A"])
    assert sheet.fast
    book.close()


def test_ranking_xlsx_parts_are_deflated_at_the_fast_level(written):
    """The parts are deflated at ZIP_LEVEL (2, not zlib's 6: three times faster for a
    region), and xlsxwriter's own ZipFile is back in its place after the close."""
    import struct
    import zlib

    import xlsxwriter.workbook

    from vosp_monitor.writers.xlsx.book import ZIP_LEVEL

    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
    path = written[0] / "ranking.xlsx"
    data = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        info = max(archive.infolist(), key=lambda i: i.file_size)
        part = archive.read(info)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    stored = data[start : start + info.compress_size]
    for level, expected in ((ZIP_LEVEL, True), (6, False)):
        deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        assert (deflate.compress(part) + deflate.flush() == stored) is expected, level


def test_public_api_path_writes_nan_as_an_empty_cell(tmp_path):
    """The slow path (an xlsxwriter without the internals) must not die on NaN either."""
    import math

    from vosp_monitor.writers.xlsx.ranking import write_ranking_xlsx

    results = _tricky_results()
    nan_school = results.schools[1]
    assert all(math.isnan(b.score) for b in nan_school.blocks.values())
    write_ranking_xlsx(results, tmp_path / "api.xlsx", fast=False)
    ws = openpyxl.load_workbook(tmp_path / "api.xlsx")["Рейтинг"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == nan_school.code)
    assert [c.value for c in row[5 : 5 + len(nan_school.blocks)]] == [None] * len(nan_school.blocks)


def test_csv_never_multiplies_an_unbounded_text(tmp_path):
    """indicators.csv repeats a school's name on every row: no text longer than TEXT_LIMIT."""
    from vosp_monitor.words.text import TEXT_LIMIT

    config = make_config([block("B", [linear("A"), linear("C"), linear("D")])])
    huge = "Ш" * 50_000
    write_tables(build_results(config, [school("0101", {"A": 1, "C": 2, "D": 3}, name=huge)]), tmp_path)
    frame = _read_csv(tmp_path / "indicators.csv")
    assert frame["Наименование ОО"].str.len().tolist() == [TEXT_LIMIT] * 3
    assert frame["Наименование ОО"][0].endswith("…")
    assert (tmp_path / "indicators.csv").stat().st_size < 3 * 3 * TEXT_LIMIT + 1000

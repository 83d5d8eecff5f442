"""Finding and reading submissions: located by content, in every format, safe on hostile files.

Forms are real workbooks written by the tool's own form writer (tests/workbooks.py); the
.ods, .xls and LibreOffice-saved .xlsx come from small committed fixtures made with
LibreOffice from such a form (see :func:`regenerate_fixtures`).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tracemalloc
from pathlib import Path

import pytest

import hostile
from vosp_monitor.ingest import (
    RawForm,
    discover,
    fold_code,
    read_form,
)
from vosp_monitor.ingest.preflight import open_error
from vosp_monitor.problems import Problem
from workbooks import blank_form_bytes, default_config, fill_form, typical_school

FIXTURES = Path(__file__).parent / "fixtures"
CONFIG = default_config()


def school_form(path: Path, **overrides: object) -> Path:
    return fill_form(path, CONFIG, *typical_school("0101", "МБОУ «СОШ № 1»", **overrides))


def read(path: Path) -> RawForm:
    result = read_form(path, CONFIG, path.name)
    assert isinstance(result, RawForm), result
    return result


def problem(path: Path) -> Problem:
    result = read_form(path, CONFIG, path.name)
    assert isinstance(result, Problem), result
    assert result.file == path.name
    return result


def edit(path: Path, change) -> Path:
    """Open a workbook with openpyxl, let ``change`` edit it, save it back."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, rich_text=True)
    change(workbook)
    workbook.save(path)
    return path


def values_of(form: RawForm) -> dict[str, object]:
    flat: dict[str, object] = {f"field:{key}": cell.value for key, cell in form.fields.items()}
    for code, cells in form.indicators.items():
        for role, cell in cells.items():
            flat[f"{code}.{role}"] = cell.value
    return flat


# --------------------------------------------------------------------------- discovery


def test_discover_finds_workbooks_recursively_and_lists_the_rest(tmp_path: Path) -> None:
    for name in ["b.xlsx", "a.XLSX", "sub/c.xlsm", "sub/deeper/d.ods", "e.xls"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    for name in ["~$b.xlsx", ".~lock.b.xlsx#", ".hidden.xlsx", "readme.pdf", "notes", "old.xlsb"]:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.xlsx").write_bytes(b"x")
    (tmp_path / "folder.xlsx").mkdir()
    (tmp_path / "folder.xlsx" / "f.xlsx").write_bytes(b"x")

    found = discover(tmp_path)
    files, skipped = found.sources, found.skipped

    assert [s.name for s in files] == [
        "a.XLSX",
        "b.xlsx",
        "e.xls",
        "folder.xlsx/f.xlsx",
        "sub/c.xlsm",
        "sub/deeper/d.ods",
    ]
    reasons = dict(skipped)
    assert set(reasons) == {
        ".git",
        "~$b.xlsx",
        ".~lock.b.xlsx#",
        ".hidden.xlsx",
        "readme.pdf",
        "notes",
        "old.xlsb",
    }
    assert reasons["readme.pdf"] == "не книга Excel (.pdf)"
    assert "временный файл Excel" in reasons["~$b.xlsx"]
    assert "LibreOffice" in reasons[".~lock.b.xlsx#"]
    assert reasons[".git"] == "скрытая папка"
    assert ".xlsb" in reasons["old.xlsb"]


def test_discover_single_file_returns_it(tmp_path: Path) -> None:
    path = tmp_path / "one.pdf"
    path.write_bytes(b"%PDF")
    found = discover(path)
    assert [(s.path, s.name) for s in found.sources] == [(path, "one.pdf")] and found.skipped == []


# --------------------------------------------------------------------------- reading by content


def test_reads_stamp_fields_and_indicator_cells(tmp_path: Path) -> None:
    form = read(school_form(tmp_path / "f.xlsx"))
    assert (form.form_id, form.form_version) == ("vospitanie-socializaciya", "1.0")
    assert form.stamp_codes == [ind.code for ind in CONFIG.indicators()]
    assert set(form.indicators) == set(form.stamp_codes)
    assert form.fields["code"].value == "0101"
    assert form.fields["students"].value == 400
    assert form.fields["students"].sheet == "Сведения об ОО"
    res5 = form.indicators["RES-5"]
    assert set(res5) == {"numerator", "denominator", "comment"}
    assert (res5["numerator"].value, res5["denominator"].value) == (2, 4)
    assert set(form.indicators["UPR-5"]) == {"numerator", "comment"}  # denominator from a field
    assert set(form.indicators["KR-5"]) == {"value", "comment"}
    assert form.unknown_codes == [] and form.duplicate_codes == []


def test_inserted_rows_and_columns_and_renamed_sheets_still_parse(tmp_path: Path) -> None:
    original = read(school_form(tmp_path / "a.xlsx"))

    def rearrange(workbook) -> None:
        fields = workbook["Сведения об ОО"]
        fields.insert_rows(2, 3)
        fields.insert_cols(1)
        fields.title = "СВЕДЕНИЯ об ОО (2)"
        indicators = workbook["Показатели"]
        indicators.insert_rows(1, 2)
        indicators.insert_cols(3)
        indicators.cell(row=7, column=3, value="мой столбец")
        indicators.title = "показатели  (2)"

    moved = read(edit(school_form(tmp_path / "b.xlsx"), rearrange))
    assert values_of(moved) == values_of(original)
    assert moved.fields["students"].sheet == "СВЕДЕНИЯ об ОО (2)"
    assert moved.fields["students"].cell == "C11"  # was B8: three rows and a column inserted
    assert moved.indicators["RES-5"]["numerator"].cell == "F18"  # was E16


def test_sorted_rows_still_parse(tmp_path: Path) -> None:
    original = read(school_form(tmp_path / "a.xlsx"))

    def reverse_rows(workbook) -> None:
        for name, first in (("Показатели", 5), ("Сведения об ОО", 4)):
            sheet = workbook[name]
            rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=first)]
            for offset, values in enumerate(reversed(rows)):
                for column, value in enumerate(values, start=1):
                    sheet.cell(row=first + offset, column=column).value = value

    shuffled = read(edit(school_form(tmp_path / "b.xlsx"), reverse_rows))
    assert values_of(shuffled) == values_of(original)
    assert shuffled.indicators["UPR-1"]["value"].cell != original.indicators["UPR-1"]["value"].cell


def test_fields_by_key_when_labels_were_edited_and_by_label_prefix(tmp_path: Path) -> None:
    def relabel(workbook) -> None:
        sheet = workbook["Сведения об ОО"]
        for row in sheet.iter_rows(min_row=4):
            if row[3].value == "students":
                row[0].value = "Обучающихся всего"  # label rewritten; hidden key in D remains
            if row[3].value == "teachers":
                row[0].value = "Численность педагогических работников"  # truncated label
                row[3].value = None

    form = read(edit(school_form(tmp_path / "f.xlsx"), relabel))
    assert form.fields["students"].value == 400
    assert form.fields["teachers"].value == 32


def test_unknown_and_duplicate_codes_and_block_rows(tmp_path: Path) -> None:
    def add_rows(workbook) -> None:
        sheet = workbook["Показатели"]
        last = sheet.max_row
        sheet.cell(row=last + 1, column=1, value="UPR-99")
        sheet.cell(row=last + 2, column=1, value="upr–2")  # a known code again, typed loosely
        sheet.cell(row=last + 3, column=1, value="Итого")  # a note, not a code

    form = read(edit(school_form(tmp_path / "f.xlsx"), add_rows))
    assert [cell.value for cell in form.unknown_codes] == ["UPR-99"]
    assert form.unknown_codes[0].sheet == "Показатели"
    assert [cell.value for cell in form.duplicate_codes] == ["upr–2"]
    assert fold_code(" upr – 2 ") == "UPR-2"


def test_error_cells_formulas_without_value_and_percent_format(tmp_path: Path) -> None:
    def mark(workbook) -> None:
        sheet = workbook["Показатели"]
        for row in sheet.iter_rows(min_row=5):
            if row[0].value == "RES-6":
                row[3].value = "#DIV/0!"
                row[3].data_type = "e"
            if row[0].value == "KR-6":
                row[3].value = "=2+3"
            if row[0].value == "ROD-3":
                row[3].value = 0.65
                row[3].number_format = "0.0%"

    form = read(edit(school_form(tmp_path / "f.xlsx"), mark))
    error = form.indicators["RES-6"]["value"]
    assert (error.value, error.error) == ("", "#DIV/0!")
    formula = form.indicators["KR-6"]["value"]
    assert formula.formula_without_value and formula.error is None
    percent = form.indicators["ROD-3"]["value"]
    assert (percent.value, percent.percent_format) == (0.65, True)
    assert not form.indicators["KR-7"]["value"].percent_format


def test_recognised_by_headers_when_stamp_is_gone(tmp_path: Path) -> None:
    def drop_stamp(workbook) -> None:
        del workbook["_vosp"]

    form = read(edit(school_form(tmp_path / "f.xlsx"), drop_stamp))
    assert form.form_id == "" and form.form_version == "" and form.stamp_codes == []
    assert len(form.indicators) == len(CONFIG.indicators())


def test_retyped_single_sheet_form_without_stamp(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Лист1"
    sheet.append(["Код ОО (по реестру)", "0202"])
    sheet.append(["Численность обучающихся, чел.", 250])
    sheet.append([])
    sheet.append(["код", "показатель", "значение", "числитель", "знаменатель"])
    sheet.append(["UPR-2", "…", 3])
    sheet.append(["RES-5", "…", None, 5, 10])
    workbook.save(tmp_path / "retyped.xlsx")

    form = read(tmp_path / "retyped.xlsx")
    assert form.form_id == ""
    assert form.fields["code"].value == "0202"
    assert form.fields["students"].value == 250
    assert form.indicators["UPR-2"]["value"].value == 3
    assert form.indicators["RES-5"]["numerator"].cell == "D6"


def test_workbook_that_is_not_the_form(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Фамилия", "Класс"])
    workbook.save(tmp_path / "other.xlsx")
    assert problem(tmp_path / "other.xlsx").code == "form-unknown"

    generic = Workbook()
    generic.active.append(["Код", "Значение"])
    generic.active.append(["X-1", 5])
    generic.save(tmp_path / "generic.xlsx")
    found = problem(tmp_path / "generic.xlsx")
    assert found.code == "form-unknown"
    assert "ни одного кода" in found.message


@pytest.mark.parametrize("name", ["form.ods", "form.xls"])
def test_ods_and_xls_fixtures_read_like_the_xlsx_saved_with_them(name: str) -> None:
    """The three fixtures were converted from one source at once: same cells, same values."""
    baseline = read(FIXTURES / "form-libreoffice.xlsx")
    form = read(FIXTURES / name)
    assert (form.form_id, form.form_version) == (baseline.form_id, baseline.form_version)
    assert form.stamp_codes == baseline.stamp_codes
    assert values_of(form) == values_of(baseline)
    assert form.fields["filled_on"].value == baseline.fields["filled_on"].value
    for code, cells in baseline.indicators.items():
        assert {role: c.cell for role, c in form.indicators[code].items()} == {
            role: c.cell for role, c in cells.items()
        }


def test_libreoffice_xlsx_fixture_holds_the_typed_values() -> None:
    form = read(FIXTURES / "form-libreoffice.xlsx")
    assert form.fields["code"].value == "0101"
    assert form.fields["students"].value == 400
    assert (form.indicators["RES-5"]["numerator"].value, form.indicators["RES-5"]["denominator"].value) == (
        2,
        4,
    )
    assert form.indicators["UPR-2"]["value"].value == 2


def test_libreoffice_xlsx_keeps_errors_and_percent_visible() -> None:
    form = read(FIXTURES / "form-libreoffice.xlsx")
    assert form.indicators["RES-6"]["value"].error == "#DIV/0!"
    assert form.indicators["KR-6"]["value"].value == 5  # the cached result of =2+3
    assert not form.indicators["KR-6"]["value"].formula_without_value
    assert form.indicators["ROD-3"]["value"].percent_format


def fixture_source(path: Path) -> Path:
    """The form behind the committed fixtures: a typical school with an error cell, a
    formula and a percent-formatted value, without the instructions sheet (smaller)."""

    def mark(workbook) -> None:
        del workbook["Инструкция"]
        sheet = workbook["Показатели"]
        for row in sheet.iter_rows(min_row=5):
            if row[0].value == "RES-6":
                row[3].value = "=1/0"
            if row[0].value == "KR-6":
                row[3].value = "=2+3"
            if row[0].value == "ROD-3":
                row[3].value = 0.65
                row[3].number_format = "0%"

    return edit(school_form(path), mark)


def hidden_copies(workbook) -> None:
    """Hidden copies of «Показатели» and «Сведения об ОО» placed first, with other numbers:
    what a school does not see must never be scored."""
    for title, key, column, value in (("Показатели", "UPR-2", 3, 9), ("Сведения об ОО", "students", 1, 999)):
        copy = workbook.copy_worksheet(workbook[title])
        copy.title = f"{title} (старая)"
        for row in copy.iter_rows():
            if row[0].value == key or (len(row) > 3 and row[3].value == key):
                row[column].value = value
        copy.sheet_state = "hidden"
        workbook.move_sheet(copy, offset=-(len(workbook.sheetnames) - 1))


def hidden_fixture_source(path: Path) -> Path:
    """The form behind hidden-sheet.ods/.xls: a typical school with hidden copies first."""

    def mark(workbook) -> None:
        del workbook["Инструкция"]
        hidden_copies(workbook)

    return edit(school_form(path), mark)


def regenerate_fixtures() -> None:  # pragma: no cover - run by hand when the form changes
    """``python -c "import sys; sys.path[:0]=['tests']; import test_ingest as t; t.regenerate_fixtures()"``"""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for stem, make, targets in (
            (
                "form",
                fixture_source,
                (("ods", "form.ods"), ("xls", "form.xls"), ("xlsx", "form-libreoffice.xlsx")),
            ),
            (
                "hidden-sheet",
                hidden_fixture_source,
                (("ods", "hidden-sheet.ods"), ("xls", "hidden-sheet.xls")),
            ),
        ):
            source = make(Path(tmp) / f"{stem}.xlsx")
            for target, name in targets:
                out = Path(tmp) / target
                subprocess.run(
                    ["soffice", "--headless", "--convert-to", target, "--outdir", str(out), str(source)],
                    check=True,
                )
                shutil.copy(out / f"{stem}.{target}", FIXTURES / name)


# --------------------------------------------------------------------------- broken and hostile files


@pytest.fixture(scope="module")
def form_bytes() -> bytes:
    buffer = io.BytesIO()
    buffer.write(blank_form_bytes(CONFIG))
    return buffer.getvalue()


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.xlsx").write_bytes(b"")
    found = problem(tmp_path / "empty.xlsx")
    assert found.code == "file-empty"
    assert found.consequence_text == "файл не обработан"


def test_truncated_zip(tmp_path: Path, form_bytes: bytes) -> None:
    found = problem(hostile.truncated(form_bytes, tmp_path / "cut.xlsx"))
    assert found.code == "file-corrupt"
    assert "повреждён" in found.message


@pytest.mark.parametrize(
    ("builder", "words"),
    [
        (hostile.random_bytes, "не похоже"),
        (hostile.pdf_renamed, "PDF"),
        (hostile.html_renamed, "HTML"),
    ],
)
def test_not_a_workbook(tmp_path: Path, builder, words: str) -> None:
    found = problem(builder(tmp_path / "x.xlsx"))
    assert found.code == "file-not-workbook"
    assert found.message.startswith("Это не книга Excel: ") and words in found.message


def test_text_and_docx_renamed(tmp_path: Path) -> None:
    (tmp_path / "table.xls").write_text("Код;Значение\nUPR-1;5\n", encoding="cp1251")
    assert "текстовый файл" in problem(tmp_path / "table.xls").message
    import zipfile

    with zipfile.ZipFile(tmp_path / "letter.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert "Word" in problem(tmp_path / "letter.xlsx").message


@pytest.mark.parametrize("name", ["locked.xlsx", "locked.xls"])
def test_password_encrypted_workbook(tmp_path: Path, name: str) -> None:
    found = problem(hostile.encrypted_workbook(tmp_path / name))
    assert found.code == "file-encrypted"
    assert "паролем" in found.message


def test_entity_expansion_is_refused(tmp_path: Path, form_bytes: bytes) -> None:
    found = problem(hostile.billion_laughs(form_bytes, tmp_path / "lol.xlsx"))
    assert found.code == "file-unsafe"
    assert "xl/workbook.xml" in found.message


def test_zip_bomb_is_refused_from_the_directory_without_inflating(tmp_path: Path) -> None:
    bomb = hostile.zip_bomb(tmp_path / "bomb.xlsx", megabytes=300)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    found = problem(bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert found.code == "file-too-large"
    assert "МБ" in found.message
    assert peak < 10 * 1024 * 1024  # the file itself (~1 MB) and bookkeeping, never the 300 MB


def test_enormous_declared_dimension(tmp_path: Path, form_bytes: bytes) -> None:
    found = problem(hostile.declared_dimension(form_bytes, tmp_path / "huge.xlsx"))
    assert found.code == "file-too-large"
    assert "1048576 строк" in found.message


def test_one_far_cell_is_refused_before_calamine_allocates_the_grid(
    tmp_path: Path, form_bytes: bytes
) -> None:
    found = problem(hostile.far_cell(form_bytes, tmp_path / "far.xlsx"))
    assert found.code == "file-too-large"
    assert "Показатели" in found.message


def test_far_cell_hidden_by_a_tab_is_refused_and_would_abort_calamine(
    tmp_path: Path, form_bytes: bytes
) -> None:
    from vosp_monitor.pipeline.pool import Done, Failed, map_isolated

    far = hostile.far_cell_evasive(form_bytes, tmp_path / "far.xlsx")
    found = problem(far)
    assert found.code == "file-too-large"
    assert "1048576 строк" in found.message
    # Why it matters: the bare reader dies on this file; the pool confines that to the file.
    good = school_form(tmp_path / "good.xlsx")
    outcomes = map_isolated(hostile.calamine_only, [str(far), str(good)], jobs=1, memory_mb=300)
    assert isinstance(outcomes[0], Failed) and outcomes[0].kind in ("crash", "memory")
    assert isinstance(outcomes[1], Done)


def test_file_deleted_between_discover_and_read(tmp_path: Path) -> None:
    path = school_form(tmp_path / "gone.xlsx")
    files = discover(tmp_path).sources
    path.unlink()
    found = problem(files[0].path)
    assert found.code == "file-unreadable"
    assert "удалён" in found.message


def test_directory_named_like_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").mkdir()
    assert problem(tmp_path / "x.xlsx").code == "file-not-workbook"


def test_permission_errors_name_the_lock_on_windows() -> None:
    assert open_error(PermissionError(13, "denied"), windows=True).code == "file-locked"
    assert open_error(PermissionError(13, "denied"), windows=False).code == "file-unreadable"


def test_reading_never_modifies_the_input(tmp_path: Path) -> None:
    path = school_form(tmp_path / "f.xlsx")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    path.rename(tmp_path / "moved.xlsx")  # no handle left open (would fail on Windows)


def test_a_batch_with_every_hostile_file_reads_the_good_ones_in_workers(
    tmp_path: Path, form_bytes: bytes
) -> None:
    """In spawned workers, as the pipeline runs: each bad file is one problem, the rest is read,
    and what travels back to the parent is a small record, never the workbook."""
    import pickle

    from vosp_monitor.pipeline.pool import Done, map_isolated

    school_form(tmp_path / "good1.xlsx")
    shutil.copy(FIXTURES / "form.ods", tmp_path / "good2.ods")
    hostile.truncated(form_bytes, tmp_path / "bad-cut.xlsx")
    hostile.encrypted_workbook(tmp_path / "bad-locked.xlsx")
    hostile.zip_bomb(tmp_path / "bad-bomb.xlsx", megabytes=100)
    hostile.billion_laughs(form_bytes, tmp_path / "bad-lol.xlsx")
    hostile.pdf_renamed(tmp_path / "bad-pdf.xlsx")
    (tmp_path / "bad-empty.xls").write_bytes(b"")
    (tmp_path / "~$good1.xlsx").write_bytes(b"lock")

    found = discover(tmp_path)
    assert found.skipped == [("~$good1.xlsx", "временный файл Excel (книга открыта в Excel)")]
    items = [(str(source.path), source.name) for source in found.sources]
    outcomes = map_isolated(hostile.read_in_worker, items, context=CONFIG, jobs=2, timeout=10, memory_mb=300)

    assert all(isinstance(outcome, Done) for outcome in outcomes)
    results = {name: outcome.value for (_, name), outcome in zip(items, outcomes, strict=True)}
    assert {name: r.code for name, r in results.items() if isinstance(r, Problem)} == {
        "bad-bomb.xlsx": "file-too-large",
        "bad-cut.xlsx": "file-corrupt",
        "bad-empty.xls": "file-empty",
        "bad-locked.xlsx": "file-encrypted",
        "bad-lol.xlsx": "file-unsafe",
        "bad-pdf.xlsx": "file-not-workbook",
    }
    for name in ("good1.xlsx", "good2.ods"):
        assert isinstance(results[name], RawForm)
        assert results[name].fields["code"].value == "0101"
        assert len(pickle.dumps(results[name])) < 20_000


# --------------------------------------------------------------------------- lazy detail passes


def test_a_filled_form_needs_no_detail_pass_and_an_empty_cell_triggers_it(tmp_path: Path) -> None:
    """The XML detail passes run only for cells that need them: a filled form never pays."""
    from vosp_monitor.ingest import preflight
    from vosp_monitor.ingest.book import Book
    from vosp_monitor.ingest.recognise import Expected, recognise

    path = school_form(tmp_path / "f.xlsx")
    data = path.read_bytes()
    book = Book(data, preflight.inspect_zip(data))
    recognise(book, Expected.of(CONFIG), path.name)
    assert book._details == {} and book._percent == {}

    def blank_students(workbook) -> None:
        for row in workbook["Сведения об ОО"].iter_rows():
            if row[3].value == "students":
                row[1].value = "#N/A"
                row[1].data_type = "e"

    form = read(edit(school_form(tmp_path / "g.xlsx"), blank_students))
    assert (form.fields["students"].value, form.fields["students"].error) == ("", "#N/A")


def test_percent_format_is_seen_whatever_the_number(tmp_path: Path) -> None:
    """A percent-formatted 30 is 3000 % on screen: flagged like 0.3, so validation scales both."""

    def mark(workbook) -> None:
        for row in workbook["Показатели"].iter_rows(min_row=5):
            if row[0].value == "ROD-3":
                row[3].value = 30
                row[3].number_format = "0%"

    form = read(edit(school_form(tmp_path / "f.xlsx"), mark))
    assert (form.indicators["ROD-3"]["value"].value, form.indicators["ROD-3"]["value"].percent_format) == (
        30,
        True,
    )


def test_member_that_does_not_match_its_directory_entry_is_corrupt(tmp_path: Path, form_bytes: bytes) -> None:
    """A sheet whose bytes were damaged inside the zip: refused, never half-read."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(form_bytes)) as archive:
        info = archive.getinfo("xl/worksheets/sheet3.xml")
    damaged = bytearray(form_bytes)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    damaged[middle : middle + 8] = bytes(b ^ 0x5A for b in damaged[middle : middle + 8])
    (tmp_path / "damaged.xlsx").write_bytes(bytes(damaged))
    found = problem(tmp_path / "damaged.xlsx")
    assert found.code == "file-corrupt"
    assert "sheet3.xml" in found.message


def test_cells_after_the_first_sheet_data_are_ignored_by_calamine_and_by_the_scan(
    tmp_path: Path, form_bytes: bytes
) -> None:
    """The extent scan stops at the first </sheetData>; this pins that calamine does too,
    and that a comment (which could hide a fake end tag) makes the scan read everything."""
    from python_calamine import CalamineWorkbook

    far_row = b'<sheetData><row r="3000"><c r="A3000" t="n"><v>7</v></c></row></sheetData></worksheet>'
    second = hostile.rewrite_zip(
        form_bytes,
        tmp_path / "second.xlsx",
        {"xl/worksheets/sheet3.xml": lambda xml: xml.replace(b"</worksheet>", far_row, 1)},
    )
    rows = CalamineWorkbook.from_path(str(second)).get_sheet_by_name("Показатели").to_python()
    assert len(rows) < 100  # the second sheetData was not read
    assert isinstance(read_form(second, CONFIG, second.name), RawForm)

    hidden = b'<!-- </sheetData> --><row r="6000"><c r="A6000" t="n"><v>7</v></c></row></sheetData>'
    commented = hostile.rewrite_zip(
        form_bytes,
        tmp_path / "commented.xlsx",
        {"xl/worksheets/sheet3.xml": lambda xml: xml.replace(b"</sheetData>", hidden, 1)},
    )
    found = problem(commented)
    assert found.code == "file-too-large"
    assert "6000 строк" in found.message
    from vosp_monitor.ingest import preflight

    package = preflight.inspect_zip(commented.read_bytes())
    assert package.archive is not None
    assert b'r="6000"' in package.archive.read_cells("xl/worksheets/sheet3.xml")  # read past the fake end


# --------------------------------------------------------------------------- what the school sees


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_copies_placed_first_are_never_read_as_data(tmp_path: Path, state: str) -> None:
    def hide(workbook) -> None:
        hidden_copies(workbook)
        for sheet in workbook.worksheets[:2]:
            sheet.sheet_state = state

    form = read(edit(school_form(tmp_path / "f.xlsx"), hide))
    assert form.indicators["UPR-2"]["value"].value == 2  # the visible sheet's, not the hidden 9
    assert form.indicators["UPR-2"]["value"].sheet == "Показатели"
    assert form.fields["students"].value == 400
    assert form.fields["students"].sheet == "Сведения об ОО"
    assert form.hidden_sheets == ["Сведения об ОО (старая)", "Показатели (старая)"]
    assert form.duplicate_codes == []


@pytest.mark.parametrize("name", ["hidden-sheet.ods", "hidden-sheet.xls"])
def test_hidden_sheets_in_ods_and_xls(name: str) -> None:
    form = read(FIXTURES / name)
    assert form.indicators["UPR-2"]["value"].value == 2
    assert form.fields["students"].value == 400
    assert form.hidden_sheets == ["Сведения об ОО (старая)", "Показатели (старая)"]


def test_a_form_only_in_a_hidden_sheet_is_not_recognised_and_the_message_says_why(tmp_path: Path) -> None:
    def hide(workbook) -> None:
        workbook["Показатели"].sheet_state = "hidden"

    found = problem(edit(school_form(tmp_path / "f.xlsx"), hide))
    assert found.code == "form-unknown"
    assert "скрытые листы не читаются: Показатели" in found.message


def test_service_sheets_are_hidden_by_design_and_not_listed(tmp_path: Path) -> None:
    form = read(school_form(tmp_path / "f.xlsx"))
    assert form.hidden_sheets == []
    assert form.form_id  # the hidden stamp is still read


# --------------------------------------------------------------------------- bounded text


def test_long_text_is_cut_and_the_original_length_recorded(tmp_path: Path) -> None:
    from vosp_monitor.words.text import TEXT_LIMIT

    name = "Ш" * 30_000  # Excel holds up to 32767 characters in a cell
    comment = "к" * (TEXT_LIMIT + 1)
    fields, values = typical_school("0101", name)
    values["KR-1"] = {"value": 10, "comment": comment}
    form = read(fill_form(tmp_path / "f.xlsx", CONFIG, fields, values))
    cut = form.fields["name"]
    assert len(cut.value) == TEXT_LIMIT and cut.value.endswith("…")
    assert cut.truncated_from == 30_000
    assert form.indicators["KR-1"]["comment"].truncated_from == TEXT_LIMIT + 1
    assert form.fields["code"].truncated_from == 0
    exact = read(fill_form(tmp_path / "g.xlsx", CONFIG, *typical_school("0101", "Ш" * TEXT_LIMIT)))
    assert (exact.fields["name"].value, exact.fields["name"].truncated_from) == ("Ш" * TEXT_LIMIT, 0)


def test_long_texts_in_label_and_code_cells_are_never_compared(tmp_path: Path) -> None:
    """A huge text where a label or a code could be is data: skipped, and the form still reads."""

    def stuff(workbook) -> None:
        sheet = workbook["Показатели"]
        sheet.cell(row=sheet.max_row + 1, column=1, value="UPR-2" + " " * 600)
        workbook["Сведения об ОО"]["F4"] = "Численность обучающихся, чел." + "!" * 600

    form = read(edit(school_form(tmp_path / "f.xlsx"), stuff))
    assert form.duplicate_codes == [] and form.unknown_codes == []
    assert form.fields["students"].value == 400


# --------------------------------------------------------------------------- the reader of a run


def test_form_reader_is_built_once_pickled_and_reused(tmp_path: Path) -> None:
    import pickle

    from vosp_monitor.ingest import FormReader

    reader = pickle.loads(pickle.dumps(FormReader(CONFIG)))
    first = reader.read(school_form(tmp_path / "a.xlsx"), "a.xlsx")
    second = reader.read(
        fill_form(tmp_path / "b.xlsx", CONFIG, *typical_school("0102", "Школа № 2")), "b.xlsx"
    )
    assert isinstance(first, RawForm) and isinstance(second, RawForm)
    assert (first.fields["code"].value, second.fields["code"].value) == ("0101", "0102")
    assert values_of(first) == values_of(read(tmp_path / "a.xlsx"))
    assert len(pickle.dumps(reader)) < 10_000  # codes and labels, not the config
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert reader.read(tmp_path / "empty.xlsx", "empty.xlsx").code == "file-empty"

"""One reader of one-sheet tables for the registry and the consolidated table: encodings and
delimiters as people's exports have them."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vosp_monitor.dynamics import read_school_map
from vosp_monitor.ingest.registry import RegistryError, read_registry
from vosp_monitor.ingest.table import TableError, read_table
from vosp_monitor.ingest.tabular import decode, read_delimited, read_rows, sniff_delimiter
from vosp_monitor.words.text import TEXT_LIMIT
from workbooks import default_config

ROWS = [
    ["Код ОО", "Наименование", "Обучающихся, чел.", "Тип ОО"],
    ["0101", "МБОУ «СОШ № 1», р.п. Вымышленное", "812", "Средняя школа"],
    ["0102", "Школа № 2", "640", "Гимназия, лицей"],
]


def _text(delimiter: str) -> str:
    def quoted(cell: str) -> str:
        return f'"{cell}"' if delimiter in cell else cell

    return "\r\n".join(delimiter.join(quoted(cell) for cell in row) for row in ROWS) + "\r\n"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("cp1251"),
        lambda text: text.encode("utf-16"),  # Excel's «Текст Юникод» (with a BOM)
        lambda text: text.encode("utf-16-le"),  # the same without a BOM
    ],
    ids=["utf-8", "utf-8-bom", "cp1251", "utf-16", "utf-16-no-bom"],
)
def test_every_encoding_and_delimiter(delimiter: str, encode) -> None:
    assert read_delimited(encode(_text(delimiter))) == ROWS


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("encoding", ["cp866", "koi8_r"])
def test_dos_and_koi8_code_pages(delimiter: str, encoding: str) -> None:
    """Old DOS and 1C exports: the code pages have no «» or №, so the names here have none."""
    rows = [["Код ОО", "Наименование", "Тип ОО"], ["0101", "МБОУ СОШ 1 имени Щорса", "Средняя школа"]]
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    assert read_delimited(text.encode(encoding)) == rows


WORDS = [
    "Муниципальное",
    "бюджетное",
    "общеобразовательное",
    "учреждение",
    "средняя",
    "школа",
    "гимназия",
    "лицей",
    "МБОУ",
    "СОШ",
    "имени",
    "Героя",
    "Советского",
    "Союза",
    "Щорса",
    "посёлка",
    "Юбилейный",
    "Эхо",
    "Фёдоровка",
    "численность",
    "обучающихся",
]


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(1, 9999), st.lists(st.sampled_from(WORDS), min_size=1, max_size=8)),
        min_size=1,
        max_size=6,
    ),
    encoding=st.sampled_from(
        ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "cp866", "koi8_r"]
    ),
)
def test_a_registry_in_any_russian_encoding_reads_back_as_written(rows, encoding) -> None:
    """A header and a few rows of names, as an authority's registry holds: every encoding people's
    exports use is found; a text of a couple of words alone may be ambiguous, a registry never is."""
    text = "Код ОО;Наименование\r\n" + "".join(f"{code:04d};{' '.join(words)}\r\n" for code, words in rows)
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize(
    "data", [bytes(range(1, 256)) * 4, b"\x00\x01\x02binary\xff" * 10], ids=["noise", "binary"]
)
def test_text_in_no_known_encoding_is_an_error_naming_the_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "реестр.csv"
    path.write_bytes(data)
    with pytest.raises(RegistryError) as error:
        read_registry(path)
    assert str(error.value).startswith("реестр.csv: не удалось определить кодировку текста")


def test_commas_inside_labels_do_not_split_a_semicolon_file() -> None:
    """Counting separators in the header alone picks «,» here: two of each, one more data row."""
    text = "Код ОО;Обучающихся, чел.;Педагогов, чел.\n0101;812;60\n0102;640;48\n"
    assert sniff_delimiter(text) == ";"
    assert read_delimited(text.encode("cp1251"))[1] == ["0101", "812", "60"]


def test_one_column_and_empty_files() -> None:
    assert read_delimited("Код ОО\n0101\n".encode()) == [["Код ОО"], ["0101"]]
    assert read_delimited(b"") == []
    assert decode("Школа".encode("cp1251")) == "Школа"


def test_csv_that_cannot_be_parsed_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("Код ОО;Наименование\n0101;" + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"huge\.csv"):
        read_rows(path, RegistryError)
    with pytest.raises(TableError, match="ожидалась таблица"):
        read_rows(tmp_path / "t.pdf", TableError)


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_registry_reads_every_delimiter(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "registry.csv"
    path.write_bytes(_text(delimiter).encode("cp1251"))
    entries = read_registry(path)
    assert [(e.code, e.name) for e in entries] == [
        ("0101", "МБОУ «СОШ № 1», р.п. Вымышленное"),
        ("0102", "Школа № 2"),
    ]
    assert dict(entries[1].extra) == {"Обучающихся, чел.": "640", "Тип ОО": "Гимназия, лицей"}


def test_registry_from_a_workbook_with_codes_as_numbers_and_look_alike_duplicates(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["код оо:", "Наименование"])
    sheet.append([101, "Школа № 1"])
    sheet.append(["０１０２", "Школа № 2"])
    sheet.append(["0102\u200b", "Школа № 2 ещё раз"])  # the same code with a zero-width space
    sheet.append(["0103", "Ш" * (TEXT_LIMIT + 10)])
    workbook.save(tmp_path / "registry.xlsx")
    entries = read_registry(tmp_path / "registry.xlsx")
    assert [e.code for e in entries] == ["101", "０１０２", "0103"]
    assert len(entries[2].name) == TEXT_LIMIT and entries[2].name.endswith("…")


def test_table_csv_with_tab_delimiter_and_a_long_text_cut(tmp_path: Path) -> None:
    config = default_config()
    keys = [f.key for f in config.school_fields]
    path = tmp_path / "svod.txt"
    row = {key: "" for key in keys} | {"code": "0101", "name": "Ш" * (TEXT_LIMIT + 5)}
    path.write_text("\t".join(keys) + "\n" + "\t".join(row[k] for k in keys) + "\n", encoding="utf-8")
    table = read_table(path, config)
    name = table.forms[0].fields["name"]
    assert (len(name.value), name.truncated_from) == (TEXT_LIMIT, TEXT_LIMIT + 5)
    assert table.forms[0].fields["code"].value == "0101"


def test_every_reader_of_a_csv_takes_dos_866_through_the_cli(tmp_path: Path) -> None:
    """The registry (validate, score, form --schools), the table and the school map: a CSV saved in
    the DOS code page, which crashed all four with exit 3."""
    from click.testing import CliRunner

    from vosp_monitor.cli import main

    samples = Path(__file__).resolve().parents[1] / "samples"

    def dos(source: Path, target: Path) -> Path:
        text = source.read_text(encoding="utf-8-sig")
        target.write_bytes(text.encode("cp866", "replace"))  # the DOS code page has no «» „“ or №
        return target

    registry = dos(samples / "registry.csv", tmp_path / "реестр.csv")
    school_map = dos(samples / "years" / "school-map.csv", tmp_path / "коды.csv")
    runner = CliRunner()
    validated = runner.invoke(
        main, ["validate", str(samples / "forms"), "--schools", str(registry), "--jobs", "1"]
    )
    assert validated.exit_code in (0, 1) and "Ошибка" not in validated.stderr, validated.output
    assert "МБОУ" in validated.stdout or "не представили форму" in validated.stdout
    forms = runner.invoke(main, ["form", "-o", str(tmp_path / "формы"), "--schools", str(registry)])
    assert forms.exit_code == 0, forms.output
    assert len(list((tmp_path / "формы").glob("*.xlsx"))) == len(registry.read_bytes().splitlines()) - 1
    assert read_school_map(school_map).pairs[:2] == (("0126", "0124"), ("0127", "0109"))
    config = default_config()
    code = next(iter(config.indicators())).code
    table = tmp_path / "свод.csv"
    table.write_bytes(f"code;name;{code}\n0101;Школа имени Щорса;5\n".encode("cp866"))
    assert [form.fields["name"].value for form in read_table(table, config).forms] == ["Школа имени Щорса"]


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        (
            "реестр.xlsx",
            "Код;Имя\n0101;Школа\n".encode(),
            "это текстовый файл (например, CSV), а не книга Excel",
        ),
        ("реестр.xls", b"%PDF-1.7 scan", "это PDF-документ, переименованный в книгу Excel"),
        ("реестр.xlsx", b"PK\x03\x04cut short", "книга повреждена; откройте её в Excel и сохраните заново"),
    ],
)
def test_a_workbook_that_does_not_open_is_said_in_russian(
    tmp_path: Path, name: str, data: bytes, said: str
) -> None:
    """calamine's own words («invalid Zip archive: Could not find EOCD») used to reach the user."""
    (tmp_path / name).write_bytes(data)
    with pytest.raises(RegistryError) as error:
        read_registry(tmp_path / name)
    assert str(error.value) == f"{name}: файл не прочитан: {said}"

"""One reader of one-sheet tables for the registry and the consolidated table: encodings and
delimiters as people's exports have them."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

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
    ],
    ids=["utf-8", "utf-8-bom", "cp1251", "utf-16"],
)
def test_every_encoding_and_delimiter(delimiter: str, encode) -> None:
    assert read_delimited(encode(_text(delimiter))) == ROWS


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

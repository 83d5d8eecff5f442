"""A consolidated table (свод) as input: xlsx, ods and csv, located problems, the ASEM data."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from reference import COINR_ASEM
from vosp_monitor.config import IndicatorType, load_config, parse_config
from vosp_monitor.ingest.table import TableError, column_letter, read_table
from vosp_monitor.pipeline import collect
from vosp_monitor.validate import check_submission
from vosp_monitor.validate.submission import EntryStatus
from workbooks import default_config, typical_school

REPO = Path(__file__).resolve().parents[1]
ASEM_DATA = COINR_ASEM / "ASEM_COIN_v06_Data_Treated.csv"


def _headers_and_rows(n: int = 3, **overrides) -> tuple[list[str], list[list[object]]]:
    """Header row (labels for some fields, keys for others; every header style) and n schools."""
    config = default_config()
    headers: list[str] = []
    getters = []
    for i, f in enumerate(config.school_fields):
        headers.append(f.label if i % 2 else f.key)
        getters.append(lambda fields, values, key=f.key: fields[key])
    for ind in config.indicators():
        if ind.type == IndicatorType.share and ind.denominator_field:
            headers.append(f"{ind.code}.numerator")
            getters.append(lambda fields, values, code=ind.code: values[code])
        elif ind.type == IndicatorType.share:
            headers += [f"{ind.code} числитель", f"{ind.code} знаменатель"]
            getters.append(lambda fields, values, code=ind.code: values[code][0])
            getters.append(lambda fields, values, code=ind.code: values[code][1])
        else:
            headers.append(ind.code)
            getters.append(lambda fields, values, code=ind.code: values[code])
    rows = []
    for i in range(n):
        fields, values = typical_school(f"01{i + 1:02d}", f"Школа {i + 1}", **(overrides if i == 1 else {}))
        fields["filled_on"] = "20.05.2026"
        rows.append([get(fields, values) for get in getters])
    return headers, rows


def _write_xlsx(path: Path, headers, rows, sheet: str = "Свод") -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(["Сводная таблица мониторинга"])  # a title row above the headers
    ws.append(headers)
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


def _write_csv(path: Path, headers, rows, *, encoding: str, delimiter: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 701, 702)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA"]


def test_xlsx_table_rows_become_located_submissions(tmp_path):
    config = default_config()
    headers, rows = _headers_and_rows(3, **{"UPR-2": "2,5"})
    table = read_table(_write_xlsx(tmp_path / "свод.xlsx", headers, rows), config)
    assert table.problems == []
    assert [f.file for f in table.forms] == [
        "свод.xlsx, строка 3",
        "свод.xlsx, строка 4",
        "свод.xlsx, строка 5",
    ]
    subs = [check_submission(raw, config) for raw in table.forms]
    assert subs[0].problems == [] and subs[2].problems == []
    column = column_letter(headers.index("UPR-2"))
    assert [(p.code, p.sheet, p.cell, p.indicator) for p in subs[1].problems] == [
        ("value-not-whole", "Свод", f"{column}4", "UPR-2")
    ]
    assert subs[1].problems[0].location == f"Свод!{column}4"
    assert subs[0].school_code == "0101"
    assert subs[0].indicators["RES-5"].value == pytest.approx(50.0)
    assert subs[0].indicators["UPR-5"].value == pytest.approx(70.0)
    assert subs[0].fields["filled_on"] == dt.date(2026, 5, 20)


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ","), ("utf-8", ";"), ("cp1251", ";")])
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    config = default_config()
    headers, rows = _headers_and_rows(2, **{"ROD-3": "72,5"})
    path = _write_csv(tmp_path / "svod.csv", headers, rows, encoding=encoding, delimiter=delimiter)
    table = read_table(path, config)
    subs = [check_submission(raw, config) for raw in table.forms]
    assert [s.problems for s in subs] == [[], []]
    assert subs[1].school_name == "Школа 2"
    assert subs[1].indicators["ROD-3"].value == 72.5
    note = subs[1].normalisations[0]
    assert (note.sheet, note.original, note.read_as) == ("svod.csv", "72,5", "72,5")


def test_ods_table(tmp_path):
    import pandas as pd

    headers, rows = _headers_and_rows(2)
    path = tmp_path / "svod.ods"
    pd.DataFrame(rows, columns=headers).to_excel(path, engine="odf", index=False)
    config = default_config()
    subs = [check_submission(raw, config) for raw in read_table(path, config).forms]
    assert len(subs) == 2 and all(s.problems == [] for s in subs)


def test_unknown_and_missing_columns(tmp_path):
    config = default_config()
    headers, rows = _headers_and_rows(1)
    drop = headers.index("KR-7")
    headers = [h for i, h in enumerate(headers) if i != drop] + ["Примечание"]
    rows = [[v for i, v in enumerate(row) if i != drop] + ["—"] for row in rows]
    table = read_table(_write_xlsx(tmp_path / "t.xlsx", headers, rows), config)
    assert [(p.code, p.cell, p.value) for p in table.problems] == [
        ("table-column-unknown", f"{column_letter(len(headers) - 1)}2", "Примечание"),
        ("table-column-missing", "", "KR-7"),
    ]
    sub = check_submission(table.forms[0], config)
    assert [(p.code, p.indicator) for p in sub.problems] == [("value-missing", "KR-7")]


def test_no_header_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(TableError, match="строка заголовков"):
        read_table(path, default_config())


def test_collect_a_table_adds_column_problems(tmp_path):
    headers, rows = _headers_and_rows(2)
    path = _write_csv(
        tmp_path / "t.csv", [*headers, "лишний"], [[*r, ""] for r in rows], encoding="utf-8", delimiter=";"
    )
    collection = collect(path, default_config(), table=True)
    assert [p.code for p in collection.problems] == ["table-column-unknown"]
    assert len(collection.scorable) == 2


ASEM_LIKE = """
monitoring: {id: asem-mini, title: "ASEM", form_version: "1"}
school_fields:
  - {key: uCode, label: "uCode", type: text, role: key}
  - {key: uName, label: "uName", type: text, role: name}
blocks:
  - id: P
    title: "P"
    indicators:
      - {code: LPI, title: "LPI", type: number, missing: not_applicable, scoring: {method: minmax}}
      - {code: Goods, title: "Goods", type: number, missing: not_applicable, scoring: {method: minmax}}
"""


def test_asem_like_csv_with_na(tmp_path):
    config = parse_config(ASEM_LIKE)
    path = tmp_path / "asem.csv"
    path.write_text(
        'uCode,uName,LPI,Goods\nAUT,Austria,4.097985,"1.5e-2"\nBEL,Belgium,NA,0.71\n', encoding="utf-8"
    )
    subs = [check_submission(raw, config) for raw in read_table(path, config).forms]
    assert [s.school_code for s in subs] == ["AUT", "BEL"]
    assert subs[0].indicators["LPI"].value == pytest.approx(4.097985)
    assert subs[0].indicators["Goods"].value == pytest.approx(0.015)
    assert subs[0].problems == [] and subs[0].normalisations == []
    assert [(p.code, p.cell) for p in subs[1].problems] == [("value-missing", "C3")]
    assert subs[1].indicators["LPI"].status == EntryStatus.not_applicable


@pytest.mark.skipif(not ASEM_DATA.is_file(), reason="COINr reference data not available")
def test_the_asem_treated_data_reads_cleanly():
    config = load_config(REPO / "samples" / "asem" / "indicators.yaml")
    table = read_table(ASEM_DATA, config)
    assert {p.code for p in table.problems} <= {"table-column-unknown"}
    subs = [check_submission(raw, config) for raw in table.forms]
    assert len(subs) == 51
    assert all(s.problems == [] and not s.excluded for s in subs)
    assert subs[0].school_code == "AUT"
    assert all(len(s.indicators) == 49 for s in subs)

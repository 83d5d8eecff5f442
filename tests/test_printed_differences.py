"""Every difference printed is the difference of the printed numbers (issue 22, point 5).

A reader checks «62,0 → 68,8 (+6,9)» with a pencil and loses trust in the whole справка.
The samples are scored with their two earlier years once; then every difference the справка
(report.md), the school cards, a letter and the console print is recomputed from the two
numbers printed beside it, and must agree to the last digit shown. A property test holds
the helper itself to the same rule for any pair of values.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from docx_read import open_docx
from vosp_monitor.cli import main
from vosp_monitor.words.formatting import format_difference, format_number

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
NUMBER = r"[−+-]?\d[\d\u00a0]*(?:,\d+)?"


def number(text: str) -> Decimal:
    """«−1 234,5» → Decimal('-1234.5') (the first number in the text)."""
    found = re.search(NUMBER, text)
    assert found is not None, text
    return Decimal(found.group().replace("\u00a0", "").replace("−", "-").replace(",", "."))


def difference(later: str, earlier: str) -> Decimal:
    return number(later) - number(earlier)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples") / "out"
    years = SAMPLES / "years"
    result = CliRunner().invoke(
        main,
        [
            *("score", str(SAMPLES / "forms"), "-o", str(out), "--schools", str(SAMPLES / "registry.csv")),
            *("--previous", str(years), "--school-map", str(years / "school-map.csv"), "--quiet"),
        ],
    )
    assert result.exit_code == 0, result.output
    return out, result.stdout


def tables(markdown: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every Markdown table: (header cells, rows of cells)."""
    found = []
    for block in re.findall(r"(?:^\|.*\|\n)+", markdown, re.M):
        lines = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in block.splitlines()]
        found.append((lines[0], lines[2:]))
    return found


def change_columns(header: list[str]) -> list[tuple[int, int, int]]:
    """(earlier, later, change) columns of a table that prints a change beside two values."""
    if "Прошлый год" in " ".join(header):  # a card: this year's value, …, last year's, the change
        now = header.index("Значение ОО")
        then = next(i for i, h in enumerate(header) if h.startswith("Прошлый год"))
        return [(then, now, then + 1)]
    change = next((i for i, h in enumerate(header) if h.startswith("Изменение")), None)
    return [] if change is None else [(change - 2, change - 1, change)]


def checked_tables(markdown: str) -> int:
    """Check every change column of ``markdown``; the number of changes checked."""
    checked = 0
    for header, rows in tables(markdown):
        for earlier, later, change in change_columns(header):
            for row in rows:
                cells = [row[earlier], row[later], row[change]]
                if any(not re.search(NUMBER, c) for c in cells) or "без изменений" in cells[2]:
                    continue
                assert number(cells[2]) == difference(cells[1], cells[0]), (header, row)
                checked += 1
    return checked


def test_the_spravka_differences_are_those_of_its_printed_numbers(run):
    text = (run[0] / "report.md").read_text(encoding="utf-8").replace("\u00a0", " ")
    gaps = re.findall(
        rf"— ({NUMBER}) \(\d+ ОО\)[^()]*?— ({NUMBER}) \(\d+ ОО\)\)?:? \(?разница ({NUMBER}) балл", text
    )
    blocks = re.findall(
        rf"\(({NUMBER}) из 100\), ниже всего — блока «[^»]+» \(({NUMBER})\): разница ({NUMBER})", text
    )
    moves = re.findall(rf"({NUMBER}) → \*\*({NUMBER})\*\* \(({NUMBER}),", text)
    targets = re.findall(
        rf"— ({NUMBER}) % \(цель ({NUMBER})\) \| цель не достигнута \(до цели ({NUMBER}) п\.п\.\)", text
    )
    verdicts = [  # «UPR-5 — не достигнута (77,8 % при цели 80 %, на 2,2 п. п. ниже …»
        (target, value, gap)
        for value, target, gap in re.findall(
            rf"достигнута \(({NUMBER}) % при цели ({NUMBER}) %, на ({NUMBER}) п\. п\.", text
        )
    ]
    assert len(gaps) >= 8 and len(blocks) == 1 and len(moves) == 1 and len(verdicts) == 3, (
        gaps,
        blocks,
        moves,
    )
    for high, low, gap in gaps + blocks:
        assert number(gap) == difference(high, low), (high, low, gap)
    for before, now, change in moves:
        assert number(change) == difference(now, before)
    for target, value, gap in verdicts:
        assert number(gap) == abs(difference(value, target))
    for value, target, gap in targets:
        assert number(gap) == abs(difference(target, value))
    assert checked_tables(text) > 30  # the district by years, the levels, every indicator


def test_every_card_prints_the_difference_of_its_printed_values(run):
    checked = 0
    for card in sorted((run[0] / "schools").glob("*.md")):
        checked += checked_tables(card.read_text(encoding="utf-8").replace("\u00a0", " "))
    assert checked > 200


def test_a_letter_prints_the_same_differences(run):
    document = open_docx(run[0] / "letters" / "0101.docx")
    checked = 0
    for table in document.tables:
        rows = [[cell.text.replace("\u00a0", " ") for cell in row.cells] for row in table.rows]
        markdown = "\n".join("| " + " | ".join(row) + " |" for row in [rows[0], rows[0], *rows[1:]])
        checked += checked_tables(markdown + "\n")
    assert checked >= 5  # the total and the four blocks against last year


def test_the_console_prints_the_difference_of_the_printed_totals(run):
    line = next(line for line in run[1].splitlines() if line.startswith("Сравнение с"))
    pairs = re.findall(rf"({NUMBER}) → ({NUMBER}) \(({NUMBER})[,)]", line)
    assert pairs  # the schools of both years; the whole ranking's means are printed without a difference
    for before, now, change in pairs:
        assert number(change) == difference(now, before)


values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(values, values, st.integers(min_value=0, max_value=3))
def test_the_difference_is_always_that_of_the_printed_values(later, earlier, decimals):
    printed = format_difference(later, earlier, decimals)
    assert number(printed) == difference(format_number(later, decimals), format_number(earlier, decimals))
    assert printed.startswith(("+", "−")) or number(printed) == 0


def test_the_issue_examples():
    assert format_difference(68.84, 61.96) == "+6,8"  # «62,0 → 68,8 (+6,9)»
    assert format_difference(95.96, 50.06) == "+45,9"  # «96,0 … 50,1: разница 46,0»
    assert format_difference(65.36, 82.24) == "−16,8"  # «82,2 … 65,4: разница 16,7»

"""The text helpers every reader and writer uses (text.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vosp_monitor.words.text import (
    TEXT_LIMIT,
    clip,
    code_key,
    normalise_code,
    one_line,
    terminal_text,
    xml_text,
)


def test_codes_that_look_alike_are_one_key() -> None:
    assert code_key("０１０１") == code_key("0101") == code_key("\u200b0101\u00a0") == "0101"
    assert normalise_code(" 01\u200d01 ") == "0101"
    assert code_key("Ш-01") == code_key("ш-01")


def test_vertical_tab_is_a_line_break_in_xml_and_controls_go() -> None:
    assert xml_text("Школа\x0bимени\x01 Пушкина") == "Школа\nимени Пушкина"
    assert xml_text("обычный текст") == "обычный текст"


def test_terminal_text_has_no_escapes_newlines_or_direction_marks() -> None:
    shown = terminal_text("A\x1b[31mB\nC\u202eD\u200fE\r\tF")
    assert all(ch not in shown for ch in "\x1b\n\r\t\u202e\u200f")
    assert shown.startswith("A") and shown.endswith("F")


@given(st.text())
def test_any_text_becomes_safe(text: str) -> None:
    for ch in xml_text(text):
        assert ch in "\t\n\r" or not (ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF or ch in "\ufffe\uffff")
    line = one_line(text)
    assert "\n" not in line and "\x1b" not in line and "\u202e" not in line
    assert len(clip(text)) <= TEXT_LIMIT
    assert clip(text) == text or clip(text).endswith("…")


def test_a_console_line_keeps_its_indent_beside_a_no_break_space():
    # «числитель 1 000 000» holds no-break spaces; the excluded schools' list is indented by two
    assert (
        terminal_text("  000034 — числитель 1\u00a0000\u00a0000\n")
        == "  000034 — числитель 1\u00a0000\u00a0000"
    )
    assert terminal_text("    1. 0001 Школа\x1b[31m") == "    1. 0001 Школа [31m"

"""Mistakes in indicators.yaml, as a methodologist makes them and reads about them (issue 22, point 7).

Each case edits one line of the bundled indicators.yaml the way people do (a typo in a key,
a decimal comma, a tab, a colon or a quote in a value) and runs ``check-config``: exit code
1, the first line «Ошибка: ошибки в файле показателей:», then one line that names the line
(and for YAML's own errors the column) and says in Russian what to do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from vosp_monitor.cli import main
from vosp_monitor.config import ConfigError, parse_config
from vosp_monitor.config.yamltree import syntax_message

ROOT = Path(__file__).resolve().parents[1]
CONFIG = (ROOT / "indicators.yaml").read_text(encoding="utf-8")
PERIOD = '  period: "2025/2026 учебный год"'


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def edited(old: str, new: str) -> str:
    assert CONFIG.count(old) >= 1, old
    return CONFIG.replace(old, new, 1)


KR7_MARK = "        max_mark: 3\n"  # the first expert mark's last key (KR-7)


@pytest.mark.parametrize(
    ("text", "where", "said"),
    [
        (
            edited(KR7_MARK, KR7_MARK + "        wieght: 2\n"),
            "wieght: 2",
            ", blocks[3].indicators[6].wieght: неизвестный ключ «wieght»; возможно, вы имели в виду «weight»",
        ),
        (
            edited("  period:", "  perod:"),
            "perod:",
            ", monitoring.perod: неизвестный ключ «perod»; возможно, вы имели в виду «period»",
        ),
        (
            edited(KR7_MARK, KR7_MARK + "        colour: red\n"),
            "colour: red",
            ", blocks[3].indicators[6].colour: неизвестный ключ «colour»",
        ),
        (
            edited(KR7_MARK, KR7_MARK + "        weight: 1,5\n"),
            "weight: 1,5",
            ", blocks[3].indicators[6].weight: ожидалось число, а записано «1,5»: в файле показателей "
            "дробную часть пишут через точку — 1.5 (запятая — только в формах, которые заполняют школы)",
        ),
        (
            edited("  period:", "\tperiod:"),
            "\tperiod",
            ", столбец 1: знак табуляции: отступы в YAML делаются только пробелами, замените его пробелами",
        ),
        (
            edited(PERIOD, "  period: Период: 2025/2026"),
            "Период: 2025",
            ", столбец 17: лишнее двоеточие или неверный отступ: если в значении есть «: », возьмите "
            'значение в кавычки (title: "Мониторинг: итоги"); иначе выровняйте отступ строки по соседним ключам',
        ),
        (
            edited(PERIOD, '  period: "2025/2026 учебный год" (по приказу)'),
            '"2025/2026 учебный год" (по',
            ", столбец 35: неверный отступ, лишний текст после значения или незакрытая кавычка выше",
        ),
        (
            edited(PERIOD, "  period: @2025"),
            "@2025",
            ", столбец 11: значение не может начинаться со знака «@»: возьмите значение в кавычки",
        ),
        (
            edited("  form_version:", "   form_version:"),
            " form_version:",
            ", столбец 4: неверный отступ, лишний текст после значения или незакрытая кавычка выше",
        ),
    ],
    ids=[
        "typo",
        "typo-in-monitoring",
        "no-close-key",
        "decimal-comma",
        "tab",
        "colon",
        "after-quote",
        "at",
        "indent",
    ],
)
def test_a_mistake_is_named_with_its_line_and_what_to_do(tmp_path, text, where, said):
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check-config", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Ошибка: ошибки в файле показателей:"
    line = line_of(text, where)
    expected = f"  indicators.yaml, строка {line}{said}"
    assert any(found.startswith(expected) for found in lines[1:]), (expected, lines)


def test_an_unknown_key_lists_the_keys_allowed_there_when_nothing_is_close(tmp_path):
    with pytest.raises(ConfigError) as raised:
        parse_config(edited("  critical: {label:", "  critical: {colour: red, label:"))
    assert "здесь допустимы: label, zero_block_score" in str(raised.value)


def test_an_unclosed_quote_names_the_line_where_it_opened():
    """A quote left open runs to the next quote of the file; at the end of the file it is named."""
    with pytest.raises(ConfigError) as raised:
        parse_config('monitoring:\n  id: x\n  title: "Мониторинг\n  form_version: 1\n')
    assert "indicators.yaml, строка 3: кавычка, открытая в строке 3, не закрыта" in str(raised.value)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=" \t:-\"'[]{}#&*!|>%@`,\nab1", max_size=40))
def test_any_broken_yaml_is_said_in_russian_with_a_place(text):
    """Whatever the mistake, the message has a line and Russian words (never a traceback)."""
    try:
        yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line, _column, message = syntax_message(exc, text)
        assert line is not None and any("а" <= c <= "я" for c in message)
    except yaml.YAMLError:
        pass

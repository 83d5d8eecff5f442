"""Templates are untrusted code: sandboxed, bounded, and their runtime errors named in Russian with
the template, the line (the paragraph in Word) and what stands there — exit code 1, never 3."""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tools.wordgen.base import Builder

from factories import make_results
from vosp_monitor.cli import main
from vosp_monitor.results import write_results_json
from vosp_monitor.writers.docx.compiled import CompiledDocx
from vosp_monitor.writers.docx.engine import render_docx
from vosp_monitor.writers.html_md.report import render_reports
from vosp_monitor.writers.markup.parse import ReportError
from vosp_monitor.writers.sandbox import LOOP_BUDGET, SandboxedTemplates

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@functools.cache
def _results():
    return make_results(12)


def _report_md(tmp_path: Path, text: str, name: str = "spravka.md.j2") -> Path:
    mine = tmp_path / "mine"
    mine.mkdir(exist_ok=True)
    (mine / name).write_text(text, encoding="utf-8")
    return mine


def _render(tmp_path: Path, text: str, name: str = "spravka.md.j2") -> None:
    render_reports(_results(), tmp_path / "out", templates_dir=_report_md(tmp_path, text, name), charts=False)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Итоги\n{% for i in range(10**9) %}{{ i }}{% endfor %}", r"строка 2: range\(\) длиной 1000000000"),
        (
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "запрещено \\(шаблон выполняется в «песочнице»\\)",
        ),
        ("a\nb\n{{ 1/0 }}", "строка 3: деление на ноль \\(в «1/0»\\)"),
        (
            "{% for r in ranking %}\n{{ r.name + 5 }}\n{% endfor %}",
            "строка 2: действие с несовместимыми значениями",
        ),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "циклы шаблона сделали больше 10 000 000 шагов",
        ),
        ("{{ 'x' * 10**9 }}", "повторение текста или списка 1000000000 раз"),
        ("{{ 'x'|center(10**10) }}", "ширина 10000000000 слишком велика"),
        ("{% set l = [] %}{{ l.append(1) }}", "запрещено"),
        ("{{ ranking[0].nmae }}", "поля «nmae» нет"),
    ],
    ids=["range", "mro", "zero", "name-plus-5", "nested-loops", "repeat", "width", "mutate", "unknown-field"],
)
def test_a_users_template_that_misbehaves_is_named_with_its_line(tmp_path, text, said) -> None:
    started = time.monotonic()
    with pytest.raises(ReportError, match=f"^шаблон spravka\\.md\\.j2.*{said}"):
        _render(tmp_path, text)
    assert time.monotonic() - started < 60  # bounded: the nested loops stop at the budget, in seconds


def test_output_beyond_the_bound_is_named_not_an_internal_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("vosp_monitor.writers.sandbox.MAX_OUTPUT", 5000)
    with pytest.raises(
        ReportError, match=r"^шаблон spravka\.md\.j2: шаблон выдал больше 5 000 символов текста"
    ):
        _render(tmp_path, "{% for r in ranking %}{{ r.name }} {{ 'x' * 400 }}\n{% endfor %}")


def test_a_card_template_names_itself(tmp_path) -> None:
    with pytest.raises(
        ReportError, match=r"^шаблон school\.md\.j2, строка 2: действие с несовместимыми .*school"
    ):
        _render(tmp_path, "# Карточка\n{{ school.name + 5 }}", "school.md.j2")


def test_a_missing_include_names_the_missing_template_not_a_write_failure(tmp_path) -> None:
    """It said «не удалось записать результаты»: TemplateNotFound is an OSError as well."""
    mine = _report_md(tmp_path, 'Справка\n{% include "нет-такого.j2" %}\n')
    forms = Path(__file__).resolve().parents[1] / "samples" / "forms"
    result = CliRunner().invoke(
        main, ["score", str(forms), "-o", str(tmp_path / "out"), "--templates", str(mine), "--quiet"]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Ошибка: шаблон spravka.md.j2, строка 2: включаемый шаблон «нет-такого.j2» не найден (ни в папке "
        "--templates, ни среди встроенных)"
    )


def test_the_cli_exits_1_naming_template_line_and_field(tmp_path) -> None:
    write_results_json(_results(), tmp_path / "results.json")
    mine = _report_md(tmp_path, "# Справка\n{{ monitoring.period / 0 }}\n")
    result = CliRunner().invoke(
        main, ["report", str(tmp_path / "results.json"), "--templates", str(mine), "--no-cards"]
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == (
        "Ошибка: шаблон spravka.md.j2, строка 2: действие с несовместимыми значениями (например, текст и "
        "число) (в «monitoring.period / 0»). Исправьте шаблон или удалите его, чтобы взять встроенный"
    )


def _word(tmp_path: Path, *paragraphs: str) -> Path:
    builder = Builder(body_pt=12, title="тест")
    for text in paragraphs:
        builder.p(text)
    return builder.save(tmp_path / "letter.docx")


def test_a_word_template_names_the_paragraph_and_the_expression(tmp_path) -> None:
    template = _word(tmp_path, "Уважаемые коллеги!", "Итог: {{ total / 0 }} баллов")
    said = r"^шаблон letter\.docx: деление на ноль \(в абзаце «Итог: \{\{ total / 0 \}\} баллов»; в «total / 0»\)"
    with pytest.raises(ReportError, match=said):
        render_docx(template, {"total": 5}, tmp_path / "out.docx")
    with pytest.raises(ReportError, match=said):
        CompiledDocx(template).render({"total": 5})
    escape = _word(tmp_path, "{{ total.__class__.__mro__ }}")
    with pytest.raises(ReportError, match="песочнице"):
        CompiledDocx(escape).render({"total": 5})


def test_the_bundled_templates_use_a_small_part_of_the_budget(tmp_path) -> None:
    """The справка of 300 schools takes about 15 loop steps per school (measured: 4,524 for the
    Markdown справка, 5,122 for the Word one): at 40,000 schools about 650,000 of the 10 million."""
    used: dict[str, int] = {}
    original = SandboxedTemplates.bounded_loop

    def counting(self, iterable):
        yield from original(self, iterable)
        used[id(self)] = LOOP_BUDGET - self.budget

    SandboxedTemplates.bounded_loop = counting  # type: ignore[method-assign]
    try:
        render_reports(make_results(300), tmp_path / "out", cards=False, charts=False)
    finally:
        SandboxedTemplates.bounded_loop = original  # type: ignore[method-assign]
    assert 0 < max(used.values()) < 300 * 40


FRAGMENTS = [
    "{{", "}}", "{%", "%}", "{#", "#}", " for ", " in ", " endfor ", " if ", " endif ", " set ", " = ",
    "range(", "10**9", ")", "(", "[", "]", "1/0", "''.__class__", ".__mro__", "ranking", ".name", " + ",
    "5", "|sort", "|join", "|center(", "'x'", " * ", "loop.index", "namespace(", " macro ", " endmacro ",
    " call ", " include ", '"sections/appendix_audit.md.j2"', " import ", " raw ", " endraw ", "-", "~", "**", ",", ".",
    "monitoring.period", "школа", "\n", " ",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5), max_size=30).map("".join))
def test_any_text_as_a_template_renders_or_is_a_russian_error(tmp_path, text) -> None:
    """Whatever a user's spravka.md.j2 holds, the справка is written or a ReportError (exit 1)
    says in Russian what is wrong; nothing else escapes (that would be exit 3)."""
    try:
        _render(tmp_path, text)
    except ReportError as exc:
        assert exc.exit_code == 1
        assert str(exc).startswith("шаблон ") and CYRILLIC.search(str(exc)[7:]), str(exc)


def test_a_word_template_that_is_no_docx_is_said_in_russian(tmp_path) -> None:
    """«File is not a zip file» used to follow the Russian words."""
    fake = tmp_path / "letter.docx"
    fake.write_text("это не docx", encoding="utf-8")
    with pytest.raises(ReportError) as raised:
        CompiledDocx(fake)
    assert (
        str(raised.value)
        == "шаблон letter.docx — не документ Word (.docx): файл повреждён или это другой формат"
    )

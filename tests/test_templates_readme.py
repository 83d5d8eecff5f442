"""templates/README.md tells the truth: its field reference is the code's, and its examples run.

The list of fields is written by ``python -m tools.templates_readme`` from the types the program
gives its templates; here it must equal what the generator writes now, every name a template
sees must have a description, no description may name a field that is gone, and the names the
generator lists must be those the program really gives each kind of template.

The README marks its examples of the template language with HTML comments, unseen on the page:

* ``<!-- шаблон -->`` before a fenced block: a section template, written as the user's
  ``sections/example.md.j2`` (``<!-- шаблон: ПУТЬ -->``: as ПУТЬ) in a templates folder of its
  own; it renders alone, and as a section of the справка (a line including it added to
  ``spravka.md.j2``), through the program's Templates and parser. ``<!-- шаблон: ПУТЬ, ошибка -->``:
  it must fail, in both, and ``report`` must stop with exit code 1;
* ``<!-- выводит -->`` after such a block: what report.md holds of the example rendered alone,
  or the error message as the command line prints it;
* ``<!-- фильтры -->`` before a table: each row's expression renders to its result.

The examples render on ``factories.make_results()``.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from tools import templates_readme

from factories import make_results
from vosp_monitor.cli import main
from vosp_monitor.report.cards import CardMaker, ExcludedCard, SchoolCard, card_fields, excluded_cards
from vosp_monitor.report.feedback import FeedbackLetter
from vosp_monitor.report.letters import letter_context, letters
from vosp_monitor.report.view import build_view
from vosp_monitor.results import write_results_json
from vosp_monitor.writers.charts.chart_set import TARGET, Chart
from vosp_monitor.writers.docx.documents import letters_common
from vosp_monitor.writers.html_md.markdown import markdown
from vosp_monitor.writers.html_md.report import CardWriter
from vosp_monitor.writers.markup.model import Style
from vosp_monitor.writers.markup.parse import ReportError
from vosp_monitor.writers.markup.source import Templates, default_templates_dir, document_context

TEMPLATES = default_templates_dir()
README = (TEMPLATES / "README.md").read_text(encoding="utf-8")
RUN = "run python -m tools.templates_readme"
MARK = re.compile(r"^<!-- (шаблон|выводит|фильтры)(?::\s*(.*?))? -->\n", re.M)
FENCE = re.compile(r"```[a-z]*\n(.*?)^```\n", re.M | re.S)
EXAMPLE = "sections/example.md.j2"


@dataclasses.dataclass
class Example:
    line: int
    path: str
    error: bool
    text: str
    output: str | None = None

    def __str__(self) -> str:
        return f"templates/README.md:{self.line}"


def examples() -> list[Example]:
    """The README's template examples, each with the output shown under it (if any)."""
    found: list[Example] = []
    for mark in MARK.finditer(README):
        if mark.group(1) == "фильтры":
            continue
        fence = FENCE.match(README, mark.end())
        assert fence is not None, f"templates/README.md:{_line(mark.start())}: no fenced block after the mark"
        if mark.group(1) == "выводит":
            assert found and found[-1].output is None, f"{_line(mark.start())}: «выводит» without an example"
            found[-1].output = fence.group(1)
            continue
        options = [o.strip() for o in (mark.group(2) or "").split(",") if o.strip()]
        path = next((o for o in options if o.endswith(".j2")), EXAMPLE)
        found.append(Example(_line(mark.start()), path, "ошибка" in options, fence.group(1)))
    return found


def _line(position: int) -> int:
    return README[:position].count("\n") + 1


@pytest.fixture(scope="module")
def results():
    return make_results()


@pytest.fixture(scope="module")
def context(results):
    return document_context(build_view(results), results)


def _folder(tmp_path: Path, example: Example) -> Path:
    """A user's templates folder: the example as its file, and a spravka.md.j2 that includes it."""
    folder = tmp_path / "mine"
    (folder / "sections").mkdir(parents=True)
    (folder / example.path).write_text(example.text, encoding="utf-8")
    outline = (TEMPLATES / "spravka.md.j2").read_text(encoding="utf-8")
    if not (TEMPLATES / example.path).is_file():  # a new section: included before the signature
        signature = '{% include "sections/signature.md.j2" %}'
        line = f'{{% with number = 10 %}}{{% include "{example.path}" %}}{{% endwith %}}\n\n'
        assert signature in outline
        outline = outline.replace(signature, line + signature)
    (folder / "spravka.md.j2").write_text(outline, encoding="utf-8")
    return folder


def _plain(text: str) -> str:
    """Text as the README shows it: no-break spaces as spaces, no spaces at the ends of lines (a
    Markdown line break)."""
    return "\n".join(line.rstrip() for line in text.replace("\u00a0", " ").strip().splitlines())


def test_the_readme_has_examples_of_each_kind():
    found = examples()
    assert len(found) >= 6
    assert any(e.error for e in found) and any(not e.error and e.output for e in found)


@pytest.mark.parametrize("example", examples(), ids=str)
def test_an_example_renders_as_the_readme_says(example, context, tmp_path):
    folder = _folder(tmp_path, example)
    templates = Templates(folder)
    alone = {**context, "number": 10}
    if example.error:
        with pytest.raises(ReportError) as alone_error:
            templates.document(example.path, alone)
        with pytest.raises(ReportError) as in_spravka:
            templates.document("spravka.md.j2", context)
        assert str(in_spravka.value) == str(alone_error.value), str(example)
        if example.output is not None:
            assert _plain(example.output) == _plain("Ошибка: " + str(alone_error.value)), str(example)
        return
    text = markdown(templates.document(example.path, alone))
    if example.output is not None:
        assert _plain(text) == _plain(example.output), str(example)
    whole = markdown(templates.document("spravka.md.j2", context))
    numbered = re.sub(r"Таблица \d+ —", "Таблица N —", _plain(text))
    assert numbered in re.sub(r"Таблица \d+ —", "Таблица N —", _plain(whole)), str(example)


@pytest.mark.parametrize("example", [e for e in examples() if e.error], ids=str)
def test_a_failing_example_stops_report_with_the_message_shown(example, results, tmp_path):
    """An error example stops ``report`` with exit code 1, writing nothing, and the message shown."""
    write_results_json(results, tmp_path / "results.json")
    folder = _folder(tmp_path, example)
    result = CliRunner().invoke(
        main,
        ["report", str(tmp_path / "results.json"), "--templates", str(folder), "-o", str(tmp_path / "out")],
    )
    assert result.exit_code == 1, result.output
    if example.output is not None:
        assert _plain(result.stderr.splitlines()[0]) == _plain(example.output), str(example)
    assert not (tmp_path / "out" / "report.md").exists()


def _filter_rows() -> list[tuple[int, str, str]]:
    mark = README.index("<!-- фильтры -->\n")
    rows = []
    for number, line in enumerate(README[mark:].splitlines()[1:], _line(mark) + 1):
        if not line.startswith("|"):
            break
        cells = re.findall(r"`((?:[^`\\]|\\.)*)`", line)
        if len(cells) >= 2 and cells[0].startswith("{{"):
            rows.append((number, cells[0].replace("\\|", "|"), cells[1]))
    return rows


def test_every_filter_in_the_readme_gives_what_its_row_says(context):
    rows = _filter_rows()
    assert len(rows) >= 10
    env = Templates(None).env
    wrong = [
        (f"templates/README.md:{line}", expression, shown, got)
        for line, expression, shown, got in (
            (line, expression, shown, _plain(env.from_string(expression).render(context)))
            for line, expression, shown in rows
        )
        if got != shown
    ]
    assert wrong == []


def test_the_readme_names_every_template_style_and_chart():
    """The hand-written tables: every file of templates/, every style, every chart is named."""
    files = [p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.is_file()]
    files = [f for f in files if "__pycache__" not in f and not f.startswith(".")]
    assert [f for f in files if f"`{f}`" not in README] == []
    assert [s.value for s in Style if f"`.{s.value}`" not in README and s.value[:6] != "level-"] == []
    assert "`.level-0` … `.level-4`" in README
    charts = [f"chart:{c.value}" for c in Chart] + [f"chart:{TARGET}КОД"]
    assert [c for c in charts if f"`{c}`" not in README] == []


# --------------------------------------------------------------------------- the field reference


def test_the_field_reference_is_what_the_code_gives():
    part = templates_readme.generated_part(README)
    assert part, f"templates/README.md has lost the markers of its field reference: {RUN}"
    assert part == templates_readme.reference(), (
        f"templates/README.md: the field reference is out of date: {RUN}"
    )


def test_every_name_a_template_sees_has_a_description():
    missing = [p for p in templates_readme.problems() if p.startswith("нет описания")]
    assert missing == [], "add them to tools/template_fields.py, then " + RUN


def test_no_description_names_a_field_that_is_gone():
    stale = [p for p in templates_readme.problems() if not p.startswith("нет описания")]
    assert stale == [], "rename or remove them in tools/template_fields.py, then " + RUN


def _listed(key: str) -> set[str]:
    return {n.name for c in templates_readme.contexts() if c.key == key for n in c.names}


def test_the_reference_lists_the_names_the_program_gives_each_template(
    results, context, tmp_path, monkeypatch
):
    view = build_view(results)
    assert set(context) == _listed("spravka")
    common = CardWriter(results, tmp_path / "schools", view, Templates(None)).common
    maker = CardMaker(view, results)
    school = maker.card(results.schools[0], view.ranking[0])
    excluded = excluded_cards(results)[0]
    shared = _listed("spravka") - _report_only()
    assert set(common) | set(card_fields(school)) == shared | _listed("school")
    assert set(common) | set(card_fields(excluded)) == shared | _listed("excluded")
    kinds = {}
    for letter, card in letters(results, view):
        kinds.setdefault(type(card), set(letter_context(letters_common(context), letter, card)))
    assert set(kinds) == {SchoolCard, ExcludedCard, type(None)}
    assert kinds[type(None)] == shared | _listed("letter")
    assert kinds[SchoolCard] == kinds[type(None)] | _listed("school")
    assert kinds[ExcludedCard] == kinds[type(None)] | _listed("excluded")
    assert _feedback_names(tmp_path, monkeypatch) == _listed("feedback")


def _report_only() -> set[str]:
    from vosp_monitor.writers.markup.source import REPORT_ONLY

    return set(REPORT_ONLY)


def _feedback_names(tmp_path: Path, monkeypatch) -> set[str]:
    """What ``validate -o`` gives feedback.md.j2, caught as it renders one letter."""
    from vosp_monitor.report import feedback
    from vosp_monitor.writers import validation

    letter = FeedbackLetter("0101", "Мониторинг", "", "0101 — МБОУ", ("0101.xlsx",), (), (), ())
    monkeypatch.setattr(feedback, "feedback_letters", lambda collection, config: [letter])
    seen: list[set[str]] = []
    render = Templates.document

    def document(self, name, given):
        seen.append(set(given))
        return render(self, name, given)

    monkeypatch.setattr(Templates, "document", document)
    validation.write_feedback(None, tmp_path / "feedback", None)  # type: ignore[arg-type]
    assert len(seen) == 1
    return seen[0]


def test_the_generator_rewrites_only_its_part(tmp_path):
    """Run on a stale copy, the generator rewrites the part between its markers and nothing else."""
    copy = tmp_path / "README.md"
    stale = README.replace("- `run_date`", "- `run_day`")
    assert stale != README
    copy.write_text(stale, encoding="utf-8")
    assert templates_readme.rewrite(copy) is True
    assert copy.read_text(encoding="utf-8") == README
    assert templates_readme.rewrite(copy) is False

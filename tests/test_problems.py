"""Problems as data: the catalogue is complete, messages render from params, results.json round-trips.

Schema 1 of results.json stored each problem's finished message and its consequence as a
Russian sentence; those problems must still be read (and shown exactly as before) forever.
"""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

from vosp_monitor.problems import (
    CATALOGUE,
    CONSEQUENCE_RU,
    LEGACY_MESSAGE,
    Consequence,
    Problem,
    Severity,
    make_problem,
    problems_markdown,
)
from vosp_monitor.problems.kinds import LOCATION_FIELDS, template_fields
from vosp_monitor.validate import PLAUSIBLE_COUNT
from vosp_monitor.words.formatting import format_int
from vosp_monitor.words.text import TEXT_LIMIT

REPO = Path(__file__).resolve().parents[1]
V1 = REPO / "tests" / "fixtures" / "results" / "v1.json"


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_every_code_has_title_template_description_and_its_line_in_the_docs(code: str) -> None:
    kind = CATALOGUE[code]
    assert kind.code == code
    assert kind.title.strip() and kind.template.strip() and kind.description.strip()
    docs = (REPO / "docs" / "problems.md").read_text(encoding="utf-8")
    assert f"| `{code}` |" in docs
    fields = {name for _, name, _, _ in string.Formatter().parse(kind.template) if name}
    problem = make_problem(code, **{name: f"<{name}>" for name in fields})
    assert all(f"<{name}>" in problem.message for name in fields)
    assert problem.message[:1].isupper()


def test_every_consequence_has_its_sentence_and_its_line_in_the_docs() -> None:
    docs = problems_markdown()
    assert set(CONSEQUENCE_RU) == set(Consequence)
    for consequence in Consequence:
        if consequence is not Consequence.none:
            assert CONSEQUENCE_RU[consequence] and f"| `{consequence.value}` |" in docs
            assert consequence.value == consequence.value.lower() and " " not in consequence.value


def test_message_is_rendered_from_params_with_russian_numbers() -> None:
    problem = make_problem(
        "numerator-above-denominator",
        indicator="RES-5",
        value=72.5,
        numerator=72.5,
        denominator=41_943_040,
        consequence=Consequence.indicator_excluded,
    )
    assert problem.params == {"numerator": 72.5, "denominator": 41_943_040}
    assert problem.value == "72,5"
    assert problem.message == "Показатель RES-5: числитель 72,5 больше знаменателя 41\u00a0943\u00a0040"
    assert problem.consequence == "indicator-excluded"
    assert problem.consequence_text == "показатель не учитывается (исключён из суммы и максимума)"


def test_texts_in_a_problem_are_clipped_and_params_stay_json_safe() -> None:
    long = "Ш" * 50_000
    problem = make_problem(
        "value-outlier", indicator="UPR-4", value=long, school=long, low=float("nan"), high=long
    )
    assert len(problem.value) == TEXT_LIMIT and problem.value.endswith("…")
    assert len(problem.school) == TEXT_LIMIT
    assert len(str(problem.params["high"])) == TEXT_LIMIT
    assert problem.params["low"] == "—"  # not a number JSON can hold
    json.dumps(problem.to_dict(), allow_nan=False)


def test_make_problem_takes_exactly_the_parameters_its_template_names() -> None:
    """A misspelt or forgotten parameter would print «—» in a letter to a school: it raises instead."""
    with pytest.raises(TypeError, match=r"\['denominator', 'numerater'\].*\['denominator', 'numerator'\]"):
        make_problem("numerator-above-denominator", indicator="RES-5", numerater=3, denominator=2)
    with pytest.raises(TypeError, match="value-outlier"):
        make_problem("value-outlier", indicator="RES-6", value=1, low=0)  # no high
    with pytest.raises(TypeError):
        make_problem("file-empty", detail="пустой")  # its message names no detail
    assert CATALOGUE["value-outlier"].params == {"low", "high"}  # indicator and value are its place
    assert make_problem("value-outlier", indicator="RES-6", value=1, low=0, high=2).message.endswith(
        "от 0 до 2)"
    )


def test_to_dict_stores_params_not_sentences_and_round_trips() -> None:
    problem = make_problem(
        "value-outlier",
        file="a.xlsx",
        sheet="Показатели",
        cell="D9",
        indicator="RES-6",
        value=400.0,
        low=0.5,
        high=3,
    )
    data = json.loads(json.dumps(problem.to_dict()))
    assert "message" not in data and data["consequence"] == ""
    assert data["params"] == {"low": 0.5, "high": 3}
    again = Problem.from_dict(data)
    assert again == problem
    assert (
        again.message == "Показатель RES-6: значение 400 сильно отличается от других ОО (обычно от 0,5 до 3)"
    )


def test_results_json_schema_1_problems_are_read_and_shown_exactly_as_before() -> None:
    old = json.loads(V1.read_text(encoding="utf-8"))["problems"]
    assert old, "the fixture has problems"
    for data in old:
        problem = Problem.from_dict(data)
        assert problem.message == data["message"]
        assert problem.consequence_text == data["consequence"]
        assert problem.severity == Severity(data["severity"])
        assert (problem.file, problem.location, problem.value) == (
            data["file"],
            f"{data['sheet']}!{data['cell']}"
            if data["sheet"] and data["cell"]
            else data["sheet"] or data["cell"],
            data["value"],
        )
        again = Problem.from_dict(json.loads(json.dumps(problem.to_dict())))  # written as schema 2
        assert again.message == data["message"] and again.consequence == problem.consequence
        assert LEGACY_MESSAGE in again.to_dict()["params"]
    consequences = {Problem.from_dict(d).consequence for d in old}
    assert consequences == {
        Consequence.indicator_excluded,
        Consequence.school_excluded,
        Consequence.none,
    }


def test_an_unknown_consequence_is_refused_and_an_unknown_code_shows_itself() -> None:
    data = make_problem("file-empty").to_dict()
    with pytest.raises(ValueError):
        Problem.from_dict({**data, "consequence": "школа съедена"})
    assert Problem.from_dict({**data, "code": "from-a-newer-version"}).message == "from-a-newer-version"


def test_the_plausibility_bound_is_the_documented_one() -> None:
    assert format_int(PLAUSIBLE_COUNT).replace("\u00a0", " ") in CATALOGUE["value-implausible"].description


def test_behaviour_is_an_attribute_of_the_code() -> None:
    """What the tool does with a problem is read from its catalogue entry, not from lists of codes."""
    assert {c for c, k in CATALOGUE.items() if k.absent} == {
        "value-missing",
        "indicator-row-missing",
        "value-not-positive",
        "formula-undefined",
    }
    assert {c for c, k in CATALOGUE.items() if not k.for_schools} == {"internal-error"}
    assert {c for c, k in CATALOGUE.items() if k.robustness_note} == {
        "uncertainty-geometric-skipped",
        "uncertainty-too-few-schools",
        "uncertainty-too-many-schools",
    }
    future = Problem("from-a-newer-version", Severity.warning)  # read from a newer results.json
    assert future.kind.for_schools and not future.kind.absent and not future.kind.robustness_note
    assert Consequence.school_excluded.excludes_school and Consequence.indicator_zero.indicator_only
    assert not any(c.excludes_school and c.indicator_only for c in Consequence)


# The functions that pass a catalogued code on to make_problem: the code's position among
# their arguments, the template parameters and the place fields (indicator, school, value,
# sheet, cell) they fill themselves, and the position of a ``value`` given positionally.
WRAPPERS: dict[str, tuple[int, frozenset[str], frozenset[str], int | None]] = {
    "make_problem": (0, frozenset(), frozenset(), None),
    "problem": (0, frozenset(), frozenset({"school"}), None),  # validate.rules.Scope.problem
    "indicator_problem": (2, frozenset(), frozenset({"indicator", "school", "sheet", "cell"}), 4),
    "_field_problem": (3, frozenset({"label"}), frozenset({"school", "sheet", "cell"}), 4),
    "_school_code_problem": (2, frozenset(), frozenset({"school", "value", "sheet", "cell"}), None),
    # ingest.preflight.Rejected(code, detail): the reader adds the monitoring's title where named
    "Rejected": (0, frozenset({"title"}), frozenset(), None),
}
PLACE_KEYWORDS = {
    "severity",
    "consequence",
    "file",
    "sheet",
    "cell",
    "indicator",
    "school",
    "value",
    "address",
    "input_key",  # indicator_problem: the input of a computed indicator, named with the indicator
}
# Codes chosen at run time (a dict of two codes in validate.shares): make_problem checks
# their parameters whenever the tests reach them (tests/test_validate_rules.py does).
CHOSEN_AT_RUN_TIME = {"numerator-above-contingent", "denominator-above-contingent"}


def _call_sites() -> list[tuple[str, str, ast.Call, int]]:
    """(where, code, call, the code's argument position) for every catalogued code in src/."""
    sites = []
    for path in sorted((REPO / "src" / "vosp_monitor").rglob("*.py")):
        if path.parent.name == "problems":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        argument = {
            id(arg): (node, i)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            for i, arg in enumerate(node.args)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in CATALOGUE:
                call, position = argument.get(id(node), (None, -1))
                where = f"{path.relative_to(REPO).as_posix()}:{node.lineno}"
                if call is not None:
                    sites.append((where, node.value, call, position))
                elif node.value not in CHOSEN_AT_RUN_TIME:
                    raise AssertionError(
                        f"{where}: code «{node.value}» kept outside a call (a list of codes?)"
                    )
    return sites


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def test_every_call_gives_exactly_the_parameters_its_template_names() -> None:
    """An AST walk of src/: a misspelt, missing or extra parameter at any call site fails here."""
    sites = _call_sites()
    wrong = []
    for where, code, call, position in sites:
        name = _callee(call)
        assert name in WRAPPERS, f"{where}: {name}() gets the code «{code}»: teach this test what it adds"
        code_at, adds, places, value_at = WRAPPERS[name]
        assert position == code_at, f"{where}: the code is argument {position} of {name}()"
        assert not any(k.arg is None for k in call.keywords), f"{where}: **params hide the parameters"
        keywords = {k.arg for k in call.keywords if k.arg is not None}
        kind = CATALOGUE[code]
        given = (keywords - PLACE_KEYWORDS) | (adds & kind.params)
        if name == "Rejected" and len(call.args) > 1:
            given.add("detail")
        if name == "_field_problem" and "expected" in keywords:
            given.add("expected")
        placed = keywords | places | ({"cell", "sheet"} if "cell" in keywords else set())
        if value_at is not None and len(call.args) > value_at:
            placed.add("value")
        missing_places = (template_fields(kind.template) & LOCATION_FIELDS) - placed
        if given != kind.params or missing_places:
            wrong.append(
                f"{where} {code}: gives {sorted(given)}, needs {sorted(kind.params | missing_places)}"
            )
    assert not wrong, "\n".join(wrong)
    made = {code for _, code, _, _ in sites} | CHOSEN_AT_RUN_TIME
    assert made == set(CATALOGUE), f"never made in src/: {sorted(set(CATALOGUE) - made)}"
    assert len(sites) > 80  # the walk does see the call sites

"""Problems as data: the catalogue is complete, messages render from params, results.json round-trips.

Schema 1 of results.json stored each problem's finished message and its consequence as a
Russian sentence; those problems must still be read (and shown exactly as before) forever.
"""

from __future__ import annotations

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
        "value-not-number", indicator="UPR-4", value=long, expected=long, school=long, ratio=float("nan")
    )
    assert len(problem.value) == TEXT_LIMIT and problem.value.endswith("…")
    assert len(problem.school) == TEXT_LIMIT
    assert len(str(problem.params["expected"])) == TEXT_LIMIT
    assert problem.params["ratio"] == "—"  # not a number JSON can hold
    json.dumps(problem.to_dict(), allow_nan=False)


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

"""A problem of a form in words a school reads without the form's structure in mind.

The console and validation.xlsx say «Показатели!E16: показатель RES-5: числитель 5 больше
знаменателя 3» — exact for an analyst. A letter to the school says where, on which sheet
and in which cell, and what the numbers are called in its form: «лист «Показатели», ячейка
E16»; «число обучающихся, снятых с учёта в связи с исправлением — 5, число обучающихся,
состоявших на учёте в течение года — 3: первое не может быть больше второго». Problems of
other kinds keep their message, which already names the field or the value.
"""

from __future__ import annotations

from ..config import Config
from ..problems import Problem
from ..words.formatting import NBSP, format_compact
from ..words.russian import lower_first


def place_words(sheet: str, cell: str) -> str:
    """«лист «Показатели», ячейка D9» ("" for the form as a whole)."""
    if sheet and cell:
        return f"лист «{sheet}», ячейка{NBSP}{cell}"
    return f"лист «{sheet}»" if sheet else ""


def plain_message(problem: Problem, config: Config | None) -> str:
    """The problem's message, with a share's numerator and denominator called by their labels."""
    message = problem.message.rstrip().rstrip(".")
    if config is None or not config.has_indicator(problem.indicator):
        return message
    ind = config.indicator(problem.indicator)
    params = {k: format_compact(v) if isinstance(v, float) else v for k, v in problem.params.items()}
    numerator = ind.numerator or "числитель"
    # told by their parameters (a code kept outside make_problem is what tests/test_problems.py refuses)
    if {"numerator", "denominator"} <= params.keys():
        denominator = ind.denominator or "знаменатель"
        return (
            f"показатель {ind.code}: {lower_first(numerator)} — {params.get('numerator')}, "
            f"{lower_first(denominator)} — {params.get('denominator')}: первое не может быть больше второго"
        )
    if {"numerator", "label", "limit"} <= params.keys():
        return (
            f"показатель {ind.code}: {lower_first(numerator)} — {params.get('numerator')}, больше, чем "
            f"«{params.get('label')}» в сведениях об ОО ({params.get('limit')})"
        )
    return message

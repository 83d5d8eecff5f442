"""Validation problems as data: a code, a place, parameters and a consequence id.

A problem is something a person must see: the file, the sheet, the cell, the indicator,
the value found and what was expected, in Russian that can be forwarded to a school as
is. It keeps data, not sentences: its :attr:`Problem.message` and
:attr:`Problem.consequence_text` are rendered from the catalogue (:mod:`.catalogue`) and
the parameters when asked, so results.json stores parameters and an old results.json can
be shown again with today's texts. Numbers in messages are formatted for Russian readers
by :mod:`render.formatting` («72,5», «41 943 040»).

Results.json of schema version 1 stored the finished message and the consequence as a
Russian sentence; :meth:`Problem.from_dict` reads those too: the sentence is mapped back to
its id and the old message is kept (parameter :data:`LEGACY_MESSAGE`), so it shows exactly
as it did.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import layout
from ..words.formatting import format_compact, format_int
from ..words.text import clip
from .catalogue import CATALOGUE
from .kinds import CONSEQUENCE_RU, SEVERITY_RU, Consequence, ProblemType, Severity

__all__ = [
    "CATALOGUE",
    "CONSEQUENCE_RU",
    "LEGACY_MESSAGE",
    "SEVERITY_RU",
    "Consequence",
    "ParamValue",
    "Problem",
    "ProblemType",
    "Severity",
    "make_problem",
    "param_text",
    "problems_markdown",
]

ParamValue = str | int | float
LEGACY_MESSAGE = "legacy_message"  # a schema-1 problem's finished message, shown as it was
_CONSEQUENCE_BY_TEXT = {text: consequence for consequence, text in CONSEQUENCE_RU.items()}


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about one place in one submission (or across submissions)."""

    code: str
    severity: Severity
    file: str = ""
    sheet: str = ""
    cell: str = ""
    indicator: str = ""
    school: str = ""
    value: str = ""  # what was found, as text (clipped)
    consequence: Consequence = Consequence.none
    params: dict[str, ParamValue] = field(default_factory=dict, hash=False)

    @property
    def indicator_code(self) -> str:
        """The indicator the problem concerns: a computed indicator's input's problem names the
        input as its form row does («ROD-6.r1», ``layout.input_code``); this is «ROD-6»."""
        return self.indicator.partition(layout.INPUT_SEPARATOR)[0]

    @property
    def location(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.sheet or self.cell

    @property
    def kind(self) -> ProblemType:
        """Its catalogue entry; for a code of a newer version (read from its results.json), a
        stand-in with the default behaviour."""
        return CATALOGUE.get(self.code) or ProblemType(self.code, self.severity, self.code, self.code, "")

    @property
    def message(self) -> str:
        """The Russian message: the catalogue's template filled with this problem's data."""
        legacy = self.params.get(LEGACY_MESSAGE)
        if isinstance(legacy, str):
            return legacy
        kind = CATALOGUE.get(self.code)
        if kind is None:  # a code of a newer version, read from its results.json
            return self.code
        fields = _Fields(indicator=self.indicator, school=self.school, value=self.value)
        fields.update(sheet=self.sheet, cell=self.cell)
        fields.update((name, param_text(value)) for name, value in self.params.items())
        message = kind.template.format_map(fields)
        return message[:1].upper() + message[1:]

    @property
    def consequence_text(self) -> str:
        """What the error does to the results, in Russian ("" for none)."""
        return CONSEQUENCE_RU[self.consequence]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe data: ids and parameters, never the rendered sentences."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "indicator": self.indicator,
            "school": self.school,
            "value": self.value,
            "consequence": self.consequence.value,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Problem:
        """A problem from :meth:`to_dict`, or from results.json schema 1 (message, Russian consequence)."""
        params = {str(k): v for k, v in (data.get("params") or {}).items()}
        if "params" not in data and "message" in data:
            params[LEGACY_MESSAGE] = str(data["message"])
        return cls(
            code=str(data["code"]),
            severity=Severity(data["severity"]),
            file=str(data.get("file", "")),
            sheet=str(data.get("sheet", "")),
            cell=str(data.get("cell", "")),
            indicator=str(data.get("indicator", "")),
            school=str(data.get("school", "")),
            value=str(data.get("value", "")),
            consequence=_consequence(str(data.get("consequence", ""))),
            params=params,
        )


class _Fields(dict[str, str]):
    """Template fields; a field a stored problem lacks shows as «—» instead of failing."""

    def __missing__(self, key: str) -> str:
        return "—"


def _consequence(text: str) -> Consequence:
    """A consequence id, or the Russian sentence schema 1 stored instead of it."""
    if text in _CONSEQUENCE_BY_TEXT:
        return _CONSEQUENCE_BY_TEXT[text]
    return Consequence(text)  # ValueError for anything else: the file is not ours


def param_text(value: object) -> str:
    """A parameter or found value as a person reads it: numbers with a decimal comma."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int):
        return format_int(value)
    if isinstance(value, float):
        return format_compact(value)
    return "" if value is None else str(value)


def _param(value: object) -> ParamValue:
    """A JSON-safe parameter: finite numbers kept as numbers, everything else clipped text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return clip(param_text(value))


def make_problem(
    code: str,
    *,
    severity: Severity | None = None,
    consequence: Consequence = Consequence.none,
    file: str = "",
    sheet: str = "",
    cell: str = "",
    indicator: str = "",
    school: str = "",
    value: object = "",
    **params: object,
) -> Problem:
    """A problem of a catalogued ``code``; ``params`` fill its message template.

    ``params`` must be exactly the template's parameters (:attr:`ProblemType.params`): a
    misspelt or forgotten one raises ``TypeError`` here, in the tests, instead of printing
    «—» in a letter to a school. Texts are clipped to :data:`text.TEXT_LIMIT`; a number given
    as ``value`` is kept as Russian text («12,5»), numbers in ``params`` stay numbers and are
    formatted when the message is shown.
    """
    kind = CATALOGUE[code]
    if params.keys() != kind.params:
        raise TypeError(
            f"make_problem({code!r}): parameters {sorted(params)}, its template has {sorted(kind.params)}"
        )
    return Problem(
        code=code,
        severity=severity or kind.severity,
        file=file,
        sheet=sheet,
        cell=cell,
        indicator=indicator,
        school=clip(school),
        value=clip(param_text(value)),
        consequence=consequence,
        params={name: _param(item) for name, item in params.items()},
    )


def problems_markdown() -> str:
    """docs/problems.md: the table of problem codes, then the consequences of errors."""
    lines = [
        "# Коды проблем",
        "",
        "Таблица создаётся командой `vosp-monitor problems --markdown`; тест проверяет, что она совпадает с кодом.",
        "",
        "| Код | Уровень | Название | Что означает |",
        "|---|---|---|---|",
    ]
    for kind in CATALOGUE.values():
        lines.append(f"| `{kind.code}` | {SEVERITY_RU[kind.severity]} | {kind.title} | {kind.description} |")
    lines += [
        "",
        "## Последствия ошибок",
        "",
        "Каждая ошибка говорит, что она меняет в результатах (в results.json записан код последствия).",
        "Предупреждения ничего не меняют.",
        "",
        "| Код последствия | Что происходит |",
        "|---|---|",
    ]
    lines += [f"| `{c.value}` | {text} |" for c, text in CONSEQUENCE_RU.items() if c is not Consequence.none]
    return "\n".join(lines) + "\n"

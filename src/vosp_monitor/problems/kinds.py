"""What a problem type is: its severity, its consequence ids, its texts and its behaviour.

A :class:`ProblemType` is one entry of the catalogue (``catalogue.CATALOGUE``). What the
tool does with a problem of that type — whether its consequence follows the indicator's
``missing`` or ``invalid``, whether it goes to the school, whether the справка repeats it in
a section of its own — is an attribute of the type, read wherever it matters, never a list
of codes kept in the module that acts on it. Its parameters are the fields its template
names (:attr:`ProblemType.params`); ``make_problem`` accepts exactly those.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from string import Formatter


class Severity(StrEnum):
    error = "error"
    warning = "warning"


SEVERITY_RU = {Severity.error: "ошибка", Severity.warning: "предупреждение"}


class Consequence(StrEnum):
    """What an error does to the results (warnings change nothing); see :data:`CONSEQUENCE_RU`."""

    none = ""
    file_excluded = "file-excluded"
    school_excluded = "school-excluded"
    indicator_excluded = "indicator-excluded"
    indicator_zero = "indicator-zero"

    @property
    def excludes_school(self) -> bool:
        """The school leaves the ranking: its file is not read, or the school is excluded."""
        return self in (Consequence.file_excluded, Consequence.school_excluded)

    @property
    def indicator_only(self) -> bool:
        """Only the indicator is touched: left out of the sums or scored 0; the school stays."""
        return self in (Consequence.indicator_excluded, Consequence.indicator_zero)


CONSEQUENCE_RU: dict[Consequence, str] = {
    Consequence.none: "",
    Consequence.file_excluded: "файл не обработан",
    Consequence.school_excluded: "школа исключена из рейтинга",
    Consequence.indicator_excluded: "показатель не учитывается (исключён из суммы и максимума)",
    Consequence.indicator_zero: "показатель оценён в 0 баллов",
}

# Fields every template may name without a parameter: a problem's own place and value.
LOCATION_FIELDS = frozenset({"indicator", "school", "value", "sheet", "cell"})


@dataclass(frozen=True, slots=True)
class ProblemType:
    code: str
    severity: Severity
    title: str
    template: str  # str.format fields: indicator, school, value, sheet, cell and the params
    description: str
    # The value is absent rather than wrong (or, for ``transform: log``, a true value the
    # log scale cannot score: not the school's mistake), so the consequence follows the
    # indicator's ``missing``; every other problem about a value follows ``invalid``.
    absent: bool = False
    # False: a fault of the program, not of the form; kept out of the letters to schools and
    # the count of forms to fix (the school has nothing to fix).
    for_schools: bool = True
    # Said again in the справка's «Устойчивость мест» and in score's console summary: why
    # the robustness analysis was not run, or was run without something.
    robustness_note: bool = False
    # Said once for the run about indicators.yaml against the forms it made (an indicator
    # added or removed since, a reworded framework, another period): no school can fix it, and
    # score prints it after its summary.
    form_note: bool = False

    @property
    def params(self) -> frozenset[str]:
        """The parameters its message needs: the template's fields besides :data:`LOCATION_FIELDS`."""
        return template_fields(self.template) - LOCATION_FIELDS


@cache
def template_fields(template: str) -> frozenset[str]:
    """The names of the ``str.format`` fields of ``template``."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name is not None)

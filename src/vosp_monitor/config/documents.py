"""The ``monitoring:`` and ``documents:`` sections of indicators.yaml: what the справка and
the documents made from it say beyond the numbers — the monitoring's title, basis and
purpose, the authority, the kind of territory, and who carries out each management
decision by when.

The territory is one of the four kinds a Russian education authority serves; the report
inflects it («по муниципальному округу», «ОО городского округа»), so nothing assumes
«район». Responsible bodies are named once (``responsible``) and referred to by key from
each indicator's plan (``measures``); every name and deadline has a default, so a config
without this section still yields addressed decisions. The section grows with the Word
documents (signatory, исполнитель, order date and number).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from .base import ConfigModel as _Model


class Monitoring(_Model):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    authority: str = ""
    period: str = ""
    form_version: str = Field(min_length=1)
    basis: str = ""
    purpose: str = ""
    instructions: str = ""
    previous_versions: dict[str, str] = Field(default_factory=dict)


Territory = Literal["муниципальный район", "городской округ", "муниципальный округ", "регион"]


class Body(StrEnum):
    """Who carries out a management decision (keys of ``documents.responsible``)."""

    authority = "authority"
    methodical_centre = "methodical_centre"
    schools = "schools"


class Responsible(_Model):
    """The names of the bodies management decisions are addressed to (nominative)."""

    authority: str = Field(default="Управление образования", min_length=1)
    methodical_centre: str = Field(default="МКУ «Методический центр»", min_length=1)
    schools: str = Field(default="Руководители общеобразовательных организаций", min_length=1)

    def name(self, body: str) -> str:
        """A body's name; a text that is not a body key is a name already."""
        return str(getattr(self, body)) if body in Body.__members__ else body


class MeasurePlan(_Model):
    """Who carries out an indicator's ``district_measure`` and by when."""

    responsible: str = Field(default=Body.methodical_centre.value, min_length=1)
    deadline: str = ""  # "" → documents.deadline


class Documents(_Model):
    """What the справка (and the documents made from it) need beyond the numbers.

    ``authority`` is the authority's full name (empty: ``monitoring.authority``);
    ``territory`` is the kind of territory the text speaks of — nothing assumes «район».
    """

    authority: str = ""
    territory: Territory = "муниципальный район"
    responsible: Responsible = Field(default_factory=Responsible)
    deadline: str = Field(default="в течение учебного года", min_length=1)
    report_back: str = Field(default="в течение месяца", min_length=1)
    measures: dict[str, MeasurePlan] = Field(default_factory=dict)  # indicator code → plan

    def plan(self, code: str) -> MeasurePlan:
        return self.measures.get(code) or MeasurePlan()

"""The ``monitoring:`` and ``documents:`` sections of indicators.yaml: what the справка and
the documents made from it say beyond the numbers — the monitoring's title, basis and
purpose, the authority, the kind of territory, and who carries out each management
decision by when.

The territory is one of the four kinds a Russian education authority serves; the report
inflects it («по муниципальному округу», «ОО городского округа»), so nothing assumes
«район». Responsible bodies are named once (``responsible``) and referred to by key from
each indicator's plan (``measures``); every name and deadline has a default, so a config
without this section still yields addressed decisions.

The Word documents (the order, the справка, the letters to schools) also need their
реквизиты: who signs (``signatory``), the исполнитель (``executor``), the order's number,
date and place (``order``), the letters' (``letters``). These have no invented defaults:
what the config does not give stays a highlighted placeholder in the document and a
warning on the console, so a draft can never go out with a made-up number or signature.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator

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
    """Who carries out an indicator's ``district_measure`` and by when; by when a school with
    the deficit carries out its ``measure`` (the letters give each deficit its own deadline)."""

    responsible: str = Field(default=Body.methodical_centre.value, min_length=1)
    deadline: str = ""  # "" → documents.deadline
    school_deadline: str = ""  # "" → documents.deadline


def _as_text(value: Any) -> Any:
    """A number or date YAML read as such («number: 522», «date: 2026-09-14») as the text it stands for."""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


class Signatory(_Model):
    """Who signs the order, the справка and the letters: «Начальник управления образования», «Н.М. Сизов»."""

    position: str = ""
    name: str = ""  # initials before the surname, as ГОСТ Р 7.0.97 writes the расшифровка подписи


class Executor(_Model):
    """The исполнитель, printed small at the end of each document: name and phone."""

    name: str = ""
    phone: str = ""

    _text = field_validator("phone", mode="before")(_as_text)


class OrderRequisites(_Model):
    """The order's number, date and place; ``heading`` and ``control`` replace the generated ones."""

    number: str = ""
    date: str = ""  # text as it is to be printed; a YAML date is printed «14.09.2026»
    place: str = ""  # место издания: «р.п. Екатериновка»
    heading: str = ""  # «Об итогах мониторинга …» when empty
    # The document the monitoring was held on, with its date and number, as the preamble
    # says it after «Основание:» («приказ министерства образования … от 20.07.2026 № 1005 …»).
    basis: str = ""
    previous: str = ""  # last year's order on the monitoring: «от 15.09.2025 № 480» (with --previous)
    control: str = Field(
        default="Контроль за исполнением настоящего приказа оставляю за собой.", min_length=1
    )

    _text = field_validator("number", "date", mode="before")(_as_text)


class LetterRequisites(_Model):
    """The letters to schools: their number and date, whose name they are addressed to, and
    by when an excluded school sends its corrected form."""

    number: str = ""
    date: str = ""
    head_field: str = "head"  # the school field with the head's name («Руководитель ОО (ФИО)»)
    resend: str = Field(default="в течение 5 рабочих дней", min_length=1)
    send_to: str = ""  # where a corrected form goes («на адрес monitoring@…»); "" → a placeholder

    _text = field_validator("number", "date", mode="before")(_as_text)


class FeedbackRequisites(_Model):
    """The «what to fix» letters of ``validate -o``: sent before the order, with their own
    number and date."""

    number: str = ""
    date: str = ""

    _text = field_validator("number", "date", mode="before")(_as_text)


class MunicipalAuthority(_Model):
    """A municipal education authority of a regional run: the addressee of its letter and the
    authority of its own district set (``territories/<name>/``)."""

    name: str = ""  # «Управление образования администрации Северного муниципального района»
    head: str = ""  # its head, «И.О. Фамилия»: the letter's addressee and the municipal order's signatory
    position: str = ""  # the head's position: «Начальник управления образования»


class RegionalRequisites(_Model):
    """What a regional run's documents need beyond a district's: the regional institute or
    methodological service the regional order addresses, each municipality's education
    authority (by the territory's name), the deadline of the municipal authorities' measures
    and by when they report back. A municipal authority the config does not name is taken
    from the municipality's own form, else it stays a placeholder."""

    institute: str = ""  # «ГАУ ДПО «Институт развития образования»»
    authorities: dict[str, MunicipalAuthority] = Field(default_factory=dict)  # territory name → authority
    deadline: str = ""  # "" → documents.deadline
    report_back: str = ""  # "" → documents.report_back


class Documents(_Model):
    """What the справка (and the documents made from it) need beyond the numbers.

    ``authority`` is the authority's full name (empty: ``monitoring.authority``);
    ``territory`` is the kind of territory the text speaks of — nothing assumes «район»;
    ``territory_name`` its name in the nominative («Екатериновский муниципальный район»),
    which the order's heading and text inflect.
    """

    authority: str = ""
    territory: Territory = "муниципальный район"
    territory_name: str = ""
    responsible: Responsible = Field(default_factory=Responsible)
    deadline: str = Field(default="в течение учебного года", min_length=1)
    report_back: str = Field(default="в течение месяца", min_length=1)
    measures: dict[str, MeasurePlan] = Field(default_factory=dict)  # indicator code → plan
    signatory: Signatory = Field(default_factory=Signatory)
    executor: Executor = Field(default_factory=Executor)
    order: OrderRequisites = Field(default_factory=OrderRequisites)
    letters: LetterRequisites = Field(default_factory=LetterRequisites)
    regional: RegionalRequisites = Field(default_factory=RegionalRequisites)
    feedback: FeedbackRequisites = Field(default_factory=FeedbackRequisites)

    def plan(self, code: str) -> MeasurePlan:
        return self.measures.get(code) or MeasurePlan()

"""The documents' view: реквизиты, the draft order and the appendix captions, as frozen data.

The order «Об итогах мониторинга …» is made, like the seed order № 522, of a heading, a
preamble (what was done, on what basis, what was measured and found), ПРИКАЗЫВАЮ and
numbered items: approve the справка and its appendices, then the management decisions
of the справка (:mod:`decisions`) grouped by addressee, each with its deadline, then the
control clause. Nothing is computed here: the facts are the report view's.

A реквизит the config does not give (the order's number, the signatory …) is a
:class:`Slot` marked missing: the Word documents print it as a highlighted placeholder
(«[номер приказа]») and ``missing`` lists it for the console, so a draft never carries an
invented value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import Config
from ..words.formatting import plural
from ..words.russian import count, inflect, lower_first, upper_first
from .addressees import item_numbers
from .decisions import Decision, Role
from .outline import (
    AUDIT_APPENDIX,
    QUALITY_APPENDIX,
    RANKING_APPENDIX,
    RECOMMENDATIONS_APPENDIX,
    SPRAVKA_APPENDIX,
)
from .view import ReportView


@dataclass(frozen=True, slots=True)
class Slot:
    """A реквизит: the config's text, or a placeholder to be filled in by hand (``missing``)."""

    text: str
    missing: bool = False

    def __str__(self) -> str:
        return self.text


def slot(value: str, placeholder: str) -> Slot:
    value = value.strip()
    return Slot(value) if value else Slot(f"[{placeholder}]", missing=True)


@dataclass(frozen=True, slots=True)
class Phrase:
    """Text with реквизиты inside: «Приложение 1 к приказу … от [дата] № [номер]»."""

    parts: tuple[str | Slot, ...]

    def __str__(self) -> str:
        return "".join(str(part) for part in self.parts)


@dataclass(frozen=True, slots=True)
class OrderItem:
    number: str  # «3», «3.1»
    text: str | Phrase  # a Phrase where a реквизит is inside (last year's order: «от [дата] № [номер]»)
    subitems: tuple[OrderItem, ...] = ()


@dataclass(frozen=True, slots=True)
class OrderView:
    heading: str  # «Об итогах мониторинга …»
    preamble: tuple[str | Phrase, ...]  # paragraphs before ПРИКАЗЫВАЮ (the basis is a реквизит)
    items: tuple[OrderItem, ...]


@dataclass(frozen=True, slots=True)
class Grif:
    """An appendix's caption in its top right corner (ГОСТ Р 7.0.97), in its three lines, and
    how the text refers to the appendix («в приложении 2 к приказу»)."""

    number: int
    to_order: bool  # an appendix to the order (else to the справка)
    to: str  # «к приказу управления образования администрации …»
    dated: Phrase  # «от [дата приказа] № [номер приказа]» (empty for the справка's own appendices)

    @property
    def title(self) -> str:
        return f"Приложение {self.number}"

    @property
    def reference(self) -> str:
        """«приложение 2 к приказу»: the nominative, as in «(приложение 2 к приказу)»."""
        return f"приложение {self.number} {self._of}"

    @property
    def reference_in(self) -> str:
        """«приложении 2 к приказу»: after «в»."""
        return f"приложении {self.number} {self._of}"

    @property
    def _of(self) -> str:
        return "к приказу" if self.to_order else "к аналитической справке"


@dataclass(frozen=True, slots=True)
class Appendices:
    """The captions of the parts of report.docx: the справка and its appendices."""

    report: Grif  # the справка: «Приложение 1 к приказу … от … № …»
    ranking: Grif  # «Приложение 2 к приказу …»
    recommendations: Grif | None  # «Приложение 3 …», when the full list is an appendix
    quality: Grif  # «Приложение 1 к аналитической справке»: data quality
    audit: Grif  # «Приложение 2 к аналитической справке»: the indicator set


@dataclass(frozen=True, slots=True)
class DocumentsView:
    authority: Slot
    territory_of: str  # «Екатериновского муниципального района» (or the kind: «муниципального района»)
    place: Slot
    order_number: Slot
    order_date: Slot
    signatory_position: Slot
    signatory_name: Slot
    executor_name: Slot
    executor_phone: Slot
    letter_number: Slot
    letter_date: Slot
    title_of: str  # «мониторинга качества воспитания …» (genitive, lower case)
    period: str
    report_to: Slot  # where schools report back: the authority in the accusative («в Управление …»)
    report_back: str  # by when, without a final period: «до 1 февраля 2027 г»
    resend: str  # by when an excluded school sends its form again
    send_to: Slot  # where it sends it («на адрес monitoring@…»)
    authority_of: str | Slot  # «управления образования администрации …» (genitive, as after «приказом»)
    order: OrderView
    appendices: Appendices
    missing: tuple[str, ...]  # what the order and the letters lack, for the console


@dataclass(frozen=True, slots=True)
class FeedbackDocuments:
    """What a «what to fix» letter of ``validate -o`` prints of the реквизиты: sent before the
    order, it has its own number and date (``documents.feedback``) and cites no order."""

    authority: Slot
    letter_number: Slot
    letter_date: Slot
    title_of: str
    period: str
    resend: str
    send_to: Slot
    signatory_position: Slot
    signatory_name: Slot
    executor_name: Slot
    executor_phone: Slot


def feedback_documents(config: Config) -> FeedbackDocuments:
    docs = config.documents
    slots = _slots(config)
    return FeedbackDocuments(
        authority=authority_slot(config),
        letter_number=slot(docs.feedback.number, "номер"),
        letter_date=slot(docs.feedback.date, "дата"),
        title_of=lower_first(inflect(config.monitoring.title, "gent")),
        period=config.monitoring.period,
        resend=_no_stop(docs.letters.resend),
        send_to=slots["send_to"],
        signatory_position=slots["signatory_position"],
        signatory_name=slots["signatory_name"],
        executor_name=slots["executor_name"],
        executor_phone=slots["executor_phone"],
    )


def missing_requisites(config: Config, previous: bool = False) -> tuple[str, ...]:
    """The реквизиты the config leaves to be filled in by hand, in words («номер приказа», …);
    ``previous``: the order speaks of last year's order (``--previous``), whose date and
    number are then a реквизит too."""
    return _missing(authority_slot(config), _slots(config, previous))


GENERIC = re.compile(r"администрации\s+(муниципального района|городского округа|муниципального округа)\s*$")


def authority_slot(config: Config) -> Slot:
    """The authority's name; a generic one (the default «… администрации муниципального района»,
    naming no territory) is kept but highlighted and listed, like a missing one."""
    name = config.authority.strip()
    if name and GENERIC.search(name):
        return Slot(name, missing=True)
    return slot(name, "наименование органа")


def _slots(config: Config, previous: bool = False) -> dict[str, Slot]:
    docs = config.documents
    req = docs.order
    slots = {
        "order_number": slot(req.number, "номер приказа"),
        "order_date": slot(req.date, "дата приказа"),
        "place": slot(req.place, "место издания"),
        "basis": slot(req.basis, "основание: вид документа, дата, номер, наименование"),
        "signatory_position": slot(docs.signatory.position, "должность"),
        "signatory_name": slot(docs.signatory.name, "И.О. Фамилия"),
        "executor_name": slot(docs.executor.name, "исполнитель"),
        "executor_phone": slot(docs.executor.phone, "телефон"),
        "letter_number": slot(docs.letters.number, "номер"),
        "letter_date": slot(docs.letters.date, "дата"),
        "send_to": slot(docs.letters.send_to, "куда направить форму"),
    }
    if previous:
        slots["previous_order"] = slot(req.previous, "от … № …")
    return slots


def documents_view(config: Config, view: ReportView) -> DocumentsView:
    docs = config.documents
    authority = authority_slot(config)
    territory_of = inflect(docs.territory_name, "gent") if docs.territory_name else view.territory.kind_of
    slots = _slots(config, view.dynamics is not None)
    basis, previous = slots.pop("basis"), slots.pop("previous_order", Slot(""))
    title_of = lower_first(inflect(config.monitoring.title, "gent"))
    heading = docs.order.heading or f"Об итогах {title_of} {territory_of}"
    return DocumentsView(
        authority=authority,
        territory_of=territory_of,
        title_of=title_of,
        period=config.monitoring.period,
        report_to=Slot(inflect(authority.text, "accs"), authority.missing)
        if not authority.text.startswith("[")
        else authority,
        report_back=_no_stop(docs.report_back),
        resend=_no_stop(docs.letters.resend),
        authority_of=authority if authority.missing else _genitive_lower(authority),
        order=OrderView(
            heading, _preamble(config, view, territory_of, basis), _items(config, view, previous)
        ),
        appendices=_appendices(authority, slots["order_date"], slots["order_number"], view),
        missing=_missing(
            authority, {**slots, "basis": basis, **({"previous_order": previous} if previous.text else {})}
        ),
        **slots,
    )


def _preamble(config: Config, view: ReportView, territory_of: str, basis: Slot) -> tuple[str | Phrase, ...]:
    """What was done, on what basis, why, what was measured and found — the seed order's opening."""
    monitoring = config.monitoring
    period = f" ({monitoring.period})" if monitoring.period else ""
    done = Phrase(
        ("Основание: ", basis, f". Проведён {lower_first(monitoring.title)} {territory_of}{period}.")
    )
    purpose = (
        f"Цель мониторинга — {lower_first(monitoring.purpose.rstrip('.'))}. " if monitoring.purpose else ""
    )
    indicators = len(config.indicators())
    blocks = ", ".join(f"«{b.title}»" for b in config.blocks)
    measured = (
        f"{purpose}Информация собрана путём самообследования общеобразовательных организаций по единой форме: "
        f"{count(indicators, 'показатель')} в {plural(len(config.blocks), 'блоке', 'блоках', 'блоках')} — {blocks}."
    )
    systemic = len(view.system_deficits)
    found = " ".join(view.findings[:2])
    found += (
        f" {'Выявлен' if systemic == 1 else 'Выявлено'} {count(systemic, 'системный дефицит')}"
        if systemic
        else " Системных дефицитов не выявлено"
    )
    found += (
        f"; в зоне риска — {count(view.risk_count, 'ОО')}." if view.risk_count else "; ОО в зоне риска нет."
    )
    found += f" Результаты изложены в аналитической справке (приложение {SPRAVKA_APPENDIX})."
    return (done, measured, found)


def _items(config: Config, view: ReportView, previous: Slot) -> tuple[OrderItem, ...]:
    """ПРИКАЗЫВАЮ: approve the справка; the authority's own tasks, impersonally; the decisions of
    each addressee under its name; recommendations to schools of another founder; control."""
    approve = (
        f"Утвердить аналитическую справку по итогам мониторинга (приложение {SPRAVKA_APPENDIX}), "
        f"рейтинг общеобразовательных организаций (приложение {RANKING_APPENDIX})"
    )
    if view.recommendations_appendix:
        approve += f" и адресные рекомендации общеобразовательным организациям (приложение {RECOMMENDATIONS_APPENDIX})"
    items = [OrderItem("1", approve + ".")]
    groups: dict[tuple[Role, str], list[OrderItem]] = {}
    numbers = item_numbers(view.decisions)  # «3», «4.2»: the «Адресаты решений» sheet says the same
    for decision, number in zip(view.decisions, numbers, strict=True):
        if decision.role == Role.cycle:
            continue  # the order's last item but the control, below
        text = _sentence(decision)
        if decision.role.own:
            items.append(
                OrderItem(number, _with_previous(text, previous) if decision.previous_order else text)
            )
            continue
        groups.setdefault((decision.role, decision.addressee), []).append(OrderItem(number, text))
    for (role, addressee), subitems in groups.items():
        head = inflect(addressee, "datv")
        head = f"Рекомендовать {lower_first(head)}:" if role == Role.other else f"{upper_first(head)}:"
        items.append(OrderItem(subitems[0].number.partition(".")[0], head, tuple(subitems)))
    for decision, number in zip(view.decisions, numbers, strict=True):
        if decision.role == Role.cycle:
            items.append(OrderItem(number, _sentence(decision)))
    items.append(OrderItem(str(len(items) + 1), config.documents.order.control))
    return tuple(items)


def _sentence(decision: Decision) -> str:
    """The decision's text as an item of the order, with its срок."""
    text = decision.text.rstrip()
    text = text if text.endswith((".", "!", "?")) else text + "."
    return f"{text} Срок: {_no_stop(decision.deadline)}." if decision.deadline else text


def _with_previous(text: str, previous: Slot) -> str | Phrase:
    """Last year's order named with its date and number (a реквизит: from the config or a placeholder)."""
    if not previous.text:
        return text
    marker = "приказа по итогам мониторинга"
    head, _, tail = text.partition(marker)
    return Phrase((head, "приказа ", previous, " по итогам мониторинга", tail)) if tail else text


def _appendices(authority: Slot, date: Slot, number: Slot, view: ReportView) -> Appendices:
    placeholder = authority.missing and authority.text.startswith("[")
    to = f"к приказу {authority.text}" if placeholder else f"к приказу {_genitive_lower(authority)}"
    dated = Phrase(("от ", date, " № ", number))

    def to_order(n: int) -> Grif:
        return Grif(n, True, to, dated)

    def to_report(n: int) -> Grif:
        return Grif(n, False, "к аналитической справке", Phrase(()))

    return Appendices(
        report=to_order(SPRAVKA_APPENDIX),
        ranking=to_order(RANKING_APPENDIX),
        recommendations=to_order(RECOMMENDATIONS_APPENDIX) if view.recommendations_appendix else None,
        quality=to_report(QUALITY_APPENDIX),
        audit=to_report(AUDIT_APPENDIX),
    )


def _no_stop(text: str) -> str:
    """A phrase without its final period, for a sentence that adds one («до 31 мая 2027 г.» stays right)."""
    text = text.strip()
    return text[:-1] if text.endswith(".") else text


def _genitive_lower(authority: Slot) -> str:
    """«Управление образования администрации …» → «управления образования администрации …»."""
    return lower_first(inflect(authority.text, "gent"))


_LABELS = {
    "order_number": "номер приказа",
    "order_date": "дата приказа",
    "place": "место издания",
    "basis": "основание (документ, его дата и номер)",
    "previous_order": "дата и номер прошлогоднего приказа по итогам мониторинга",
    "signatory_position": "должность подписывающего",
    "signatory_name": "И.О. Фамилия подписывающего",
    "executor_name": "исполнитель",
    "executor_phone": "телефон исполнителя",
    "letter_number": "номер писем",
    "letter_date": "дата писем",
    "send_to": "куда школы направляют исправленные формы",
}


def _missing(authority: Slot, slots: dict[str, Slot]) -> tuple[str, ...]:
    generic = f"наименование органа (указано общее: «{authority.text}»)"
    names = [
        generic if authority.text and not authority.text.startswith("[") else "наименование органа"
    ] * authority.missing
    return (*names, *(_LABELS[key] for key, value in slots.items() if value.missing))

"""Management decisions built from the analysis: what, who carries it out, by when, on what finding.

The seed order (приказ № 522) gives its own tasks to the authority impersonally
(«Рассмотреть вопрос …», «Провести …»), addresses the methodological centre and the heads
of schools, and recommends where it cannot order. The decisions here follow the analysis,
item by item:

* the authority: last year's order and what became of it (``--previous``), the meeting on
  the results, the measures ``documents.measures`` gives it, the next monitoring;
* the methodological centre (or whoever a measure's plan names): each system deficit, each
  indicator whose target the territory misses, each of the weakest indicators — always in a
  district formulation (an indicator without a ``district_measure`` becomes methodological
  help to the schools concerned, named), and a target met across the territory but missed
  by some schools is aimed at those schools, not at the territory; the common cause of the
  risk zone; the risk zone's support; the leaders' experience;
* the heads of the authority's own schools (:mod:`founders`): their decisions, the
  school-level measures their plan gives them, the report back; the heads of excluded and
  non-submitting schools: the form, by a date; the heads of schools of another founder:
  a recommendation.

Every срок is a date, in order (:mod:`deadlines`). Each decision carries its basis, the
finding it answers, so the order can be checked against the справка. Words only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..config import Body, Indicator
from ..results import Results, Subject, Trait
from ..words.formatting import format_number
from ..words.russian import TerritoryWords, count, inflect, lower_first, pick
from . import indicator_wording
from .causes import profile_of
from .deadlines import Due, deadlines
from .founders import own_school
from .indicator_wording import IndicatorWording
from .outline import RANKING_APPENDIX, RECOMMENDATIONS_APPENDIX, SPRAVKA_APPENDIX
from .roster import ADDRESSEES_SHEET, Because, Roster, workbook_in


class Role(StrEnum):
    """How the order addresses a decision."""

    authority = "authority"  # the authority's own task: an item without an addressee
    body = "body"  # the methodological centre or another body the config names
    schools = "schools"  # heads of the authority's own schools
    heads = "heads"  # heads of named schools (excluded, no form)
    other = "other"  # heads of schools of another founder: «Рекомендовать»
    cycle = "cycle"  # the authority's next monitoring: its own task, the order's last

    @property
    def own(self) -> bool:
        """An item of the authority itself: impersonal in the order, without an addressee."""
        return self in (Role.authority, Role.cycle)


@dataclass(frozen=True, slots=True)
class Decision:
    addressee: str  # who carries it out (nominative); "" for the authority's own task
    text: str  # what to do, a sentence
    deadline: str  # «до 31 мая 2027 г.»; "" for a decision without one
    basis: str  # the finding it answers
    role: Role = Role.body
    due: Due | None = None
    previous_order: bool = False  # on last year's order: the order adds its реквизиты
    # For a district body's item aimed at schools: their codes, and the item in a few words as
    # a school's letter repeats it («Приказом … предусмотрено: …»).
    schools: tuple[str, ...] = ()
    support: str = ""
    roster: Roster | None = None  # the schools the decision names or counts, and why


_RANK = {Role.authority: 0, Role.body: 1, Role.schools: 2, Role.heads: 3, Role.other: 4, Role.cycle: 5}


def management_decisions(
    results: Results,
    territory: TerritoryWords,
    addressed: int,
    appendix: bool,
    listed: bool = True,
    municipal: bool = False,
) -> tuple[Decision, ...]:
    """The decisions, grouped by addressee (authority, bodies, schools, named heads, others).

    ``addressed``: schools with addressed recommendations; ``appendix``: whether those are
    in an appendix (else in the справка's body); ``listed``: whether the appendices list the
    schools (else a long list of schools is on ranking.xlsx's «Адресаты решений»:
    ``analysis.appendix_schools``); ``municipal``: a municipality's own set in a regional run,
    whose lists are in the region's workbook (:func:`workbook_in`).
    """
    return tuple(_Builder(results, territory, addressed, appendix, listed, municipal).build())


class _Builder(IndicatorWording):
    def __init__(
        self,
        results: Results,
        territory: TerritoryWords,
        addressed: int,
        appendix: bool,
        listed: bool,
        municipal: bool,
    ) -> None:
        self.results = results
        self.config = results.config
        self.docs = self.config.documents
        self.territory = territory
        self.addressed = addressed
        self.where = (
            f"приложение {RECOMMENDATIONS_APPENDIX}" if appendix else f"приложение {SPRAVKA_APPENDIX}"
        )
        # Where a long list of schools is: «перечень — в приложении 3», or the workbook's sheet of
        # the decisions' schools above analysis.appendix_schools, when the appendices name none.
        workbook = f"{workbook_in(municipal)}, лист «{ADDRESSEES_SHEET}»"
        self.where_in = self.where.replace("приложение", "приложении") if listed else workbook
        self.ranking_in = f"приложении {RANKING_APPENDIX}" if listed else workbook
        self.due = deadlines(self.config, results.generated_at)
        self.names = {s.code: s.name for s in results.schools}
        self.names |= {e.code: e.name for e in results.excluded}
        self.names |= {e.code: e.name for e in results.not_submitted}
        kind = self.docs.territory
        self.others = [code for code, name in self.names.items() if not own_school(name, kind)]
        self.items: list[Decision] = []

    def add(
        self,
        role: Role,
        text: str,
        due: Due | None,
        basis: str,
        addressee: str = "",
        *,
        previous_order: bool = False,
        schools: Sequence[str] = (),
        support: str = "",
        roster: Roster | None = None,
    ) -> None:
        default = Body.authority if role.own else Body.methodical_centre
        name = addressee or self.docs.responsible.name(default.value)
        self.items.append(
            Decision(
                name,
                text,
                due.text if due else "",
                basis,
                role,
                due,
                previous_order,
                tuple(schools),
                support,
                roster,
            )
        )

    def build(self) -> list[Decision]:
        self._previous_order()
        self.add(
            Role.authority,
            "Рассмотреть итоги мониторинга на совещании руководителей общеобразовательных организаций.",
            self.due.review,
            "итоги мониторинга",
        )
        for code in self._indicators():
            self._indicator(self.config.indicator(code))
        self._risk_zone()
        self._leaders()
        self._schools()
        self._forms()
        self.add(
            Role.cycle,
            f"Провести мониторинг по итогам {self.due.next_cycle.date.year - 1}/{self.due.next_cycle.date.year} "
            "учебного года и оценить по нему исполнение настоящего приказа: устранение дефицитов, "
            "достижение целевых показателей, результаты ОО зоны риска.",
            self.due.next_cycle,
            "управленческий цикл: оценка эффективности принятых мер",
        )
        self.items.sort(key=lambda d: _RANK[d.role])  # stable: within a role, the order above
        return self.items

    # ------------------------------------------------------------------ the authority's

    def _previous_order(self) -> None:
        dynamics = self.results.dynamics
        if dynamics is None:
            return
        effect = dynamics.effect
        year = dynamics.previous.replace(" учебный год", "")
        text = f"Принять к сведению итоги исполнения приказа по итогам мониторинга {year} учебного года"
        if effect.recommended:
            text += (
                f": из {format_number(effect.recommended, 0)} дефицитов ОО, по которым давались рекомендации, "
                f"{pick(effect.closed, 'устранён', 'устранены')} {format_number(effect.closed, 0)}, "
                f"{pick(effect.persisting, 'сохраняется', 'сохраняются')} {format_number(effect.persisting, 0)}"
            )
        kept = [c for c in dynamics.system_previous if c in self.results.system_deficits]
        gone = [c for c in dynamics.system_previous if c not in self.results.system_deficits]
        if kept:
            text += f"; системные дефициты прошлого года {', '.join(kept)} сохраняются — меры по ним продолжены настоящим приказом"
        if gone:
            text += f"; {', '.join(gone)} {pick(len(gone), 'системным дефицитом больше не является', 'системными дефицитами больше не являются')}"
        self.add(Role.authority, text + ".", None, f"динамика: сравнение с {year}", previous_order=True)

    # ------------------------------------------------------------------ indicators

    def _indicators(self) -> list[str]:
        """System deficits, targets missed across the territory, the weakest indicators and the
        common cause of the risk zone, in config order, each once."""
        results = self.results
        wanted = set(results.system_deficits) | {c for c, t in results.targets.items() if t.met is False}
        wanted |= {s.code for s in results.conclusions.weakest}
        if results.conclusions.cause is not None:
            wanted.add(results.conclusions.cause.code)
        return [ind.code for ind in self.config.indicators() if ind.code in wanted]

    def _indicator(self, ind: Indicator) -> None:
        plan = self.docs.plan(ind.code)
        target = self.results.targets.get(ind.code)
        concerned = self._concerned(ind.code, target)
        due = self.due.measure(plan.deadline)
        basis = self._basis(ind, target, len(concerned))
        why = self._because(ind, target)
        if plan.responsible == Body.schools.value:  # a school-level measure, to the schools concerned
            text = ind.measure.strip().rstrip(".")
            self.add(
                Role.schools,
                f"{text} — в {self._which(concerned, ind, target, 'loct')}.",
                due,
                basis,
                self._heads(),
                roster=Roster(why, ind.code, f"{lower_first(text)} ({ind.code})", tuple(concerned)),
            )
            return
        role = Role.authority if plan.responsible == Body.authority.value else Role.body
        text = self._district_text(ind, target, concerned)
        cause = self.results.conclusions.cause
        aimed = list(cause.schools) if cause is not None and cause.code == ind.code else concerned
        base = (ind.district_measure or "").strip().rstrip(".")
        # the letter's table already gives the school its measure: the help is named, not repeated
        helped = "в выполнении рекомендуемых мер" if ind.measure.strip() else "в устранении дефицита"
        support = f"{lower_first(base) if base else f'методическая помощь {helped}'} ({ind.code})"
        if cause is not None and cause.code == ind.code:
            why = Because.deficit
        self.add(
            role,
            text,
            due,
            basis,
            self.docs.responsible.name(plan.responsible),
            schools=aimed,
            support=support,
            roster=Roster(why, ind.code, support, tuple(aimed)),
        )

    # ------------------------------------------------------------------ schools concerned

    def _risk_zone(self) -> None:
        risk = [e.code for e in self.results.risk]
        if not risk:
            return
        self.add(
            Role.body,
            f"Организовать адресное методическое сопровождение ОО зоны риска ({self._list(risk, self.where_in)}): "
            f"выяснить причины слабых результатов в каждой ОО и помочь в выполнении адресных рекомендаций "
            f"({self.where}).",
            self.due.measures,
            f"зона риска: {count(len(risk), 'ОО')}",
            schools=risk,
            support="адресное методическое сопровождение: выяснить причины слабых результатов и помочь "
            "в выполнении рекомендаций",
            roster=Roster(Because.risk, "", "адресное методическое сопровождение ОО зоны риска", tuple(risk)),
        )

    def _leaders(self) -> None:
        leaders = list(self.results.leaders)
        if not leaders:
            return
        profile = profile_of(self.results, Subject.leaders)
        strengths = ", ".join(c.code for c in profile.contrasts) if profile else ""
        text = f"Изучить и обобщить опыт ОО — лидеров рейтинга ({self._list(leaders, self.ranking_in)})"
        if strengths:
            text += f", прежде всего по показателям, которыми они выделяются ({strengths})"
        text += (
            "; представить его на муниципальных методических мероприятиях для ОО зоны риска и ОО с дефицитами"
        )
        unlike = self._unlike_leaders(leaders, profile.traits if profile else [])
        if unlike:
            text += f"; опыт {self._list(unlike, self.ranking_in)} — для ОО того же профиля"
        self.add(
            Role.body,
            text + ".",
            self.due.measures,
            "лидеры рейтинга",
            roster=Roster(Because.leader, "", "изучить и обобщить опыт лидеров рейтинга", tuple(leaders)),
        )

    def _unlike_leaders(self, leaders: Sequence[str], traits: Sequence[Trait]) -> list[str]:
        """Leaders without the leaders' majority traits (a rural school among urban gymnasiums)."""
        partial = [t for t in traits if t.count < len(leaders)]
        groups = {s.code: s.groups for s in self.results.schools}
        return [c for c in leaders if partial and any(groups[c].get(t.key, "") != t.value for t in partial)]

    def _schools(self) -> None:
        heads = self._heads()
        if self.addressed:
            self.add(
                Role.schools,
                f"Рассмотреть результаты мониторинга и адресные рекомендации ({self.where}); в ОО, которым "
                f"адресованы рекомендации ({count(self.addressed, 'ОО')}), принять документально оформленные "
                "управленческие решения по устранению выявленных дефицитов.",
                self.due.adopt,
                f"адресные рекомендации: {count(self.addressed, 'ОО')}",
                heads,
            )
        report, measures = self.due.report, self.due.measures
        what = (
            "о выполнении мер"
            if report.date >= measures.date
            else "о принятых решениях и ходе выполнения мер"
        )
        self.add(
            Role.schools,
            f"Представить в {inflect(self.docs.responsible.authority, 'accs')} информацию {what}.",
            report,
            "контроль исполнения",
            heads,
        )
        for code in self.others:
            if code in {e.code for e in self.results.excluded} | {e.code for e in self.results.not_submitted}:
                continue
            self.add(
                Role.other,
                f"Рассмотреть результаты мониторинга и адресные рекомендации ({self.where}) и учесть их при "
                "планировании воспитательной работы.",
                self.due.adopt,
                f"ОО другого учредителя: {self.names[code]}",
                f"Руководитель {self.names[code]}",
                roster=Roster(Because.founder, "", "рекомендовать учесть результаты мониторинга", (code,)),
            )

    def _forms(self) -> None:
        """The heads of excluded and non-submitting schools: the form, by a date."""
        excluded = [e.code for e in self.results.excluded]
        missing = [e.code for e in self.results.not_submitted]
        for codes, text, basis, why in (
            (
                excluded,
                "Представить исправленную форму мониторинга (что исправить — в письме ОО).",
                "исключены из рейтинга из-за ошибок в формах",
                Because.excluded,
            ),
            (missing, "Представить форму мониторинга.", "не представили форму", Because.missing),
        ):
            own = [c for c in codes if c not in self.others]
            other = [c for c in codes if c in self.others]
            what = lower_first(text.partition(" (")[0].rstrip("."))
            if own:
                heads = (
                    self._named(own)
                    if len(own) <= indicator_wording.NAMES
                    else f"Руководители ОО, которые {basis}"
                )
                roster = Roster(why, "", what, tuple(own))
                self.add(
                    Role.heads,
                    text,
                    self.due.resend,
                    f"{basis}: {count(len(own), 'ОО')}",
                    heads,
                    roster=roster,
                )
            for code in other:
                roster = Roster(why, "", what, (code,))
                self.add(
                    Role.other,
                    text,
                    self.due.resend,
                    basis,
                    f"Руководитель {self.names[code]}",
                    roster=roster,
                )

    # ------------------------------------------------------------------ names

    def _heads(self) -> str:
        name = self.docs.responsible.schools
        mine = [c for c in self.others if c in {s.code for s in self.results.schools}]
        if len(mine) > indicator_wording.NAMES:
            return f"{name} (кроме {count(len(mine), 'ОО')} другого учредителя)"
        return f"{name} (кроме {self._list(mine)})" if mine else name

    def _named(self, codes: Sequence[str]) -> str:
        head = "Руководитель" if len(codes) == 1 else "Руководители"
        return f"{head} {self._list(codes)}"

"""How the order words an indicator's item: whom it aims at and why, the goal, the basis.

Part of the decisions' builder (:mod:`decisions` uses it as a base class): the schools an
item concerns (those missing the target, else the deficit's profile, else the deficits), why
they are named (:class:`~.roster.Because`), the district measure aimed at them or methodological
help in the school measure, the goal with the territory's figures, the basis, and the schools'
names — up to :data:`NAMES`, beyond that counted, with where the list is.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..config import Config, Direction, Indicator
from ..results import Results, TargetStats
from ..words.formatting import format_number, format_share
from ..words.russian import TerritoryWords, count, inflect, lower_first, pick
from .causes import deficit_profile, trait_name
from .conclusions import with_unit
from .roster import Because, low_score

NAMES = 10  # schools an item names; more are counted


class IndicatorWording:
    """The wording of indicators' items, over the builder's run: its results, territory, where a
    long list is (``where_in``) and the schools' names by code."""

    results: Results
    config: Config
    territory: TerritoryWords
    where_in: str
    names: dict[str, str]

    def _because(self, ind: Indicator, target: TargetStats | None) -> Because:
        """Why the schools concerned by an indicator's decision are named (as :meth:`_which` says)."""
        if target is not None and target.missed:
            return Because.target
        if any(ind.code in s.deficits for s in self.results.schools):
            return Because.deficit
        return Because.low

    def _concerned(self, code: str, target: TargetStats | None) -> list[str]:
        if target is not None and target.missed:
            return list(target.missed)
        profile = deficit_profile(self.results, code)
        if profile is not None:
            return list(profile.schools)
        return [s.code for s in self.results.schools if code in s.deficits]

    def _district_text(self, ind: Indicator, target: TargetStats | None, concerned: list[str]) -> str:
        """The measure for a district body: the indicator's ``district_measure`` aimed at the
        schools concerned, or methodological help to them in the school measure."""
        base = (ind.district_measure or "").strip().rstrip(".")
        cause = self.results.conclusions.cause
        if cause is not None and cause.code == ind.code:
            aim = self._cause_aim(ind)
            return (
                f"{base} — в первую очередь для {aim}."
                if base
                else f"Оказать методическую помощь {aim}{_help(ind)}."
            )
        if target is not None and target.met is False:
            goal = self._goal(ind, target, said=any(v in base.lower() for v in ("довести", "снизить")))
            if base:
                return f"{base}; {goal}."
            return f"Оказать методическую помощь {self._which(concerned, ind, target, 'datv')}{_help(ind)}; {goal}."
        if base:
            return f"{base} — в первую очередь для {self._which(concerned, ind, target, 'gent')}."
        return f"Оказать методическую помощь {self._which(concerned, ind, target, 'datv')}{_help(ind)}."

    def _goal(self, ind: Indicator, target: TargetStats, *, said: bool = False) -> str:
        """«довести долю … по району до 80 % (сейчас — 77,8 %; цель достигли 5 ОО из 21)»; where
        the measure already brings the indicator to its target (``said``), only the figures."""
        reached, counted = len(target.reached), len(target.reached) + len(target.missed)
        value = with_unit(target.district, ind.unit)
        schools = f"{pick(reached, 'достигла', 'достигли')} {format_number(reached, 0)} ОО из {format_number(counted, 0)}"
        if said:
            return f"сейчас {self.territory.by} — {value}; цель {with_unit(target.target, ind.unit, 0)} {schools}"
        figures = f"сейчас — {value}; цель {schools}"
        verb = "снизить" if ind.direction == Direction.lower_better else "довести"
        what = lower_first(inflect(ind.title, "accs"))
        closing = "," if ", " in what else ""
        return f"{verb} {what}{closing} {self.territory.by} до {with_unit(target.target, ind.unit, 0)} ({figures})"

    def _cause_aim(self, ind: Indicator) -> str:
        cause = self.results.conclusions.cause
        assert cause is not None
        profile = " и ".join(trait_name(self.config, t) for t in cause.traits)
        return (
            f"{count(len(cause.schools), 'ОО')} с дефицитом по показателю «{ind.title}» ({ind.code}; все — {profile}; "
            f"из них {format_number(cause.in_risk, 0)} — в зоне риска)"
            + (
                f": {self._list(cause.schools)}"
                if len(cause.schools) <= NAMES
                else f"; перечень — в {self.where_in}"
            )
        )

    def _which(self, codes: Sequence[str], ind: Indicator, target: TargetStats | None, case: str) -> str:
        """«7 ОО, не достигших цели KR-1 (30 %; по району — 33,2 %, цель достигнута): …» in the
        genitive (after «для»), dative (after «помощь») or locative (after «в»)."""
        n = len(codes)
        why = self._because(ind, target)
        if target is not None and why == Because.target:
            ending = {"gent": "их", "datv": "им", "loct": "их"}[case] if n > 1 else "ей"
            where = (
                f"; {self.territory.by} — {with_unit(target.district, ind.unit)}, цель достигнута"
                if target.met
                else ""
            )
            what = (
                f"{format_number(n, 0)} ОО, не достигш{ending} цели {with_unit(target.target, ind.unit, 0)} по "
                f"показателю «{ind.title}» ({ind.code}{where})"
            )
        elif why == Because.low:
            what = (
                f"{format_number(n, 0)} ОО с низкой оценкой (ниже {format_number(low_score(self.config), 0)} из 100) по показателю "
                f"«{ind.title}» ({ind.code})"
            )
        else:
            what = f"{format_number(n, 0)} ОО с дефицитом по показателю «{ind.title}» ({ind.code})"
        return (
            f"{what}: {self._list(codes)}"
            if len(codes) <= NAMES
            else f"{what} (перечень — в {self.where_in})"
        )

    def _basis(self, ind: Indicator, target: TargetStats | None, concerned: int) -> str:
        parts = []
        stats = self.results.indicator_stats.get(ind.code)
        if stats is not None and stats.system_deficit:
            parts.append(f"системный дефицит {ind.code}: {format_share(stats.deficit_share)} ОО")
        if target is not None and target.met is False:
            parts.append(
                f"цель {ind.code} не достигнута: {with_unit(target.district, ind.unit)} при цели "
                f"{with_unit(target.target, ind.unit, 0)}"
            )
        elif target is not None and target.missed:
            parts.append(f"цель {ind.code} достигнута {self.territory.by}, но не в {count(concerned, 'ОО')}")
        weakest = {s.code: s.score for s in self.results.conclusions.weakest}
        if ind.code in weakest:
            parts.append(
                f"один из самых слабых показателей: средняя оценка {format_number(weakest[ind.code], 1)}"
            )
        cause = self.results.conclusions.cause
        if cause is not None and cause.code == ind.code:
            parts.append("общая черта ОО зоны риска")
        return "; ".join(parts)

    def _list(self, codes: Sequence[str], where: str = "") -> str:
        """The schools' names; more than ``NAMES`` are counted, with ``where`` they are listed."""
        if len(codes) > NAMES:
            return f"{count(len(codes), 'ОО')}" + (f"; перечень — в {where}" if where else "")
        return ", ".join(self.names.get(c) or c for c in codes)


def _help(ind: Indicator) -> str:
    """What the help is in: the school measure («— в выполнении мер: создать …»), or the deficit."""
    measure = lower_first(ind.measure.strip().rstrip("."))
    return f" — в выполнении мер: {measure}" if measure else f" — в устранении дефицита {ind.code}"

"""This year against the latest earlier year: schools, indicators, deficits, the district.

Everything the «Динамика» section, the cards and the «Динамика» sheet show is computed
here, once, from two :class:`Results` (and, for the series, every earlier year):

* per school (matched by ``matching``): change of the total, of each comparable block,
  of the place and the level; last year's value of each indicator whose values are
  comparable; the deficits closed, persisting and new since last year — the effect of
  last year's addressed recommendations. A deficit is compared only where both years
  judged it the same way (comparable points and the same deficit rule and target), and
  only for a school to which the indicator applies this year: «recommended» is then
  closed + persisting;
* per indicator: the district value (pooled for shares) and the median then and now,
  the number of schools with the deficit, and what became of last year's deficits;
* for the district: the mean total and block scores, the level distribution, the
  schools that rose or fell by at least ``dynamics.min_change`` (nothing smaller is
  ever ranked), new and no longer present schools, and targets over all the years.

Linear in schools × indicators.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..analysis import district_value
from ..config import Config, Direction, IndicatorType
from ..results import (
    Absence,
    Dynamics,
    Effect,
    FrameworkChange,
    GoneSchool,
    IndicatorChange,
    LevelChange,
    LevelMoves,
    Link,
    Results,
    SchoolChange,
    SchoolResult,
    Trend,
    ValueChange,
    gc_paused,
)
from ..words.text import code_key
from .followup import followup
from .frameworks import comparable, fingerprints, framework_change
from .matching import Matching, Predecessors, match_schools, previous_value
from .previous import PreviousYear, year_label
from .schoolmap import SchoolMap
from .series import series, target_trends, year_point
from .trends import change, indicator_change, judge, value_scale

NOT_APPLICABLE = "not_applicable"


@gc_paused()  # per school and indicator a few small objects, none in a cycle, beside millions alive
def compare_years(
    results: Results, previous: Sequence[PreviousYear], school_map: SchoolMap | None = None
) -> Dynamics:
    """The comparison of ``results`` with the latest of ``previous`` (oldest first), and the series."""
    last = previous[-1]
    then, config, before = last.results, results.config, last.results.config
    settings = config.dynamics
    framework = framework_change(before, config)
    prints_now, prints_then = fingerprints(config), fingerprints(before)
    shared = [ind.code for ind in config.indicators() if before.has_indicator(ind.code)]
    values_ok = {c: comparable(prints_then[f"values:{c}"], prints_now[f"values:{c}"]) for c in shared}
    scores_ok = {c: comparable(prints_then[f"scores:{c}"], prints_now[f"scores:{c}"]) for c in shared}
    deficits_ok = {c: scores_ok[c] and _same_deficit_rule(before, config, c) for c in shared}
    if school_map is not None:
        school_map.refuse_codes_still_present(
            [*(s.code for s in results.schools), *(e.code for e in results.excluded)]
        )
    matching = match_schools(
        [s.code for s in results.schools],
        then.schools,
        school_map,
        known_now=[*(e.code for e in results.excluded), *(e.code for e in results.not_submitted)],
        known_then=[*(e.code for e in then.excluded), *(e.code for e in then.not_submitted)],
    )
    rules = _rules(config, values_ok, deficits_ok)
    order = {level.label: i for i, level in enumerate(config.scoring.levels)}
    schools = [
        _school_change(config, school, matching.by_code[school.code], framework, rules, order)
        for school in results.schools
        if school.code in matching.by_code
    ]
    now_point = year_point(results, year_label(config.monitoring.period, results.generated_at))
    years = series(now_point, previous)
    rising = sorted(
        (s for s in schools if s.total.trend == Trend.better), key=lambda s: (-(s.total.change or 0), s.code)
    )
    falling = sorted(
        (s for s in schools if s.total.trend == Trend.worse), key=lambda s: (s.total.change or 0, s.code)
    )
    indicators = {
        code: _indicator_change(config, then, results, code, schools, values_ok, scores_ok, deficits_ok)
        for code in shared
    }
    moves = [s.level.move for s in schools if s.level.move is not None]
    return Dynamics(
        years=years,
        previous=last.label,
        min_change=settings.min_change,
        min_relative_change=settings.min_relative_change,
        framework=framework,
        total=change(
            then.total_stats.mean, results.total_stats.mean, comparable=framework.total, settings=settings
        ),
        total_median=change(
            then.total_stats.median, results.total_stats.median, comparable=framework.total, settings=settings
        ),
        blocks={
            block_id: change(
                then.block_stats[block_id].scores.mean if block_id in then.block_stats else None,
                stats.scores.mean,
                comparable=framework.blocks.get(block_id, False),
                settings=settings,
            )
            for block_id, stats in results.block_stats.items()
        },
        level_changes=(
            {label: count - then.level_counts.get(label, 0) for label, count in results.level_counts.items()}
            if framework.levels
            else {}
        ),
        level_moves=LevelMoves(
            up=sum(m > 0 for m in moves), down=sum(m < 0 for m in moves), same=sum(m == 0 for m in moves)
        ),
        schools=schools,
        new_schools=[s.code for s in results.schools if s.code not in matching.by_code],
        gone_schools=_gone(matching, results),
        improved=[s.code for s in rising],
        declined=[s.code for s in falling],
        stable=sum(s.total.trend == Trend.stable for s in schools),
        indicators=indicators,
        effect=Effect(
            recommended=sum(i.recommended for i in indicators.values()),
            closed=sum(i.closed for i in indicators.values()),
            persisting=sum(i.persisting for i in indicators.values()),
            new=sum(i.new for i in indicators.values()),
        ),
        targets=target_trends(years, [ind.code for ind in config.indicators() if ind.target is not None]),
        system_previous=list(then.system_deficits),
        unused_map=matching.unused_map,
        followup=followup(results, then, matching, schools, scores_ok, values_ok),
    )


def _same_deficit_rule(before: Config, config: Config, code: str) -> bool:
    """Both years call the same schools deficient: the same rule (and target, when it counts)."""
    old, new = before.indicator(code), config.indicator(code)
    rule = config.deficit_rule(new)
    return before.deficit_rule(old) == rule and (not rule.target_missed or old.target == new.target)


@dataclass(frozen=True, slots=True)
class _Rule:
    """One indicator of both years, as every school's comparison needs it (made once)."""

    code: str
    share: bool
    scale: float | None
    higher_better: bool
    values: bool  # raw values comparable
    deficits: bool  # deficits judged the same way in both years


def _rules(config: Config, values_ok: dict[str, bool], deficits_ok: dict[str, bool]) -> list[_Rule]:
    rules = []
    for code, ok in values_ok.items():
        ind = config.indicator(code)
        higher = ind.direction == Direction.higher_better
        rules.append(
            _Rule(code, ind.type == IndicatorType.share, value_scale(ind), higher, ok, deficits_ok[code])
        )
    return rules


def _school_change(
    config: Config,
    school: SchoolResult,
    found: Predecessors,
    framework: FrameworkChange,
    rules: list[_Rule],
    order: dict[str, int],
) -> SchoolChange:
    """One school against its predecessors (linear in its indicators; thousands of schools)."""
    settings = config.dynamics
    schools = found.schools
    one = schools[0] if found.link != Link.merged else None
    total = change(one.total if one else None, school.total, comparable=framework.total, settings=settings)
    place = change(
        float(one.place) if one else None,
        float(school.place),
        comparable=framework.total,
        settings=settings,
        higher_better=False,
    )
    if place.trend != Trend.incomparable and (total.trend == Trend.stable or place.change == 0):
        place.trend = Trend.stable  # a place moved by noise is no movement
    level = LevelChange(None, None)
    if one is not None and framework.levels and one.level in order:
        level = LevelChange(one.level, order[school.level] - order[one.level])
    blocks = {
        block_id: change(one.blocks[block_id].score, result.score, comparable=True, settings=settings)
        for block_id, result in school.blocks.items()
        if one is not None and framework.blocks.get(block_id) and block_id in one.blocks
    }
    values: dict[str, ValueChange] = {}
    closed: list[str] = []
    persisting: list[str] = []
    new: list[str] = []
    indicators = school.indicators
    deficits = set(school.deficits)
    had_any = set().union(*(s.deficits for s in schools))
    for rule in rules:
        code = rule.code
        entry = indicators[code]
        if rule.values:
            before = previous_value(code, schools, rule.share)
            if before is not None:
                value, now = before[0], entry.value
                delta = None if now is None else now - value
                trend = judge(delta, value, rule.scale, rule.higher_better, settings)
                values[code] = ValueChange(value, before[1], before[2], delta, trend)
        if not rule.deficits:
            continue
        had, has = code in had_any, code in deficits
        if had and has:
            persisting.append(code)
        elif had and entry.status != NOT_APPLICABLE:
            closed.append(code)
        elif has and not had:
            new.append(code)
    return SchoolChange(
        code=school.code,
        link=found.link,
        previous_codes=[s.code for s in schools],
        previous_names=[s.name for s in schools],
        total=total,
        place=place,
        level=level,
        blocks=blocks,
        values=values,
        closed=closed,
        persisting=persisting,
        new=new,
    )


def _indicator_change(
    config: Config,
    then: Results,
    now: Results,
    code: str,
    schools: Sequence[SchoolChange],
    values_ok: dict[str, bool],
    scores_ok: dict[str, bool],
    deficits_ok: dict[str, bool],
) -> IndicatorChange:
    ind = config.indicator(code)
    old, new = then.indicator_stats.get(code), now.indicator_stats.get(code)
    settings = config.dynamics
    ok = values_ok[code]
    closed = sum(code in s.closed for s in schools)
    persisting = sum(code in s.persisting for s in schools)
    return IndicatorChange(
        code=code,
        values_comparable=ok,
        scores_comparable=scores_ok[code],
        district=indicator_change(
            ind, district_value(old) if old else None, district_value(new) if new else None, ok, settings
        ),
        median=indicator_change(
            ind, old.values.median if old else None, new.values.median if new else None, ok, settings
        ),
        deficits_previous=old.deficit_count if old else 0,
        deficits_current=new.deficit_count if new else 0,
        recommended=closed + persisting,
        closed=closed,
        persisting=persisting,
        new=sum(code in s.new for s in schools),
        system_previous=code in then.system_deficits,
        system_current=code in now.system_deficits,
        deficits_comparable=deficits_ok[code],
    )


def _gone(matching: Matching, results: Results) -> list[GoneSchool]:
    """Last year's ranked schools not in this year's ranking, and why (by the code they have now)."""
    excluded = {code_key(e.code) for e in results.excluded}
    missing = {code_key(e.code) for e in results.not_submitted}
    gone = []
    for school, code_now in sorted(matching.unmatched, key=lambda pair: pair[0].code):
        key = code_key(code_now or school.code)
        absence = (
            Absence.excluded
            if key in excluded
            else Absence.not_submitted
            if key in missing
            else Absence.absent
        )
        gone.append(GoneSchool(school.code, school.name, absence))
    return gone

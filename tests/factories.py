"""Realistic Results objects for report tests, built by hand from the default config.

The report must be testable before (and independently of) scoring: ``make_results``
fills every part of :class:`Results` that a report shows — scores, places, deficits,
district statistics, targets, system deficits, excluded and missing schools, problems and
normalisations — with plausible numbers from a seeded generator, so the output is the same
on every run. Hostile school names (``<script>``, ``=HYPERLINK(…)``, Markdown table
characters) and an unsafe school code are always among the schools.
"""

from __future__ import annotations

import dataclasses
import math
import random
import statistics
from collections import Counter

from vosp_monitor.analysis import draw_conclusions, summarise
from vosp_monitor.config import Config, IndicatorType, Method, load_config
from vosp_monitor.problems import Consequence, make_problem
from vosp_monitor.results import (
    BlockResult,
    BlockStats,
    Distribution,
    ExcludedSchool,
    ExpectedSchool,
    IndicatorResult,
    IndicatorStats,
    Results,
    SchoolResult,
    SkippedFile,
)
from vosp_monitor.validate.submission import Normalisation

HOSTILE_NAMES = (
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x","y")',
    "МБОУ «СОШ | № 3» *с углублённым* [изучением]",
)
TYPES = ("Средняя школа", "Основная школа", "Начальная школа", "Гимназия, лицей")
PLACES = ("р.п. Екатериновка", "с. Альшанка", "с. Кипцы", "с. Сластуха", "с. Бакуры", "с. Упоровка")


def replicate(submissions: list, n: int) -> list:
    """``n`` schools from a few read forms: copies beyond the first round get distinct codes and
    files («0101-3», «3/0101.xlsx»), so a benchmark or a scale test scores n distinct schools."""
    out = []
    for i in range(n):
        k, sub = divmod(i, len(submissions))
        sub = submissions[sub]
        out.append(
            sub
            if k == 0
            else dataclasses.replace(sub, file=f"{k}/{sub.file}", school_code=f"{sub.school_code}-{k}")
        )
    return out


def make_results(n_schools: int = 24, seed: int = 522, config: Config | None = None) -> Results:
    """A complete Results for ``n_schools`` ranked schools (plus 2 excluded, 2 not submitted)."""
    config = config or load_config()
    rng = random.Random(seed)
    indicators = [_Cached(ind, config) for ind in config.indicators()]
    schools = [_make_school(config, indicators, rng, i) for i in range(n_schools)]
    _rank(schools, config)
    indicator_stats = _indicator_stats(config, schools)
    system_deficits = [code for code, stats in indicator_stats.items() if stats.system_deficit]
    problems = _problems()
    findings = summarise(config, schools, indicator_stats)  # as build_results derives them
    block_stats = _block_stats(config, schools)
    return Results(
        config=config,
        generated_at="2026-03-15T10:30:00",
        tool_version="0.1.0",
        source="samples",
        schools=schools,
        excluded=[
            ExcludedSchool(
                file="0199.xlsx",
                code="0199",
                name="МКОУ «ООШ с. Новая Жизнь»",
                problems=[
                    make_problem(
                        "value-missing",
                        consequence=Consequence.school_excluded,
                        file="0199.xlsx",
                        indicator="UPR-5",
                        school="0199",
                        policy="школа исключается",
                    )
                ],
            ),
            ExcludedSchool(
                file="дубль/0102.xlsx",
                code="0102",
                name="МБОУ «СОШ № 2 р.п. Екатериновка»",
                problems=[p for p in problems if p.code == "school-duplicate"],
            ),
        ],
        not_submitted=[
            ExpectedSchool(code="0130", name="МОУ «НОШ с. Сухая Ольшанка»"),
            ExpectedSchool(code="0131", name="Филиал МОУ «СОШ с. Прудовое»"),
        ],
        expected_count=n_schools + 4,
        skipped=[SkippedFile(file="~$0105.xlsx", reason="временный файл Excel, пропущен")],
        problems=problems,
        normalisations=[
            Normalisation("0103.xlsx", "Показатели", "E12", "RES-4", "12,5", "12.5"),
            Normalisation("0104.xlsx", "Показатели", "E20", "KR-1", " 7 ", "7"),
            Normalisation("0107.xlsx", "Сведения об ОО", "C7", "students", "312 чел.", "312"),
        ],
        total_stats=_distribution([s.total for s in schools]),
        level_counts=dict(Counter(s.level for s in schools)),
        block_stats=block_stats,
        indicator_stats=indicator_stats,
        system_deficits=system_deficits,
        group_stats=findings.group_stats,
        targets=findings.targets,
        risk=findings.risk,
        leaders=findings.leaders,
        conclusions=draw_conclusions(
            config,
            block_stats,
            indicator_stats,
            findings.group_stats,
            findings.targets,
            schools,
            findings.risk,
            findings.leaders,
        ),
    )


def _school_name(i: int) -> str:
    if i < len(HOSTILE_NAMES):
        return HOSTILE_NAMES[i]
    kind = ("МБОУ «СОШ", "МОУ «ООШ", "МКОУ «СОШ", "МОУ «Лицей")[i % 4]
    return f"{kind} № {i + 1} {PLACES[i % len(PLACES)]}»"


def _school_code(i: int) -> str:
    return "ОО/17" if i == 5 else f"{101 + i:04d}"


def _make_school(config: Config, indicators: list, rng: random.Random, i: int) -> SchoolResult:
    strength = rng.betavariate(2.2, 1.6)  # how good this school is overall
    teachers = rng.randint(8, 60)
    school = SchoolResult(
        code=_school_code(i),
        name=_school_name(i),
        file=f"{_school_code(i).replace('/', '_')}.xlsx",
        total=0.0,
        level="",
        place=0,
        groups={"school_type": TYPES[i % len(TYPES)], "locality": "город" if i % 3 == 0 else "село"},
    )
    for ind in indicators:
        school.indicators[ind.code] = _make_indicator(ind, rng, strength, teachers)
    block_scores = []
    for block in config.blocks:
        results = [school.indicators[ind.code] for ind in block.all_indicators()]
        counted = [r for r in results if r.points is not None]
        points = sum(r.points for r in counted)
        maximum = sum(r.max_points for r in counted)
        score = round(points / maximum * 100, 6) if maximum else None
        below = any(
            ind.critical and school.indicators[ind.code].points == 0 for ind in block.all_indicators()
        )
        school.blocks[block.id] = BlockResult(block.id, score, points, maximum, below_base=below)
        block_scores.append((score or 0.0, block.weight))
    total_weight = sum(w for _, w in block_scores)
    school.total = round(sum(s * w for s, w in block_scores) / total_weight, 6)
    school.below_base = any(b.below_base for b in school.blocks.values())
    school.level = config.level_for(school.total)
    school.deficits = [code for code, r in school.indicators.items() if r.deficit]
    school.warnings = rng.choice((0, 0, 0, 1, 2))
    return school


def _make_indicator(ind, rng: random.Random, strength: float, teachers: int) -> IndicatorResult:
    maximum = ind.max_points
    if ind.missing.value == "not_applicable" and rng.random() < 0.08:
        return IndicatorResult(ind.code, None, None, maximum, None, "not_applicable")
    # Better schools tend to land in better bands; noise keeps every school uneven.
    quality = min(0.999, max(0.0, rng.gauss(strength, 0.25)))
    numerator = denominator = None
    if ind.method == Method.bands:
        bands = sorted(ind.scoring.bands, key=lambda b: b.points)
        band = bands[int(quality * len(bands))]
        low = band.lower if band.lower is not None else 0.0
        high = band.upper if band.upper is not None else low * 1.5 + 2
        value = low + rng.random() * (high - low)
        value = float(int(value)) if ind.type == IndicatorType.quantity else round(value, 1)
    elif ind.method == Method.options:
        value = float(int(quality * len(ind.options)))
    elif ind.method == Method.yesno:
        value = float(quality > 0.3)
    elif ind.method == Method.mark:
        value = float(int(quality * (ind.max_mark + 1)))
    else:
        value = round(quality * 100, 1)
    if ind.type == IndicatorType.share:
        denominator = float(teachers if ind.denominator_field == "teachers" else rng.randint(20, 400))
        numerator = float(min(denominator, round(value / 100 * denominator)))
        value = round(numerator / denominator * 100, 6)
    points = _points(ind, value)
    target_met = None if ind.target is None else value >= ind.target
    rule = ind.deficit_rule
    deficit = bool(
        (rule.lowest_points and points <= ind.min_points)
        or (rule.points_at_most is not None and points <= rule.points_at_most)
        or (rule.score_below is not None and points / maximum * 100 < rule.score_below)
        or (rule.target_missed and target_met is False)
    )
    return IndicatorResult(
        code=ind.code,
        value=value,
        points=points,
        max_points=maximum,
        score=round(points / maximum * 100, 6),
        status="ok",
        numerator=numerator,
        denominator=denominator,
        deficit=deficit,
        target_met=target_met,
    )


def _points(ind, value: float) -> float:
    if ind.method == Method.bands:
        return next((b.points for b in ind.scoring.bands if b.contains(value)), 0.0)
    if ind.method == Method.options:
        return ind.options[int(value)].points
    if ind.method == Method.yesno:
        return ind.max_points if value else 0.0
    if ind.method == Method.mark:
        return value
    low, high = ind.scoring.low or 0.0, ind.scoring.high or 100.0
    return round(min(1.0, max(0.0, (value - low) / (high - low))) * ind.max_points, 6)


class _Cached:
    """An indicator with its computed properties looked up once (40,000 schools × 23)."""

    def __init__(self, ind, config: Config) -> None:
        self.__dict__.update(
            {name: getattr(ind, name) for name in ("code", "type", "missing", "scoring", "options")}
        )
        self.__dict__.update(
            method=ind.method,
            max_points=ind.max_points,
            max_mark=ind.max_mark,
            target=ind.target,
            deficit_rule=config.deficit_rule(ind),
            min_points=ind.min_points,
            denominator_field=ind.denominator_field,
            critical=ind.critical,
        )


def _rank(schools: list[SchoolResult], config: Config) -> None:
    decimals = config.ranking.decimals
    schools.sort(key=lambda s: (-round(s.total, decimals), s.code))
    _assign_places(schools, lambda s: round(s.total, decimals), lambda s, p: setattr(s, "place", p))
    for block in config.blocks:
        ordered = sorted(schools, key=lambda s: -(s.blocks[block.id].score or 0.0))
        _assign_places(
            ordered,
            lambda s, b=block.id: round(s.blocks[b].score or 0.0, decimals),
            lambda s, p, b=block.id: setattr(s.blocks[b], "place", p),
        )
    for key in config.ranking.groups:
        by_group: dict[str, list[SchoolResult]] = {}
        for school in schools:
            by_group.setdefault(school.groups[key], []).append(school)
        for members in by_group.values():
            _assign_places(
                members,
                lambda s: round(s.total, decimals),
                lambda s, p, k=key: s.group_places.__setitem__(k, p),
            )


def _assign_places(ordered, key, assign) -> None:
    previous, place = None, 0
    for index, school in enumerate(ordered, start=1):
        value = key(school)
        if value != previous:
            place, previous = index, value
        assign(school, place)


def _distribution(values: list[float]) -> Distribution:
    if not values:
        return Distribution(0)
    if len(values) == 1:
        v = values[0]
        return Distribution(1, v, v, v, v, v, v)
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Distribution(len(values), min(values), q1, median, statistics.fmean(values), q3, max(values))


def _block_stats(config: Config, schools: list[SchoolResult]) -> dict[str, BlockStats]:
    stats = {}
    for block in config.blocks:
        scores = [s.blocks[block.id].score for s in schools if s.blocks[block.id].score is not None]
        stats[block.id] = BlockStats(
            id=block.id,
            scores=_distribution(scores),
            level_counts=dict(Counter(config.level_for(v) for v in scores)),
            below_base_count=sum(s.blocks[block.id].below_base for s in schools),
        )
    return stats


def _indicator_stats(config: Config, schools: list[SchoolResult]) -> dict[str, IndicatorStats]:
    stats = {}
    block_of = config.block_of()
    threshold = config.analysis.system_deficit_share
    for ind in config.indicators():
        rows = [s.indicators[ind.code] for s in schools if s.indicators[ind.code].points is not None]
        values = [r.value for r in rows]
        pooled = None
        if ind.type == IndicatorType.share and rows:
            pooled = sum(r.numerator for r in rows) / sum(r.denominator for r in rows) * 100
        deficits = sum(r.deficit for r in rows)
        share = deficits / len(rows) if rows else 0.0
        points = Counter(_points_key(r.points) for r in rows)
        district_value = pooled if pooled is not None else (statistics.fmean(values) if values else None)
        stats[ind.code] = IndicatorStats(
            code=ind.code,
            block=block_of[ind.code],
            values=_distribution(values),
            scores=_distribution([r.score for r in rows]),
            points_shares={k: v / len(rows) for k, v in sorted(points.items())},
            pooled=pooled,
            target=ind.target,
            target_share=(
                sum(bool(r.target_met) for r in rows) / len(rows) if ind.target is not None else None
            ),
            district_meets_target=(
                district_value >= ind.target
                if ind.target is not None and district_value is not None
                else None
            ),
            deficit_count=deficits,
            deficit_share=share,
            system_deficit=share > threshold,
        )
    return stats


def _points_key(points: float) -> str:
    return str(int(points)) if math.isclose(points, round(points)) else str(points)


def _problems():
    return [
        make_problem(
            "value-not-number",
            consequence=Consequence.school_excluded,
            file="0199.xlsx",
            sheet="Показатели",
            cell="E10",
            indicator="UPR-5",
            school="0199",
            value="около 40",
            expected="число",
        ),
        make_problem(
            "school-duplicate",
            consequence=Consequence.school_excluded,
            file="дубль/0102.xlsx",
            school="0102",
            first="0102.xlsx",
            second="дубль/0102.xlsx",
        ),
        make_problem(
            "value-outlier",
            file="0103.xlsx",
            sheet="Показатели",
            cell="E12",
            indicator="RES-4",
            school="0103",
            value="12.5",
            low="0",
            high="3,5",
        ),
        make_problem(
            "form-old-version",
            file="0110.xlsx",
            school="0110",
            found="0.9",
            expected="1.0",
            detail="показатель KR-7 в старой форме отсутствует",
        ),
        make_problem("school-not-submitted", school="0130", name="МОУ «НОШ с. Сухая Ольшанка»"),
        make_problem("school-not-submitted", school="0131", name="Филиал МОУ «СОШ с. Прудовое»"),
    ]

"""Rules of indicators.yaml that span several keys, after the model has parsed it.

Each rule yields ``(key path, Russian message)``; the loader turns them into issues with
line numbers. Bands must not overlap or leave gaps, references to school fields must
exist and hold numbers, checks must parse, levels must rise.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ..words.formatting import format_compact
from .base import FieldMissing, FieldRole, FieldType
from .computed_rules import computed_problems
from .expressions import ExpressionError, parse_expression
from .method_specs import IMPLIED_METHODS, SPECS
from .model import Block, Config, Indicator, SchoolField
from .scales import Band, IndicatorType, Method, Transform

Loc = tuple[Any, ...]  # a key path: ("blocks", 0, "indicators", 2, "code")


def _walk_blocks(blocks: list[Block], loc: tuple[Any, ...]) -> Iterator[tuple[Block, Loc]]:
    for i, block in enumerate(blocks):
        here = (*loc, i)
        yield block, here
        yield from _walk_blocks(block.blocks, (*here, "blocks"))


def semantic_problems(config: Config, data: dict[str, Any]) -> Iterator[tuple[Loc, str]]:
    """Rules that span several keys; yields (key path, Russian message)."""
    fields = {f.key: f for f in config.school_fields}
    for role in (FieldRole.key, FieldRole.name):
        count = sum(f.role == role for f in config.school_fields)
        if count != 1:
            yield (
                ("school_fields",),
                f"нужно ровно одно поле с role: {role.value} (найдено {count})",
            )
    seen_fields: set[str] = set()
    needed = _fields_needed_for_scoring(config)
    for i, f in enumerate(config.school_fields):
        if f.key in seen_fields:
            yield ("school_fields", i, "key"), f"поле «{f.key}» описано дважды"
        seen_fields.add(f.key)
        if f.missing == FieldMissing.warning and (f.role in _ESSENTIAL_ROLES or f.key in needed):
            yield (
                ("school_fields", i, "missing"),
                "без этого поля школу нельзя оценить (код, наименование, численность или знаменатель "
                "доли): missing: warning для него недопустимо",
            )

    seen_codes: dict[str, Loc] = {}
    seen_blocks: set[str] = set()
    for block, loc in _walk_blocks(config.blocks, ("blocks",)):
        if block.id in seen_blocks:
            yield (*loc, "id"), f"блок «{block.id}» описан дважды"
        seen_blocks.add(block.id)
        if not block.indicators and not block.blocks:
            yield loc, "в блоке нет ни показателей, ни вложенных блоков"
        if block.indicators and block.blocks:
            yield (
                loc,
                "блок содержит и показатели, и вложенные блоки: вынесите показатели в отдельный блок",
            )
        for j, ind in enumerate(block.indicators):
            iloc = (*loc, "indicators", j)
            if ind.code in seen_codes or ind.code in seen_blocks:
                yield (*iloc, "code"), f"код «{ind.code}» уже используется"
            seen_codes[ind.code] = iloc
    codes = {ind.code for ind in config.indicators()}
    for block, loc in _walk_blocks(config.blocks, ("blocks",)):
        for j, ind in enumerate(block.indicators):
            iloc = (*loc, "indicators", j)
            yield from ((iloc + sub, msg) for sub, msg in _indicator_problems(ind, fields, codes))
    total_weight = sum(b.weight for b in config.blocks)
    if total_weight <= 0:
        yield ("blocks",), "сумма весов блоков должна быть больше 0"

    lowers = [level.lower for level in config.scoring.levels]
    if not lowers:
        yield ("scoring", "levels"), "нужен хотя бы один уровень"
    elif lowers != sorted(set(lowers)) or lowers[0] != 0:
        yield ("scoring", "levels"), "границы уровней должны возрастать и начинаться с 0"
    for i, group in enumerate(config.ranking.groups):
        if group not in fields:
            yield ("ranking", "groups", i), f"нет поля «{group}» в school_fields"
    yield from _deficit_problems(config)
    for code in config.documents.measures:
        if not config.has_indicator(code):
            yield ("documents", "measures", code), f"нет показателя «{code}»"
    letters = config.documents.letters
    if "head_field" in letters.model_fields_set and letters.head_field not in fields:
        yield ("documents", "letters", "head_field"), f"нет поля «{letters.head_field}» в school_fields"
    names = config.check_names()
    for i, check in enumerate(config.checks):
        try:
            expression = parse_expression(check.rule)
        except ExpressionError as exc:
            yield ("checks", i, "rule"), f"выражение не разобрано: {exc}"
            continue
        unknown = sorted(expression.names - names)
        if unknown:
            yield ("checks", i, "rule"), f"неизвестные имена: {', '.join(unknown)}"
    aggregations = config.analysis.uncertainty.aggregations
    if len(set(aggregations)) != len(aggregations):
        yield ("analysis", "uncertainty", "aggregations"), "способ свёртки указан дважды"


_ESSENTIAL_ROLES = (FieldRole.key, FieldRole.name, FieldRole.contingent)


def _fields_needed_for_scoring(config: Config) -> set[str]:
    """School fields that shares divide by or are bounded by."""
    needed: set[str] = set()
    for ind in config.indicators():
        needed |= {k for k in (ind.denominator_field, ind.numerator_within, ind.denominator_within) if k}
        if ind.type == IndicatorType.computed and ind.formula:
            with contextlib.suppress(ExpressionError):  # a formula that does not parse has its own error
                needed |= parse_expression(ind.formula).names & {f.key for f in config.school_fields}
    return needed


def _deficit_problems(config: Config) -> Iterator[tuple[Loc, str]]:
    """A deficit rule must set at least one condition, or no school could ever have a deficit."""
    message = "правило дефицита не задаёт ни одного условия (lowest_points, target_missed, score_below, points_at_most)"
    if config.analysis.deficit.fires_on_nothing:
        yield ("analysis", "deficit"), message
    for block, loc in _walk_blocks(config.blocks, ("blocks",)):
        for j, ind in enumerate(block.indicators):
            if ind.deficit is not None and ind.deficit.fires_on_nothing:
                yield (*loc, "indicators", j, "deficit"), message


def _number_field_problems(key: str, name: str, fields: dict[str, SchoolField]) -> Iterator[tuple[Loc, str]]:
    """``key`` of an indicator names a school field that must exist and hold a number."""
    field = fields.get(name)
    if field is None:
        yield (key,), f"нет поля «{name}» в school_fields"
    elif field.type not in (FieldType.integer, FieldType.number):
        yield (key,), f"поле «{field.key}» не числовое"


_NUMERIC_FIELDS = (FieldType.integer, FieldType.number, FieldType.yesno)


def _kind_problems(
    ind: Indicator, fields: dict[str, SchoolField], codes: set[str]
) -> Iterator[tuple[Loc, str]]:
    """The keys of a computed indicator, and the keys only a computed indicator (or a share) has."""
    if ind.type == IndicatorType.computed:
        numeric = {k: f.min for k, f in fields.items() if f.type in _NUMERIC_FIELDS}
        yield from computed_problems(ind, numeric, set(fields) - set(numeric), codes)
    else:
        for key in ("inputs", "formula", "checks"):
            if getattr(ind, key):
                yield (key,), f"{key} задаются только для вычисляемого показателя (type: computed)"
    if ind.type not in (IndicatorType.share, IndicatorType.computed) and (
        ind.min_denominator is not None or ind.small_denominator is not None
    ):
        yield (
            ("min_denominator",),
            "min_denominator и small_denominator — только для долей и вычисляемых показателей",
        )


def _indicator_problems(
    ind: Indicator, fields: dict[str, SchoolField], codes: set[str]
) -> Iterator[tuple[Loc, str]]:
    yield from _kind_problems(ind, fields, codes)
    scoring = ind.scoring
    implied = IMPLIED_METHODS.get(ind.type)
    if implied is not None:
        if scoring is not None and scoring.method != implied:
            yield (("scoring", "method"), f"для типа {ind.type.value} способ оценки — {implied.value}")
    elif scoring is None:
        yield (), "не задан раздел scoring (способ начисления баллов)"
        return
    elif ind.spec.indicator_type is not None:
        yield ("scoring", "method"), f"способ {scoring.method.value} не подходит для типа {ind.type.value}"

    method = ind.method  # known from here on: a scoring section, or the one its type implies
    if ind.type == IndicatorType.choice and not ind.options:
        yield ("options",), "для типа choice нужен список options"
    if ind.type == IndicatorType.mark and ind.max_mark is None:
        yield ("max_mark",), "для экспертной оценки нужен max_mark"
    if ind.type == IndicatorType.share:
        if not ind.numerator:
            yield ("numerator",), "для доли нужно описание числителя (numerator)"
        if ind.denominator_field is None and not ind.denominator:
            yield (
                ("denominator",),
                "для доли нужен знаменатель: denominator (вводится) или denominator_field",
            )
        if ind.denominator_field is not None:
            yield from _number_field_problems("denominator_field", ind.denominator_field, fields)
        if ind.numerator_within is not None and ind.numerator_within not in fields:
            yield ("numerator_within",), f"нет поля «{ind.numerator_within}» в school_fields"
        if ind.denominator_within is not None:
            yield from _number_field_problems("denominator_within", ind.denominator_within, fields)
            if ind.denominator_field is not None:
                yield ("denominator_within",), "ограничивается только вводимый знаменатель (denominator)"
    elif (
        ind.numerator
        or ind.denominator
        or ind.denominator_field
        or ind.numerator_within
        or ind.denominator_within
    ):
        yield ("type",), "числитель и знаменатель задаются только для типа share"
    if ind.min is not None and ind.max is not None and ind.min >= ind.max:
        yield ("min",), "min должен быть меньше max"

    if scoring is None:
        return
    if method == Method.bands:
        yield from _band_problems(scoring.bands)
    if method == Method.linear:
        if scoring.low is None or scoring.high is None:
            yield ("scoring",), "для linear нужны low и high (границы, дающие 0 и 100)"
        elif scoring.low >= scoring.high:
            yield ("scoring", "high"), "high должен быть больше low"
    if method == Method.target:
        if ind.target is None:
            yield ("target",), "для способа target нужен target (целевое значение)"
        elif ind.target <= 0:
            yield ("target",), "целевое значение должно быть больше 0"
    if scoring.transform != Transform.none:
        yield from _transform_problems(ind)
    if method != Method.bands and scoring.bands:
        yield (
            ("scoring", "bands"),
            f"bands используются только со способом bands, а не {method.value}",
        )


def _transform_problems(ind: Indicator) -> Iterator[tuple[Loc, str]]:
    """A transform needs a method that scales the value (its spec allows it); a log, positive goalposts.

    A band, an option or a yes/no gives the same points whatever is done to the value first.
    """
    scoring = ind.scoring
    assert scoring is not None
    transform = scoring.transform
    if transform not in ind.spec.transforms:
        names = ", ".join(spec.method.value for spec in SPECS.values() if transform in spec.transforms)
        yield (
            ("scoring", "transform"),
            f"transform: {transform.value} применяется только со способами {names}",
        )
    elif (
        transform == Transform.log
        and ind.method == Method.linear
        and scoring.low is not None
        and scoring.low <= 0
    ):
        yield (
            ("scoring", "low"),
            "при transform: log граница low должна быть больше 0 (логарифм определён только для положительных чисел)",
        )


def _band_problems(bands: list[Band] | None) -> Iterator[tuple[Loc, str]]:
    if not bands:
        yield ("scoring", "bands"), "для способа bands нужен список интервалов"
        return
    for i, band in enumerate(bands):
        if band.lower is not None and band.upper is not None and band.lower >= band.upper:
            yield ("scoring", "bands", i), "нижняя граница интервала должна быть меньше верхней"
        if i > 0:
            prev = bands[i - 1]
            if band.lower is None or prev.upper is None or band.lower < prev.upper:
                yield (
                    ("scoring", "bands"),
                    "границы интервалов должны возрастать и не перекрываться",
                )
                return
            if band.lower > prev.upper:
                yield (
                    ("scoring", "bands", i),
                    f"между интервалами пропуск: значения от {format_compact(prev.upper)} до {format_compact(band.lower)} не получат баллов",
                )

"""When a change counts: the ``dynamics`` thresholds, applied on each figure's own scale.

A change is judged in the unit a reader weighs it in: points of a 0–100 score (totals,
blocks), percentage points of a percentage (shares, percents; «да/нет» as the share of
«да»; choices and expert marks as a share of their maximum), and for counts and other
numbers, which have no natural scale, as a percentage of last year's value. A change
below the threshold is ``stable`` («без существенных изменений»); otherwise it is
``better`` or ``worse`` according to the indicator's direction.
"""

from __future__ import annotations

from ..config import Direction, DynamicsSettings, Indicator, IndicatorType
from ..results import Change, Trend

_EPSILON = 1e-9  # 27.0 − 25.0 must count as a change of 2, whatever the binary fractions say


def value_scale(ind: Indicator) -> float | None:
    """Multiplier from the indicator's unit to percentage points; None for relative judging."""
    if ind.in_percent:
        return 1.0
    if ind.type == IndicatorType.yesno:
        return 100.0
    if ind.type == IndicatorType.choice:
        return 100.0 / ind.max_points if ind.max_points else None
    if ind.type == IndicatorType.mark:
        return 100.0 / (ind.max_mark or 1)
    return None


def judge(
    change: float | None,
    previous: float | None,
    scale: float | None,
    higher_better: bool,
    settings: DynamicsSettings,
) -> Trend:
    """The trend of one change (see the module docstring)."""
    if change is None:
        return Trend.incomparable
    if scale is not None:
        significant = abs(change * scale) >= settings.min_change - _EPSILON
    elif not previous:
        significant = change != 0
    else:
        significant = abs(change) / abs(previous) * 100.0 >= settings.min_relative_change - _EPSILON
    if not significant or change == 0:
        return Trend.stable
    return Trend.better if (change > 0) == higher_better else Trend.worse


def change(
    previous: float | None,
    current: float | None,
    *,
    comparable: bool,
    settings: DynamicsSettings,
    scale: float | None = 1.0,
    higher_better: bool = True,
) -> Change:
    """Both values (shown even when not comparable) and, where comparable, the judged change."""
    if not comparable or previous is None or current is None:
        return Change(previous, current, None, Trend.incomparable)
    delta = current - previous
    return Change(previous, current, delta, judge(delta, previous, scale, higher_better, settings))


def indicator_change(
    ind: Indicator,
    previous: float | None,
    current: float | None,
    comparable: bool,
    settings: DynamicsSettings,
) -> Change:
    """A change of one indicator's raw value, on its own scale and in its direction."""
    return change(
        previous,
        current,
        comparable=comparable,
        settings=settings,
        scale=value_scale(ind),
        higher_better=ind.direction == Direction.higher_better,
    )

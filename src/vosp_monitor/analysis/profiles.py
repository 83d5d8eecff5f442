"""What the schools behind each weak result share: the causes the conclusions name.

For a set of ranked schools — the risk zone, the lowest level of a weak block, a deficit on
a system-deficit or weakest indicator, the leaders — three things are compared with the
other ranked schools, each a figure a reader can check in the справка:

* peer-group values (``ranking.groups``: тип ОО, местность) shared by at least two thirds
  of the set and at least 1.2 times as frequent in it as in the district (:class:`Trait`);
* size: the median of the first contingent field (обучающихся) inside and outside;
* the indicators with the largest notable gaps of mean scores (``analysis.notable_difference``),
  below the rest for weak results, above it for the leaders, where at least two thirds of
  the set have a score (an indicator not applicable at most of them says nothing of them).

The common cause of the risk zone is a deficit every school of the zone has and whose
schools, every one of them, share the zone's full traits (at least one of them clearly
over-represented): on the samples, no воспитательная служба (UPR-2) in five schools, all
of them rural basic schools like the three of the risk zone. A coincidence the data show,
not a proven cause; the report says so. Linear in schools × indicators.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from ..config import Config
from ..results import (
    CommonCause,
    Contrast,
    IndicatorStats,
    Profile,
    RiskEntry,
    SchoolResult,
    SizeContrast,
    Standing,
    Subject,
    Trait,
)

MAJORITY = 2 / 3  # a value shared by this share of a set is a trait of it (and a gap needs their scores)
LIFT = 1.2  # … when it is this much more frequent in the set than in the district
OVER = 1.5  # a cause's profile needs one trait this much more frequent than in the district
CONTRASTS = 3  # the largest gaps a profile keeps
WEAKEST = 3  # the weakest indicators by mean score


def weakest_indicators(config: Config, indicator_stats: dict[str, IndicatorStats]) -> list[Standing]:
    """The ``WEAKEST`` indicators with the lowest mean scores (config order among equals)."""
    standings = [
        Standing(ind.code, score)
        for ind in config.indicators()
        if (s := indicator_stats.get(ind.code)) is not None and (score := s.scores.mean) is not None
    ]
    return sorted(standings, key=lambda s: s.score)[:WEAKEST]


def school_profiles(
    config: Config,
    schools: Sequence[SchoolResult],
    risk: Sequence[RiskEntry],
    leaders: Sequence[str],
    system_deficits: Sequence[str],
    weakest: Sequence[Standing],
    weak_blocks: Sequence[str],
) -> tuple[list[Profile], CommonCause | None]:
    """The profiles of the risk zone, each weak block, each system deficit and weakest
    indicator (once each, in config order) and the leaders; and the risk zone's common cause."""
    compare = _Comparison(config, schools)
    low = config.scoring.levels[1].lower if len(config.scoring.levels) > 1 else 0.0
    at_risk = {entry.code for entry in risk}
    out = [compare.profile(Subject.risk, "", lambda s: s.code in at_risk)]
    for block_id in weak_blocks:
        out.append(compare.profile(Subject.block, block_id, _low_block(block_id, low)))
    wanted = set(system_deficits) | {s.code for s in weakest}
    for ind in config.indicators():
        if ind.code not in wanted:
            continue
        profile = compare.profile(Subject.deficit, ind.code, _has_deficit(ind.code))
        if not profile.schools:  # the rule found none: the schools at the lowest level on it
            profile = compare.profile(Subject.low_score, ind.code, _low_score(ind.code, low))
        out.append(profile)
    top = set(leaders)
    out.append(compare.profile(Subject.leaders, "", lambda s: s.code in top, above=True))
    return out, compare.cause(out[0])


def _low_block(block_id: str, low: float) -> Callable[[SchoolResult], bool]:
    def test(school: SchoolResult) -> bool:
        block = school.blocks.get(block_id)
        return block is not None and (block.below_base or (block.score is not None and block.score < low))

    return test


def _has_deficit(code: str) -> Callable[[SchoolResult], bool]:
    return lambda school: code in school.deficits


def _low_score(code: str, low: float) -> Callable[[SchoolResult], bool]:
    def test(school: SchoolResult) -> bool:
        entry = school.indicators.get(code)
        return entry is not None and entry.score is not None and entry.score < low

    return test


class _Comparison:
    """The district's columns, made once, and the comparison of any set of schools with the rest.

    A profile of a country compares a dozen sets of 40 000 schools with the rest on every
    indicator: each school's group values, size, scores and deficits are read once into a
    column (numpy), and a set is a mask over them.
    """

    def __init__(self, config: Config, schools: Sequence[SchoolResult]) -> None:
        self.config = config
        self.schools = schools
        self.keys = list(config.ranking.groups)
        self.groups = {
            key: np.array([s.groups.get(key, "") for s in schools], dtype=object) for key in self.keys
        }
        self.district = {key: Counter(column.tolist()) for key, column in self.groups.items()}
        self.codes = [ind.code for ind in config.indicators()]
        self.scores = {code: _score_column(schools, code) for code in self.codes}
        self.school_codes = np.array([s.code for s in schools], dtype=object)
        self.sizes = np.array([s.size for s in schools], dtype=object)  # as they are: 1258, not 1258.0
        self.sized = np.array([s.size is not None for s in schools], dtype=bool)
        self._deficits: dict[str, npt.NDArray[np.bool_]] = {}
        self.size_key = config.size_field.key if config.size_field else ""
        self.min_size = max(2, config.analysis.min_group_size)
        self.notable = config.analysis.notable_difference

    def profile(
        self, subject: Subject, ref: str, member: Callable[[SchoolResult], bool], *, above: bool = False
    ) -> Profile:
        flags = np.fromiter(map(member, self.schools), dtype=bool, count=len(self.schools))
        inside = int(np.count_nonzero(flags))
        outside = len(self.schools) - inside
        profile = Profile(subject, ref, self.school_codes[flags].tolist(), outside)
        if inside >= self.min_size and outside:
            profile.traits = self.traits(flags, inside)
            profile.size = self._size(flags)
            profile.contrasts = self._contrasts(flags, inside, ref, above)
        return profile

    def traits(self, flags: npt.NDArray[np.bool_], n: int) -> list[Trait]:
        """Group values shared by at least ``MAJORITY`` of the set and over-represented in it."""
        total = len(self.schools)
        need = math.ceil(MAJORITY * n - 1e-9)
        out: list[Trait] = []
        for key in self.keys:
            counts = Counter(self.groups[key][flags].tolist())
            for value, k in counts.most_common():
                district = self.district[key][value]
                if value and k >= need and k * total >= LIFT * district * n:
                    out.append(Trait(key, value, k, district))
        return out

    def _size(self, flags: npt.NDArray[np.bool_]) -> SizeContrast | None:
        mine = self.sizes[flags & self.sized].tolist()
        rest = self.sizes[~flags & self.sized].tolist()
        if not mine or not rest:
            return None
        return SizeContrast(self.size_key, statistics.median(mine), statistics.median(rest))

    def _deficit(self, code: str) -> npt.NDArray[np.bool_]:
        """Which schools have a deficit on ``code`` (made when a contrast first needs it)."""
        column = self._deficits.get(code)
        if column is None:
            column = self._deficits[code] = np.fromiter(
                (code in s.deficits for s in self.schools), dtype=bool, count=len(self.schools)
            )
        return column

    def _contrasts(self, flags: npt.NDArray[np.bool_], n: int, ref: str, above: bool) -> list[Contrast]:
        out: list[Contrast] = []
        need = math.ceil(MAJORITY * n - 1e-9)
        for code in self.codes:
            if code == ref:
                continue
            column = self.scores[code]
            scored = ~np.isnan(column)
            mine = column[flags & scored].tolist()  # Python floats: fmean's exact sum, as before
            rest = column[~flags & scored].tolist()
            if len(mine) < need or not rest:
                continue
            mean, others = statistics.fmean(mine), statistics.fmean(rest)
            gap = mean - others if above else others - mean
            if gap >= self.notable:
                deficit = self._deficit(code)
                inside = int(np.count_nonzero(deficit & flags))
                out.append(Contrast(code, mean, others, inside, int(np.count_nonzero(deficit)) - inside))
        out.sort(key=lambda c: -abs(c.mean - c.others))  # stable: config order among equals
        return out[:CONTRASTS]

    def cause(self, risk: Profile) -> CommonCause | None:
        """The deficit the whole risk zone shares whose schools all share the zone's full traits."""
        n = len(risk.schools)
        full = [t for t in risk.traits if t.count == n]
        total = len(self.schools)
        if not any(t.count * total >= OVER * t.district * n for t in full):
            return None
        zone = set(risk.schools)
        members = [s for s in self.schools if s.code in zone]
        best: CommonCause | None = None
        for code in self.codes:
            if not all(code in s.deficits for s in members):
                continue
            having = [s for s in self.schools if code in s.deficits]
            if len(having) < self.min_size or not all(
                s.groups.get(t.key, "") == t.value for s in having for t in full
            ):
                continue
            if best is None or len(having) > len(best.schools):
                traits = [Trait(t.key, t.value, len(having), t.district) for t in full]
                values = {s.indicators[code].value for s in having if code in s.indicators}
                value = values.pop() if len(values) == 1 else None
                best = CommonCause(code, [s.code for s in having], n, traits, value)
        return best


def _score_column(schools: Sequence[SchoolResult], code: str) -> npt.NDArray[np.float64]:
    return np.array(
        [
            score
            if (entry := s.indicators.get(code)) is not None and (score := entry.score) is not None
            else np.nan
            for s in schools
        ],
        dtype=np.float64,
    )

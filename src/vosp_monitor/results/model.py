"""The result model: everything ``score`` computes, as plain dataclasses.

Every report and document is rendered from these records alone (``vosp-monitor report``
reads them back from results.json), and next year's run will compare against them, so
they hold *data*: numbers, codes, flags and problems with their parameters, never
finished Russian sentences. Statistics are computed once, in ``analysis``; the report
view only formats them. Plain (slotted) dataclasses keep the model cheap to build for
tens of thousands of schools.

Schema history (``SCHEMA_VERSION``; results/migrate.py reads every older version):

1. the first published schema;
2. problems stored with their parameters; ``ExcludedSchool.problems`` instead of
   sentences; peer-group comparisons, target attainment, the risk zone and the leaders
   carried in :class:`Results`;
3. ``uncertainty`` (rank robustness: place intervals, indistinguishable places,
   sensitivity, leave-one-out) and ``audit`` (the statistical audit of the indicator set),
   see :mod:`.robustness`;
4. the facts the written conclusions state (:class:`Conclusions`: strongest and weakest
   blocks and indicators, gaps between peer groups, system deficits beside a target met
   across the territory);
5. ``dynamics``: the comparison with earlier years (``score --previous``; results/dynamics.py),
   ``None`` when there was none;
6. the head's name of each school (``SchoolResult.head``, ``ExcludedSchool.head``), which the
   letters are addressed to, and the documents' реквизиты in the stored config
   (``documents.signatory``, ``executor``, ``order``, ``letters``, ``territory_name``);
7. ``territories``: a region by municipality — the roll-up of every territory and of the whole
   run, places with intervals, territory forms, year over year (results/territories.py);
   ``None`` for a run without territories;
8. computed indicators: the inputs each school typed (``IndicatorResult.inputs``), the
   «мало данных» flag of a value on a denominator below ``min_denominator``
   (``IndicatorResult.small``, ``IndicatorStats.small_count``), and the config keys behind them.
9. the conclusions with causes: each school's size (``SchoolResult.size``), what the schools
   behind each weak result share (``Conclusions.profiles``, ``cause``; results/profiles.py)
   and the weakest indicators (``Conclusions.weakest``).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from ..config import Config
from ..problems import Problem
from ..validate.submission import Normalisation
from .distribution import Distribution
from .dynamics import Dynamics
from .profiles import CommonCause, Profile
from .robustness import Audit, Uncertainty
from .territories import Territories

SCHEMA_VERSION = 9


@dataclass(slots=True)
class IndicatorResult:
    code: str
    value: float | None
    points: float | None  # None when not applicable
    max_points: float
    score: float | None  # 0–100
    status: str  # EntryStatus value
    numerator: float | None = None
    denominator: float | None = None
    deficit: bool = False
    target_met: bool | None = None
    inputs: dict[str, float] = field(default_factory=dict)  # a computed indicator's inputs, by key
    small: bool = False  # «мало данных»: the denominator is below min_denominator


@dataclass(slots=True)
class BlockResult:
    id: str
    score: float | None  # 0–100; None when every indicator is not applicable
    points: float = 0.0
    max_points: float = 0.0
    place: int | None = None
    below_base: bool = False  # the critical-indicator rule fired


@dataclass(slots=True)
class SchoolResult:
    code: str
    name: str
    file: str
    total: float
    level: str
    place: int
    groups: dict[str, str] = field(default_factory=dict)  # group field key → value
    group_places: dict[str, int] = field(default_factory=dict)
    blocks: dict[str, BlockResult] = field(default_factory=dict)
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)
    deficits: list[str] = field(default_factory=list)  # indicator codes
    below_base: bool = False  # any block below base
    warnings: int = 0
    head: str = ""  # the head's name as the form gives it (documents.letters.head_field), for letters
    size: float | None = None  # the first contingent field (обучающихся): the profiles compare sizes


@dataclass(slots=True)
class IndicatorStats:
    code: str
    block: str
    values: Distribution
    scores: Distribution
    points_shares: dict[str, float] = field(default_factory=dict)  # "2" → share of schools
    pooled: float | None = None  # Σ numerators / Σ denominators × 100, for shares
    target: float | None = None
    target_share: float | None = None  # share of schools reaching the target
    district_meets_target: bool | None = None  # pooled (or mean) value against the target
    deficit_count: int = 0
    deficit_share: float = 0.0
    system_deficit: bool = False
    small_count: int = 0  # ranked schools whose value is flagged «мало данных»


@dataclass(slots=True)
class BlockStats:
    id: str
    scores: Distribution
    level_counts: dict[str, int] = field(default_factory=dict)
    below_base_count: int = 0


class DistrictKind(StrEnum):
    """How an indicator's district value is made (and so how a reader must take it)."""

    pooled = "pooled"  # Σ numerators / Σ denominators × 100: every pupil or teacher counts once
    mean = "mean"  # the mean of the schools' values


@dataclass(slots=True)
class GroupStats:
    """One peer group (a value of a ``ranking.groups`` field, e.g. «село») compared with the rest."""

    key: str  # the group field's key (a ``ranking.groups`` entry)
    value: str  # the field's value; "" for schools that did not give one
    count: int
    total: Distribution
    blocks: dict[str, Distribution] = field(default_factory=dict)  # top-level block id → scores


@dataclass(slots=True)
class TargetStats:
    """Everything about one indicator's target: the district value against it and who reaches it.

    ``reached`` and ``missed`` list the codes of ranked schools with a value, in ranking
    order (a school scored 0 for a missing value has none and is in neither list; it
    still counts in ``IndicatorStats.target_share``).
    """

    code: str
    target: float
    lower_is_better: bool
    district: float | None
    kind: DistrictKind
    met: bool | None  # the district value reaches the target
    reached: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RiskEntry:
    """A school in the risk zone and why: reasons as data (the view words them)."""

    code: str
    lowest_level: bool  # its level is the lowest one
    blocks_below_base: list[str] = field(default_factory=list)  # block ids where the critical rule fired


@dataclass(slots=True)
class Standing:
    """An indicator (or block) and its mean score 0–100 over the schools it applies to."""

    code: str
    score: float


@dataclass(slots=True)
class GroupGap:
    """The highest and the lowest peer group of one group field, on the total or one block.

    Only groups of at least ``analysis.min_group_size`` schools take part; ``notable`` says
    whether the gap reaches ``analysis.notable_difference`` (else it is not a difference).
    """

    key: str  # the group field
    block: str  # "" for the total score
    high: str  # the group value with the highest mean
    high_mean: float
    high_count: int
    low: str
    low_mean: float
    low_count: int
    notable: bool

    @property
    def gap(self) -> float:
        return self.high_mean - self.low_mean


@dataclass(slots=True)
class BlockConclusion:
    """What is strongest and weakest inside one top-level block, and how peer groups differ on it."""

    id: str
    mean: float | None
    strongest: list[Standing] = field(default_factory=list)  # tied at the top (same to 0,1)
    weakest: list[Standing] = field(default_factory=list)
    notable: bool = False  # the strongest and weakest differ by at least notable_difference
    gaps: list[GroupGap] = field(default_factory=list)  # per group field


@dataclass(slots=True)
class Conclusions:
    """The facts the справка's written conclusions state; the view words them.

    ``blocks`` follow the config's top-level blocks; ``strongest_block``/``weakest_block``
    are by mean block score (``blocks_notable``: they differ by at least
    ``analysis.notable_difference``); ``total_gaps`` compare peer groups on the total;
    ``systemic_with_target_met`` lists system deficits whose target the territory as a
    whole reaches (the report explains how both can be true). ``weakest`` are the
    indicators with the lowest mean scores (at most three); ``profiles`` what the schools
    behind the risk zone, each weak block, each system deficit and weakest indicator and
    the leaders share; ``cause`` the deficit behind the risk zone, when the data show one.
    """

    blocks: list[BlockConclusion] = field(default_factory=list)
    strongest_block: str = ""
    weakest_block: str = ""
    blocks_notable: bool = False
    total_gaps: list[GroupGap] = field(default_factory=list)
    systemic_with_target_met: list[str] = field(default_factory=list)
    notable_difference: float = 5.0
    weakest: list[Standing] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    cause: CommonCause | None = None


@dataclass(slots=True)
class ExcludedSchool:
    """A submission left out of the ranking, with the problems that excluded it."""

    file: str
    code: str
    name: str
    problems: list[Problem] = field(default_factory=list)
    head: str = ""  # as SchoolResult.head: the letter asking for a corrected form is addressed to it


@dataclass(slots=True)
class SkippedFile:
    file: str
    reason: str


@dataclass(slots=True)
class ExpectedSchool:
    code: str
    name: str


@dataclass(slots=True)
class Results:
    config: Config
    generated_at: str  # ISO date-time of the run
    tool_version: str
    source: str  # the folder or table that was read
    schools: list[SchoolResult]  # ordered by place
    excluded: list[ExcludedSchool] = field(default_factory=list)
    not_submitted: list[ExpectedSchool] = field(default_factory=list)
    expected_count: int | None = None  # from the registry, when given
    skipped: list[SkippedFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    normalisations: list[Normalisation] = field(default_factory=list)
    total_stats: Distribution = field(default_factory=lambda: Distribution(0))
    level_counts: dict[str, int] = field(default_factory=dict)
    block_stats: dict[str, BlockStats] = field(default_factory=dict)
    indicator_stats: dict[str, IndicatorStats] = field(default_factory=dict)
    system_deficits: list[str] = field(default_factory=list)
    group_stats: list[GroupStats] = field(default_factory=list)  # per group field, values sorted
    targets: dict[str, TargetStats] = field(default_factory=dict)  # indicators with a target
    risk: list[RiskEntry] = field(default_factory=list)  # in ranking order
    leaders: list[str] = field(default_factory=list)  # codes of the top ``analysis.top_share``
    uncertainty: Uncertainty | None = None  # rank robustness, when analysis.uncertainty ran
    audit: Audit | None = None  # the statistical audit of the indicator set
    conclusions: Conclusions = field(default_factory=Conclusions)
    dynamics: Dynamics | None = None  # the comparison with earlier years (``--previous``)
    territories: Territories | None = None  # a region by municipality (None: no territories)
    schema_version: int = SCHEMA_VERSION


@contextlib.contextmanager
def gc_paused(*, keep: bool = False) -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored after it).

    Results for 40,000 schools are about a million small objects, none of them in a
    cycle. While they are built, and while the outputs allocate millions of short-lived
    dicts and strings, the collector would otherwise rescan all of them again and again
    (seconds per output). Reference counting still frees everything as usual.

    ``keep``: what the block makes lives on (the results, the report view). Inside a
    :func:`gc_frozen` block it then joins the frozen objects when this block ends (the outer
    block gives them back): the collector would otherwise count all of it as its youngest
    generation and scan it at the first allocation after the block — 0.8 s after
    ``build_results`` at 40 000 schools. Not for blocks that leave garbage in cycles (Jinja's
    contexts): frozen, it would stay until the outer block ends (+190 MB in a region's run).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep and _frozen_depth:
            gc.freeze()
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def gc_frozen() -> Iterator[None]:
    """The collector on inside the block, but blind to everything alive when it began.

    For reading a large batch, for writing the outputs and for the long loops over every
    school (cards, letters): they leave short-lived garbage, some of it in cycles (Jinja's
    contexts, the selectors of the worker pool), so the collector stays on; but each of its
    full passes would rescan the submissions, the results and the report view, millions of
    objects that outlive the block (2.5 s for one pass at 40 000 schools). Frozen, they are
    skipped; after the block they are the collector's again. Blocks nest: what an inner
    block froze stays frozen until the outermost one ends.
    """
    global _frozen_depth
    gc.freeze()
    _frozen_depth += 1
    try:
        yield
    finally:
        _frozen_depth -= 1
        if not _frozen_depth:  # nested: the outermost block gives them back
            gc.unfreeze()


_frozen_depth = 0  # gc_frozen blocks entered and not left

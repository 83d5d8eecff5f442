"""The view of one school's card: its blocks and indicators beside the district's values.

A card is what a school receives: its place and level, each block's score against the
district median, every indicator's value in words with the district's reference value,
and its deficits with the recommended measures. The district's part is prepared once
(:class:`CardMaker`), so thousands of cards cost one pass over each school's own
indicators. Like the report view, a card only words what ``analysis`` computed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..results import Results, SchoolResult
from .cards_dynamics import CardDynamics, DynamicsCards
from .rows import DeficitItem, SchoolRow, deficit_items
from .view import ReportView
from .wording import IndicatorWords, value_text


@dataclass(frozen=True, slots=True)
class CardIndicator:
    code: str
    title: str
    unit: str
    measure: str
    target: float | None
    block: str
    value: str  # what the school reported, in words
    district: str  # the district's reference value, in words
    points: float | None
    max_points: float
    deficit: bool
    target_met: bool | None


@dataclass(frozen=True, slots=True)
class CardBlock:
    id: str
    title: str
    depth: int
    median: float | None  # the district's
    mean: float | None
    score: float | None  # the school's
    place: int | None
    below_base: bool
    indicators: tuple[CardIndicator, ...]  # those held directly by this block


@dataclass(frozen=True, slots=True)
class SchoolCard:
    school: SchoolRow
    deficits: tuple[DeficitItem, ...]
    card_blocks: tuple[CardBlock, ...]
    card_indicators: tuple[CardIndicator, ...]
    group_sizes: tuple[int, ...]  # schools in each of this school's groups, as group_fields
    last_year: CardDynamics | None = None  # «Прошлый год / Изменение» (cards_dynamics)


class CardMaker:
    """Builds the cards of one run; the district's values are gathered once, here."""

    def __init__(self, view: ReportView, results: Results) -> None:
        self.words: list[IndicatorWords] = list(view.words.values())
        self.word_index = view.words
        self.blocks = view.block_rows
        self.group_keys = [group.key for group in view.group_fields]
        self.group_sizes = {(g.key, g.value): g.count for g in results.group_stats}
        self.last_year = DynamicsCards(results, view.words) if results.dynamics else None

    def card(self, school: SchoolResult, row: SchoolRow) -> SchoolCard:
        indicators = []
        by_block: dict[str, list[CardIndicator]] = {}
        for words in self.words:
            entry = school.indicators.get(words.code)
            item = CardIndicator(
                code=words.code,
                title=words.title,
                unit=words.unit,
                measure=words.measure,
                target=words.target,
                block=words.block,
                value=value_text(entry, words),
                district=words.district,
                points=entry.points if entry else None,
                max_points=entry.max_points if entry else words.max_points,
                deficit=bool(entry and entry.deficit),
                target_met=entry.target_met if entry else None,
            )
            indicators.append(item)
            by_block.setdefault(words.block, []).append(item)
        blocks = []
        for block in self.blocks:
            result = school.blocks.get(block.id)
            blocks.append(
                CardBlock(
                    id=block.id,
                    title=block.title,
                    depth=block.depth,
                    median=block.stats.median,
                    mean=block.stats.mean,
                    score=result.score if result else None,
                    place=result.place if result else None,
                    below_base=bool(result and result.below_base),
                    indicators=tuple(by_block.get(block.id, [])),
                )
            )
        return SchoolCard(
            school=row,
            deficits=deficit_items(school, self.word_index),
            card_blocks=tuple(blocks),
            card_indicators=tuple(indicators),
            group_sizes=tuple(
                self.group_sizes.get((key, value), 0)
                for key, value in zip(self.group_keys, row.groups, strict=True)
            ),
            last_year=self.last_year.card(school) if self.last_year else None,
        )

"""The view of one school's card: its blocks and indicators beside the district's values.

A card is what a school receives: its place and level, each block's score against the
district median, every indicator's value in words with the district's reference value,
and its deficits with the recommended measures. An indicator left out (or scored 0) for an
error in the form says so, with the error, never «не применяется». The district's part is
prepared once (:class:`CardMaker`), so thousands of cards cost one pass over each school's
own indicators. Like the report view, a card only words what ``analysis`` computed.

A school excluded from the ranking gets a card too (:class:`ExcludedCard`): what was found
in its form, where, and what to correct before sending it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..problems import SEVERITY_RU, Problem, Severity
from ..results import Results, SchoolResult
from ..words.russian import upper_first
from .cards_dynamics import CardDynamics, DynamicsCards
from .problem_words import place_words, plain_message
from .rows import DeficitItem, SchoolRow, deficit_items, excluded_card_names
from .view import ReportView
from .wording import IndicatorWords, value_text

CARDS_AUTO_LIMIT = 2000  # schools; above it `score` writes cards and letters only when asked (--cards)


def cards_written(option: bool | None, schools: int) -> bool:
    """Whether ``score`` writes the cards and letters: as ``--cards``/``--no-cards`` say, or
    (None, the default) up to :data:`CARDS_AUTO_LIMIT` schools."""
    return option if option is not None else schools <= CARDS_AUTO_LIMIT


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
    error: str  # the error that left the value out (or scored it 0), "" when none


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


@dataclass(frozen=True, slots=True)
class CardProblem:
    location: str  # «Показатели!E16»
    message: str
    severity: str  # «ошибка», «предупреждение»
    error: bool
    consequence: str
    place: str = ""  # «лист «Показатели», ячейка E16», for a letter
    plain: str = ""  # the message with a share's parts called by their labels (problem_words)


@dataclass(frozen=True, slots=True)
class ExcludedCard:
    """The card of a school left out of the ranking: what to correct before resending the form."""

    code: str
    name: str
    file: str  # the form's file name
    card: str  # this card's file name, without extension
    problems: tuple[CardProblem, ...]  # errors first


class CardMaker:
    """Builds the cards of one run; the district's values are gathered once, here."""

    def __init__(self, view: ReportView, results: Results) -> None:
        self.words: list[IndicatorWords] = list(view.words.values())
        self.word_index = view.words
        self.blocks = view.block_rows
        self.group_keys = [group.key for group in view.group_fields]
        self.group_sizes = {(g.key, g.value): g.count for g in results.group_stats}
        # Errors that left one indicator of a ranked school out or at 0 points.
        self.errors = {
            (p.file, p.indicator_code): p.message
            for p in results.problems
            if p.severity == Severity.error and p.consequence.indicator_only and p.indicator
        }
        self.last_year = DynamicsCards(results, view.words) if results.dynamics else None

    def card(self, school: SchoolResult, row: SchoolRow) -> SchoolCard:
        indicators = []
        by_block: dict[str, list[CardIndicator]] = {}
        for words in self.words:
            entry = school.indicators.get(words.code)
            error = self.errors.get((school.file, words.code), "")
            item = CardIndicator(
                code=words.code,
                title=words.title,
                unit=words.unit,
                measure=words.measure,
                target=words.target,
                block=words.block,
                value=value_text(entry, words, error),
                district=words.district,
                points=entry.points if entry else None,
                max_points=entry.max_points if entry else words.max_points,
                deficit=bool(entry and entry.deficit),
                target_met=entry.target_met if entry else None,
                error=error,
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


def excluded_cards(results: Results) -> list[ExcludedCard]:
    """A card per excluded school: the problems of its form, errors first."""
    by_file: dict[str, list[Problem]] = {}
    for problem in results.problems:
        by_file.setdefault(problem.file, []).append(problem)
    cards = []
    for entry, name in zip(results.excluded, excluded_card_names(results), strict=True):
        found = list(dict.fromkeys([*entry.problems, *by_file.get(entry.file, [])]))
        found.sort(key=lambda p: p.severity != Severity.error)
        cards.append(
            ExcludedCard(
                code=entry.code,
                name=entry.name,
                file=entry.file,
                card=name,
                problems=tuple(card_problem(p, results.config) for p in found),
            )
        )
    return cards


def card_problem(problem: Problem, config: Config | None) -> CardProblem:
    return CardProblem(
        location=problem.location,
        message=problem.message,
        severity=SEVERITY_RU[problem.severity],
        error=problem.severity == Severity.error,
        consequence=problem.consequence_text,
        place=place_words(problem.sheet, problem.cell),
        plain=upper_first(plain_message(problem, config)),
    )


def card_fields(card: SchoolCard | ExcludedCard) -> dict[str, Any]:
    """A card's fields by name: what a card's or a letter's template sees of it."""
    return {name: getattr(card, name) for name in card.__slots__}

"""The letters to schools: who each is addressed to, and what it carries.

A letter goes to every school that sent a form: a ranked school gets its results (the same
card a school's HTML card is made from: :class:`~.cards.SchoolCard`), an excluded one the
problems of its form (:class:`~.cards.ExcludedCard`). Here each gets its addressee block —
«Руководителю МБОУ „…“» and, when the form names the head in a form that declines surely,
«А.А. Небываловой» (:mod:`names`) — its greeting and the name of its file. Letters are
ordered by school code, as a clerk files them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..results import Results
from .cards import CardMaker, ExcludedCard, SchoolCard, excluded_cards
from .names import addressee
from .view import ReportView


@dataclass(frozen=True, slots=True)
class LetterView:
    code: str
    name: str
    form: str  # the form's file, as read
    file: str  # the letter's file name without extension (letters/<file>.docx), as the school's card
    excluded: bool
    to: str  # «Руководителю МБОУ «СОШ № 1»»
    to_name: str  # «А.А. Небываловой», or "" when the name is not given or does not decline surely
    greeting: str  # «Уважаемая Анна Андреевна!» or «Уважаемый руководитель!»


def _letter(code: str, name: str, form: str, file: str, head: str, excluded: bool) -> LetterView:
    to = addressee(head)
    school = name or (f"ОО {code}" if code else "ОО")
    return LetterView(code, name, form, file, excluded, f"Руководителю {school}", to.name, to.greeting)


def letters(results: Results, view: ReportView) -> Iterator[tuple[LetterView, SchoolCard | ExcludedCard]]:
    """Every school's letter with its card, by school code (ranked and excluded together).

    Cards are made as they are needed, so thousands of letters never hold thousands of cards.
    """
    maker = CardMaker(view, results)
    excluded = {card.card: card for card in excluded_cards(results)}
    heads = {e_card: entry.head for e_card, entry in zip(excluded, results.excluded, strict=True)}
    order: list[tuple[str, str, int]] = [(s.code, s.file, i) for i, s in enumerate(results.schools)]
    order += [(card.code, card.file, -1 - k) for k, card in enumerate(excluded.values())]
    order.sort(key=lambda item: (item[0], item[1]))
    excluded_list = list(excluded.values())
    for _, _, index in order:
        if index >= 0:
            school, row = results.schools[index], view.ranking[index]
            letter = _letter(school.code, school.name, school.file, row.file, school.head, False)
            yield letter, maker.card(school, row)
        else:
            card = excluded_list[-1 - index]
            letter = _letter(card.code, card.name, card.file, card.card, heads[card.card], True)
            yield letter, card


def letter_context(
    common: dict[str, Any], letter: LetterView, card: SchoolCard | ExcludedCard
) -> dict[str, Any]:
    """What letter.docx sees: the report's names, the card's fields, and ``letter``."""
    fields = {name: getattr(card, name) for name in card.__slots__}
    return {**common, **fields, "letter": letter}

"""The letters to schools: who each is addressed to, and what it carries.

A letter goes to every school that sent a form: a ranked school gets its results (the same
card a school's HTML card is made from: :class:`~.cards.SchoolCard`), an excluded one the
problems of its form (:class:`~.cards.ExcludedCard`); a school of the registry that sent
no form gets a reminder to send it (no card). Here each gets its addressee block —
«Руководителю МБОУ „…“» and, when the form names the head in a form that declines surely,
«А.А. Небываловой» (:mod:`names`) — its greeting and the name of its file. Letters are
ordered by school code, as a clerk files them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..outputs import safe_filename, unused_name
from ..results import Results
from ..words.names import addressee
from .cards import CardMaker, ExcludedCard, SchoolCard, card_fields, excluded_cards
from .letter_items import LetterBodies, LetterBody
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
    missing: bool = False  # in the registry, sent no form: the letter asks for it
    body: LetterBody | None = None  # a ranked school's deficits, gaps, deadlines, support (letter_items)
    validation: bool = False  # written by ``validate -o``, before the ranking: «what to fix» only


def letter_view(
    code: str,
    name: str,
    form: str,
    file: str,
    head: str,
    excluded: bool,
    missing: bool = False,
    body: LetterBody | None = None,
    validation: bool = False,
) -> LetterView:
    to = addressee(head)
    school = name or (f"ОО {code}" if code else "ОО")
    return LetterView(
        code,
        name,
        form,
        file,
        excluded,
        f"Руководителю {school}",
        to.name,
        to.greeting,
        missing,
        body,
        validation,
    )


def letters(
    results: Results, view: ReportView
) -> Iterator[tuple[LetterView, SchoolCard | ExcludedCard | None]]:
    """Every school's letter with its card, by school code (ranked, excluded and those that
    sent no form together; the last have no card).

    Cards are made as they are needed, so thousands of letters never hold thousands of cards.
    """
    maker = CardMaker(view, results)
    bodies = LetterBodies(results, view.words, view.decisions)
    excluded = excluded_cards(results)
    used = {row.file.lower() for row in view.ranking} | {card.card.lower() for card in excluded}
    order: list[tuple[str, str, int, int]] = [(s.code, s.file, 0, i) for i, s in enumerate(results.schools)]
    order += [(card.code, card.file, 1, k) for k, card in enumerate(excluded)]
    order += [(e.code, "", 2, k) for k, e in enumerate(results.not_submitted)]
    order.sort(key=lambda item: (item[0], item[1], item[2]))
    for _, _, kind, index in order:
        if kind == 0:
            school, row = results.schools[index], view.ranking[index]
            yield (
                letter_view(
                    school.code,
                    school.name,
                    school.file,
                    row.file,
                    school.head,
                    False,
                    body=bodies.body(school),
                ),
                maker.card(school, row),
            )
        elif kind == 1:
            card, entry = excluded[index], results.excluded[index]
            yield letter_view(card.code, card.name, card.file, card.card, entry.head, True), card
        else:
            expected = results.not_submitted[index]
            name = unused_name(safe_filename(expected.code or "ОО"), used)
            yield letter_view(expected.code, expected.name, "", name, "", False, missing=True), None


def letter_context(
    common: dict[str, Any], letter: LetterView, card: SchoolCard | ExcludedCard | None
) -> dict[str, Any]:
    """What letter.docx sees: the report's names, the card's fields (none for a school that
    sent no form), and ``letter``."""
    fields = card_fields(card) if card is not None else {}
    return {**common, **fields, "letter": letter}

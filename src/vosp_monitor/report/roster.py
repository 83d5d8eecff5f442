"""The schools a management decision names or counts, and where their list is.

A decision (:mod:`decisions`) carries its :class:`Roster`: why its schools are on it, on which
indicator, and their codes. Above ``analysis.appendix_schools`` an item of the order that counts
more schools than it names points to ranking.xlsx's «Адресаты решений» (:mod:`addressees`),
in the words the справка's pointer paragraphs print too (:func:`workbook_in`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..config import Config


class Because(StrEnum):
    """Why a decision names a school: what puts the school on the decision's list."""

    target = "target"  # it missed the indicator's target
    deficit = "deficit"  # it has a deficit on the indicator
    low = "low"  # its score on the indicator is low (no school has a deficit on it)
    risk = "risk"  # it is in the risk zone
    leader = "leader"  # it leads the ranking
    excluded = "excluded"  # it was excluded for errors in its form
    missing = "missing"  # it sent no form
    founder = "founder"  # it has another founder: the item recommends


@dataclass(frozen=True, slots=True)
class Roster:
    """The schools a decision names or counts («перечень — в …»): the rows of ranking.xlsx's
    «Адресаты решений», one per school, each with why it is there (:mod:`addressees`)."""

    why: Because
    indicator: str  # the indicator's code; "" for the risk zone, the leaders and the forms
    what: str  # the decision in a few words, for the sheet
    codes: tuple[str, ...]


ADDRESSEES_SHEET = "Адресаты решений"  # ranking.xlsx: the schools of every decision, and why


def workbook_in(municipal: bool) -> str:
    """Where the full lists are when the справка names no school (after «в»): the run's
    ranking.xlsx, or, for a municipality's own set in a regional run (whose folder has no
    workbook), the region's. The справка's pointer paragraphs (``workbook`` in
    templates/_macros.md.j2) and the decisions' «перечень — в …» both print these words."""
    if municipal:
        return (
            "электронной таблице рейтинга региона (ranking.xlsx в папке результатов региона; "
            "ОО муниципалитета там — с местами в регионе)"
        )
    return "электронной таблице рейтинга ranking.xlsx"


def low_score(config: Config) -> float:
    """The score (0–100) below which a school's score on an indicator is low: where the second
    level begins (0 with a single level). An item aimed at such schools says «ниже N из 100»."""
    levels = config.scoring.levels
    return levels[1].lower if len(levels) > 1 else 0

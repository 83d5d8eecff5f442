"""Each municipality's own district set: its results, its реквизиты, and its figures against the region's.

A regional run writes into ``territories/<folder>/`` what a district run of the municipality
writes (the справка, the draft order of the municipal authority, letters to its schools, the
schools' cards). The results are the municipality's own (``analysis.territory_results``:
scores on the regional scale, places among its schools); the documents are the municipal
authority's — its name and head from ``documents.regional.authorities`` or from its own form,
the territory named and its kind read from the name — and the order's number, date and
исполнитель are left to be filled in (placeholders): the regional config's are the region's.
The справка gains one section, «<Муниципалитет> и регион» (``sections/region.md.j2``): the
municipality's place and its figures beside the region's.
"""

from __future__ import annotations

import dataclasses

from ..analysis.territory_results import territory_results
from ..config import Config
from ..config.documents import Executor, LetterRequisites, OrderRequisites, Signatory
from ..outputs import unique_filenames
from ..results import Results, Territories, TerritoryStats
from ..words.formatting import format_difference
from ..words.russian import upper_first
from .regional import RegionComparison, label
from .regional_documents import authority_of
from .territories import comparison, territories_view
from .view import ReportView, build_view

_KINDS = ("городской округ", "муниципальный округ", "муниципальный район")


def territory_folders(territories: Territories) -> dict[str, str]:
    """Each municipality's label → the folder of its set: a safe file name, distinct (Windows'
    reserved names, forbidden characters and case-insensitive clashes taken care of)."""
    labels = [label(u) for u in territories.units]
    return unique_filenames(labels)


def find_unit(territories: Territories, name: str) -> TerritoryStats | None:
    """The municipality called ``name`` (its name or its label; case and spaces ignored)."""
    wanted = " ".join(name.split()).casefold()
    for unit in territories.units:
        if wanted in (" ".join(unit.name.split()).casefold(), " ".join(label(unit).split()).casefold()):
            return unit
    return None


def municipal_config(config: Config, unit: TerritoryStats) -> Config:
    """The regional config with the documents of ``unit``'s municipal authority."""
    docs = config.documents
    known = authority_of(config, unit)
    kind = next((k for k in _KINDS if k in unit.name.lower()), "муниципальный район")
    documents = docs.model_copy(
        update={
            "authority": known.name,
            "territory": kind,
            "territory_name": unit.name,
            "responsible": docs.responsible.model_copy(
                update={"authority": known.name or docs.responsible.authority}
            ),
            "signatory": Signatory(position=known.position, name=known.head),
            "executor": Executor(),
            "order": OrderRequisites(control=docs.order.control),
            "letters": LetterRequisites(head_field=docs.letters.head_field, resend=docs.letters.resend),
        }
    )
    monitoring = config.monitoring.model_copy(update={"authority": ""})  # never the region's authority
    return config.model_copy(update={"documents": documents, "monitoring": monitoring})


def municipal_set(results: Results, unit: TerritoryStats, *, cards: bool) -> tuple[Results, ReportView]:
    """The results and the report view of ``unit``'s own set."""
    territories = results.territories
    assert territories is not None  # a municipality exists only in a run with territories
    own = territory_results(results, unit)
    own.config = municipal_config(results.config, unit)
    view = build_view(own, cards=cards, municipal=True)
    placed = sum(1 for u in territories.units if u.place)
    listed = territories_view(results)
    row = next((r for r in listed.rows if r.stats is unit), None) if listed else None
    if row is None or not unit.place:
        place = upper_first(row.reason) if row is not None and row.reason else "не ранжируется"
    else:
        place = f"{row.place_text} из {placed}"
        if "–" in row.interval_text:
            place += f" (в 90 % пересчётов — места {row.interval_text})"
    rows = comparison(results.config, unit, territories.whole)
    region = RegionComparison(
        name=label(unit),
        word=territories.word,
        place=place,
        rows=rows,
        differences=tuple(
            "—"
            if r.territory is None or r.whole is None
            else format_difference(r.territory, r.whole, unit="п. п." if r.unit == "%" else "")
            for r in rows
        ),
    )
    return own, dataclasses.replace(view, region=region)

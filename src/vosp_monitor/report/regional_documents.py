"""A regional run's management decisions, its draft order and its letters to municipal authorities.

The regional order is the seed order (№ 522) one level up: the regional authority, the basis
(the regional concept, ``monitoring.basis``), purpose, what was measured and found,
ПРИКАЗЫВАЮ with items for the regional authority's own department, the regional institute or
methodological service (``documents.regional.institute``) and — recommended — the municipal
authorities (ОМСУ, осуществляющие управление в сфере образования), each with its deadline; the
control clause and the signature. It is printed by the same Word template as a district's order
(``order.docx``): only its heading, preamble and items differ.

Each municipal authority gets a letter: its figures and place with interval, its weak blocks and
indicators against the region, its schools in the risk zone, its system deficits with the
recommended measures, what to report and by when. Its name and head come from
``documents.regional.authorities``, else from the municipality's own form; what neither gives
stays a placeholder (:class:`~.documents.Slot`), listed by :func:`missing_authorities`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Body, Config, Direction, Indicator, MunicipalAuthority
from ..results import Results, TerritoryStats
from ..words.formatting import format_share, plural
from ..words.names import addressee
from ..words.russian import count, count_of, inflect, lower_first, upper_first
from .conclusions import with_unit
from .deadlines import deadlines, resolve
from .deadlines import due as due_on
from .decisions import Decision, Role
from .documents import OrderItem, OrderView, Slot, slot
from .regional import MunicipalityRow, RegionalView, SchoolLine, label
from .territories import ComparisonRow, comparison

REGIONAL_APPENDIX = {"spravka": 1, "ranking": 2, "recommendations": 3}
OMSU = "органы местного самоуправления, осуществляющие управление в сфере образования"
OMSU_TO = "органам местного самоуправления, осуществляющим управление в сфере образования"  # dative


@dataclass(frozen=True, slots=True)
class DeficitMeasure:
    code: str
    title: str
    share: str  # «60,0 % ОО»
    measure: str


@dataclass(frozen=True, slots=True)
class AuthorityLetter:
    """The letter to one municipal authority (``authorities/<file>.docx``)."""

    municipality: str
    file: str
    authority: Slot  # the municipal authority's name (nominative)
    to: Slot  # the addressee block: the authority's name in the dative, or the placeholder
    to_name: str  # its head in the dative («И.И. Иванову») or ""
    greeting: str
    of: str  # the municipality in the genitive: «Северного муниципального района»
    place: str  # «место 1 из 2 (в 90 % пересчётов — места 1–2)» or why it has no place
    figures: tuple[ComparisonRow, ...]  # total and blocks, municipality against the region
    weak: tuple[str, ...]  # indicators notably below the region, in words
    risk: tuple[SchoolLine, ...]
    deficits: tuple[DeficitMeasure, ...]
    missed_targets: tuple[str, ...]


def authority_of(config: Config, unit: TerritoryStats) -> MunicipalAuthority:
    """The municipal authority of ``unit``: the config's, completed by its own form."""
    given = config.documents.regional.authorities.get(unit.name) or MunicipalAuthority()
    own = unit.own
    return MunicipalAuthority(
        name=given.name or (own.authority if own else ""),
        head=given.head or (own.head if own else ""),
        position=given.position,
    )


def regional_decisions(results: Results, view: RegionalView) -> tuple[Decision, ...]:
    """The decisions the regional справка proposes: authority, institute, municipal authorities.

    The authority's own task is an item without an addressee (the head does not order his own
    authority); every срок is a date and they come in order: the municipal authorities adopt
    their decisions before they report, and report before the measures end (:mod:`deadlines`).
    """
    config = results.config
    docs = config.documents
    regional = docs.regional
    institute = regional.institute or "[региональная методическая служба]"
    due = deadlines(config, results.generated_at)
    measures = resolve(regional.deadline, due.order, due.measures) if regional.deadline else due.measures
    report = resolve(regional.report_back, due.order, due.report) if regional.report_back else due.report
    adopt = due.adopt if due.adopt.date <= report.date else due_on(report.date)
    deadline = measures.text
    authority = docs.responsible.name(Body.authority.value)
    items = [
        Decision(
            authority,
            f"Направить в {OMSU}, аналитическую справку и адресные рекомендации "
            f"({count(len(view.rows), inflect(view.word, 'nomn'))}); обсудить итоги с руководителями "
            "муниципальных органов управления образованием.",
            due.review.text,
            "итоги мониторинга по муниципалитетам",
            Role.authority,
        )
    ]
    for ind in _to_address(results):
        items.append(Decision(institute, _measure(ind, results), deadline, _basis(ind, results)))
    last = max((r.row.stats.place or 0) for r in view.rows)
    weakest = [r.name for r in view.rows if last and r.row.stats.place == last]
    risky = [r.name for r in view.rows if r.risk]
    if weakest or risky:
        names = list(dict.fromkeys([*weakest, *risky]))
        items.append(
            Decision(
                institute,
                "Организовать адресное методическое сопровождение "
                f"{view.words_of}: {', '.join(names[:10])}"
                + (f" и ещё {len(names) - 10}" if len(names) > 10 else "")
                + " (наименьшие результаты и ОО в зоне риска).",
                deadline,
                f"ОО в зоне риска: {count(sum(r.risk for r in view.rows), 'ОО')}",
            )
        )
    omsu = upper_first(OMSU)
    with_deficits = [r for r in view.rows if r.system_deficits]
    items.append(
        Decision(
            omsu,
            "Рассмотреть итоги мониторинга и адресные рекомендации; принять документально оформленные "
            "управленческие решения по устранению системных дефицитов муниципалитета"
            + (f" (они есть у {count_of(len(with_deficits), view.word)})" if with_deficits else "")
            + " и по сопровождению ОО зоны риска.",
            adopt.text,
            f"адресные рекомендации (приложение {REGIONAL_APPENDIX['recommendations']} к приказу)",
        )
    )
    items.append(
        Decision(
            omsu,
            f"Представить в {inflect(config.authority or authority, 'accs')} информацию "
            + (
                "о выполнении мер."
                if report.date >= measures.date
                else "о принятых решениях и ходе выполнения мер."
            ),
            report.text,
            "контроль исполнения",
        )
    )
    return tuple(items)


def _to_address(results: Results) -> list[Indicator]:
    """The region's system deficits and the targets the region misses, in config order."""
    missed = {code for code, t in results.targets.items() if t.met is False}
    wanted = set(results.system_deficits) | missed
    return [ind for ind in results.config.indicators() if ind.code in wanted]


def _measure(ind: Indicator, results: Results) -> str:
    """The indicator's measure at the regional level, and bringing it to its target when the region misses it."""
    text = (ind.district_measure or ind.measure).strip()
    target = results.targets.get(ind.code)
    if target is not None and target.met is False and "довести" not in text.lower():
        verb = "Снизить" if ind.direction == Direction.lower_better else "Довести"
        what = lower_first(inflect(ind.title, "accs"))
        closing = (
            "," if ", " in what else ""
        )  # a participle clause («…, охваченных …») closes before «по региону»
        goal = f"{verb} {what}{closing} по региону до {with_unit(target.target, ind.unit, 0)}."
        text = f"{text} {goal}" if text else goal
    return text or f"Организовать методическую помощь муниципалитетам по показателю {ind.code} «{ind.title}»."


def _basis(ind: Indicator, results: Results) -> str:
    """The finding a regional measure answers: the system deficit, the target missed."""
    parts = []
    stats = results.indicator_stats.get(ind.code)
    if stats is not None and stats.system_deficit:
        parts.append(f"системный дефицит {ind.code}: {format_share(stats.deficit_share)} ОО региона")
    target = results.targets.get(ind.code)
    if target is not None and target.met is False:
        parts.append(
            f"цель {ind.code} не достигнута: {with_unit(target.district, ind.unit)} при цели "
            f"{with_unit(target.target, ind.unit, 0)}"
        )
    return "; ".join(parts)


def regional_order(
    results: Results, view: RegionalView, decisions: tuple[Decision, ...], name_of: str
) -> OrderView:
    """The draft regional order: heading, preamble, ПРИКАЗЫВАЮ items by addressee, control clause."""
    config = results.config
    monitoring = config.monitoring
    title_of = lower_first(inflect(monitoring.title, "gent"))
    heading = config.documents.order.heading or f"Об итогах {title_of} {name_of}"
    period = f" ({monitoring.period})" if monitoring.period else ""
    done = f"Проведён {lower_first(monitoring.title)} {name_of}{period}."
    if monitoring.basis:
        done += f" Основание: {lower_first(monitoring.basis.rstrip('.'))}."
    if monitoring.purpose:
        done += f" Цель мониторинга — {lower_first(monitoring.purpose.rstrip('.'))}."
    whole = view.whole
    measured = (
        f"Формы представили {count(whole.counts.submitted, 'ОО')} из {count_of(len(view.rows), view.word)}; "
        f"оценено {count(whole.counts.scored, 'ОО')}; {count(len(config.indicators()), 'показатель')} в "
        f"{plural(len(config.blocks), 'блоке', 'блоках', 'блоках')} — "
        + ", ".join(f"«{b.title}»" for b in config.blocks)
        + "."
    )
    found = " ".join(view.region_findings[1:3])
    found += f" Результаты изложены в аналитической справке (приложение {REGIONAL_APPENDIX['spravka']})."
    approve = (
        f"Утвердить аналитическую справку по итогам мониторинга (приложение {REGIONAL_APPENDIX['spravka']}), "
        f"рейтинг {view.words_of} (приложение {REGIONAL_APPENDIX['ranking']}) и адресные рекомендации "
        f"{OMSU_TO} (приложение {REGIONAL_APPENDIX['recommendations']})."
    )
    items = [OrderItem("1", approve)]
    groups: dict[str, list[str]] = {}
    for d in decisions:
        text = d.text.rstrip()
        text = text if text.endswith(".") else text + "."
        text = f"{text} Срок: {d.deadline.rstrip('.')}."
        if d.role.own:  # the authority's own task: an item of its own, without an addressee
            items.append(OrderItem(str(len(items) + 1), text))
        else:
            groups.setdefault(d.addressee, []).append(text)
    for addressee_name, texts in groups.items():
        number = str(len(items) + 1)
        lead = (
            f"Рекомендовать {OMSU_TO}:"
            if addressee_name == upper_first(OMSU)
            else f"{upper_first(inflect(addressee_name, 'datv'))}:"
        )
        subitems = tuple(OrderItem(f"{number}.{k}", t) for k, t in enumerate(texts, 1))
        items.append(OrderItem(number, lead, subitems))
    items.append(OrderItem(str(len(items) + 1), config.documents.order.control))
    return OrderView(heading, (done, measured, found), tuple(items))


def authority_letters(results: Results, view: RegionalView) -> tuple[AuthorityLetter, ...]:
    """A letter to every municipal authority, in the order of the regional table."""
    config = results.config
    territories = results.territories
    assert territories is not None  # a regional view exists only with territories
    by_name = {label(u): u for u in territories.units}
    by_school = {s.code: s for s in results.schools}
    notes = {n.name: n for n in view.notes}
    placed = sum(1 for r in view.rows if r.row.stats.place)
    letters = []
    for row in view.rows:
        unit = by_name[row.name]
        known = authority_of(config, unit)
        to = addressee(known.head)
        name = slot(known.name, f"орган управления образованием: {row.name}")
        letters.append(
            AuthorityLetter(
                municipality=row.name,
                file=row.folder,
                authority=name,
                to=Slot(inflect(name.text, "datv")) if not name.missing else name,
                to_name=to.name,
                greeting=to.greeting if to.name else "Уважаемый руководитель!",
                of=inflect(unit.name, "gent"),
                place=_place(row, placed),
                figures=comparison(config, unit, territories.whole)[: 1 + len(config.all_blocks())],
                weak=tuple(_weak_indicators(config, unit, territories.whole)),
                risk=tuple(
                    SchoolLine(s.code, s.name, s.total, s.place, s.level)
                    for s in (by_school[c] for c in unit.risk if c in by_school)
                ),
                deficits=_deficits(config, unit),
                missed_targets=notes[row.name].missed_targets if row.name in notes else (),
            )
        )
    return tuple(letters)


def _place(row: MunicipalityRow, placed: int) -> str:
    if not row.row.stats.place:
        return upper_first(row.row.reason)
    text = f"место среди {count_of(placed, 'ранжируемый муниципалитет')}: {row.row.place_text}"
    if "–" in row.row.interval_text:
        text += f" (в 90 % пересчётов — места {row.row.interval_text})"
    return text


WEAK_LIMIT = 5  # indicators a letter names as notably below the region, the widest gaps first


def _weak_indicators(config: Config, unit: TerritoryStats, whole: TerritoryStats) -> list[str]:
    """The indicators whose mean score is furthest below the region's (by at least
    analysis.notable_difference), at most :data:`WEAK_LIMIT`, the widest gap first."""
    out: list[tuple[float, str]] = []
    for ind in config.indicators():
        mine, region = unit.indicators.get(ind.code), whole.indicators.get(ind.code)
        if mine is None or region is None or mine.score is None or region.score is None:
            continue
        gap = region.score - mine.score
        if gap >= config.analysis.notable_difference:
            text = f"{ind.code} {ind.title}: {with_unit(mine.value, ind.unit)} (по региону — {with_unit(region.value, ind.unit)})"
            out.append((-gap, text))
    return [text for _, text in sorted(out)[:WEAK_LIMIT]]


def _deficits(config: Config, unit: TerritoryStats) -> tuple[DeficitMeasure, ...]:
    out = []
    for ind in config.indicators():
        item = unit.indicators.get(ind.code)
        if item is None or not item.system_deficit:
            continue
        measure = (ind.district_measure or ind.measure).strip() or "—"
        out.append(DeficitMeasure(ind.code, ind.title, f"{format_share(item.deficit_share)} ОО", measure))
    return tuple(out)


def missing_authorities(config: Config, results: Results) -> tuple[str, ...]:
    """What the letters to municipal authorities and the municipal sets lack, for the console."""
    territories = results.territories
    if territories is None:
        return ()
    unnamed = [u.name for u in territories.units if not authority_of(config, u).name]
    missing = []
    if unnamed:
        missing.append(
            f"наименования органов управления образованием ({len(unnamed)}: {', '.join(unnamed[:5])}"
            + (" …" if len(unnamed) > 5 else "")
            + ")"
        )
    if not config.documents.regional.institute:
        missing.append("региональная методическая служба")
    return tuple(missing)

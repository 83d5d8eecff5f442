"""The conclusions with causes in words: what the schools behind each weak result share.

``analysis.profiles`` found, for the risk zone, each weak block, each system deficit and
weakest indicator and the leaders, the peer-group values over-represented among the schools
concerned, their size and the indicators where they differ most from the rest; and the
deficit behind the risk zone. This module says each in a sentence with its numbers, and
gives the tables that print those numbers in the справка («Чем ОО зоны риска отличаются от
остальных», the leaders' likewise), so every conclusion can be checked against a figure.
It also says what the data cannot show: a coincidence is not a proven cause.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Config
from ..results import CommonCause, Contrast, Profile, Results, SizeContrast, Subject, Trait
from ..words.formatting import NBSP, format_compact, format_number
from ..words.russian import count, count_of, lower_first, pick, territory_words

SIZE_RATIO = 1.5  # sizes are worth a word when one median is this many times the other


@dataclass(frozen=True, slots=True)
class ContrastRow:
    """A row of a profile's table: a trait, the size or an indicator, inside and outside."""

    what: str
    inside: str
    others: str


@dataclass(frozen=True, slots=True)
class ProfileView:
    note: str  # the sentence
    rows: tuple[ContrastRow, ...]  # the figures it states
    count: int  # schools concerned
    others: int  # the other ranked schools


@dataclass(frozen=True, slots=True)
class CausesView:
    risk: ProfileView | None  # what the risk zone shares (None: fewer than two schools)
    cause: str  # the deficit behind the risk zone, or ""
    leaders: ProfileView | None
    deficits: tuple[str, ...]  # per system deficit and weakest indicator: where it sits
    limits: str  # what the data cannot show


def profile_of(results: Results, subject: Subject, ref: str = "") -> Profile | None:
    return next(
        (p for p in results.conclusions.profiles if p.subject == subject and p.ref == ref),
        None,
    )


def deficit_profile(results: Results, code: str) -> Profile | None:
    """The profile of the schools with a deficit on ``code`` (or at its lowest level)."""
    return profile_of(results, Subject.deficit, code) or profile_of(results, Subject.low_score, code)


def causes_view(results: Results) -> CausesView:
    config = results.config
    risk = profile_of(results, Subject.risk)
    leaders = profile_of(results, Subject.leaders)
    cause = results.conclusions.cause
    deficits = tuple(
        note
        for p in results.conclusions.profiles
        if p.subject in (Subject.deficit, Subject.low_score)
        if (note := deficit_note(config, p))
    )
    return CausesView(
        risk=_view(config, risk, "ОО зоны риска", "отстают")
        if risk and risk.traits + risk.contrasts
        else None,
        cause=cause_note(config, cause) if cause else "",
        leaders=_leaders_view(config, results, leaders) if leaders and leaders.schools else None,
        deficits=deficits,
        limits=limits_note(config, results, risk),
    )


def trait_name(config: Config, trait: Trait) -> str:
    """«тип ОО «Основная школа»»: the field's label and the value."""
    return f"{lower_first(config.field(trait.key).label)} «{trait.value}»"


def traits_phrase(config: Config, traits: Sequence[Trait], n: int) -> str:
    """«все 3 — тип ОО «Основная школа» (в районе таких ОО — 6) и местность «село» (16)»."""
    if not traits:
        return ""
    parts = []
    for k, trait in enumerate(traits):
        if trait.count == trait.district:
            share = "все такие ОО района"
        else:
            share = f"в районе таких ОО — {trait.district}" if not k else f"таких — {trait.district}"
        who = "" if k and trait.count == traits[0].count else (_all(trait.count, n) + " — ")
        parts.append(f"{who}{trait_name(config, trait)} ({share})")
    return "; ".join(parts) if len({t.count for t in traits}) > 1 else " и ".join(parts)


def _all(k: int, n: int) -> str:
    return f"все {n}" if k == n else f"{k} из {n}"


def size_phrase(config: Config, size: SizeContrast | None) -> str:
    """«численность обучающихся — медиана 45 против 201 у остальных ОО», when they differ."""
    if size is None or not size.median or not size.others:
        return ""
    ratio = size.others / size.median
    if 1 / SIZE_RATIO < ratio < SIZE_RATIO:
        return ""
    smaller = "меньше" if ratio > 1 else "больше"
    return (
        f"{_size_label(config, size)} {smaller}: медиана {format_compact(size.median, 1)} "
        f"против {format_compact(size.others, 1)} у остальных ОО"
    )


def _size_label(config: Config, size: SizeContrast) -> str:
    """«численность обучающихся» from «Численность обучающихся, чел.»."""
    return lower_first(config.field(size.field).label.split(",")[0].strip())


def contrasts_phrase(contrasts: Sequence[Contrast], *, above: bool = False) -> str:
    """«UPR-2 (средняя оценка 0,0 против 63,9 у остальных ОО), KR-4 (0,0 против 53,7)»."""
    if not contrasts:
        return ""
    parts = [
        f"{c.code} ({'средняя оценка ' if not k else ''}{format_number(c.mean, 1)} против "
        f"{format_number(c.others, 1)}{' у остальных ОО' if not k else ''})"
        for k, c in enumerate(contrasts)
    ]
    verb_ = "выше всего они по" if above else "сильнее всего они отстают по"
    return f"{verb_} {', '.join(parts)}"


def profile_sentence(config: Config, profile: Profile, *, above: bool = False) -> str:
    """The traits, the size and the largest gaps of a profile, joined: «все 3 — …; …»."""
    n = len(profile.schools)
    parts = [
        traits_phrase(config, profile.traits, n),
        size_phrase(config, profile.size),
        contrasts_phrase(profile.contrasts, above=above),
    ]
    return "; ".join(p for p in parts if p)


def risk_sentence(config: Config, results: Results) -> str:
    """«Общее у них: все 3 — …» for the main findings ("" when nothing is shared)."""
    risk = profile_of(results, Subject.risk)
    if risk is None:
        return ""
    text = profile_sentence(config, risk)
    return f"Общее у ОО зоны риска: {text}." if text else ""


def cause_note(config: Config, cause: CommonCause) -> str:
    """The deficit behind the risk zone and the profile of every school with it."""
    ind = config.indicator(cause.code)
    n = len(cause.schools)
    value = ""
    if cause.value is not None:
        unit = f" {ind.unit}" if ind.unit and ind.unit != "балл" else ""
        value = (
            f" (у всех {n} значение {format_number(cause.value, 0 if cause.value.is_integer() else 1)}{unit})"
        )
    profile = " и ".join(trait_name(config, t) for t in cause.traits)
    group = min(cause.traits, key=lambda t: t.district)
    return (
        f"Общая черта слабых результатов: дефицит {cause.code} «{ind.title}» есть у всех "
        f"{count(cause.in_risk, 'ОО')} зоны риска и ещё у {count(n - cause.in_risk, 'ОО')}{value}, и все "
        f"{count(n, 'ОО')} с этим дефицитом — {profile}: это {format_number(n, 0)} из {format_number(group.district, 0)} "
        f"ОО с признаком «{group.value}». Дефицит {cause.code} сосредоточен в одной группе ОО, а не "
        "в отдельных школах, поэтому мера по нему нужна на уровне района."
    )


def deficit_note(config: Config, profile: Profile) -> str:
    """Where a deficit (or a weakest indicator's low scores) sits: «RES-2: 8 ОО; все 6 … », or
    that it is spread over the groups ("" for fewer than two schools, or most of them)."""
    n = len(profile.schools)
    if n < 2 or not profile.others:
        return ""
    low = config.scoring.levels[1].lower if len(config.scoring.levels) > 1 else 0
    what = "дефицит" if profile.subject == Subject.deficit else f"оценка ниже {format_number(low, 0)} из 100"
    total = n + profile.others
    head = f"{profile.ref}: {what} у {count_of(n, 'ОО')} из {format_number(total, 0)}"
    size = size_phrase(config, profile.size)
    size = f"; {size}" if size else ""
    if profile.traits:
        return f"{head}; {traits_phrase(config, profile.traits, n)}{size}."
    if n > profile.others:  # most schools: the table above says it; there is nothing to locate
        return ""
    fields = ", ".join(f"«{config.field(key).label}»" for key in config.ranking.groups)
    if not fields:
        return f"{head}{size}."
    by = territory_words(config.documents.territory).by
    where = (
        f"ни одно значение {pick(len(config.ranking.groups), 'поля', 'полей')} {fields} не встречается у них"
    )
    return f"{head} — в разных группах ОО ({where} заметно чаще, чем в целом {by}){size}."


def block_sentence(config: Config, results: Results, block_id: str) -> str:
    """The weak block's lowest level: who is there and what they share ("" for other blocks)."""
    profile = profile_of(results, Subject.block, block_id)
    if profile is None or not profile.schools:
        return ""
    lowest = config.scoring.levels[0].label
    n = len(profile.schools)
    text = f"Уровень «{lowest}» по блоку (или ниже базового) — у {count_of(n, 'ОО')}"
    detail = profile_sentence(config, profile)
    return f"{text}: {detail}." if detail else f"{text}."


def _view(config: Config, profile: Profile, who: str, verb_: str) -> ProfileView:
    n = len(profile.schools)
    sentence = profile_sentence(config, profile, above=profile.subject == Subject.leaders)
    return ProfileView(
        note=f"Общее у {who}: {sentence}." if sentence else "",
        rows=_rows(config, profile),
        count=n,
        others=profile.others,
    )


def _leaders_view(config: Config, results: Results, profile: Profile) -> ProfileView:
    view = _view(config, profile, "лидеров", "выше")
    names = {s.code: s for s in results.schools}
    main = [t for t in profile.traits if t.count < len(profile.schools)]
    unlike = [
        names[code]
        for code in profile.schools
        if main and any(names[code].groups.get(t.key, "") != t.value for t in main)
    ]
    note = view.note
    if unlike:
        listed = ", ".join(
            f"{s.name} ({', '.join(trait_name(config, Trait(key, value, 0, 0)) for key in config.ranking.groups if (value := s.groups.get(key)))})"
            for s in unlike
        )
        note += (
            f" Среди лидеров есть и ОО другого профиля — {listed}: "
            f"{pick(len(unlike), 'её', 'их')} опыт ближе ОО того же профиля."
        )
    return ProfileView(note.strip(), view.rows, view.count, view.others)


def _rows(config: Config, profile: Profile) -> tuple[ContrastRow, ...]:
    n, others = len(profile.schools), profile.others
    rows = [
        ContrastRow(
            trait_name(config, t)[:1].upper() + trait_name(config, t)[1:],
            f"{t.count} из {n}",
            f"{t.district - t.count} из {others}",
        )
        for t in profile.traits
    ]
    if size_phrase(config, profile.size) and profile.size is not None:  # the figures the sentence states
        rows.append(
            ContrastRow(
                f"{_size_label(config, profile.size)[:1].upper()}{_size_label(config, profile.size)[1:]}, медиана",
                format_compact(profile.size.median, 1),
                format_compact(profile.size.others, 1),
            )
        )
    rows += [
        ContrastRow(
            f"{c.code} «{config.indicator(c.code).title}»: средняя оценка (ОО с дефицитом)",
            f"{format_number(c.mean, 1)} ({c.deficits})",
            f"{format_number(c.others, 1)} ({c.others_deficits})",
        )
        for c in profile.contrasts
    ]
    return tuple(rows)


def limits_note(config: Config, results: Results, risk: Profile | None) -> str:
    """What the data cannot show, with the risk zone's own numbers where it has a trait."""
    parts = [
        "Чего данные не показывают: это самообследование ОО, значения на месте не проверялись",
        "совпадение признаков со слабым результатом — не доказанная причина",
    ]
    if risk is not None and risk.traits:
        trait = min(risk.traits, key=lambda t: t.district)
        outside = trait.district - trait.count
        if outside:
            parts[-1] += (
                f": {outside} из {trait.district} ОО с признаком «{trait.value}» не в зоне риска, "
                "значит, дело не в самом признаке"
            )
        if trait.district:
            parts.append(
                f"группы малы ({count(trait.district, 'ОО')} с признаком «{trait.value}»), и одна ОО меняет "
                f"долю группы на {format_number(100 / trait.district, 1)}{NBSP}п.{NBSP}п."
            )
    parts.append(
        "причины внутри ОО (кадры, нагрузка, условия работы) мониторинг не измеряет: их выясняют при "
        "методическом сопровождении"
    )
    return "; ".join(parts) + "."

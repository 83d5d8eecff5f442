"""What ``score`` and ``report`` print when they have finished: counts, the first and the
last schools, what was written where.

Names come from submissions, so every line goes through :func:`text.terminal_text`: no
escape sequence, control character or bidi override from a form reaches the terminal.
"""

from __future__ import annotations

from pathlib import Path

from ..results import Results, SchoolResult
from ..words.formatting import format_number
from ..words.text import terminal_text


def ranking_summary(results: Results, limit: int = 5) -> str:
    """Counts, then the top and bottom schools with totals and levels (Russian)."""
    schools = results.schools
    lines = [
        f"Оценено школ: {len(schools)}; исключено из рейтинга: {len(results.excluded)}; "
        f"не представили форму: {len(results.not_submitted)}"
    ]

    lines += excluded_lines(results)

    def line(s: SchoolResult) -> str:
        flag = f", {results.config.scoring.critical.label}" if s.below_base else ""
        total = format_number(s.total)
        return terminal_text(f"  {s.place:>4}. {s.code} {s.name} — {total} ({s.level}{flag})")

    if schools:
        lines.append("Лучшие:")
        lines += [line(s) for s in schools[:limit]]
        if len(schools) > limit:
            lines.append("Последние:")
            lines += [line(s) for s in schools[max(limit, len(schools) - limit) :]]
    return "\n".join(lines)


EXCLUDED_NAMED = 10  # excluded schools named after score; the rest counted


def excluded_lines(results: Results) -> list[str]:
    """The schools left out of the ranking, each with its first error (up to :data:`EXCLUDED_NAMED`)."""
    from ..problems import Severity
    from ..words.russian import count

    excluded = results.excluded
    if not excluded:
        return []
    lines = ["Исключены из рейтинга (что исправить — в письмах школам; все ошибки — vosp-monitor validate):"]
    for school in excluded[:EXCLUDED_NAMED]:
        errors = [p for p in school.problems if p.severity == Severity.error] or school.problems
        what = f" — {errors[0].message}" if errors else ""
        where = f" ({errors[0].location})" if errors and errors[0].location else ""
        more = f"; и ещё {count(len(errors) - 1, 'ошибка')}" if len(errors) > 1 else ""
        who = " ".join(part for part in (school.code, school.name) if part) or school.file
        lines.append(terminal_text(f"  {who}{what}{where}{more}"))
    if len(excluded) > EXCLUDED_NAMED:
        lines.append(f"  … и ещё {format_number(len(excluded) - EXCLUDED_NAMED, 0)}")
    return lines


def score_summary(results: Results, out: Path, *, cards: bool | None, pdf: bool) -> str:
    """The ranking, the robustness and year-over-year lines, then what was written where.

    ``cards`` is the option as given: ``None`` means «by default», which is no cards above
    :data:`~.cards.CARDS_AUTO_LIMIT` schools — said, so the analyst knows how to get them.
    """
    from ..report.cards import CARDS_AUTO_LIMIT, cards_written
    from ..report.robustness import robustness_summary

    lines = [ranking_summary(results)]
    if robustness := robustness_summary(results):
        lines.append(robustness)
    if results.territories is not None:
        from ..report.territories import territories_summary

        lines.append(territories_summary(results))
    if results.dynamics is not None:
        from ..report.wording_dynamics import console_summary

        lines.append(console_summary(results))
    lines.append(
        f"\nРезультаты записаны в папку {out}: ranking.xlsx, scores.csv, indicators.csv, "
        + ("territories.csv, " if results.territories is not None else "")
        + "results.json, "
        "report.md, report.html; справка report.docx, проект приказа order.docx" + (" (и PDF)" if pdf else "")
    )
    if results.territories is not None:
        lines.append(
            regional_written(out, len(results.territories.units), cards_written(cards, len(results.schools)))
        )
    elif cards_written(cards, len(results.schools)):
        lines.append(
            f"Карточки школ: {out / 'schools'}; письма школам: {out / 'letters'} и {out / 'letters.docx'}"
        )
    if cards is None and not cards_written(cards, len(results.schools)):
        lines.append(
            f"Карточки школ и письма не записаны (школ больше {CARDS_AUTO_LIMIT}); добавьте --cards, если они нужны."
        )
    return "\n".join(lines)


def regional_written(out: Path, units: int, cards: bool) -> str:
    """Where a regional run's documents are: the letters to municipal authorities and the sets."""
    schools = ", письма школам и карточки школ" if cards else " и письма школам"
    return (
        f"Справка и приказ — по региону; письма органам управления образованием муниципалитетов: {out / 'authorities'}; "
        f"справка, проект приказа{schools} каждого муниципалитета ({units}): {out / 'territories'}"
    )


def run_warnings(results: Results) -> list[str]:
    """«Внимание: …» for what no school can fix: indicators.yaml changed since the forms were
    made, forms of another period (the same warnings stand in the справка's data quality)."""
    return [
        f"Внимание: {terminal_text(p.message[:1].lower() + p.message[1:])}"
        for p in results.problems
        if p.kind.form_note
    ]


def report_summary(target: Path, written: list[Path], *, cards: bool, pdf: bool) -> str:
    """«Записано в папку …: report.md, …; карточек школ: N, писем школам: M»."""
    sets = {p.parent.name for p in written if p.parent.parent.name == "territories"}
    authorities = sum(1 for p in written if p.parent.name == "authorities" and p.suffix == ".docx")
    if sets and not authorities:  # report --territory: one municipality's set
        return f"Записаны документы муниципалитета в папку {target / 'territories' / next(iter(sets))}"
    school_files = sum(1 for p in written if p.parent.name == "schools")
    letters = sum(1 for p in written if p.parent.name == "letters" and p.suffix == ".docx")
    cards_text = f"; карточек школ: {school_files // 2}, писем школам: {letters}" if cards else ""
    pdf_text = " (и PDF)" if pdf else ""
    regional = (
        f"; писем органам управления образованием: {authorities}, документов муниципалитетов: {len(sets)}"
        if sets
        else ""
    )
    return f"Записано в папку {target}: report.md, report.html, report.docx, order.docx{pdf_text}{cards_text}{regional}"

"""What ``score`` prints when it has finished: counts, then the first and the last schools.

Names come from submissions, so every line goes through :func:`text.terminal_text`: no
escape sequence, control character or bidi override from a form reaches the terminal.
"""

from __future__ import annotations

from ..results import Results, SchoolResult
from ..text import terminal_text
from .formatting import format_number


def ranking_summary(results: Results, limit: int = 5) -> str:
    """Counts, then the top and bottom schools with totals and levels (Russian)."""
    schools = results.schools
    lines = [
        f"Оценено школ: {len(schools)}; исключено из рейтинга: {len(results.excluded)}; "
        f"не представили форму: {len(results.not_submitted)}"
    ]

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

"""The findings report (аналитическая справка) and the school cards, from Jinja2 templates.

The report is what the authority attaches to its order «Об итогах мониторинга», so its
text lives in editable templates (``templates/``; ``vosp-monitor templates export``).
This module finds the templates (a user's copy first, then the bundled defaults), renders
the *view* that ``view.py`` prepares once, and writes the report and the cards whole.
Templates stay logic-free and rendering stays linear.

Safety: HTML templates autoescape every value; Markdown templates escape every value
through ``finalize`` (a school called ``A | B`` cannot break a table), so a template
author cannot forget. Output is deterministic: the date shown is the run's
``generated_at``, never the clock.
"""

from __future__ import annotations

import contextlib
import shutil
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ..config import (
    BUNDLED_DIR,
    REPO_ROOT,
    IndicatorType,
    Method,
)
from ..errors import VospError
from ..outputs import OutputError, OutputSet, ensure_dir, write_file, write_text
from ..results import Results, SchoolResult, gc_paused
from .formatting import (
    format_compact,
    format_date,
    format_int,
    format_number,
    format_percent,
    format_share,
    md_escape,
    md_finalize,
    plural,
)
from .view import (
    SchoolRow,
    build_view,
    district_text,
    value_text,
)

REPORT_TEMPLATES = ("report.md.j2", "report.html.j2")
CARD_TEMPLATES = ("school.md.j2", "school.html.j2")


class ReportError(VospError):
    """A report cannot be rendered (usually a broken user template); message in Russian."""


# --------------------------------------------------------------------------- templates


def default_templates_dir() -> Path:
    """The bundled templates (installed package first, then the source tree)."""
    for candidate in (BUNDLED_DIR / "templates", REPO_ROOT / "templates"):
        if (candidate / "report.html.j2").is_file():
            return candidate
    raise FileNotFoundError("шаблоны отчёта по умолчанию не найдены в установленном пакете")


def _urlpath(name: str) -> Any:
    """A file name as a relative URL; the percent-encoded result is safe in HTML and Markdown."""
    return Markup(quote(str(name)))


def _environment(templates_dir: Path | None, markdown: bool) -> Any:
    import jinja2

    search = [str(default_templates_dir())]
    if templates_dir is not None:
        if not Path(templates_dir).is_dir():
            raise ReportError(f"папка шаблонов {templates_dir} не найдена")
        search.insert(0, str(templates_dir))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search, encoding="utf-8"),
        autoescape=not markdown,
        undefined=jinja2.StrictUndefined,
        finalize=md_finalize if markdown else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        num=format_number,
        int=format_int,
        pct=format_percent,
        share=format_share,
        date=format_date,
        md=md_escape,
        pts=format_compact,
        urlpath=_urlpath,
    )
    env.globals.update(plural=plural)
    if markdown:
        env.filters["raw"] = Markup
    return env


@contextlib.contextmanager
def _template_errors(name: str) -> Iterator[None]:
    """Jinja2 errors in a (user's) template become a Russian message with file and line."""
    import jinja2

    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise ReportError(f"шаблон {where}, строка {exc.lineno}: ошибка синтаксиса: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise ReportError(f"шаблон {exc.name} не найден") from None
    except jinja2.UndefinedError as exc:
        raise ReportError(f"шаблон {name}: неизвестное имя или поле: {exc.message}") from None


def _render(env: Any, name: str, context: dict[str, Any]) -> str:
    with _template_errors(name):
        return env.get_template(name).render(context)


def export_templates(dest: Path, force: bool = False) -> list[Path]:
    """Copy the default templates into ``dest`` for editing; refuse to overwrite unless ``force``.

    Nothing is copied when any target exists (and ``force`` is off), so a user's edited
    templates are never half-replaced.
    """
    source = default_templates_dir()
    files = sorted(p for p in source.rglob("*") if p.is_file() and not _hidden(p.relative_to(source)))
    relative = [p.relative_to(source) for p in files]
    targets = [Path(dest) / rel for rel in relative]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        names = ", ".join(str(t.relative_to(dest)) for t in existing[:5])
        raise OutputError(f"в папке {dest} уже есть шаблоны ({names}); чтобы заменить их, добавьте --force")
    from ..staging import publish

    def write(folder: Path) -> list[Path]:
        return [
            write_file(folder / rel, partial(shutil.copyfile, src))
            for src, rel in zip(files, relative, strict=True)
        ]

    owned = OutputSet("templates export", tuple(rel.as_posix() for rel in relative))
    return publish(Path(dest), owned, write, replace_foreign=force)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


# --------------------------------------------------------------------------- cards


def _card_context(school: SchoolResult, row: SchoolRow, district: dict[str, Any]) -> dict[str, Any]:
    """What one card adds to the report's view: this school's blocks and indicators."""
    indicators = []
    by_block: dict[str, list[dict[str, Any]]] = {}
    for ind in district["indicators"]:
        entry = school.indicators.get(ind["code"])
        item = {
            **ind,
            "value": value_text(school, ind["code"], ind["meta"]),
            "points": entry.points if entry else None,
            "max_points": entry.max_points if entry else ind["max_points"],
            "deficit": bool(entry and entry.deficit),
            "target_met": entry.target_met if entry else None,
        }
        indicators.append(item)
        by_block.setdefault(ind["block"], []).append(item)
    blocks = []
    for block in district["blocks"]:
        result = school.blocks.get(block["id"])
        blocks.append(
            {
                **block,
                "score": result.score if result else None,
                "place": result.place if result else None,
                "below_base": bool(result and result.below_base),
                "indicators": by_block.get(block["id"], []),
            }
        )
    return {
        "school": row,
        "result": school,
        "card_blocks": blocks,
        "card_indicators": indicators,
        "group_sizes": [district["group_sizes"][i].get(g, 0) for i, g in enumerate(row.groups)],
    }


def _card_shared(view: dict[str, Any], results: Results) -> dict[str, Any]:
    """District reference values for cards, computed once for all schools."""
    config = results.config
    block_of = config.block_of()
    indicators = []
    for ind in config.indicators():
        stats = results.indicator_stats.get(ind.code)
        meta = {
            "share": ind.type == IndicatorType.share,
            "options": {o.points: o.label for o in ind.options or []},
            "yesno": ind.method == Method.yesno,
            "unit": ind.unit,
        }
        indicators.append(
            {
                "code": ind.code,
                "title": ind.title,
                "unit": ind.unit,
                "measure": ind.measure,
                "target": ind.target,
                "max_points": ind.max_points,
                "meta": meta,
                "district": district_text(ind, stats),
                "block": block_of.get(ind.code, ""),
            }
        )
    blocks = [
        {
            "id": b["id"],
            "title": b["title"],
            "depth": b["depth"],
            "median": b["stats"].median,
            "mean": b["stats"].mean,
        }
        for b in view["block_rows"]
    ]
    group_sizes = [
        Counter(row.groups[i] for row in view["ranking"]) for i in range(len(view["group_fields"]))
    ]
    return {
        "blocks": blocks,
        "indicators": indicators,
        "group_sizes": group_sizes,
    }


# --------------------------------------------------------------------------- entry points


def render_reports(
    results: Results,
    out_dir: Path,
    templates_dir: Path | None = None,
    cards: bool = True,
    charts: bool = True,
) -> list[Path]:
    """Write report.md, report.html and (with ``cards``) schools/<code>.md/.html into ``out_dir``.

    ``templates_dir`` is a user's copy of the templates; any template missing there is
    taken from the defaults. ``cards=False`` skips the cards (minutes for 40,000 schools);
    ``charts=False`` skips matplotlib (about 1.5 s of import and drawing). Returns the
    paths written. Raises :class:`ReportError` for a
    broken template and :class:`~vosp_monitor.outputs.OutputError` when a file cannot be
    written.
    """
    out_dir = ensure_dir(Path(out_dir))
    md_env = _environment(templates_dir, markdown=True)
    html_env = _environment(templates_dir, markdown=False)
    # A view of every school: many small objects and no cycles worth collecting. (The
    # cards, one template render each, run with the collector on.)
    with gc_paused():
        view = build_view(results, cards=cards)
        written = [write_text(out_dir / "report.md", _render(md_env, "report.md.j2", view))]
        if charts:
            view["charts"] = district_charts(results, view)
        written.append(write_text(out_dir / "report.html", _render(html_env, "report.html.j2", view)))
    if cards:
        written += render_cards(results, out_dir / "schools", view, md_env, html_env)
    return written


def render_cards(
    results: Results,
    folder: Path,
    view: dict[str, Any],
    md_env: Any,
    html_env: Any,
) -> list[Path]:
    """One Markdown and one HTML card per ranked school; linear, templates compiled once.

    Each card is one plain write into the run's staging folder; the command switches the
    whole set in and deletes stale cards of schools no longer in the results (staging.py).
    """
    district = _card_shared(view, results)
    common = {
        key: value for key, value in view.items() if key not in ("ranking", "recommendations", "charts")
    }
    with _template_errors("school.md.j2"):
        md_template = md_env.get_template("school.md.j2")
    with _template_errors("school.html.j2"):
        html_template = html_env.get_template("school.html.j2")
    names = []
    ensure_dir(folder)
    for school, row in zip(results.schools, view["ranking"], strict=True):
        context = {**common, **_card_context(school, row, district)}
        for template, suffix in ((md_template, ".md"), (html_template, ".html")):
            with _template_errors(template.name):
                text = template.render(context)
            name = row.file + suffix
            (folder / name).write_text(text, encoding="utf-8", newline="\n")
            names.append(name)
    return [folder / name for name in names]


def district_charts(results: Results, view: dict[str, Any]) -> dict[str, Any]:
    """The main report's SVG charts (matplotlib, imported only here)."""
    from . import charts

    levels = [(lvl["label"], lvl["lower"], lvl["upper"]) for lvl in view["levels"]]
    out: dict[str, Any] = {"targets": {}}
    if not results.schools:
        return out
    out["total"] = charts.total_distribution([s.total for s in results.schools], levels)
    rows = [r for r in view["block_rows"] if r["depth"] == 0]
    out["blocks"] = charts.block_profile([r["title"] for r in rows], [r["stats"] for r in rows])
    for i, target in enumerate(view["targets"]):
        if target["values"]:
            out["targets"][target["code"]] = charts.target_attainment(
                f"{target['code']}. {target['title']}",
                target["values"],
                target["lower_is_better"],
                target["target"],
                target["district"],
                target["unit"],
                prefix=f"t{i}",
            )
    return out

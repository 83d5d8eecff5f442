"""The findings report (аналитическая справка) and the school cards, from Jinja2 templates.

The report is what the authority attaches to its order «Об итогах мониторинга», so its
text lives in editable templates (``templates/``; ``vosp-monitor templates export``).
This module finds the templates (a user's copy first, then the bundled defaults), renders
the *view* that ``view.py`` prepares once (and each card's, ``cards.py``), and writes the
report and the cards whole. Templates stay logic-free and rendering stays linear.

Safety: every value a template prints passes a ``finalize`` hook, so a template author
cannot forget: in HTML what a page cannot hold is removed (``formatting.html_text``:
control characters, bidi overrides) before autoescaping; in Markdown every value is
escaped and put on one line (``formatting.md_escape``: a school called ``A | B`` cannot
break a table). Output is deterministic: the date shown is the run's
``generated_at``, never the clock.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ...config import BUNDLED_DIR, REPO_ROOT
from ...errors import VospError
from ...outputs import OutputError, OutputSet, ensure_dir, write_file, write_text
from ...report.cards import CardMaker, ExcludedCard, SchoolCard, card_fields, excluded_cards
from ...report.view import ReportView, build_view
from ...results import Results, gc_paused
from ...words.formatting import (
    format_compact,
    format_date,
    format_int,
    format_number,
    format_percent,
    format_share,
    html_finalize,
    md_escape,
    md_finalize,
    plural,
)
from ...words.russian import lower_first, upper_first

REPORT_TEMPLATES = ("report.md.j2", "report.html.j2")
CARD_TEMPLATES = ("school.md.j2", "school.html.j2")
# The district's long lists: what the справка shows and no card or letter needs.
REPORT_ONLY = ("ranking", "recommendations", "recommendations_body")
EXCLUDED_TEMPLATES = ("excluded.md.j2", "excluded.html.j2")


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

    from ..sandbox import SandboxedTemplates, sandbox_cache_kind
    from ..template_cache import bytecode_cache

    search = [str(default_templates_dir())]
    if templates_dir is not None:
        if not Path(templates_dir).is_dir():
            raise ReportError(f"папка шаблонов {templates_dir} не найдена")
        search.insert(0, str(templates_dir))
    env = SandboxedTemplates(
        loader=jinja2.FileSystemLoader(search, encoding="utf-8"),
        autoescape=not markdown,
        undefined=jinja2.StrictUndefined,
        finalize=md_finalize if markdown else html_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache(sandbox_cache_kind("md" if markdown else "html")),
        auto_reload=False,  # a run's templates do not change: no stat() per card for each {% from %}
    )
    install_filters(env)
    env.filters.update(md=md_escape, urlpath=_urlpath)
    if markdown:
        env.filters["raw"] = Markup
    return env


def install_filters(env: Any) -> None:
    """The formatting filters every template (Markdown, HTML, Word) has: num, int, pct, share,
    date, pts, lowerfirst, upperfirst, and the function plural."""
    env.filters.update(
        num=format_number,
        int=format_int,
        pct=format_percent,
        share=format_share,
        date=format_date,
        pts=format_compact,
        lowerfirst=lower_first,
        upperfirst=upper_first,
    )
    env.globals.update(plural=plural)


@contextlib.contextmanager
def _template_errors(name: str) -> Iterator[None]:
    """Jinja2 errors in a (user's) template become a Russian message with file and line."""
    import jinja2

    from ..sandbox import is_users_fault, runtime_error, template_place

    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise ReportError(f"шаблон {where}, строка {exc.lineno}: ошибка синтаксиса: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        file, lineno, _line = template_place(exc)  # an {% include %} or {% import %} of a missing one
        where = f"шаблон {Path(file).name}, строка {lineno}: включаемый " if file else ""
        raise ReportError(
            f"{where}шаблон «{exc.name}» не найден (ни в папке --templates, ни среди встроенных)"
        ) from None
    except Exception as exc:  # raised while the template ran: named with its line (writers/sandbox.py)
        file, lineno, line = template_place(exc)
        if not file and isinstance(exc, OSError):  # reading the template, not running it
            raise ReportError(f"шаблон {name} не прочитан: {exc.strerror or exc}") from None
        if not is_users_fault(exc, ran=bool(file), bundled=Path(file).parent == default_templates_dir()):
            raise
        raise ReportError(
            runtime_error(Path(file).name if file else name, exc, line, lineno=lineno)
        ) from None


def _render(env: Any, name: str, context: dict[str, Any]) -> str:
    with _template_errors(name):
        text: str = env.get_template(name).render(context)
    return text


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
    from ...outputs.staging import publish

    def write(folder: Path) -> list[Path]:
        return [
            write_file(folder / rel, partial(shutil.copyfile, src))
            for src, rel in zip(files, relative, strict=True)
        ]

    owned = OutputSet("templates export", tuple(rel.as_posix() for rel in relative))
    return publish(Path(dest), owned, write, replace_foreign=force)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


# --------------------------------------------------------------------------- context


def template_context(view: ReportView, results: Results) -> dict[str, Any]:
    """The names a report template sees: every field of the view, and ``config`` for
    a user's own templates (the whole indicators.yaml)."""
    context = {f.name: getattr(view, f.name) for f in dataclasses.fields(view) if f.name != "words"}
    context["config"] = results.config
    return context


# --------------------------------------------------------------------------- entry points


def render_reports(
    results: Results,
    out_dir: Path,
    templates_dir: Path | None = None,
    cards: bool = True,
    charts: bool = True,
    *,
    view: ReportView | None = None,
    png: dict[str, bytes] | None = None,
) -> list[Path]:
    """Write report.md, report.html and (with ``cards``) schools/<code>.md/.html into ``out_dir``.

    ``templates_dir`` is a user's copy of the templates; any template missing there is
    taken from the defaults. ``cards=False`` skips the cards (minutes for 40,000 schools);
    ``charts=False`` skips matplotlib (about 1.5 s of import and drawing). ``view``: the
    report view, when the caller has built it; ``png``: where to put each chart as a PNG
    too (the Word documents take them: ``chart_set.district_charts``). Returns the
    paths written. Raises :class:`ReportError` for a
    broken template and :class:`~vosp_monitor.outputs.OutputError` when a file cannot be
    written.
    """
    out_dir = ensure_dir(Path(out_dir))
    md_env, html_env = report_environments(templates_dir)
    # A view of every school: many small objects and no cycles worth collecting. (The
    # cards, one template render each, run with the collector on.)
    with gc_paused():
        view = view or build_view(results, cards=cards)
        context = template_context(view, results)
        written = [write_report_md(md_env, context, out_dir)]
        if charts:
            from ..charts.chart_set import district_charts

            context["charts"] = district_charts(view, png=png)
        written.append(write_report_html(html_env, context, out_dir))
    if cards:
        written += render_cards(results, out_dir / "schools", view, templates_dir, (md_env, html_env))
    return written


def report_environments(templates_dir: Path | None) -> tuple[Any, Any]:
    """The Markdown and the HTML Jinja environments (a user's templates first)."""
    return _environment(templates_dir, markdown=True), _environment(templates_dir, markdown=False)


def write_report_md(env: Any, context: dict[str, Any], out_dir: Path) -> Path:
    """report.md from the template context."""
    return write_text(out_dir / "report.md", _render(env, "report.md.j2", context))


def write_report_html(env: Any, context: dict[str, Any], out_dir: Path) -> Path:
    """report.html from the template context (``context["charts"]``: the drawn charts, if any)."""
    return write_text(out_dir / "report.html", _render(env, "report.html.j2", context))


def render_cards(
    results: Results,
    folder: Path,
    view: ReportView,
    templates_dir: Path | None = None,
    environments: tuple[Any, Any] | None = None,
) -> list[Path]:
    """One Markdown and one HTML card per ranked school and per excluded school; linear,
    templates compiled once (in ``environments``, when the caller has them).

    Each card is one plain write into the run's staging folder; the command switches the
    whole set in and deletes stale cards of schools no longer in the results (outputs/staging.py).
    """
    maker = CardMaker(view, results)
    writer = CardWriter(results, folder, view, templates_dir, environments)
    for school, row in zip(results.schools, view.ranking, strict=True):
        writer.write(row.file, maker.card(school, row))
    for card in excluded_cards(results):
        writer.write(card.card, card)
    return writer.written


class CardWriter:
    """Writes a school's card as ``<name>.md`` and ``<name>.html`` (templates compiled once).

    Used by :func:`render_cards` and, card by card with the letters, by
    ``documents.write_letters``: each card is made once for both. A pickled copy writes
    cards in another process (the letter worker: ``letter_worker``), with the same
    templates compiled there again (from ``templates_dir``, Jinja's bytecode cache) and
    a ``written`` list of its own.
    """

    def __init__(
        self,
        results: Results,
        folder: Path,
        view: ReportView,
        templates_dir: Path | None = None,
        environments: tuple[Any, Any] | None = None,
    ) -> None:
        self.folder = ensure_dir(folder)
        self.templates_dir = templates_dir
        self.common = {
            key: value
            for key, value in template_context(view, results).items()
            if key not in REPORT_ONLY and key != "charts"
        }
        self.written: list[Path] = []
        self._compile(environments or report_environments(templates_dir))

    def _compile(self, environments: tuple[Any, Any]) -> None:
        md_env, html_env = environments
        self.school = _templates(md_env, html_env, CARD_TEMPLATES)
        self.excluded = _templates(md_env, html_env, EXCLUDED_TEMPLATES)

    def __getstate__(self) -> dict[str, Any]:
        return {"folder": self.folder, "templates_dir": self.templates_dir, "common": self.common}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.written = []
        self._compile(report_environments(self.templates_dir))

    def write(self, name: str, card: SchoolCard | ExcludedCard) -> None:
        pair = self.excluded if isinstance(card, ExcludedCard) else self.school
        context = {**self.common, **card_fields(card)}
        for template, suffix in zip(pair, (".md", ".html"), strict=True):
            with _template_errors(template.name):
                text = template.render(context)
            path = self.folder / (name + suffix)
            path.write_text(text, encoding="utf-8", newline="\n")
            self.written.append(path)


def _templates(md_env: Any, html_env: Any, names: tuple[str, str]) -> tuple[Any, Any]:
    """The Markdown and HTML templates of one kind of card, compiled once."""
    compiled = []
    for env, name in zip((md_env, html_env), names, strict=True):
        with _template_errors(name):
            compiled.append(env.get_template(name))
    return compiled[0], compiled[1]

"""The templates of the documents, rendered to our Markdown and read into the document model.

One Jinja environment renders every section template (``templates/sections/*.md.j2``, the
справка's outline ``spravka.md.j2``, the cards): a user's copy of a template first
(``--templates``), the bundled one otherwise. What a template prints is data, never markup:
:func:`source_finalize` escapes with a backslash every mark of a printed value that our
Markdown reads as markup, and what would start a list or a heading, so a school called
«**1.** [A](b) | {.note}» stays that text in every format. A реквизит the config does not
give (:class:`~vosp_monitor.report.documents.Slot`) prints as a placeholder span.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ...config import BUNDLED_DIR, REPO_ROOT
from ...report.documents import Phrase, Slot, documents_view
from ...report.view import ReportView
from ...results import Results
from ...words.formatting import (
    format_compact,
    format_date,
    format_int,
    format_number,
    format_percent,
    format_share,
    html_finalize,
    plural,
    printed_once,
    typeset,
)
from ...words.russian import lower_first, pick, upper_first
from ...words.text import one_line
from .model import Document
from .parse import ReportError, parse

# What our Markdown would read as markup anywhere in a line: escaped in every printed value.
_SPECIAL = re.compile(r"[\\*_\[\]&<>{}|`#]")  # «#»: a heading closes with « #»
# What it would read as markup at the start of a line («1. », «# », «- »): a value may stand there.
_LINE_START = re.compile(r"^(\s*\d+)([.)])|^(\s*)([+-])")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
# Where each template's output begins («\ue010NAME\ue010») and ends («\ue011»): private-use
# marks our loader puts around every template, so that a mistake in the Markdown a template
# wrote is reported in that template's name (they are taken out before the text is read).
BEGIN, END = "\ue010", "\ue011"
_MARK = re.compile(f"{BEGIN}([^{BEGIN}{END}]*){BEGIN}|{END}")
_NOT_PRINTED = {"words"}  # the view's own lookups
# The district's long lists: what the справка shows and no card or letter needs.
REPORT_ONLY = ("ranking", "recommendations", "recommendations_body")


def default_templates_dir() -> Path:
    """The bundled templates (installed package first, then the source tree)."""
    for candidate in (BUNDLED_DIR / "templates", REPO_ROOT / "templates"):
        if (candidate / "spravka.md.j2").is_file():
            return candidate
    raise FileNotFoundError("шаблоны документов по умолчанию не найдены в установленном пакете")


def source_text(value: Any) -> str:
    """A printed value as literal text of our Markdown: one line, every mark that could be read
    as markup backslash-escaped (CommonMark reads an escaped mark as the mark itself)."""
    text = one_line(str(value))
    if not text.isprintable():
        text = _SURROGATES.sub("", text.replace(BEGIN, "").replace(END, ""))
    text = _SPECIAL.sub(r"\\\g<0>", text)
    start = _LINE_START.match(text)
    if start is None:
        return text
    if start.group(1):
        return f"{start.group(1)}\\{start.group(2)}{text[start.end(2) :]}"
    return f"{start.group(3)}\\{text[start.end(3) :]}"


_printed = printed_once(lambda text: Markup(source_text(typeset(text))))


def source_finalize(value: Any) -> Markup:
    """Jinja's ``finalize``: every printed value typeset and escaped, as :class:`Markup` (so
    the environment's autoescaping leaves it be); markup (``|raw``, a macro's output) kept.

    Autoescaping is on only so that a macro's output (Markup) is not escaped a second time:
    the escaping itself is ours, for our Markdown, never HTML's.
    """
    if value.__class__ is str:
        return _printed(value)  # type: ignore[return-value]
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    if isinstance(value, Slot):
        return placeholder(value)
    if isinstance(value, Phrase):
        return Markup("").join(source_finalize(part) for part in value.parts)
    return Markup(source_text(typeset(str(value))))


def placeholder(value: Slot) -> Markup:
    """A реквизит: its text, or, when the config gives none, a highlighted placeholder span."""
    text = source_text(value.text.strip("[]") if value.missing else value.text)
    return Markup(f"[{text}]{{.placeholder}}" if value.missing else text)


def install_filters(env: Any) -> None:
    """The formatting filters every template (Markdown, HTML, Word) has: num, int, pct, share,
    date, pts, lowerfirst, upperfirst, and the functions plural and pick («вышла»/«вышли» by a number)."""
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
    env.globals.update(plural=plural, pick=pick)


class Templates:
    """The document templates of one run: a user's folder first (``--templates``), the bundled
    ones otherwise; each compiled once per run (and between runs, Jinja's bytecode cache).

    One object per run, not per process: an analyst's script that edits a template between
    two runs gets the edited one.
    """

    def __init__(self, templates_dir: Path | None) -> None:
        self.folder = templates_dir
        self.env = _environment(templates_dir)
        self._page: Any = None

    def markup(self, name: str, context: Mapping[str, Any]) -> str:
        """The template ``name`` rendered: our Markdown text (with the templates' marks: :func:`unmark`)."""
        with template_errors(name):
            text: str = self.env.get_template(name).render(context)
        return text

    def document(self, name: str, context: Mapping[str, Any]) -> Document:
        """The template ``name`` rendered and read into the document model."""
        text, sources = unmark(self.markup(name, context), name)
        return parse(text, name, sources)

    def page(self) -> Any:
        """``page.html.j2``, the HTML page around a document (its own environment: HTML escaping)."""
        if self._page is None:
            self._page = _page_template(self.folder)
        return self._page


def _search(templates_dir: Path | None) -> list[str]:
    search = [str(default_templates_dir())]
    if templates_dir is not None:
        if not Path(templates_dir).is_dir():
            raise ReportError(f"папка шаблонов {templates_dir} не найдена")
        search.insert(0, str(templates_dir))
    return search


def _page_template(templates_dir: Path | None) -> Any:
    import jinja2

    from ..sandbox import SandboxedTemplates, sandbox_cache_kind
    from ..template_cache import bytecode_cache

    env = SandboxedTemplates(
        loader=jinja2.FileSystemLoader(_search(templates_dir), encoding="utf-8"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=html_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache(sandbox_cache_kind("html")),
        auto_reload=False,
    )
    with template_errors("page.html.j2"):
        return env.get_template("page.html.j2")


def _environment(templates_dir: Path | None) -> Any:
    """The Jinja environment of the document templates (a user's folder first), sandboxed:
    a template passed on by a colleague is code (writers/sandbox.py)."""
    import jinja2

    from ..sandbox import SandboxedTemplates, sandbox_cache_kind
    from ..template_cache import bytecode_cache

    search = _search(templates_dir)

    class MarkedLoader(jinja2.FileSystemLoader):
        """Puts :data:`BEGIN` and :data:`END` around a template (its lines keep their numbers)."""

        def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            return f"{BEGIN}{template}{BEGIN}{source}{END}", filename, uptodate

    env = SandboxedTemplates(
        loader=MarkedLoader(search, encoding="utf-8"),
        autoescape=True,  # only so that a macro's output is not escaped again: see source_finalize
        undefined=jinja2.StrictUndefined,
        finalize=source_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache(sandbox_cache_kind("md")),
        auto_reload=False,  # a run's templates do not change: no stat() per card for each {% include %}
    )
    install_filters(env)
    env.filters.update(raw=Markup)
    return env


@contextlib.contextmanager
def template_errors(name: str) -> Iterator[None]:
    """Jinja2 errors in a (user's) template become a Russian message naming the template the
    error is in (also when ``name`` includes it), its line and what stands there. An error
    raised while a bundled template runs is a bug of the program and is not reworded."""
    import jinja2

    from ..sandbox import is_users_fault, runtime_error, template_place

    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = _shown(exc.filename) if exc.filename else exc.name or name
        raise ReportError(f"шаблон {where}, строка {exc.lineno}: ошибка синтаксиса: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        file, lineno, _line = template_place(exc)  # an {% include %} or {% import %} of a missing one
        where = f"шаблон {_shown(file)}, строка {lineno}: включаемый " if file else ""
        raise ReportError(
            f"{where}шаблон «{exc.name}» не найден (ни в папке --templates, ни среди встроенных)"
        ) from None
    except Exception as exc:  # raised while the template ran: named with its line (writers/sandbox.py)
        file, lineno, line = template_place(exc)
        if not file and isinstance(exc, OSError):  # reading the template, not running it
            raise ReportError(f"шаблон {name} не прочитан: {exc.strerror or exc}") from None
        if not is_users_fault(exc, ran=bool(file), bundled=_bundled(file)):
            raise
        raise ReportError(runtime_error(_shown(file) if file else name, exc, line, lineno=lineno)) from None


def _shown(file: str) -> str:
    """A template's file as its name in the templates folder: «sections/basis.md.j2»."""
    path = Path(file)
    return f"{path.parent.name}/{path.name}" if path.parent.name == "sections" else path.name


def _bundled(file: str) -> bool:
    return bool(file) and Path(file).resolve().is_relative_to(default_templates_dir().resolve())


def unmark(text: str, root: str) -> tuple[str, list[str]]:
    """The text without the templates' marks, and the template each of its lines came from."""
    stack = [root]
    pieces: list[str] = []
    sources: list[str] = []
    fresh = True  # at the start of a line whose template is not yet known

    def emit(chunk: str) -> None:
        nonlocal fresh
        for part in chunk.splitlines(keepends=True):
            if fresh:
                sources.append(stack[-1])
                fresh = False
            pieces.append(part)
            fresh = part.endswith("\n")

    position = 0
    for mark in _MARK.finditer(text):
        emit(text[position : mark.start()])
        if mark.group(1) is not None:
            stack.append(mark.group(1))
        elif len(stack) > 1:
            stack.pop()
        position = mark.end()
    emit(text[position:])
    return "".join(pieces), sources


def document_context(view: ReportView, results: Results) -> dict[str, Any]:
    """What the templates of the справка and the order see: every field of the report view,
    ``documents`` (реквизиты, addressees, deadlines, the appendices' captions) and ``config``
    (the whole indicators.yaml, for a user's own templates)."""
    context = {f.name: getattr(view, f.name) for f in dataclasses.fields(view) if f.name not in _NOT_PRINTED}
    context["config"] = results.config
    context["documents"] = documents_view(results.config, view)
    return context

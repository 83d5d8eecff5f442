"""A Word template compiled once and filled for each school: the letters, in milliseconds each.

docxtpl's own pipeline re-reads, re-patches and re-compiles the template on every render;
for 600 letters that is half a minute. :class:`CompiledDocx` does those steps once and
then, per school, only renders the Jinja template, fixes the tables (if a column loop
needs it), highlights the placeholders and zips the body with the template's other parts
(compressed once). The letters also go into one file for printing
(:meth:`CompiledDocx.combined`), streamed, each letter a section of its own with its page
numbers restarted.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..markup.parse import ReportError
from ..markup.source import default_templates_dir
from .engine import (
    OPEN,
    docx_environment,
    highlight_placeholders,
    package_entry,
    patched_source,
    resolve_listing,
    write_package,
)
from .layout import TableRepairs, fit_tables
from .template_errors import template_error


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """One filled document body: what goes between ``<w:body>`` and its final ``<w:sectPr>``, and that sectPr."""

    content: str
    section: str  # the body's final <w:sectPr …>…</w:sectPr>
    placeholders: int


class CompiledDocx:
    """A template patched and compiled once, filled many times (letters to hundreds of schools).

    Rendering is docxtpl's without re-reading the template: patch the tags (once), render
    the Jinja template, resolve line breaks (``resolve_listing``) and table grids
    (``fix_tables``), highlight placeholders, and zip with the other parts unchanged. The
    template's headers and footers are copied as they are (the letter's carry the page
    number only); a tag in them is an error, not silently printed.
    """

    def __init__(self, template: Path) -> None:
        from docxtpl import DocxTemplate

        self.name = template.name
        self.bundled = template.parent == default_templates_dir()
        env = docx_environment()
        try:
            with zipfile.ZipFile(template) as archive:
                self.members = [(n, archive.read(n)) for n in archive.namelist()]
            self.members.sort(key=lambda item: item[0] != "[Content_Types].xml")
            self._docx = DocxTemplate(str(template))
            self._docx.init_docx()
        except Exception as exc:
            raise template_error(template.name, exc) from None
        for name, data in self.members:
            if re.match(r"word/(header|footer)\d*\.xml$", name) and (b"{{" in data or b"{%" in data):
                raise ReportError(f"шаблон {self.name}: теги Jinja в колонтитулах писем не поддерживаются")
        document_xml = dict(self.members)["word/document.xml"]
        document = document_xml.decode("utf-8")
        start = re.search(r"<w:body[ >]", document)
        end = document.rfind("</w:body>")
        if start is None or end < 0:
            raise ReportError(f"шаблон {self.name} — не документ Word (.docx): нет тела документа")
        self.prefix, self.suffix = document[: start.start()], document[end + len("</w:body>") :]
        self._static: bytes | None = None  # the zip of every part but word/document.xml
        self._highlighted: dict[str, tuple[str, int]] = {}  # a run with a placeholder → highlighted
        self.source = patched_source(self._docx)
        self._repairs = TableRepairs.of(document_xml)
        try:
            self.template = env.from_string(self.source)
        except Exception as exc:
            raise template_error(self.name, exc, self.source) from None

    def render(self, context: Mapping[str, Any]) -> RenderedBody:
        import jinja2

        from ..sandbox import is_users_fault, template_place

        try:
            xml = self.template.render(context)
        except Exception as exc:  # a runtime error is named with its paragraph (writers/sandbox.py)
            ran = template_place(exc)[0] != ""
            if not isinstance(exc, jinja2.TemplateError) and not is_users_fault(
                exc, ran=ran, bundled=self.bundled
            ):
                raise
            raise template_error(self.name, exc, self.source) from None
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")  # the newlines of self.source
        xml = resolve_listing(self._docx, xml)
        # the common case on the text (well-formed, only runs to highlight), else as a tree
        marked = None if self._repairs.fit else self._marked_runs(xml)
        inner, found = marked if marked is not None else self._marked_tree(xml)
        start = inner.rfind("<w:sectPr")
        if start < 0 or not inner.endswith("</w:sectPr>"):  # no final section: Word's defaults apply
            return RenderedBody(inner, "", found)
        return RenderedBody(inner[:start], inner[start:], found)

    def _marked_tree(self, xml: str) -> tuple[str, int]:
        """The body's content with its tables repaired (:class:`TableRepairs`) and each
        placeholder highlighted, through an lxml tree (whose parser repairs what is broken)."""
        from lxml import etree

        if self._repairs.fix:
            body = self._docx.fix_tables(xml)
        else:
            body = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
        if self._repairs.fit:
            fit_tables(body)
        found = highlight_placeholders(body)
        return _content(etree.tostring(body, encoding="unicode")), found

    def _marked_runs(self, xml: str) -> tuple[str, int] | None:
        """The body's content with each placeholder highlighted, without parsing it into a tree, or None
        where that cannot be done (then the tree is built: :func:`highlight_placeholders`).

        A letter's placeholders («[номер писем]») sit in a few runs that are the same in
        every letter: each such run is highlighted once, through lxml, and reused. The body
        must be well-formed (expat checks it, at half lxml's cost of building a tree): what
        is not goes to the tree path, whose parser repairs it, as docxtpl's own does.
        """
        import pyexpat

        if not xml.startswith("<w:body"):
            return None
        try:
            pyexpat.ParserCreate().Parse(xml, True)
        except pyexpat.ExpatError:
            return None
        pieces: list[str] = []
        found = done = 0
        while (mark := xml.find(OPEN, done)) >= 0:
            start, end = xml.rfind("<w:r>", done, mark), xml.find("</w:r>", mark)
            if start < 0 or end < 0 or xml.rfind("</w:r>", start, mark) >= 0:
                return None  # not in a plain <w:r>: the tree path
            end += len("</w:r>")
            run = xml[start:end]
            cached = self._highlighted.get(run)
            if cached is None:
                cached = self._highlight_run(xml[: xml.index(">") + 1], run)
                if len(self._highlighted) < 1000:  # the same few runs in every letter
                    self._highlighted[run] = cached
            highlighted, count = cached
            pieces += [xml[done:start], highlighted]
            found += count
            done = end
        pieces.append(xml[done:])
        return _content("".join(pieces)), found

    @staticmethod
    def _highlight_run(body_tag: str, run: str) -> tuple[str, int]:
        """One run's placeholders highlighted (in the body's namespaces), as XML text."""
        from lxml import etree

        body = etree.fromstring(f"{body_tag}{run}</w:body>")
        count = highlight_placeholders(body)
        return _content(etree.tostring(body, encoding="unicode")), count

    def write(self, target: Path, body: RenderedBody) -> None:
        """One filled document: the template's other parts, compressed once for every letter,
        then word/document.xml (zlib on the same styles, theme and fonts for each of 600
        letters was half of their time)."""
        document = f"{self.prefix}<w:body>{body.content}{body.section}</w:body>{self.suffix}".encode()
        if self._static is None:
            buffer = io.BytesIO()
            write_package(buffer, ((n, d) for n, d in self.members if n != "word/document.xml"))
            self._static = buffer.getvalue()
        buffer = io.BytesIO(self._static)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(package_entry("word/document.xml"), document)
        target.write_bytes(buffer.getvalue())

    @contextlib.contextmanager
    def combined(self, target: Path, count: int) -> Iterator[Callable[[RenderedBody], None]]:
        """A file of ``count`` bodies one after another, each in its own section, streamed.

        Every section but the last ends in a paragraph carrying its sectPr (a section break
        to the next page), and each restarts its page numbers, so the combined file prints
        each letter as if on its own. Bodies are written as they come: thousands of letters
        are never held in memory at once.
        """
        added = 0
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.members:
                if name != "word/document.xml":
                    archive.writestr(package_entry(name), data)
            with archive.open(package_entry("word/document.xml"), "w", force_zip64=True) as stream:
                stream.write(f"{self.prefix}<w:body>".encode())

                def add(body: RenderedBody) -> None:
                    nonlocal added
                    added += 1
                    section = _restart_numbering(body.section)
                    tail = section if added == count else f"<w:p><w:pPr>{section}</w:pPr></w:p>"
                    stream.write((body.content + tail).encode())

                yield add
                stream.write(f"</w:body>{self.suffix}".encode())
        if added != count:
            raise ValueError(f"combined(): {added} bodies written, {count} announced")


def _content(body: str) -> str:
    """What lies between ``<w:body …>`` and ``</w:body>``."""
    return body[body.index(">") + 1 : body.rindex("</w:body>")]


def _restart_numbering(section: str) -> str:
    """A sectPr whose page numbers start at 1 (w:pgNumType goes after w:pgMar/w:pgSz …, before w:cols)."""
    if "<w:pgNumType" in section:
        return re.sub(r"<w:pgNumType\b[^>]*/>", '<w:pgNumType w:start="1"/>', section)
    for anchor in (
        "<w:cols",
        "<w:formProt",
        "<w:vAlign",
        "<w:noEndnote",
        "<w:titlePg",
        "<w:textDirection",
        "<w:docGrid",
    ):
        if anchor in section:
            return section.replace(anchor, '<w:pgNumType w:start="1"/>' + anchor, 1)
    return section.replace("</w:sectPr>", '<w:pgNumType w:start="1"/></w:sectPr>')

"""Word documents from .docx templates with Jinja tags (docxtpl), safely and fast.

The templates (``templates/*.docx``) are ordinary Word files an analyst edits in Word: the
wording and the styles are theirs, the ``{{ … }}`` and ``{%p for … %}`` tags are docxtpl's.
This module renders them with one Jinja environment for all documents:

* every printed value passes :func:`docx_finalize`: text from submissions loses what a
  Word file cannot hold (control characters, bidi overrides: ``text.xml_text``), is kept on
  one line and XML-escaped (autoescaping), so a school called «<b>&» stays text;
* a реквизит the config does not give (:class:`~.view_documents.Slot`) is printed between
  two private-use marks and :func:`highlight_placeholders` turns it into a yellow
  highlighted run with the formatting of the run it stands in;
* the same formatting filters as the HTML templates (``num``, ``pct``, ``plural`` …).

Two ways to render: :func:`render_docx` runs docxtpl's whole pipeline once (the order); :class:`~.docx_compiled.CompiledDocx` patches and compiles
a template's XML once and then fills it for each school in a few milliseconds (600 letters
through docxtpl's pipeline would take half a minute). Both zip the result with fixed
timestamps (:func:`write_package`), so the same results give byte-identical documents.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape

from ...report.documents import Phrase, Slot
from ...words.formatting import printed_once, typeset
from ...words.text import one_line, xml_text
from ..markup.parse import ReportError
from ..markup.source import default_templates_dir, install_filters
from .layout import TableRepairs, fit_tables
from .template_errors import template_error

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OPEN, CLOSE = "\ue000", "\ue001"  # around a placeholder in rendered text (private use: never typed)
_MARKS = re.compile(f"[{OPEN}{CLOSE}]")
_PLACEHOLDER = re.compile(f"{OPEN}(.*?){CLOSE}", re.S)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Children of w:rPr that must follow w:highlight (ECMA-376 order), so highlight goes before them.
_AFTER_HIGHLIGHT = {
    f"{{{W}}}{name}"
    for name in (
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
    )
}


def docx_text(text: str) -> str:
    """Text a Word run can hold: one line, no control characters or bidi overrides, no marks of ours."""
    return _MARKS.sub("", xml_text(one_line(text)))


def _slot_text(value: Slot) -> str:
    text = docx_text(value.text)
    return f"{OPEN}{text}{CLOSE}" if value.missing else text


_docx_printed = printed_once(lambda text: escape(docx_text(typeset(text))))


def docx_finalize(value: Any) -> Any:
    """Jinja2 ``finalize`` for Word templates: text cleaned, реквизиты marked.

    A plain string comes back already escaped (as Markup, which autoescaping leaves as it
    is), each distinct text cleaned once per process (``formatting.printed_once``); the rest
    is escaped by autoescaping.
    """
    if value.__class__ is str:
        return _docx_printed(value)
    if value is None:
        return ""
    if isinstance(value, Slot):
        return _slot_text(value)
    if isinstance(value, Phrase):
        return "".join(_slot_text(p) if isinstance(p, Slot) else docx_text(p) for p in value.parts)
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return docx_text(typeset(value))
    return value  # numbers, markup, pictures (docxtpl's InlineImage)


def docx_environment() -> Any:
    """The Jinja environment of every Word template; compiled templates are kept between runs
    (``template_cache``), also those docxtpl compiles through ``from_string``."""
    import jinja2

    from ..sandbox import SandboxedTemplates, sandbox_cache_kind
    from ..template_cache import bytecode_cache, from_string_cached

    class DocxEnvironment(SandboxedTemplates):
        def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
            if isinstance(source, str) and globals is None and template_class is None:
                return from_string_cached(self, source)
            return super().from_string(source, globals, template_class)

    env = DocxEnvironment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=docx_finalize,
        bytecode_cache=bytecode_cache(sandbox_cache_kind("docx")),
    )
    install_filters(env)
    return env


def find_template(name: str, templates_dir: Path | None) -> Path:
    """A user's copy of the template first (``--templates``), else the bundled one."""
    if templates_dir is not None:
        if not Path(templates_dir).is_dir():
            raise ReportError(f"папка шаблонов {templates_dir} не найдена")
        own = Path(templates_dir) / name
        if own.is_file():
            return own
    return default_templates_dir() / name


# --------------------------------------------------------------------------- placeholders


def highlight_placeholders(root: Any) -> int:
    """Split every run holding a marked placeholder; the placeholder's own run is highlighted.

    Each new run copies the run properties of the one it was cut from, so a placeholder in
    a bold line stays bold. Returns the number of placeholders.
    """
    found = 0
    for t in list(_marked_texts()(root)):  # in C: a letter has thousands of texts, a few placeholders
        run = t.getparent()
        props = run.find(f"{{{W}}}rPr")
        pieces = _PLACEHOLDER.split(t.text)  # text, placeholder, text, placeholder, …, text
        anchor = run
        for i, piece in enumerate(pieces):
            if not piece:
                continue
            new = _run(piece, props, highlight=i % 2 == 1)
            anchor.addnext(new)
            anchor = new
            found += i % 2
        tail = [child for child in run if child is not props and child is not t and _after(run, t, child)]
        if tail:
            rest = _run("", props, highlight=False)
            rest.remove(rest.find(f"{{{W}}}t"))
            rest.extend(tail)
            anchor.addnext(rest)
        run.remove(t)
        if all(child is props for child in run):
            run.getparent().remove(run)
    return found


@functools.cache
def _marked_texts() -> Any:
    """An XPath of the ``w:t`` elements holding a placeholder's mark."""
    from lxml import etree

    return etree.XPath(f"//w:t[contains(text(), '{OPEN}')]", namespaces={"w": W})


def _after(run: Any, t: Any, child: Any) -> bool:
    children = list(run)
    return children.index(child) > children.index(t)


def _run(text: str, props: Any, highlight: bool) -> Any:
    from lxml import etree

    run = etree.Element(f"{{{W}}}r")
    if props is not None or highlight:
        rpr = copy.deepcopy(props) if props is not None else etree.SubElement(run, f"{{{W}}}rPr")
        if props is not None:
            run.append(rpr)
        if highlight:
            mark = etree.Element(f"{{{W}}}highlight", {f"{{{W}}}val": "yellow"})
            later = next((child for child in rpr if child.tag in _AFTER_HIGHLIGHT), None)
            if later is None:
                rpr.append(mark)
            else:
                later.addprevious(mark)
    t = etree.SubElement(run, f"{{{W}}}t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


# --------------------------------------------------------------------------- zip


def write_package(target: Path | io.BytesIO, members: Iterable[tuple[str, bytes]]) -> None:
    """A .docx from its parts: [Content_Types].xml first, fixed timestamps (byte-identical reruns)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(package_entry(name), data)


def package_entry(name: str) -> zipfile.ZipInfo:
    """A part of a .docx as every document here is zipped: deflated, with the fixed timestamp."""
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def repack(data: bytes, target: Path) -> None:
    """Rewrite a .docx held in memory with :func:`write_package`'s fixed order and timestamps."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        names.sort(key=lambda n: n != "[Content_Types].xml")
        write_package(target, ((name, archive.read(name)) for name in names))


# --------------------------------------------------------------------------- whole pipeline


@dataclass(frozen=True, slots=True)
class Picture:
    """A PNG to print at ``width`` mm (its height follows)."""

    png: bytes
    width: float


def render_docx(
    template: Path,
    context: Mapping[str, Any],
    target: Path,
    pictures: Mapping[str, Picture | Mapping[str, Picture] | str] | None = None,
) -> int:
    """Render ``template`` with docxtpl's whole pipeline into ``target``; returns the placeholders printed.

    ``pictures``: context name → a :class:`Picture` (or a dict of them, e.g. one per
    target), put into the context as docxtpl inline images: the template prints one with
    ``{{ name }}`` in a paragraph of its own.
    """
    from docx.shared import Mm
    from docxtpl import InlineImage
    from lxml import etree

    env = docx_environment()
    try:
        document = _template_in_place()(str(template))
        document.init_docx()
    except Exception as exc:
        raise template_error(template.name, exc) from None
    document.repairs = TableRepairs.of(etree.tostring(document.docx.element))

    def image(picture: Picture) -> Any:
        return InlineImage(document, io.BytesIO(picture.png), width=Mm(picture.width))

    full = dict(context)
    for name, value in (pictures or {}).items():
        if isinstance(value, Picture):
            full[name] = image(value)
        elif isinstance(value, Mapping):
            full[name] = {k: image(v) for k, v in value.items()}
        else:
            full[name] = value  # "": no picture (the template skips it)
    document.resolve_listing = lambda xml: resolve_listing(document, xml)
    try:
        document.render(full, env)
    except Exception as exc:
        import jinja2

        from ..sandbox import is_users_fault, template_place

        ran = template_place(exc)[0] != ""  # raised by the template's own code, not by docxtpl's
        bundled = template.parent == default_templates_dir()
        if isinstance(exc, jinja2.TemplateError) or is_users_fault(exc, ran=ran, bundled=bundled):
            raise template_error(template.name, exc, _fresh_source(template)) from None
        raise
    fit_tables(document.docx.element.body)
    found = highlight_placeholders(document.docx.element.body)
    buffer = io.BytesIO()
    document.save(buffer)
    repack(buffer.getvalue(), target)
    return found


_DECLARATION = re.compile(r'\s+xmlns(?::[\w.-]+)?="[^"]*"')
_FEED = 1 << 22  # characters of the rendered body fed to the parser at a time


@functools.cache
def _template_in_place() -> Any:
    """docxtpl's ``DocxTemplate`` with the rendered body parsed in its place in the document.

    docxtpl parses the rendered body on its own and then moves it into the template's
    document (``map_tree``), and lxml re-homes the nodes one by one: 10 s of a region's
    справка (a ranking of 40 000 rows), more than rendering it. Here the body is parsed
    between the document's own start and end tags, into python-docx's element classes (its
    ``sections`` and docxtpl's footnotes read them), and the new document replaces the old
    one whole. docxtpl's grid repair (``fix_tables``) runs only where a column loop in a
    table without a fixed width needs it (:class:`TableRepairs`, as for the letters), and
    then by docxtpl's own path.
    """
    from docx.oxml.parser import element_class_lookup
    from docxtpl import DocxTemplate
    from lxml import etree

    class TemplateInPlace(DocxTemplate):  # type: ignore[misc]
        repairs = TableRepairs(fit=True, fix=True)
        _document: Any = None

        def fix_tables(self, xml: str) -> Any:
            if self.repairs.fix:
                return super().fix_tables(xml)
            shell = etree.tostring(self.docx.element, encoding="unicode")
            body = self.docx.element.body
            tag = f"{body.prefix}:body" if body.prefix else "body"
            start, end = re.search(f"<{tag}[\\s>]", shell), shell.rfind(f"</{tag}>")
            if start is None or end < 0:
                return super().fix_tables(xml)
            parser = etree.XMLParser(recover=True)  # docxtpl's: a broken tag is repaired, not fatal
            parser.set_element_class_lookup(element_class_lookup)
            parser.feed(shell[: start.start()])
            # The body's start tag without the namespaces the document declares already (as
            # lxml's move left it), then the rest in slices: the parser encodes what it is
            # fed, and a slice's copy is small where the whole text's would be 100 MB.
            head = xml.find(">") + 1
            parser.feed(_DECLARATION.sub("", xml[:head]))
            for piece in range(head, len(xml), _FEED):
                parser.feed(xml[piece : piece + _FEED])
            parser.feed(shell[end + len(tag) + 3 :])
            self._document = parser.close()
            return self._document.body

        def fix_docpr_ids(self, tree: Any) -> None:
            if self._document is None:
                super().fix_docpr_ids(tree)
                return
            for picture in tree.xpath("//wp:docPr"):  # docxtpl's renumbering, by python-docx's xpath
                self.docx_ids_index += 1
                picture.attrib["id"] = str(self.docx_ids_index)

        def map_tree(self, tree: Any) -> None:
            if self._document is None:
                super().map_tree(tree)
                return
            docx = self.docx
            docx._element = docx._part._element = self._document
            docx._Document__body = None  # python-docx's body proxy, made again if asked for

    return TemplateInPlace


# A line break typed into a value: what docxtpl's resolve_listing turns into Word's own
# element (it only counts inside a w:t); tabs, paragraph marks and page breaks count anywhere.
_LINE_BREAK = re.compile("<w:t(?: [^>]*)?>[^<]*\n")


def resolve_listing(document: Any, xml: str) -> str:
    """docxtpl's ``resolve_listing``, skipped when there is nothing for it to do.

    It rebuilds every paragraph, run and text of the document with regular expressions
    to find those characters; rendered values are one line (``docx_text``), so almost
    always there are none, and one search says so (a third of a letter's time).
    """
    special = "\t" in xml or "\a" in xml or "\f" in xml  # each `in` is a C scan; a regex was 0.3 ms a letter
    if not special and ("\n" not in xml or _LINE_BREAK.search(xml) is None):
        return xml
    result: str = type(document).resolve_listing(document, xml)
    return result


def patched_source(document: Any) -> str:
    """An initialised DocxTemplate's body as docxtpl compiles it, a paragraph a line (so a
    Jinja error names its line, :func:`template_error`)."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", document.patch_xml(document.get_xml()))


def _fresh_source(template: Path) -> str:
    """:func:`patched_source` of the template read again: made only when rendering has failed
    (docxtpl's render has changed the document it had)."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template))
    document.init_docx()
    return patched_source(document)

"""Reading Word documents back in tests: texts, highlighted runs, sections, pictures, tables.

Everything goes through python-docx (the documents must open in it) and, where python-docx
has no API, the document's XML.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

NBSP = "\u00a0"


def open_docx(path: Path) -> Any:
    return docx.Document(str(path))


def body_texts(document: Any) -> list[str]:
    """Every paragraph's text in document order, tables included (cell by cell), with plain
    spaces; a tab is «\t»."""
    tab, text, run = qn("w:tab"), qn("w:t"), qn("w:r")
    return [
        "".join(
            ("\t" if node.getparent().tag == run else "") if node.tag == tab else node.text or ""
            for node in p.iter(text, tab)
        ).replace(NBSP, " ")
        for p in document.element.body.iter(qn("w:p"))
    ]


def full_text(document: Any) -> str:
    return "\n".join(body_texts(document))


def highlighted(document: Any) -> list[str]:
    """Texts of the runs highlighted (the placeholders of реквизиты the config does not give)."""
    return [
        "".join(t.text or "" for t in run.iter(qn("w:t")))
        for run in document.element.body.iter(qn("w:r"))
        if run.find(f"{qn('w:rPr')}/{qn('w:highlight')}") is not None
    ]


def page_field_in_header(section: Any) -> bool:
    header = section.header._element
    return any("PAGE" in (t.text or "") for t in header.iter(qn("w:instrText")))


def title_page(section: Any) -> bool:
    """«Different first page»: the first page's header (empty) has no page number."""
    return section._sectPr.find(qn("w:titlePg")) is not None


def repeated_header(table: Any) -> bool:
    first = table.rows[0]._tr
    props = first.find(qn("w:trPr"))
    return props is not None and props.find(qn("w:tblHeader")) is not None


def bordered(table: Any) -> bool:
    return table.style is not None and table.style.name == "Table Grid"


def pictures(path: Path) -> list[tuple[bytes, float]]:
    """Each inline picture's PNG and its printed width in inches."""
    document = open_docx(path)
    out = []
    for shape in document.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        part = document.part.related_parts[blip.embed]
        out.append((part.blob, shape.width.inches))
    return out


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def section_count(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").count(b"<w:sectPr")


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")

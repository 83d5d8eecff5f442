"""WordprocessingML fragments the справка's body is written in: runs, cells, table properties.

The body is written as text and parsed once (``blocks.BlockWriter``): building it element by
element with python-docx took seconds for a district's ranking. Each function here returns a
fragment in the order the schema requires.
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape

from ...words.text import in_line, xml_text


def run(text: str, props: str) -> str:
    """A run of text with the run properties ``props``.

    A code («UPR-5») keeps its plain hyphen, though Word may end a line after it: Word's
    non-breaking hyphen is another character, and Ctrl+F for «KR-1» would not find it.
    """
    if not text:
        return ""
    clean = escape(xml_text(in_line(text)))
    rpr = f"<w:rPr>{_ordered(props)}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{clean}</w:t></w:r>'


_RPR_ORDER = ("<w:b/>", "<w:i/>", "<w:caps/>", '<w:highlight w:val="yellow"/>')


def _ordered(props: str) -> str:
    """Run properties in the order the schema requires (b, i, caps, highlight), each once."""
    return "".join(p for p in _RPR_ORDER if p in props)


def cell(body: str, width: int, *, span: int = 1, shade: bool = False, bottom: bool = False) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if shade:
        props += '<w:shd w:val="clear" w:color="auto" w:fill="FBE3D6"/>'
    if bottom:
        props += '<w:vAlign w:val="bottom"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def table_props(width: int, style_id: str) -> str:
    """A fixed-width table; with ``style_id`` (Table Grid) bordered, else a layout table."""
    style = f'<w:tblStyle w:val="{escape(style_id)}"/>' if style_id else ""
    return f'<w:tblPr>{style}<w:tblW w:w="{width}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'


def grid(widths: list[int]) -> str:
    return "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"


def xml(element: Any) -> str:
    from lxml import etree

    return str(etree.tostring(element, encoding="unicode"))

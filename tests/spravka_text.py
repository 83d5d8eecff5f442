"""The words a reader reads in report.md, report.html and report.docx, in reading order.

Used to compare the справка before and after the single-source rewrite (test_single_source):
markup, punctuation, case, the run's date, table and figure numbers and the samples' path are
left out, so what remains is what the document says.
"""

from __future__ import annotations

import re
from pathlib import Path

_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_DATE = re.compile(rf"\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}\s*г\.?")
_NUMBERED = re.compile(r"\b(?:Таблица|Рисунок|Рис\.)\s*\d*\.?\s*(?:—\s*)?")
_WORD = re.compile(r"\w+(?:[.,:/–-]\w+)*")


def words(text: str, samples: str = "") -> list[str]:
    """The words of ``text`` (``samples``: the samples folder's path, as the run printed it)."""
    if samples:
        text = text.replace(samples, " SAMPLES ")
    text = _DATE.sub(" ДАТА ", text.replace("\u00a0", " "))
    text = _NUMBERED.sub(" ", text)
    return _WORD.findall(text.casefold())


def markdown_text(path: Path) -> str:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))
    parts = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        parts.append(" ")
    return "".join(parts)


def html_text(path: Path) -> str:
    from lxml import html

    tree = html.parse(str(path))
    for element in tree.xpath("//script|//style|//template|//nav|//svg"):
        element.getparent().remove(element)
    for element in tree.xpath("//span[@class='nb']"):  # a no-break span inside a word («/work/wt-25/…»)
        element.drop_tag()
    return " ".join(tree.getroot().itertext())


def docx_text(path: Path) -> str:
    import docx

    body = docx.Document(str(path)).element.body
    parts = []
    for element in body.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "t":
            parts.append(element.text or "")
        elif tag in ("p", "tc", "br"):
            parts.append(" ")
    return "".join(parts)


READERS = {"md": markdown_text, "html": html_text, "docx": docx_text}

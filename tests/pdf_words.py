"""Is a table header's word broken in a PDF? A word a document holds intact must be found intact
in its printed PDF as often (pdftotext): Word and LibreOffice break a word that is wider
than its column into pieces, so a broken header word is found fewer times than it was written.
Words are compared case-insensitively, split at hyphens and punctuation (a line may break there)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

_TOKEN = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")
PDFTOTEXT = shutil.which("pdftotext")


def words(text: str) -> Counter[str]:
    return Counter(t.lower() for t in _TOKEN.findall(text))


def printed_words(pdf: Path) -> Counter[str]:
    assert PDFTOTEXT is not None
    text = subprocess.run(
        [PDFTOTEXT, "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return words(text)


def docx_words(path: Path) -> tuple[Counter[str], Counter[str]]:
    """(the words of the tables' first rows, every word of the document), each cell once."""
    import docx

    document = docx.Document(str(path))
    headers: list[str] = []
    texts: list[str] = []
    seen: set[object] = set()

    def walk(container: object) -> None:
        for paragraph in container.paragraphs:  # type: ignore[attr-defined]
            texts.append(paragraph.text)
        for table in container.tables:  # type: ignore[attr-defined]
            for i, row in enumerate(table.rows):
                for cell in row.cells:
                    if cell._tc in seen:  # a merged cell is listed once per column it spans
                        continue
                    seen.add(cell._tc)
                    if i == 0:
                        headers.append(cell.text)
                    walk(cell)

    walk(document)
    return words(" ".join(headers)), words(" ".join(texts))


def broken(header: Counter[str], expected: Counter[str], printed: Counter[str]) -> list[str]:
    """Header words (three letters or more) found intact in the PDF fewer times than expected."""
    return sorted(w for w in header if len(w) >= 3 and not w.isdigit() and printed[w] < expected[w])

"""order.docx, the draft order «Об итогах мониторинга …» in the form of the seed order № 522.

Реквизиты in ГОСТ Р 7.0.97 order: the authority's name, the document kind (ПРИКАЗ), date
and number on one line, the place, the heading to the text; the preamble, ПРИКАЗЫВАЮ and
the numbered items (``documents.order.items``: approve the справка, the decisions by
addressee with their deadlines, the control clause); the signature and the исполнитель.
"""

from __future__ import annotations

from docx.shared import Pt

from tools.wordgen.base import Builder, twips


def build(b: Builder) -> None:
    b.p("{{ documents.authority }}", "Реквизит").runs[0].bold = True
    b.p("ПРИКАЗ", "Вид документа")
    line = b.p("от {{ documents.order_date }}\t№ {{ documents.order_number }}")
    line.paragraph_format.first_line_indent = 0
    _right_tab(line)
    b.p("{{ documents.place }}", "Реквизит")
    b.p("{{ documents.order.heading }}", "Заголовок к тексту")
    b.tag("{%p for paragraph in documents.order.preamble %}")
    b.p("{{ paragraph }}")
    b.tag("{%p endfor %}")
    command = b.p("**ПРИКАЗЫВАЮ:**", keep=True).paragraph_format
    command.first_line_indent, command.space_before, command.space_after = 0, Pt(6), Pt(6)
    b.tag("{%p for item in documents.order.items %}")
    b.p("{{ item.number }}. {{ item.text }}")
    b.tag("{%p for sub in item.subitems %}")
    b.p("{{ sub.number }}. {{ sub.text }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endfor %}")
    b.signature()
    b.executor()


def _right_tab(paragraph: object) -> None:
    """A right-aligned tab stop at the right margin: the date on the left, the number on the right."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Twips

    from tools.wordgen.base import TEXT_WIDTH_MM

    paragraph.paragraph_format.tab_stops.add_tab_stop(Twips(twips(TEXT_WIDTH_MM)), WD_TAB_ALIGNMENT.RIGHT)  # type: ignore[attr-defined]

"""Page setup and paragraph styles of the Word templates, and the raw OOXML python-docx lacks.

ГОСТ Р 7.0.97-2025 as practitioners apply it: A4, margins 30 mm left, 15 mm right (20 mm
in landscape), 20 mm top and bottom; Times New Roman in every script (Liberation Serif has
its metrics); paragraph indent 1.25 cm; the page number centred in the top margin from the
second page (a PAGE field the word processor fills in).
"""

from __future__ import annotations

from typing import Any

FONT = "Times New Roman"


def page_setup(doc: Any, section: Any, landscape: bool = False) -> None:
    """A4 with ГОСТ margins, the page number centred in the header from the second page."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.left_margin, section.right_margin = Mm(30), Mm(20 if landscape else 15)
    section.top_margin = section.bottom_margin = Mm(20)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = doc.styles["Header"]
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not paragraph.runs:
        _page_field(paragraph)


def define_styles(doc: Any, body_pt: float, table_pt: float) -> None:
    """Normal, headings and the named paragraph styles an analyst restyles in Word."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Cm, Pt

    styles = doc.styles
    _fonts(styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")))
    normal = styles["Normal"]
    _style_font(normal, body_pt)
    fmt = normal.paragraph_format
    fmt.first_line_indent = Cm(1.25)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.widow_control = True
    for level, size in ((1, body_pt + 1), (2, body_pt), (3, body_pt)):
        heading = styles[f"Heading {level}"]
        _style_font(heading, size, bold=True, italic=level == 3)
        hf = heading.paragraph_format
        hf.first_line_indent = Cm(0) if level == 1 else Cm(1.25)
        hf.alignment = WD_ALIGN_PARAGRAPH.CENTER if level == 1 else WD_ALIGN_PARAGRAPH.LEFT
        hf.space_before, hf.space_after = Pt(12 if level == 1 else 8), Pt(6 if level == 1 else 4)
        hf.keep_with_next = True
    _style_font(styles["Header"], body_pt - 2)
    for side in ("left", "right"):  # narrow cell margins: numbers fit narrow columns
        margin = styles["Table Grid"].element.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}/{qn('w:' + side)}")
        margin.set(qn("w:w"), "68")
    _style_font(styles["Caption"], table_pt, bold=False, italic=False)
    caption = styles["Caption"].paragraph_format
    caption.space_before, caption.space_after, caption.first_line_indent = Pt(4), Pt(4), Cm(0)
    caption.keep_with_next = True

    def add(name: str, size: float, **options: Any) -> Any:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _style_font(style, size, bold=options.pop("bold", False), italic=options.pop("italic", False))
        pf = style.paragraph_format
        pf.first_line_indent = options.pop("indent", Cm(0))
        pf.alignment = options.pop("align", WD_ALIGN_PARAGRAPH.LEFT)
        for key, value in options.items():
            setattr(pf, key, value)
        return style

    add("Гриф приложения", 12, left_indent=Cm(9.0), space_after=Pt(18))
    add("Реквизит", body_pt, align=WD_ALIGN_PARAGRAPH.CENTER)
    add(
        "Вид документа",
        body_pt + 2,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=Pt(12),
        space_after=Pt(12),
    )
    add(
        "Заголовок к тексту",
        body_pt,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=Pt(12),
        space_after=Pt(12),
        keep_with_next=True,
    )
    add("Текст таблицы", table_pt, line_spacing=1.0)
    add(
        "Шапка таблицы",
        table_pt - 1,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        keep_with_next=True,
    )
    add("Число в таблице", table_pt, align=WD_ALIGN_PARAGRAPH.RIGHT)
    add("Примечание", body_pt - 2, space_before=Pt(3), space_after=Pt(6))
    add("Перечень", body_pt, left_indent=Cm(1.25), indent=Cm(-0.5), align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    add("Рисунок", body_pt, align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True, space_before=Pt(6))
    add("Подпись", body_pt, line_spacing=1.0)
    add("Исполнитель", 10, space_before=Pt(24), line_spacing=1.0)
    add("Отбивка", 6, line_spacing=1.0)


def qn(tag: str) -> str:
    """«w:rFonts» → its Clark name, for the elements python-docx has no API for."""
    from docx.oxml.ns import qn as clark_name

    return str(clark_name(tag))


def _fonts(rpr: Any) -> None:
    """Times New Roman for every script (no theme fonts: Word would fall back to Calibri)."""
    from docx.oxml import OxmlElement

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), FONT)


def _style_font(style: Any, size: float, bold: bool = False, italic: bool = False) -> None:
    from docx.shared import Pt, RGBColor

    font = style.font
    font.size = Pt(size)
    font.bold, font.italic = bold, italic
    font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element.get_or_add_rPr())


def _page_field(paragraph: Any) -> None:
    """The PAGE field: a page number the word processor fills in."""
    from docx.oxml import OxmlElement

    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text

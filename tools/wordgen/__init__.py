"""The Word templates (templates/report.docx, order.docx, letter.docx), made reproducibly.

The .docx templates are committed, but never edited by hand in the repository: this
package writes them with python-docx, so every change to their wording or layout is a
reviewable diff of Python, and a test regenerates them and compares their content with
the committed files. An analyst's own copy (``vosp-monitor templates export``) is edited
in Word instead; the program then uses it with ``--templates``.

``report.docx`` holds only the styles and the page setup of the справка: its text comes from
the sections' templates (``templates/sections/``), the same for Markdown, HTML and Word.
``order.docx`` and ``letter.docx`` hold their text with Jinja tags (docxtpl).

Run ``python -m tools.wordgen`` to rewrite the templates in the source tree.
"""

from __future__ import annotations

from pathlib import Path

from . import authority_letter, letter, order
from .base import Builder

TEMPLATES = ("report.docx", "order.docx", "letter.docx", "authority_letter.docx")


def report_template() -> Builder:
    """The справка's styles and page setup; the body says what the file is for."""
    b = Builder(body_pt=12, title="Аналитическая справка по итогам мониторинга", table_pt=10)
    b.p(
        "Стили и параметры страницы аналитической справки. Текст справки программа берёт из шаблонов "
        "разделов (папка sections); здесь меняют оформление: шрифты, отступы, поля, стили «Гриф приложения», "
        "«Примечание», «Текст таблицы» и другие.",
        "Примечание",
    )
    return b


def order_template() -> Builder:
    b = Builder(body_pt=14, title="Приказ об итогах мониторинга", table_pt=12)
    order.build(b)
    return b


def letter_template() -> Builder:
    b = Builder(body_pt=13, title="Письмо ОО о результатах мониторинга", table_pt=11)
    letter.build(b)
    return b


def authority_letter_template() -> Builder:
    b = Builder(
        body_pt=13,
        title="Письмо органу управления образованием муниципалитета о результатах мониторинга",
        table_pt=11,
    )
    authority_letter.build(b)
    return b


def build_templates(folder: Path) -> list[Path]:
    """Write the Word templates into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    makers = {
        "report.docx": report_template,
        "order.docx": order_template,
        "letter.docx": letter_template,
        "authority_letter.docx": authority_letter_template,
    }
    return [makers[name]().save(folder / name) for name in TEMPLATES]

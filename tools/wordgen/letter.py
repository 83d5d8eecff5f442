"""letter.docx, the letter to a school: its results and recommendations, or what to correct.

The blank (ГОСТ Р 7.0.97): the authority, the letter's date and number on the left, the
addressee on the right («Руководителю МБОУ „…“ А.А. Небываловой»), the heading, the
greeting. A ranked school reads its total, place and level, its block scores against the
district, its deficits with the recommended measures, the change since last year (with
``--previous``) and what to report back by when; an excluded school reads what was found
in its form and by when to send it again; a school that sent no form, by when to send it. Signature and исполнитель end both.
"""

from __future__ import annotations

from tools.wordgen.base import Builder, Column


def build(b: Builder) -> None:
    blank(b)
    heading = b.p(
        "{% if letter.missing %}О представлении формы мониторинга{% elif letter.excluded %}О повторном "
        "представлении формы мониторинга{% elif letter.validation %}О замечаниях к форме мониторинга"
        "{% else %}О результатах {{ documents.title_of }}{% endif %}",
        "Заголовок к тексту",
    )
    heading.alignment = 0
    b.p("{{ letter.greeting }}", "Реквизит").paragraph_format.space_after = 6 * 12700
    b.tag("{%p if letter.missing %}")
    _missing(b)
    b.tag("{%p elif letter.excluded or letter.validation %}")
    _excluded(b)
    b.tag("{%p else %}")
    _ranked(b)
    b.tag("{%p endif %}")
    b.signature()
    b.executor()


def blank(b: Builder) -> None:
    """The letterhead: the authority, date and number on the left, the addressee on the right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    table = b.doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    for cell, width in ((left, 80.0), (right, 85.0)):
        cell.width = Mm(width)
    first = left.paragraphs[0]
    first.style = b.doc.styles["Реквизит"]
    first.add_run("{{ documents.authority }}").bold = True
    date = left.add_paragraph(
        "от {{ documents.letter_date }} № {{ documents.letter_number }}", style="Реквизит"
    )
    date.paragraph_format.space_before = Mm(3)
    to = right.paragraphs[0]
    to.style = b.doc.styles["Подпись"]
    to.add_run("{{ letter.to }}")
    right.add_paragraph("{%p if letter.to_name %}", style="Подпись")
    right.add_paragraph("{{ letter.to_name }}", style="Подпись")
    right.add_paragraph("{%p endif %}", style="Подпись")
    for paragraph in right.paragraphs:
        paragraph.paragraph_format.left_indent = Mm(10)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    b.p("")


def _ranked(b: Builder) -> None:
    b.p(
        "{{ documents.authority }} направляет результаты {{ documents.title_of }}{% if documents.period %} ({{ documents.period }}){% endif %}."
    )
    b.p(
        "Итоговый балл {{ school.name }} — **{{ school.total|num }}** из 100 (медиана {{ territory.by }} — "
        "{{ total.median|num }}); место в рейтинге — **{{ school.place }}** из {{ participation.ranked|int }}; "
        "уровень — «{{ school.level }}».{% if school.risk %} ОО находится в зоне риска: "
        '{{ school.risk_reasons|join("; ") }}.{% endif %}{% if school.place_range %} '
        "{{ school.place_range.sentence }}{% endif %}"
    )
    b.p("Оценки по блокам", "Heading 3")
    b.table(
        [
            Column("Блок", 85),
            Column("ОО", 25, "right"),
            Column("Медиана {{ territory.of }}", 30, "right"),
            Column("Место", 25, "right"),
        ],
        [
            "{%tr for x in card_blocks %}",
            (
                '{{ "— " * x.depth }}{{ x.title }}{% if x.below_base %} ({{ critical_label }}){% endif %}',
                "{{ x.score|num }}",
                "{{ x.median|num }}",
                '{{ x.place or "—" }}',
            ),
            "{%tr endfor %}",
        ],
    )
    b.p("Оценки — из 100.", "Примечание")
    b.tag("{%p if letter.body.strong %}")
    b.p(
        "Дефицитов у ОО не выявлено: ни по одному показателю ОО не получила наименьший балл и не осталась "
        "ниже цели. Благодарим руководство и педагогический коллектив за результаты работы."
    )
    b.tag("{%p if letter.body.leader %}")
    b.p(
        "ОО — в числе лидеров мониторинга. Предлагаем поделиться опытом работы с другими ОО {{ territory.of }}: "
        "представить его на методическом объединении или в открытом мероприятии. О готовности просим "
        "сообщить в {{ documents.report_to }}."
    )
    b.tag("{%p endif %}")
    b.tag("{%p else %}")
    b.p("Выявленные дефициты, рекомендуемые меры и сроки", "Heading 3")
    b.table(
        [
            Column("№", 8, "right"),
            Column("Показатель", 46),
            Column("Значение ОО", 40),
            Column("Рекомендуемая мера", 48),
            Column("Срок", 23),
        ],
        [
            "{%tr for d in letter.body.deficits %}",
            (
                "{{ loop.index }}",
                "{{ d.code }} {{ d.title }}",
                "{{ d.value }}{% if d.gap %}; {{ d.gap }}{% endif %}",
                "{{ d.measure }}",
                "{{ d.deadline }}",
            ),
            "{%tr endfor %}",
        ],
    )
    b.tag("{%p if letter.body.support %}")
    b.p(
        "Приказом {{ documents.authority_of }} от {{ documents.order_date }} № {{ documents.order_number }} "
        "для поддержки ОО предусмотрено:",
        keep=True,
    )
    b.tag("{%p for x in letter.body.support %}")
    b.p(
        '– {{ x.who }}: {{ x.what }} — {{ x.deadline }}{{ ";" if not loop.last else ("" if x.deadline.endswith(".") else ".") }}',
        "Перечень",
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")
    _last_year(b)
    b.tag("{%p if letter.body.fall %}")
    b.p(
        "Итоговый балл ОО за год снизился {{ letter.body.fall }}. Просим сообщить, с чем связано снижение "
        "(смена кадров, изменение контингента, ошибка в форме этого или прошлого года): это поможет "
        "определить, какая поддержка нужна ОО."
    )
    b.tag("{%p endif %}")
    b.p("")
    b.tag("{%p if not letter.body.strong %}")
    b.p(
        "Просим рассмотреть результаты мониторинга, принять управленческие решения по устранению выявленных "
        "дефицитов в указанные сроки и представить в {{ documents.report_to }} информацию о принятых решениях"
        "{% if letter.body.fall %} и о причинах снижения{% endif %} {{ documents.report_back }}. Выполнение мер "
        "будет оценено при следующем цикле мониторинга.",
        keep=True,
    )
    b.tag("{%p elif letter.body.fall %}")
    b.p(
        "Ответ о причинах снижения просим представить в {{ documents.report_to }} {{ documents.report_back }}.",
        keep=True,
    )
    b.tag("{%p endif %}")


def _last_year(b: Builder) -> None:
    b.tag("{%p if last_year and not last_year.new %}")
    b.p("Сравнение с {{ last_year.previous }}", "Heading 3")
    b.tag("{%p if last_year.link %}")
    b.p("{{ last_year.link }}.")
    b.tag("{%p endif %}")
    b.table(
        [
            Column("", 63),
            Column("{{ last_year.previous }}", 22, "right"),
            Column("{{ last_year.current }}", 22, "right"),
            Column("Изменение", 25, "right"),
            Column("Оценка", 33),
        ],
        [
            (
                "Итоговый балл",
                "{{ last_year.total.previous }}",
                "{{ last_year.total.current }}",
                "{{ last_year.total.change }}",
                "{{ last_year.total.trend }}",
            ),
            "{%tr for x in last_year.blocks %}",
            ("{{ x.title }}", "{{ x.previous }}", "{{ x.current }}", "{{ x.change }}", "{{ x.trend }}"),
            "{%tr endfor %}",
        ],
    )
    b.p(
        "{% if last_year.incomparable %}Итоговый балл, место и уровень с {{ last_year.previous }} не сравниваются: "
        "{{ last_year.incomparable }}.{% else %}Место в рейтинге: {{ last_year.place }}; уровень: {{ last_year.level }}.{% endif %}"
    )
    b.tag("{%p if last_year.closed %}")
    b.p(
        "– Устранены дефициты {{ last_year.previous }}: {% for x in last_year.closed %}{{ x.code }} "
        '{{ x.title }}{{ "; " if not loop.last else "." }}{% endfor %}',
        "Перечень",
    )
    b.tag("{%p endif %}")
    for key, title in (("persisting", "Сохраняются дефициты"), ("new_deficits", "Новые дефициты")):
        b.tag(f"{{%p if last_year.{key} %}}")
        b.p(
            f'– {title}: {{{{ last_year.{key}|map(attribute="code")|join(", ") }}}} (названия — в таблице выше).',
            "Перечень",
        )
        b.tag("{%p endif %}")
    b.tag("{%p endif %}")


def _missing(b: Builder) -> None:
    b.p(
        "Форма {{ documents.title_of }}{% if documents.period %} ({{ documents.period }}){% endif %} от "
        '{{ letter.name or "ОО" }} не поступила, поэтому ОО не включена в рейтинг, утверждённый приказом '
        "{{ documents.authority_of }} от {{ documents.order_date }} № {{ documents.order_number }}, и её "
        "результаты не оценены."
    )
    b.p(
        "Просим заполнить форму мониторинга и направить её {{ documents.send_to }} {{ documents.resend }}. "
        "По форме будут рассчитаны результаты ОО и направлены ей отдельным письмом; в утверждённый "
        "рейтинг ОО не включается.",
        keep=True,
    )


def _excluded(b: Builder) -> None:
    b.p(
        'Форма {{ letter.name or "ОО" }} (файл {{ letter.form }}), представленная для {{ documents.title_of }}'
        "{% if documents.period %} ({{ documents.period }}){% endif %}, {% if not letter.excluded %}проверена: "
        "ошибок в ней нет, но есть замечания — проверьте указанные ячейки.{% elif letter.validation %}проверена: "
        "в ней найдены ошибки, без исправления которых результаты ОО нельзя рассчитать и ОО нельзя включить "
        "в рейтинг.{% else %}не включена в рейтинг, утверждённый приказом {{ documents.authority_of }} от "
        "{{ documents.order_date }} № {{ documents.order_number }}: в ней найдены ошибки, без исправления "
        "которых результаты ОО нельзя рассчитать.{% endif %}"
    )
    b.table(
        [Column("Где в форме", 45), Column("Что найдено", 80), Column("Последствие", 40)],
        [
            "{%tr for pr in problems %}",
            (
                '{{ pr.place or "—" }}',
                "{{ pr.plain }}{% if not pr.error %} ({{ pr.severity }}){% endif %}",
                '{{ pr.consequence or "—" }}',
            ),
            "{%tr endfor %}",
        ],
        caption="Что найдено в форме",
    )
    b.p("")
    b.p(
        "{% if not letter.excluded %}Если данные верны, исправлять и присылать форму повторно не нужно; если "
        "нет — просим исправить их и направить форму повторно {{ documents.send_to }} {{ documents.resend }}."
        "{% else %}Просим исправить указанные ячейки и направить форму повторно {{ documents.send_to }} "
        "{{ documents.resend }}. {% if letter.validation %}После проверки исправленной формы ОО будет "
        "включена в рейтинг.{% else %}По исправленной форме будут рассчитаны результаты ОО и направлены ей "
        "отдельным письмом; в утверждённый рейтинг ОО не включается.{% endif %}{% endif %}",
        keep=True,
    )

"""authority_letter.docx, the letter to a municipal education authority in a regional run.

The blank as the letter to a school (ГОСТ Р 7.0.97: the regional authority, date and number on
the left, the addressee on the right), the heading «О результатах мониторинга … в …», the
greeting; then the municipality's figures and place with its interval, its total and blocks
against the region, the indicators on which it is notably below the region, targets not
reached, its schools in the risk zone, its system deficits with the recommended measures, and
what to report by when. Signature and исполнитель end it.
"""

from __future__ import annotations

from tools.wordgen.base import Builder, Column
from tools.wordgen.letter import blank


def build(b: Builder) -> None:
    blank(b)
    heading = b.p(
        "О результатах {{ documents.title_of }} {{ letter.of }}",
        "Заголовок к тексту",
    )
    heading.alignment = 0
    b.p("{{ letter.greeting }}", "Реквизит").paragraph_format.space_after = 6 * 12700
    b.p(
        "{{ documents.authority }} направляет результаты {{ documents.title_of }}"
        " {{ letter.of }}{% if documents.period %} ({{ documents.period }}){% endif %}. "
        "Все ОО региона оценены по единой шкале, поэтому результаты муниципалитета сопоставимы с региональными."
    )
    b.p("{{ letter.place|upperfirst }}.")
    b.p("{{ letter.municipality }} и регион: итоговый балл и блоки", "Heading 3")
    b.table(
        [
            Column("", 70),
            Column("{{ regional.word|upperfirst }}", 35, "right"),
            Column("Регион", 30, "right"),
            Column("Разница", 30, "right"),
        ],
        [
            "{%tr for x in letter.figures %}",
            (
                "{{ x.label }}",
                "{{ x.territory|num }}",
                "{{ x.whole|num }}",
                "{% if x.difference is none %}—{% else %}{{ x.difference|num }}{% endif %}",
            ),
            "{%tr endfor %}",
        ],
    )
    b.p("Оценки — из 100 (средние по оценённым ОО).", "Примечание")
    b.tag("{%p if letter.weak %}")
    b.p("Показатели ниже региона", "Heading 3")
    b.tag("{%p for w in letter.weak %}")
    b.p("– {{ w }}{{ ';' if not loop.last else '.' }}", "Перечень")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if letter.missed_targets %}")
    b.p(
        "Не достигнуты целевые значения (сводное значение по муниципалитету): {{ letter.missed_targets|join('; ') }}."
    )
    b.tag("{%p endif %}")
    b.p("Системные дефициты и рекомендуемые меры", "Heading 3")
    b.tag("{%p if letter.deficits %}")
    b.table(
        [Column("Показатель", 70), Column("Дефицит у", 25, "right"), Column("Рекомендуемая мера", 70)],
        [
            "{%tr for d in letter.deficits %}",
            ("{{ d.code }} {{ d.title }}", "{{ d.share }}", "{{ d.measure }}"),
            "{%tr endfor %}",
        ],
    )
    b.tag("{%p else %}")
    b.p("Системных дефицитов не выявлено.")
    b.tag("{%p endif %}")
    b.tag("{%p if letter.risk %}")
    b.p("ОО в зоне риска", "Heading 3")
    b.table(
        [
            Column("Место в регионе", 25, "right"),
            Column("ОО", 105),
            Column("Итог", 20, "right"),
            Column("Уровень", 15),
        ],
        [
            "{%tr for s in letter.risk %}",
            ("{{ s.place }}", "{{ s.name }} ({{ s.code }})", "{{ s.total|num }}", "{{ s.level }}"),
            "{%tr endfor %}",
        ],
    )
    b.tag("{%p endif %}")
    b.p("")
    b.p(
        "Просим рассмотреть результаты мониторинга, принять документально оформленные управленческие решения по "
        "устранению системных дефицитов и по сопровождению ОО зоны риска и представить в {{ documents.report_to }} "
        "информацию о принятых мерах {{ regional_report_back }}. Справка, проект приказа и письма ОО муниципалитета "
        "прилагаются; эффективность принятых мер будет оценена при следующем цикле мониторинга."
    )
    b.signature()
    b.executor()

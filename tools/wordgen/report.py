"""report.docx, the справка in Word: its title and sections 1–5 as the HTML справка has them.

The same view fields as report.html.j2 (see templates/README.md), in the same order, laid
out for paper: the appendix caption of the order on the first page, the title, the main
findings, basis and methods, participation, results by block, leaders and the risk zone.
Sections 6–9 and the robustness section are in :mod:`report_sections`, the appendices in
:mod:`report_appendices`.
"""

from __future__ import annotations

from tools.wordgen.base import Builder, Column, Span


def front(b: Builder) -> None:
    b.grif("documents.appendices.report")
    b.tag("{%p if monitoring.authority %}")
    b.p("{{ monitoring.authority }}", "Реквизит")
    b.tag("{%p endif %}")
    b.p("АНАЛИТИЧЕСКАЯ СПРАВКА", "Вид документа")
    b.p("по итогам {{ documents.title_of }} {{ documents.territory_of }}", "Заголовок к тексту")
    b.p(
        "{% if monitoring.period %}Период: {{ monitoring.period }}. {% endif %}Дата формирования: {{ run_date }}",
        "Реквизит",
    )
    b.heading("Основные выводы", 1)
    b.table(
        [Column("Показатель", 30, "right"), Column("", 135)],
        ["{%tr for k in kpis %}", ("**{{ k.value }}**", "{{ k.label }}"), "{%tr endfor %}"],
        header=False,
    )
    b.p("")
    b.tag("{%p for sentence in findings %}")
    b.p("{{ loop.index }}. {{ sentence }}")
    b.tag("{%p endfor %}")


def basis_and_method(b: Builder) -> None:
    b.heading("1. Основание и цель мониторинга", 1)
    b.tag("{%p if monitoring.basis %}")
    b.p("**Основание.** {{ monitoring.basis }}")
    b.tag("{%p endif %}")
    b.tag("{%p if monitoring.purpose %}")
    b.p("**Цель.** {{ monitoring.purpose }}")
    b.tag("{%p endif %}")
    b.p(
        "Мониторинг проведён по управленческому циклу: цели → показатели → сбор и обработка информации → "
        "мониторинг → анализ результатов → адресные рекомендации → управленческие решения → анализ "
        "эффективности принятых мер."
    )
    b.heading("2. Методика", 1)
    b.p(
        "Сбор информации — самообследование ОО по единой форме с указанием подтверждающих документов. "
        'Показатели сгруппированы в {{ plural(top_blocks|length, "блок", "блока", "блоков") }}. Каждый '
        "показатель переводится в баллы по шкале, затем в оценку 0–100 (баллы / максимум × 100). "
        "Итоговый балл ОО — {{ total_aggregation }} оценок блоков (0–100)."
    )
    b.p(
        'Уровни по итоговому баллу: {% for l in levels %}«{{ l.label }}» — от {{ l.lower|pts }} до {{ l.upper|pts }}{{ "; " if not loop.last else "." }}{% endfor %} '
        "Критический показатель (★) с 0 баллов означает уровень «{{ critical_label }}» по своему блоку "
        "независимо от итогового балла."
    )
    b.p("**Дефициты.** {{ rules.deficit }} {{ rules.system }}")
    b.p('**Ошибки в формах.** {{ rules.errors|join(" ") }}')
    b.p(
        "Места в рейтинге: {{ ties_text }}.{% if group_fields %} Места определяются также внутри групп: "
        '{% for g in group_fields %}«{{ g.label }}»{{ ", " if not loop.last }}{% endfor %}.{% endif %}'
    )
    b.table(
        [
            Column("Код", 18),
            Column("Показатель", 62),
            Column("Шкала баллов", 55),
            Column("Макс.", 15, "right"),
            Column("Вес", 15, "right"),
        ],
        [
            "{%tr for blk in method %}",
            Span(
                "**{{ blk.id }}. {{ blk.title }}** — вес {{ blk.weight|pct }}{% if blk.depth %} (в итоге "
                "{{ blk.weight_total|pct }}){% endif %}; {{ blk.aggregation }}; максимум {{ blk.max_points|pts }} б."
            ),
            "{%tr for i in blk.indicators %}",
            (
                "{{ i.code }}{% if i.critical %} ★{% endif %}",
                "{{ i.title }}{% if i.target is not none %} (цель {{ i.target|pts }}{% if i.unit %} {{ i.unit }}{% endif %})"
                '{% endif %}{% if i.direction != "больше — лучше" %} ({{ i.direction }}){% endif %}',
                "{{ i.scale }}",
                "{{ i.max_points|pts }}",
                "{{ i.weight|pct }}",
            ),
            "{%tr endfor %}",
            "{%tr endfor %}",
        ],
        caption="Таблица 1 — Показатели, шкалы баллов и веса",
    )
    b.p("★ — критический показатель.", "Примечание")


def participation(b: Builder) -> None:
    b.heading("3. Участие в мониторинге", 1)
    b.table(
        [Column("", 120), Column("Число ОО", 30, "right")],
        [
            "{%tr if participation.expected %}",
            ("Ожидалось (по реестру)", "{{ participation.expected|int }}"),
            "{%tr endif %}",
            ("Представили формы", "{{ participation.submitted|int }}"),
            ("Включены в рейтинг", "{{ participation.ranked|int }}"),
            ("Исключены из рейтинга", "{{ participation.excluded|length }}"),
            ("Не представили формы", "{{ participation.not_submitted|length }}"),
        ],
        width=150,
    )
    b.tag("{%p if participation.excluded %}")
    b.table(
        [Column("Код", 18), Column("ОО", 55), Column("Файл", 32), Column("Причина", 60)],
        [
            "{%tr for e in participation.excluded %}",
            ('{{ e.code or "—" }}', '{{ e.name or "—" }}', "{{ e.file }}", '{{ e.reasons|join("; ") }}'),
            "{%tr endfor %}",
        ],
        caption="Исключены из рейтинга до исправления формы (что исправить — в письме ОО)",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if participation.not_submitted %}")
    b.table(
        [Column("Код", 25), Column("ОО", 140)],
        ["{%tr for s in participation.not_submitted %}", ("{{ s.code }}", "{{ s.name }}"), "{%tr endfor %}"],
        caption="Не представили формы",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if participation.skipped %}")
    b.table(
        [Column("Файл", 60), Column("Причина", 105)],
        ["{%tr for s in participation.skipped %}", ("{{ s.file }}", "{{ s.reason }}"), "{%tr endfor %}"],
        caption="Файлы, не принятые к обработке",
    )
    b.tag("{%p endif %}")


def blocks(b: Builder) -> None:
    b.heading("4. Результаты по блокам", 1)
    b.p(
        "Итоговый балл: среднее **{{ total.mean|num }}**, медиана **{{ total.median|num }}**, от "
        "{{ total.min|num }} до {{ total.max|num }} (1-й–3-й квартили: {{ total.q1|num }}–{{ total.q3|num }})."
    )
    b.picture("chart_total", "Распределение ОО по итоговому баллу; фон — уровни")
    b.table(
        [Column("Уровень", 60), Column("Число ОО", 30, "right"), Column("Доля", 30, "right")],
        [
            "{%tr for row in level_rows %}",
            ("{{ row.label }}", "{{ row.count|int }}", "{{ row.share|share }}"),
            "{%tr endfor %}",
        ],
        width=120,
    )
    b.picture("chart_blocks", "Оценки блоков {{ territory.by }}")
    b.table(
        [
            Column("Блок", 46),
            Column("Среднее", 15, "right"),
            Column("Медиана", 15, "right"),
            Column("Мин.", 13, "right"),
            Column("Макс.", 13, "right"),
            Column(
                "{{ row.label }}", 15, "right", loop="for c in blk.levels", head_loop="for row in level_rows"
            ),
            Column("{{ critical_label }}", 18, "right"),
        ],
        [
            "{%tr for blk in block_rows %}",
            (
                '{{ "— " * blk.depth }}{{ blk.title }}',
                "{{ blk.stats.mean|num }}",
                "{{ blk.stats.median|num }}",
                "{{ blk.stats.min|num }}",
                "{{ blk.stats.max|num }}",
                "{{ c|int }}",
                "{{ blk.below_base|int }}",
            ),
            "{%tr endfor %}",
        ],
        caption="Таблица 2 — Оценки блоков (0–100) и число ОО по уровням",
    )
    b.tag("{%p for note in block_notes %}")
    b.p("{{ note.id }}. {{ note.title }}", "Heading 3")
    b.p('{{ note.sentences|join(" ") }}')
    b.tag("{%p endfor %}")
    b.p("Показатели {{ territory.by }}", "Heading 2")
    b.p(
        "Для долей — сводное значение {{ territory.by }}: сумма числителей / сумма знаменателей по всем ОО "
        "(а не среднее процентов школ); рядом — медиана долей по ОО. Для «да/нет» — доля ответивших «да», "
        "для выбора вариантов и экспертных оценок — средний балл, для остальных — медиана по ОО.",
        "Примечание",
    )
    b.table(
        [
            Column("Код", 16),
            Column("Показатель", 78),
            Column("{{ territory.by|upperfirst }}", 25, "right"),
            Column("Медиана долей ОО", 20, "right"),
            Column("ОО с дефицитом", 26, "right"),
        ],
        [
            "{%tr for i in indicator_rows %}",
            (
                "{{ i.code }}",
                "{{ i.title }}",
                "{{ i.district }}",
                "{% if i.median is not none %}{{ i.median|pct }}{% endif %}",
                "{{ i.deficit_share|share }}{% if i.system %} (системный){% endif %}",
            ),
            "{%tr endfor %}",
        ],
        caption="Таблица 3 — Показатели {{ territory.by }}",
    )
    b.tag("{%p if group_rows %}")
    b.p("Сравнение групп ОО", "Heading 2")
    b.table(
        [
            Column("Группа", 25),
            Column("Значение", 35),
            Column("Число ОО", 15, "right"),
            Column("Средний итоговый балл", 20, "right"),
            Column("Медиана", 17, "right"),
            Column(
                "{{ tb.id }}", 14, "right", loop="for m in g.block_means", head_loop="for tb in top_blocks"
            ),
        ],
        [
            "{%tr for g in group_rows %}",
            (
                "{{ g.field }}",
                "{{ g.value }}",
                "{{ g.count|int }}",
                "{{ g.mean|num }}",
                "{{ g.median|num }}",
                "{{ m|num }}",
            ),
            "{%tr endfor %}",
        ],
        caption="Таблица 4 — Итоговый балл и средние оценки блоков по группам ОО",
    )
    b.p(
        '{% for tb in top_blocks %}{{ tb.id }} — {{ tb.title }}{{ "; " if not loop.last else "." }}{% endfor %} '
        "Средние оценки блоков — из 100.",
        "Примечание",
    )
    b.tag("{%p endif %}")


def leaders(b: Builder) -> None:
    b.heading("5. Лидеры и зона риска", 1)
    b.p(
        'Лидеры (первые {{ top_share|pts }} % рейтинга, {{ plural(leaders_count, "ОО", "ОО", "ОО") }})',
        "Heading 2",
    )
    b.table(
        [Column("Место", 15, "right"), Column("ОО", 105), Column("Итог", 18, "right"), Column("Уровень", 27)],
        [
            "{%tr for r in leaders %}",
            ("{{ r.place }}", "{{ r.name }} ({{ r.code }})", "{{ r.total|num }}", "{{ r.level }}"),
            "{%tr endfor %}",
        ],
    )
    b.tag("{%p if leaders_count > leaders|length %}")
    b.p(
        "Названы первые {{ leaders|length }} из {{ leaders_count|int }}; все лидеры — в начале рейтинга "
        "(приложение 2 к приказу).",
        "Примечание",
    )
    b.tag("{%p endif %}")
    b.p('Зона риска ({{ plural(risk_count, "ОО", "ОО", "ОО") }})', "Heading 2")
    b.p(
        "В зоне риска ОО с уровнем «{{ levels[0].label }}» или с уровнем «{{ critical_label }}» хотя бы по "
        "одному блоку (критический показатель оценён в 0 баллов). Список — от самых слабых.",
        "Примечание",
    )
    b.tag("{%p if risk %}")
    b.table(
        [Column("Место", 15, "right"), Column("ОО", 80), Column("Итог", 18, "right"), Column("Причина", 52)],
        [
            "{%tr for r in risk %}",
            (
                "{{ r.place }}",
                "{{ r.name }} ({{ r.code }})",
                "{{ r.total|num }}",
                '{{ r.risk_reasons|join("; ") }}',
            ),
            "{%tr endfor %}",
        ],
    )
    b.tag("{%p else %}")
    b.p("ОО в зоне риска нет.")
    b.tag("{%p endif %}")
    b.tag("{%p if risk_count > risk|length %}")
    b.p(
        "Названы {{ risk|length }} самых слабых из {{ risk_count|int }}; все ОО зоны риска, с их "
        "рекомендациями, — в приложении 3 к приказу.",
        "Примечание",
    )
    b.tag("{%p endif %}")

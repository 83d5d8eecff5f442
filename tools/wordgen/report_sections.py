"""report.docx, sections 6–8 and «Устойчивость мест»: targets, system deficits and management
decisions, addressed recommendations, rank robustness — as report.html.j2 and its partials."""

from __future__ import annotations

from tools.wordgen.base import Builder, Column


def robustness(b: Builder) -> None:
    """«Устойчивость мест» (after section 5, as in the HTML): only when the analysis ran or tried to."""
    b.tag("{%p if robustness %}")
    b.heading("Устойчивость мест", 1)
    b.tag("{%p if robustness.ran %}")
    b.p(
        "Места зависят от решений, принятых в методике: весов показателей и блоков и способа свёртки оценок. "
        "Чтобы проверить, выдерживают ли места разумное изменение этих решений, рейтинг пересчитан "
        '{{ plural(robustness.runs, "раз", "раза", "раз") }}: в каждом пересчёте случайно изменены '
        "{{ robustness.noise }}; {{ robustness.schemes }}."
    )
    b.p(
        "В среднем место ОО отличается от места в рейтинге на **{{ robustness.mean_shift|num(2) }}**. У "
        "{{ robustness.stable_count|int }} из {{ robustness.schools|int }} ОО место не менялось по крайней "
        "мере в 90 % пересчётов."
    )
    b.tag("{%p if robustness.groups %}")
    b.p(
        "**{{ robustness.groups_sentence }}.** Разница в баллах между такими ОО меньше, чем неопределённость "
        "самой методики: их порядок не стоит использовать для поощрений и выводов о лучших и худших."
    )
    b.tag("{%p else %}")
    b.p(
        "Все соседние места различимы: каждая ОО оказывалась выше следующей за ней группы по крайней мере в "
        "{{ robustness.distinct_share|pts }} % пересчётов."
    )
    b.tag("{%p endif %}")
    b.p(
        "Группа неразличимых мест начинается с ОО и включает следующие за ней ОО, которые она опережала менее "
        "чем в {{ robustness.distinct_share|pts }} % пересчётов. Интервал — места ОО в средних 90 % "
        "пересчётов (от 5-го до 95-го процентиля), округлённые наружу до целых.",
        "Примечание",
    )
    b.picture(
        "chart_places",
        "Места ОО в пересчётах: полоса — 90 % пересчётов, ◆ — медиана, ● — место в рейтинге",
    )
    b.table(
        [
            Column("Место", 15, "right"),
            Column("ОО", 80),
            Column("Медиана мест", 22, "right"),
            Column("Места в 90 % пересчётов", 24, "right"),
            Column("Неразличимые места", 24, "right"),
        ],
        [
            "{%tr for r in robustness.rows %}",
            (
                "{{ r.range.place }}",
                "{{ r.name }} ({{ r.code }})",
                "{{ r.range.median|pts }}",
                "{{ r.range.text }}",
                '{{ r.range.group or "—" }}',
            ),
            "{%tr endfor %}",
        ],
    )
    b.tag("{%p if robustness.rows_count > robustness.rows|length %}")
    b.p(
        "Показаны первые {{ robustness.rows|length }} из {{ robustness.rows_count|int }}; все ОО — в "
        "ranking.xlsx, лист «Устойчивость мест», и в карточках ОО.",
        "Примечание",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if robustness.effects %}")
    b.p("Что сильнее всего меняет места", "Heading 2")
    b.p("{{ robustness.main_effect }}")
    b.table(
        [
            Column("Источник неопределённости", 75),
            Column("Сам по себе", 45, "right"),
            Column("Вместе с совместным действием", 45, "right"),
        ],
        [
            "{%tr for e in robustness.effects %}",
            (
                "{{ e.input }}",
                "{{ e.first_order|share }} ({{ e.first_order_bounds }})",
                "{{ e.total|share }} ({{ e.total_bounds }})",
            ),
            "{%tr endfor %}",
        ],
    )
    b.p(
        "Доли разброса среднего смещения мест (индексы чувствительности Соболя первого порядка и полные) по "
        '{{ plural(robustness.effects_runs, "пересчёту", "пересчётам", "пересчётам") }}; в скобках — '
        "границы 5–95 % по бутстрэпу: чем их больше, тем точнее оценка. Полные доли в сумме больше 100 %, "
        "когда источники действуют совместно.",
        "Примечание",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if robustness.removals %}")
    b.p("Если исключить один показатель", "Heading 2")
    b.p("{{ robustness.removal_sentence }}")
    b.table(
        [
            Column("Показатель", 55),
            Column("Наибольшее смещение, мест", 22, "right"),
            Column("ОО и её место: в рейтинге → без показателя", 48),
            Column("Среднее смещение", 20, "right"),
            Column("Сдвинулось ОО", 20, "right"),
        ],
        [
            "{%tr for r in robustness.removals %}",
            (
                "{{ r.code }} {{ r.title }}",
                "{{ r.max_shift }}",
                "{% if r.school %}{{ r.school }}: {{ r.place_from }} → {{ r.place_to }}{% else %}—{% endif %}",
                "{{ r.mean_shift|num(2) }}",
                "{{ r.moved|int }}",
            ),
            "{%tr endfor %}",
        ],
    )
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")
    b.tag("{%p for note in robustness.notes %}")
    b.p("**Внимание:** {{ note }}", "Примечание")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")


def targets(b: Builder) -> None:
    b.heading("6. Достижение целевых показателей", 1)
    b.tag("{%p for g in targets %}")
    b.p("{{ g.code }}. {{ g.title }}", "Heading 2")
    b.p(
        "Цель — {{ g.target_text }}. {{ g.district_heading }}{% if g.district_note %} ({{ g.district_note }}){% endif %}: "
        "**{{ g.district_text }}** — {% if g.meets %}цель достигнута{% else %}цель не достигнута{% endif %}. "
        "Среднее по ОО — {{ g.mean_text }}, медиана — {{ g.median_text }}. Цели достигли "
        "**{{ g.reached_count|int }}** ОО из {{ g.counted|int }} ({{ g.target_share|share }})."
    )
    b.tag("{%p if g.explanation %}")
    b.p("{{ g.explanation }}")
    b.tag("{%p endif %}")
    b.tag("{%p if g.code in chart_targets %}")
    b.p("{{ chart_targets[g.code] }}", "Рисунок")
    b.caption("{{ g.code }}: значения ОО и цель ({{ g.target_text }})")
    b.tag("{%p endif %}")
    b.tag("{%p if g.missed %}")
    b.p(
        "**Не достигли цели ({{ g.missed_count|int }}){% if g.missed_more %}, самые далёкие от неё{% endif %}:** "
        '{% for e in g.missed %}{{ e.row.name }} ({{ e.row.code }}) — {{ e.text }}{{ "; " if not loop.last }}{% endfor %}'
        '{% if g.missed_more %}; и ещё {{ plural(g.missed_more, "ОО", "ОО", "ОО") }} — у каждой из них дефицит '
        "{{ g.code }}, все они со значениями в приложении 3 к приказу{% endif %}."
    )
    b.tag("{%p endif %}")
    b.tag("{%p if g.reached %}")
    b.p(
        "**Достигли цели ({{ g.reached_count|int }}):** "
        '{% for e in g.reached %}{{ e.row.name }} ({{ e.row.code }}) — {{ e.text }}{{ "; " if not loop.last }}{% endfor %}'
        '{% if g.reached_more %}; и ещё {{ plural(g.reached_more, "ОО", "ОО", "ОО") }} (значения всех ОО — в '
        "ranking.xlsx, лист «Значения»){% endif %}."
    )
    b.tag("{%p endif %}")
    b.tag("{%p else %}")
    b.p("Целевые значения в перечне показателей не заданы.")
    b.tag("{%p endfor %}")


def deficits(b: Builder) -> None:
    b.heading("7. Системные дефициты и управленческие решения", 1)
    b.p("{{ rules.system }}")
    b.tag("{%p if system_deficits %}")
    b.table(
        [
            Column("Код", 18),
            Column("Показатель", 62),
            Column("ОО с дефицитом", 25, "right"),
            Column("Мера {{ territory.of }}", 60),
        ],
        [
            "{%tr for d in system_deficits %}",
            (
                "{{ d.code }}",
                "{{ d.title }}{% if d.note %} ({{ d.note }}){% endif %}",
                "{{ d.count|int }} ({{ d.share|share }})",
                "{{ d.decision }}",
            ),
            "{%tr endfor %}",
        ],
        caption="Системные дефициты",
    )
    b.tag("{%p else %}")
    b.p("Системных дефицитов не выявлено.")
    b.tag("{%p endif %}")
    b.p("Предлагаемые управленческие решения", "Heading 2")
    b.table(
        [
            Column("№", 9, "right"),
            Column("Решение", 64),
            Column("Исполнитель", 32),
            Column("Срок", 25),
            Column("Основание", 35),
        ],
        [
            "{%tr for d in decisions %}",
            ("{{ loop.index }}", "{{ d.text }}", "{{ d.addressee }}", "{{ d.deadline }}", "{{ d.basis }}"),
            "{%tr endfor %}",
        ],
    )


def recommendations(b: Builder) -> None:
    b.heading("8. Адресные рекомендации", 1)
    b.p(
        'Рекомендации адресованы {{ plural(recommendations_count, "ОО", "ОО", "ОО") }}: ОО зоны риска и ОО с '
        "дефицитами, от самых слабых.{% if recommendations_appendix %} Ниже — {{ recommendations_body|length }} "
        "самых слабых; все {{ recommendations_count|int }} — в приложении 3 к приказу.{% endif %} Каждой ОО "
        "направлено письмо с её результатами и рекомендациями."
    )
    b.tag("{%p for rec in recommendations_body %}")
    b.p("{{ rec.school.name }} ({{ rec.school.code }}, место {{ rec.school.place }})", "Heading 3")
    b.p("{{ rec.school.summary|upperfirst }}.")
    b.tag("{%p for d in rec.deficits %}")
    b.p(
        "– **{{ d.code }}** {{ d.title }} — {{ d.value }}, {{ d.points|pts }} из {{ d.max_points|pts }} б."
        "{% if d.measure %} Мера: {{ d.measure|lowerfirst }}{% endif %}",
        "Перечень",
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endfor %}")

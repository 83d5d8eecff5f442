"""report.docx, section 9 «Динамика и эффективность принятых мер» (with ``--previous``), as
_dynamics.html.j2: the summary, what changed in the методика, the district by year with
its chart, targets by year, each indicator's change, the effect of last year's
recommendations, and the schools' changes."""

from __future__ import annotations

from tools.wordgen.base import Builder, Column


def dynamics(b: Builder) -> None:
    b.tag("{%p if dynamics %}")
    b.heading("9. Динамика и эффективность принятых мер", 1)
    _summary(b)
    _method(b)
    _district(b)
    _indicators(b)
    _effect(b)
    _schools(b)
    b.tag("{%p endif %}")


def _summary(b: Builder) -> None:
    b.p(
        "Результаты за {{ dynamics.years[-1] }} сравниваются с результатами за {{ dynamics.years[-2] }}"
        '{% if dynamics.years|length > 2 %}; ряды по району — за {{ plural(dynamics.years|length, "год", "года", "лет") }} '
        '({{ dynamics.years|join(", ") }}){% endif %}. Изменение меньше порога существенности (итоговый балл и '
        "блоки — {{ dynamics.min_change|pts }} б., доли и проценты — {{ dynamics.min_change|pts }} п. п., "
        "количества — {{ dynamics.min_relative_change|pts }} % прошлогоднего значения) называется «без "
        "существенных изменений»: оно не считается ни ростом, ни снижением и не ранжируется."
    )
    b.tag("{%p for row in dynamics.district[:1] %}")
    b.p(
        "– {{ row.title }}: {% if dynamics.comparable_total %}{{ row.cells[-2].text }} → **{{ row.cells[-1].text }}** "
        "({{ row.change }}, {{ row.trend }}){% else %}несопоставим с {{ dynamics.years[-2] }} — изменилась методика "
        "(см. ниже){% endif %}.",
        "Перечень",
    )
    b.tag("{%p endfor %}")
    b.tag("{%p if dynamics.effect_total.recommended %}")
    b.p(
        "– Дефициты, выявленные в {{ dynamics.years[-2] }}: устранены {{ dynamics.effect_total.closed|int }} из "
        "{{ dynamics.effect_total.recommended|int }} ({{ dynamics.effect_share|share }}), сохраняются "
        "{{ dynamics.effect_total.persisting|int }}; новых дефицитов — {{ dynamics.effect_total.new|int }}.",
        "Перечень",
    )
    b.tag("{%p endif %}")
    b.tag("{%p for t in dynamics.targets %}")
    b.p(
        '– {{ t.code }}: {% for c in t.cells %}{{ dynamics.years[loop.index0] }} — {{ c.text }}{{ "; " if not loop.last }}'
        "{% endfor %} — {{ t.verdict }}.",
        "Перечень",
    )
    b.tag("{%p endfor %}")
    b.tag("{%p if dynamics.comparable_total %}")
    b.p(
        "– Итоговый балл вырос существенно у {{ dynamics.improved_count|int }} ОО, снизился у "
        "{{ dynamics.declined_count|int }}, без существенных изменений — {{ dynamics.stable|int }} (из "
        "{{ dynamics.compared|int }} ОО, участвовавших в оба года).",
        "Перечень",
    )
    b.tag("{%p endif %}")


def _method(b: Builder) -> None:
    b.tag("{%p if dynamics.added or dynamics.removed or dynamics.changed %}")
    b.p("Что изменилось в методике", "Heading 2")
    b.tag("{%p for code, title in dynamics.added %}")
    b.p("– {{ code }} {{ title }} — новый показатель (в {{ dynamics.years[-2] }} не измерялся).", "Перечень")
    b.tag("{%p endfor %}")
    b.tag("{%p for code, title in dynamics.removed %}")
    b.p("– {{ code }} {{ title }} — показатель исключён.", "Перечень")
    b.tag("{%p endfor %}")
    b.tag("{%p for code, title, reasons in dynamics.changed %}")
    b.p("– {{ code }} {{ title }} — {{ reasons }}.", "Перечень")
    b.tag("{%p endfor %}")
    b.tag("{%p if dynamics.blocks_incomparable %}")
    b.p(
        'Поэтому несопоставимы с {{ dynamics.years[-2] }} оценки блоков: {% for x in dynamics.blocks_incomparable %}«{{ x }}»{{ ", " if not loop.last }}'
        "{% endfor %}{% if not dynamics.comparable_total %}, а также итоговый балл, места и уровни ОО{% endif %}. "
        "Сравниваются значения показателей и то, что осталось сопоставимым."
    )
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")


def _district(b: Builder) -> None:
    b.p("Район по годам", "Heading 2")
    b.picture(
        "chart_trend_blocks",
        "Средний итоговый балл и средние оценки блоков по годам; разрыв линии — методика изменилась",
    )
    b.table(
        [
            Column("", 60),
            Column("{{ y }}", 22, "right", loop="for c in row.cells", head_loop="for y in dynamics.years"),
            Column("Изменение за год", 22, "right"),
            Column("Оценка", 28),
        ],
        [
            "{%tr for row in dynamics.district %}",
            (
                "{{ row.title }}",
                "{% if c.breaks %}‖ {% endif %}{{ c.text }}",
                "{{ row.change }}",
                "{{ row.trend }}",
            ),
            "{%tr endfor %}",
        ],
    )
    b.p("Знак ‖ — год несопоставим с предыдущим (изменилась методика).", "Примечание")
    b.tag("{%p if dynamics.levels %}")
    b.table(
        [
            Column("Уровень", 50),
            Column("{{ dynamics.years[-2] }}", 30, "right"),
            Column("{{ dynamics.years[-1] }}", 30, "right"),
            Column("Изменение", 30, "right"),
        ],
        [
            "{%tr for l in dynamics.levels %}",
            ("{{ l.label }}", "{{ l.previous|int }}", "{{ l.current|int }}", "{{ l.change }}"),
            "{%tr endfor %}",
        ],
        width=140,
    )
    b.p(
        "Из ОО, участвовавших в оба года: перешли на уровень выше — {{ dynamics.level_moves.up|int }}, ниже — "
        "{{ dynamics.level_moves.down|int }}, остались на том же уровне — {{ dynamics.level_moves.same|int }}."
    )
    b.tag("{%p endif %}")
    b.tag("{%p if dynamics.targets %}")
    b.p("Целевые показатели по годам", "Heading 2")
    b.table(
        [
            Column("Показатель", 60),
            Column("{{ y }}", 28, "right", loop="for c in t.cells", head_loop="for y in dynamics.years"),
            Column("Итог", 40),
        ],
        [
            "{%tr for t in dynamics.targets %}",
            (
                "{{ t.code }} {{ t.title }}",
                "{% if c.breaks %}‖ {% endif %}{{ c.text }}{% if t.targets[loop.index0] is not none %} (цель "
                "{{ t.targets[loop.index0]|pts }}{% if t.met[loop.index0] %}, достигнута{% endif %}){% endif %}",
                "{{ t.verdict }}",
            ),
            "{%tr endfor %}",
        ],
    )
    b.picture("chart_trend_targets", "Значение по району (линия) и цель (пунктир) по годам")
    b.tag("{%p endif %}")


def _indicators(b: Builder) -> None:
    b.p("Показатели: {{ dynamics.years[-2] }} и {{ dynamics.years[-1] }}", "Heading 2")
    b.p(
        "По району: для долей — сводное значение (сумма числителей / сумма знаменателей), для остальных — "
        "среднее по ОО; «да/нет» — доля ответивших «да». Изменение долей — в процентных пунктах (п. п.).",
        "Примечание",
    )
    b.table(
        [
            Column("Код", 14),
            Column("Показатель", 46),
            Column("{{ dynamics.years[-2] }}", 20, "right"),
            Column("{{ dynamics.years[-1] }}", 20, "right"),
            Column("Изменение", 19, "right"),
            Column("Оценка", 25),
            Column("ОО с дефицитом", 21, "right"),
        ],
        [
            "{%tr for i in dynamics.indicators %}",
            (
                "{{ i.code }}",
                "{{ i.title }}{% if i.note %} ({{ i.note }}){% endif %}",
                "{{ i.previous }}",
                "{{ i.current }}",
                "{{ i.change }}",
                "{{ i.trend }}",
                "{{ i.deficits }}",
            ),
            "{%tr endfor %}",
        ],
    )


def _effect(b: Builder) -> None:
    b.p("Эффективность адресных рекомендаций", "Heading 2")
    b.tag("{%p if dynamics.deficit_rule_changed %}")
    b.p(
        "Правило дефицита изменилось по сравнению с {{ dynamics.years[-2] }}, поэтому дефициты прошлого года с "
        "нынешними не сравниваются{% if dynamics.effect %}, кроме показателей со своим неизменным правилом{% endif %}."
    )
    b.tag("{%p elif dynamics.deficits_incomparable %}")
    b.p(
        "Не сравниваются дефициты показателей, у которых изменились баллы или правило дефицита: "
        '{{ dynamics.deficits_incomparable|join(", ") }}.',
        "Примечание",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if dynamics.effect %}")
    b.p(
        "Для каждого показателя: скольким ОО в {{ dynamics.years[-2] }} был выявлен дефицит и рекомендована мера "
        "(из участвующих в оба года), у скольких дефицит устранён и у скольких сохраняется, у скольких появился впервые."
    )
    b.table(
        [
            Column("Код", 14),
            Column("Показатель", 46),
            Column("Был дефицит", 18, "right"),
            Column("Устранён", 22, "right"),
            Column("Сохраняется", 21, "right"),
            Column("Новый", 14, "right"),
            Column("Системный дефицит", 30),
        ],
        [
            "{%tr for e in dynamics.effect %}",
            (
                "{{ e.code }}",
                "{{ e.title }}",
                "{{ e.recommended|int }}",
                "{{ e.closed|int }}{% if e.closed_share is not none %} ({{ e.closed_share|share }}){% endif %}",
                "{{ e.persisting|int }}",
                "{{ e.new|int }}",
                "{{ e.system }}",
            ),
            "{%tr endfor %}",
            (
                "",
                "**Всего**",
                "**{{ dynamics.effect_total.recommended|int }}**",
                "**{{ dynamics.effect_total.closed|int }}{% if dynamics.effect_share is not none %} ({{ dynamics.effect_share|share }}){% endif %}**",
                "**{{ dynamics.effect_total.persisting|int }}**",
                "**{{ dynamics.effect_total.new|int }}**",
                "",
            ),
        ],
    )
    b.tag("{%p elif not dynamics.deficit_rule_changed %}")
    b.p("Сопоставимых дефицитов в {{ dynamics.years[-2] }} не было.")
    b.tag("{%p endif %}")


def _schools(b: Builder) -> None:
    b.p("Изменения по ОО", "Heading 2")
    b.tag("{%p if dynamics.comparable_total %}")
    for name, title in (
        ("improved", "Наибольший рост итогового балла"),
        ("declined", "Снижение итогового балла"),
    ):
        b.tag(f"{{%p if dynamics.{name} %}}")
        b.p(
            f"**{title}** ({{% if dynamics.{name}_count > dynamics.{name}|length %}}первые {{{{ dynamics.{name}|length }}}} "
            f"из {{{{ dynamics.{name}_count|int }}}}{{% else %}}{{{{ dynamics.{name}_count|int }}}} ОО{{% endif %}}):",
            keep=True,
        )
        b.table(
            [
                Column("ОО", 75),
                Column("{{ dynamics.years[-2] }}", 22, "right"),
                Column("{{ dynamics.years[-1] }}", 22, "right"),
                Column("Изменение", 24, "right"),
                Column("Место", 22, "right"),
            ],
            [
                f"{{%tr for m in dynamics.{name} %}}",
                (
                    "{{ m.row.name }} ({{ m.row.code }})",
                    "{{ m.previous|num }}",
                    "{{ m.row.total|num }}",
                    "{{ m.change }}",
                    "{{ m.place }}",
                ),
                "{%tr endfor %}",
            ],
        )
        b.tag("{%p endif %}")
    b.p(
        "Без существенных изменений итогового балла (изменение меньше {{ dynamics.min_change|pts }} б.): "
        "{{ dynamics.stable|int }} ОО. Полный список — в ranking.xlsx, лист «Динамика», и в письмах ОО."
    )
    b.tag("{%p else %}")
    b.p(
        "Итоговые баллы и места несопоставимы с {{ dynamics.years[-2] }}; изменения значений показателей по "
        "каждой ОО — в ranking.xlsx, лист «Динамика»."
    )
    b.tag("{%p endif %}")
    b.tag("{%p if dynamics.links %}")
    b.p("**Сменили код или объединены** (по таблице соответствия кодов):", keep=True)
    b.tag("{%p for l in dynamics.links %}")
    b.p("– {{ l.row.name }} ({{ l.row.code }}) — {{ l.text }}", "Перечень")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if dynamics.new_schools %}")
    b.p(
        "**Нет в рейтинге {{ dynamics.years[-2] }}** ({{ dynamics.new_schools|length }}): "
        '{% for r in dynamics.new_schools %}{{ r.name }} ({{ r.code }}){{ ", " if not loop.last else "." }}{% endfor %}'
    )
    b.tag("{%p endif %}")
    b.tag("{%p if dynamics.gone_schools %}")
    b.p(
        "**Были в рейтинге {{ dynamics.years[-2] }}, нет в рейтинге этого года** ({{ dynamics.gone_schools|length }}):",
        keep=True,
    )
    b.tag("{%p for g in dynamics.gone_schools %}")
    b.p("– {{ g.name }} ({{ g.code }}) — {{ g.reason }}", "Перечень")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if dynamics.unused_map %}")
    b.p(
        'Строки таблицы соответствия кодов, не совпавшие ни с одной ОО: {{ dynamics.unused_map|join("; ") }}.',
        "Примечание",
    )
    b.tag("{%p endif %}")

"""report.docx after the body: the signature, then the appendices, each on a new page with its
caption — the ranking of every school (landscape), every school's addressed recommendations
(appendices 2 and 3 to the order), data quality and the audit of the indicator set (the
справка's own appendices 1 and 2)."""

from __future__ import annotations

from tools.wordgen.base import LANDSCAPE_WIDTH_MM, Builder, Column


def closing(b: Builder) -> None:
    b.signature()
    b.executor()


def ranking(b: Builder) -> None:
    b.section(landscape=True)
    b.grif("documents.appendices.ranking", landscape=True)
    b.p("Рейтинг общеобразовательных организаций", "Заголовок к тексту")
    b.tag("{%p if not print_all %}")
    b.p(
        "Рейтинг из {{ ranking|length|int }} ОО слишком велик для документа: ниже — первые {{ page_size }}; "
        "полный рейтинг — в файле ranking.xlsx.",
        "Примечание",
    )
    b.tag("{%p endif %}")
    b.table(
        [
            Column("Место", 14, "right"),
            Column("Код", 16),
            Column("ОО", 66),
            Column("Итог", 14, "right"),
            Column("Уровень", 20),
            Column("{{ tb.id }}", 14, "right", loop="for s in r.blocks", head_loop="for tb in top_blocks"),
            Column("{{ g.label }}", 25, loop="for gv in r.groups", head_loop="for g in group_fields"),
            Column(
                "Место в группе «{{ g.label }}»",
                18,
                "right",
                loop="for gp in r.group_places",
                head_loop="for g in group_fields",
            ),
        ],
        [
            "{%tr for r in (ranking if print_all else ranking[:page_size]) %}",
            (
                "{{ r.place }}",
                "{{ r.code }}",
                "{{ r.name }}{% if r.below_base %} ▼{% endif %}",
                "{{ r.total|num }}",
                "{{ r.level }}",
                "{{ s|num }}",
                '{{ gv or "—" }}',
                '{{ gp or "—" }}',
            ),
            "{%tr endfor %}",
        ],
        width=LANDSCAPE_WIDTH_MM,
    )
    b.p(
        '{% for tb in top_blocks %}{{ tb.id }} — {{ tb.title }}{{ "; " if not loop.last else "." }}{% endfor %} '
        "Оценки блоков — из 100. ▼ — уровень «{{ critical_label }}» хотя бы по одному блоку.",
        "Примечание",
    )


def recommendations(b: Builder) -> None:
    b.section(landscape=False)
    b.tag("{%p if recommendations_appendix %}")
    b.grif("documents.appendices.recommendations")
    b.p("Адресные рекомендации общеобразовательным организациям", "Заголовок к тексту")
    b.p(
        'Все {{ plural(recommendations_count, "ОО", "ОО", "ОО") }} с адресными рекомендациями, от самых слабых '
        "(в столбце «Зона риска» — уровень или ▼ и блоки с уровнем «{{ critical_label }}»). Для каждой ОО "
        "названы показатели с дефицитом и её значения (для долей — процент); меры по показателям — в первой "
        "таблице, числители и знаменатели — в письмах ОО и в ranking.xlsx."
    )
    b.table(
        [Column("Код", 18), Column("Показатель", 62), Column("Мера", 85)],
        ["{%tr for m in measures %}", ("{{ m.code }}", "{{ m.title }}", "{{ m.measure }}"), "{%tr endfor %}"],
        caption="Рекомендуемые меры по показателям",
    )
    b.p("")
    b.table(
        [
            Column("Место", 13, "right"),
            Column("Код", 16),
            Column("ОО", 50),
            Column("Итог", 13, "right"),
            Column("Зона риска", 22),
            Column("Дефициты: показатель и значение ОО", 51),
        ],
        [
            "{%tr for rec in recommendations %}",
            (
                "{{ rec.school.place }}",
                "{{ rec.school.code }}",
                "{{ rec.school.name }}",
                "{{ rec.school.total|num }}",
                "{{ rec.school.risk_brief }}",
                '{% for d in rec.deficits %}{{ d.code }} {{ d.brief }}{{ "; " if not loop.last }}{% endfor %}',
            ),
            "{%tr endfor %}",
        ],
        caption="Адресные рекомендации по ОО",
    )
    b.page_break()
    b.tag("{%p endif %}")


def quality(b: Builder) -> None:
    b.grif("documents.appendices.quality")
    b.p("Качество данных", "Заголовок к тексту")
    b.tag("{%p if problem_summary %}")
    b.table(
        [Column("Что найдено", 105), Column("Вид", 30), Column("Сколько раз", 25, "right")],
        [
            "{%tr for s in problem_summary %}",
            ("{{ s.title }}", "{{ s.severity }}", "{{ s.count|int }}"),
            "{%tr endfor %}",
        ],
        width=160,
    )
    b.p("")
    b.table(
        [Column("Файл", 30), Column("Ячейка", 28), Column("Сообщение", 72), Column("Последствие", 35)],
        [
            "{%tr for pr in problems %}",
            (
                '{{ pr.file or "—" }}',
                '{{ pr.location or "—" }}',
                "{{ pr.message }}",
                '{{ pr.consequence or "—" }}',
            ),
            "{%tr endfor %}",
        ],
    )
    b.tag("{%p if problems_count > problems|length %}")
    b.p(
        "Показаны первые {{ problems|length }} из {{ problems_count|int }}; полный перечень — в ranking.xlsx, лист «Проблемы».",
        "Примечание",
    )
    b.tag("{%p endif %}")
    b.tag("{%p else %}")
    b.p("Проблем в данных не найдено.")
    b.tag("{%p endif %}")
    b.tag("{%p if normalisations %}")
    b.p("Приведённые значения", "Heading 2")
    b.p("Введённое школой прочитано программой иначе; проверьте, что прочитано верно.", "Примечание")
    b.table(
        [
            Column("Файл", 30),
            Column("Ячейка", 30),
            Column("Поле", 25),
            Column("Введено", 40),
            Column("Прочитано как", 40),
        ],
        [
            "{%tr for n in normalisations %}",
            (
                "{{ n.file }}",
                "{{ n.sheet }}!{{ n.cell }}",
                "{{ n.target }}",
                "«{{ n.original }}»",
                "{{ n.read_as }}",
            ),
            "{%tr endfor %}",
        ],
    )
    b.tag("{%p if normalisations_count > normalisations|length %}")
    b.p("Показаны первые {{ normalisations|length }} из {{ normalisations_count|int }}.", "Примечание")
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")


def audit(b: Builder) -> None:
    b.tag("{%p if audit %}")
    b.page_break()
    b.grif("documents.appendices.audit")
    b.p("Качество системы показателей", "Заголовок к тексту")
    b.p(
        "Статистическая проверка самого перечня показателей по данным этого года. Это не оценка школ, а советы "
        "к пересмотру файла показателей (indicators.yaml) к следующему циклу мониторинга."
    )
    b.p("Согласованность блоков", "Heading 2")
    b.p(
        "α Кронбаха — согласованность показателей блока (или его вложенных блоков) между собой, по ОО, у "
        "которых применимы все показатели блока: от 0,7 — показатели блока согласованы; ниже "
        "{{ audit.low_alpha|num(2) }} — блок объединяет слабо связанные показатели.",
        "Примечание",
    )
    b.table(
        [
            Column("Блок", 95),
            Column("Частей", 20, "right"),
            Column("ОО", 20, "right"),
            Column("α", 25, "right"),
        ],
        [
            "{%tr for x in audit.blocks %}",
            (
                '{{ "— " * x.depth }}{{ x.title }}',
                "{{ x.items }}",
                "{{ x.schools|int }}",
                "{{ x.alpha|num(2) }}{% if x.low %} (низкая){% endif %}",
            ),
            "{%tr endfor %}",
        ],
        width=160,
    )
    b.tag("{%p for x in audit.blocks if x.advice %}")
    b.p("**{{ x.title }}:** {{ x.advice }}.")
    b.tag("{%p endfor %}")
    b.p("Что пересмотреть", "Heading 2")
    b.tag("{%p for r in audit.flagged %}")
    b.p("**{{ r.code }}** {{ r.title }}", keep=True)
    b.tag("{%p for advice in r.advice %}")
    b.p("– {{ advice }}", "Перечень")
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.p(
        "Замечаний к показателям нет: каждый согласуется со своим блоком и итогом, различает школы и не дублирует другой."
    )
    b.tag("{%p endfor %}")
    b.tag("{%p if audit.pairs %}")
    b.table(
        [Column("Показатели", 40), Column("r", 20, "right"), Column("Где", 105)],
        [
            "{%tr for pair in audit.pairs %}",
            ("{{ pair.first }} и {{ pair.second }}", "{{ pair.r|num(2) }}", "{{ pair.advice }}"),
            "{%tr endfor %}",
        ],
        caption="Почти дублирующие друг друга показатели (|r| ≥ {{ audit.collinear|num(2) }})",
    )
    b.tag("{%p endif %}")
    b.p("Все показатели", "Heading 2")
    b.table(
        [
            Column("Код", 18),
            Column("Показатель", 67),
            Column("r с блоком", 20, "right"),
            Column("r с итогом", 20, "right"),
            Column("Одинаковые баллы", 20, "right"),
            Column("Асимметрия значений", 20, "right"),
        ],
        [
            "{%tr for r in audit.rows %}",
            (
                "{{ r.code }}{% if r.flagged %} ★{% endif %}",
                "{{ r.title }}",
                "{{ r.r_block|num(2) }}",
                "{{ r.r_total|num(2) }}",
                "{{ r.same_text }}",
                "{{ r.skew|num(2) }}",
            ),
            "{%tr endfor %}",
        ],
    )
    b.p(
        "r — коэффициент корреляции Пирсона оценок 0–100 по ОО (от −1 до 1): с оценкой блока, в который входит "
        "показатель, и с итоговым баллом; ниже {{ audit.weak|num(2) }} — слабая связь. Показатель сам входит в "
        "свой блок, поэтому в маленьком блоке r с блоком завышен. «Одинаковые баллы» — доля ОО с самым частым "
        "числом баллов (замечание — от {{ audit.same_share|pts }} %). Асимметрия — для чисел, количеств и долей: "
        "от 2 (при эксцессе от 3,5) немногие ОО с очень большими значениями определяют шкалу. ★ — есть совет.",
        "Примечание",
    )
    b.tag("{%p endif %}")

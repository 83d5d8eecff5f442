"""The commands about the indicator set itself: ``check-config``, ``problems``, ``form`` (the
school form) and ``templates export``. Each parses its options and calls the library."""

from __future__ import annotations

from pathlib import Path

import click

from ..words.text import terminal_text
from .kit import RussianCommand, RussianGroup
from .options import config_option, load_config, previous_options


@click.command("check-config", cls=RussianCommand)
@click.argument("path", required=False, metavar="[ФАЙЛ]", type=click.Path(path_type=Path, dir_okay=False))
def check_config(path: Path | None) -> None:
    """Проверить indicators.yaml и показать сводку: блоки, показатели, веса, максимум баллов.

    Без ФАЙЛА проверяется встроенный файл. Код выхода 1, если найдены ошибки;
    предупреждения (например, полный балл ниже цели показателя) печатаются после сводки
    и код выхода не меняют.

    Пример: vosp-monitor check-config indicators.yaml
    """
    from ..config import default_config_path, load_config_with_warnings, summarise_config
    from ..form.writer import changed_since_form

    config, issues = load_config_with_warnings(path)
    click.echo(summarise_config(config))
    warnings = [str(issue) for issue in issues]
    if changed := changed_since_form(config):
        warnings.append(f"{(path or default_config_path()).name}, monitoring.form_version: {changed}")
    if warnings:
        click.echo("\nПредупреждения:")
        for warning in warnings:
            click.echo(f"  {warning}")


@click.command("problems", cls=RussianCommand)
@click.option("--markdown", is_flag=True, help="Вывести таблицу в Markdown (для docs/problems.md).")
def problems_command(markdown: bool) -> None:
    """Перечень кодов проблем, которые находит проверка.

    Пример: vosp-monitor problems --markdown > docs/problems.md
    """
    from ..problems import CATALOGUE, SEVERITY_RU, problems_markdown

    if markdown:
        click.echo(problems_markdown(), nl=False)
        return
    for kind in CATALOGUE.values():
        click.echo(f"{kind.code:32} {SEVERITY_RU[kind.severity]:15} {kind.title}")


@click.command("form", cls=RussianCommand)
@config_option
@click.option(
    "-o",
    "--out",
    metavar="ФАЙЛ_ИЛИ_ПАПКА",
    type=click.Path(path_type=Path),
    help="Файл формы (по умолчанию form.xlsx); с --schools — папка для форм (по умолчанию forms).",
)
@click.option(
    "--schools",
    metavar="ФАЙЛ",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Реестр школ (xlsx, ods, csv): по форме на каждую школу, код и наименование уже вписаны.",
)
@click.option(
    "--level",
    type=click.Choice(["school", "territory"]),
    default="school",
    show_default=True,
    help="Чья форма: school — форма школы; territory — форма, которую заполняет сама территория "
    "(муниципалитет) по показателям territories.blocks.",
)
@previous_options
def form_command(
    config_path: Path | None,
    out: Path | None,
    schools: Path | None,
    level: str,
    previous: tuple[Path, ...],
    school_map: Path | None,
) -> None:
    """Сделать Excel-форму, которую заполняют школы (прежнее имя команды — template).

    Листы «Инструкция», «Сведения об ОО», «Показатели»; заполняются только жёлтые ячейки,
    остальное защищено (без пароля). С --schools в папку -o записывается по форме на каждую
    школу реестра, файл называется кодом ОО (0101.xlsx); с --previous в каждой форме рядом
    с ячейками ввода — столбец «Прошлый год» со значениями школы из results.json прошлого года.

    С --level territory — форма самой территории (показатели territories.blocks): одна на
    муниципалитет, с --schools — по форме на каждую территорию реестра (столбец «Муниципалитет»).

    Пример: vosp-monitor form --schools реестр.csv --previous прошлый_год/результаты.json -o формы/
    """
    from ..form import write_form, write_prefilled_forms
    from ..form.writer import remember_form
    from ..ingest.registry import read_registry

    config = load_config(config_path)
    if level == "territory":
        from ..form.writer import territory_entries, territory_form_config

        config = territory_form_config(config)
        if previous:
            raise click.UsageError("--previous для формы территории не применяется")
        if schools is not None:
            entries = territory_entries(read_registry(schools))
            written = write_prefilled_forms(config, entries, out or Path("forms"))
            click.echo(f"Записано форм территорий: {len(written)} в папку {out or Path('forms')}")
            for path, entry in zip(written, entries, strict=True):
                click.echo(terminal_text(f"  {path.name} — {entry.code}"))
            return
    if previous and schools is None:
        raise click.UsageError(
            "--previous для формы нужен вместе с --schools: значения прошлого года — у каждой школы свои"
        )
    if schools is not None:
        from ..form.previous import read_previous_values

        entries = read_registry(schools)
        last_year = read_previous_values(config, [e.code for e in entries], previous, school_map)
        folder = out or Path("forms")
        written = write_prefilled_forms(config, entries, folder, previous=last_year)
        remember_form(config, folder)
        click.echo(f"Записано форм: {len(written)} в папку {folder}")
        for path, entry in zip(written, entries, strict=True):
            click.echo(terminal_text(f"  {path.name} — {entry.code} {entry.name}".rstrip()))
        return
    target = write_form(config, out or Path("form.xlsx"))
    remember_form(config, target)
    count = len(config.indicators())
    version = config.monitoring.form_version
    click.echo(f"Форма записана: {target} (показателей: {count}, версия формы {version})")


@click.group("templates", cls=RussianGroup)
def templates_group() -> None:
    """Шаблоны справки, карточек школ (Jinja2) и документов Word (report.docx, order.docx,
    letter.docx), которые можно править.

    Пример: vosp-monitor templates export мои_шаблоны
    """


@templates_group.command("export")
@click.argument("dest", metavar="ПАПКА", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Заменить уже существующие файлы шаблонов.")
def templates_export(dest: Path, force: bool) -> None:
    """Скопировать встроенные шаблоны в папку ПАПКА для правки.

    Затем: vosp-monitor report результаты/results.json --templates ПАПКА. Файлы, которых
    нет в ПАПКЕ, берутся встроенные. Существующие файлы не заменяются без --force.

    Пример: vosp-monitor templates export мои_шаблоны
    """
    from ..writers.html_md.report import export_templates

    written = export_templates(dest, force=force)
    click.echo(f"Шаблоны скопированы в {dest}:")
    for path in written:
        click.echo(f"  {path.name}")

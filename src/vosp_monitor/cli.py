"""The ``vosp-monitor`` command: parses options, calls the library, prints, exits.

Only this module and its plumbing (clikit.py: Russian texts, the one error handler,
progress; cli_options.py: options several commands share) import click. Every error the library raises is a :class:`errors.VospError`
with a Russian message and an exit code; ``clikit.Cli`` turns it into «Ошибка: …» on
stderr and the exit code (see errors.py for the codes).
Progress goes to stderr so stdout stays clean for results and ``--format json``.
A little over 400 lines only because every command's own options and Russian help live
here; each body just calls the library and prints what render/console.py words.
"""

from __future__ import annotations

import atexit
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .cli_options import config_option, pdf_option, previous_options, submission_options
from .clikit import Cli, Progress, alias, install_russian_texts
from .text import terminal_text

# When the interpreter exits the command is over: skip the collector's last pass over the
# hundreds of thousands of objects a run leaves behind (about 0.1 s of every run).
atexit.register(gc.freeze)

if TYPE_CHECKING:
    from .config import Config

install_russian_texts()


def _load_config(path: Path | None) -> Config:
    from .config import load_config

    return load_config(path)


def _requisites_warning(config: Config) -> None:
    """What the order and letters lack (highlighted placeholders), on stderr."""
    from .render.documents import requisites_warning

    if warning := requisites_warning(config):
        click.echo(warning, err=True)


def _check_source_and_load_config(
    source: Path | None, table_path: Path | None, config_path: Path | None
) -> Config:
    """Exactly one of a folder (or one form) and --table; then the config."""
    if (source is None) == (table_path is None):
        raise click.UsageError(
            "укажите папку с формами (или одну форму) или сводную таблицу --table (одно из двух)"
        )
    return _load_config(config_path)


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vosp-monitor")
def main() -> None:
    """Мониторинг качества воспитания и социализации обучающихся.

    Из одного файла indicators.yaml: форма для школ, проверка заполненных форм,
    баллы, рейтинг и аналитическая справка. Коды выхода: 0 — готово; 1 — ошибки
    в данных, в файле показателей или при записи; 2 — ошибка в параметрах
    команды; 3 — внутренняя ошибка программы.

    Пример: vosp-monitor score samples/forms/ -o report/
    """


@main.command("check-config")
@click.argument("path", required=False, metavar="[ФАЙЛ]", type=click.Path(path_type=Path, dir_okay=False))
def check_config(path: Path | None) -> None:
    """Проверить indicators.yaml и показать сводку: блоки, показатели, веса, максимум баллов.

    Без ФАЙЛА проверяется встроенный файл. Код выхода 1, если найдены ошибки;
    предупреждения (например, полный балл ниже цели показателя) печатаются после сводки
    и код выхода не меняют.

    Пример: vosp-monitor check-config indicators.yaml
    """
    from .config import load_config_with_warnings, summarise_config

    config, warnings = load_config_with_warnings(path)
    click.echo(summarise_config(config))
    if warnings:
        click.echo("\nПредупреждения:")
        for warning in warnings:
            click.echo(f"  {warning}")


@main.command("problems")
@click.option("--markdown", is_flag=True, help="Вывести таблицу в Markdown (для docs/problems.md).")
def problems_command(markdown: bool) -> None:
    """Перечень кодов проблем, которые находит проверка.

    Пример: vosp-monitor problems --markdown > docs/problems.md
    """
    from .problems import CATALOGUE, SEVERITY_RU, problems_markdown

    if markdown:
        click.echo(problems_markdown(), nl=False)
        return
    for kind in CATALOGUE.values():
        click.echo(f"{kind.code:32} {SEVERITY_RU[kind.severity]:15} {kind.title}")


@main.command("form")
@config_option
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    help="Файл формы (по умолчанию form.xlsx); с --schools — папка для форм (по умолчанию forms).",
)
@click.option(
    "--schools",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Реестр школ (xlsx, ods, csv): по форме на каждую школу, код и наименование уже вписаны.",
)
@previous_options
def form_command(
    config_path: Path | None,
    out: Path | None,
    schools: Path | None,
    previous: tuple[Path, ...],
    school_map: Path | None,
) -> None:
    """Сделать Excel-форму, которую заполняют школы (прежнее имя команды — template).

    Листы «Инструкция», «Сведения об ОО», «Показатели»; заполняются только жёлтые ячейки,
    остальное защищено (без пароля). С --schools в папку -o записывается по форме на каждую
    школу реестра, файл называется кодом ОО (0101.xlsx); с --previous в каждой форме рядом
    с ячейками ввода — столбец «Прошлый год» со значениями школы из results.json прошлого года.

    Пример: vosp-monitor form --schools реестр.csv --previous прошлый_год/results.json -o формы/
    """
    from .form import write_form, write_prefilled_forms
    from .registry import read_registry

    config = _load_config(config_path)
    if previous and schools is None:
        raise click.UsageError(
            "--previous для формы нужен вместе с --schools: значения прошлого года — у каждой школы свои"
        )
    if schools is not None:
        from .form.previous import read_previous_values

        entries = read_registry(schools)
        last_year = read_previous_values(config, [e.code for e in entries], previous, school_map)
        folder = out or Path("forms")
        written = write_prefilled_forms(config, entries, folder, previous=last_year)
        click.echo(f"Записано форм: {len(written)} в папку {folder}")
        for path, entry in zip(written, entries, strict=True):
            click.echo(terminal_text(f"  {path.name} — {entry.code} {entry.name}".rstrip()))
        return
    target = write_form(config, out or Path("form.xlsx"))
    count = len(config.indicators())
    version = config.monitoring.form_version
    click.echo(f"Форма записана: {target} (показателей: {count}, версия формы {version})")


main.add_command(alias(form_command, "template"))


@main.command("validate")
@submission_options
@click.option(
    "-o", "--out", type=click.Path(path_type=Path, file_okay=False), help="Папка для validation.xlsx и писем."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Формат вывода.")
def validate_command(
    source: Path | None,
    config_path: Path | None,
    out: Path | None,
    schools: Path | None,
    table_path: Path | None,
    fmt: str,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Проверить заполненные формы в папке ПАПКА_ИЛИ_ФОРМА, одну форму или сводную таблицу --table.

    Печатает сводку и список проблем по файлам; с -o пишет OUT/validation.xlsx
    и письма для школ OUT/feedback/<код ОО>.md. Код выхода: 0 — ошибок нет
    (предупреждения допустимы), 1 — есть ошибки в формах или в файле показателей,
    2 — ошибка в параметрах команды.

    Пример: vosp-monitor validate samples/forms/ -o проверка/ --schools реестр.xlsx
    """
    import json

    from .outputs.staging import check_output_folder
    from .pipeline import collect
    from .render.validation import summary_text, validation_json, write_validation_outputs

    config = _check_source_and_load_config(source, table_path, config_path)
    input_path = table_path or source
    assert input_path is not None  # checked above
    if out is not None:
        check_output_folder(out, [input_path])  # before reading, not after
    progress = Progress(quiet)
    try:
        collection = collect(
            input_path,
            config,
            table=table_path is not None,
            registry_path=schools,
            jobs=jobs,
            progress=progress,
        )
    finally:
        progress.close()
    written = write_validation_outputs(collection, out, config) if out is not None else []
    if fmt == "json":
        click.echo(json.dumps(validation_json(collection), ensure_ascii=False, indent=2))
    else:
        click.echo(summary_text(collection))
        if out is not None:
            click.echo(f"\nЗаписано: {out / 'validation.xlsx'} и писем для школ: {len(written) - 1}")
    sys.exit(1 if collection.has_errors else 0)


@main.command("score")
@submission_options
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("результаты"),
    show_default=True,
    help="Папка для ranking.xlsx, scores.csv, indicators.csv, results.json и справки.",
)
@click.option("--strict", is_flag=True, help="Код выхода 1, если хотя бы одна школа исключена из рейтинга.")
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Папка со своими шаблонами справки (недостающие берутся встроенные).",
)
@click.option(
    "--cards/--no-cards",
    default=None,
    help="Писать ли карточки школ schools/<код>.html и .md и письма школам letters/<код>.docx "
    "(по умолчанию — если школ не больше 2000).",
)
@click.option(
    "--uncertainty/--no-uncertainty",
    default=None,
    help="Проводить ли анализ устойчивости мест (по умолчанию — как в analysis.uncertainty файла "
    "показателей, если ОО не больше 5000).",
)
@pdf_option
@previous_options
def score_command(
    source: Path | None,
    config_path: Path | None,
    out: Path,
    schools: Path | None,
    table_path: Path | None,
    strict: bool,
    templates_dir: Path | None,
    cards: bool | None,
    uncertainty: bool | None,
    pdf: bool,
    previous: tuple[Path, ...],
    school_map: Path | None,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Начислить баллы, построить рейтинг и справку по формам в папке ПАПКА_ИЛИ_ФОРМА (или --table).

    Пишет в OUT: ranking.xlsx, scores.csv, indicators.csv (UTF-8, «;», десятичная
    запятая), results.json, report.md, report.html, карточки школ и документы Word:
    справку report.docx, проект приказа order.docx, письма школам letters/<код>.docx и
    все письма одним файлом letters.docx (с --pdf — и их PDF). Печатает краткую
    сводку рейтинга. Код выхода: 0 — результаты записаны; 1 — ошибка в файле
    показателей, файлы не удалось записать или (с --strict) какая-то школа исключена;
    2 — ошибка в параметрах команды. С --previous справка, карточки, письма, ranking.xlsx и
    results.json сравнивают этот год с прошлыми.

    Пример: vosp-monitor score samples/forms/ -o report/ --schools реестр.xlsx --previous прошлый_год/results.json
    """
    from .pipeline import run
    from .render.console import score_summary

    config = _check_source_and_load_config(source, table_path, config_path)
    input_path = table_path or source
    assert input_path is not None  # checked above
    progress = Progress(quiet)
    try:
        results = run(
            input_path,
            config,
            out,
            table=table_path is not None,
            registry_path=schools,
            jobs=jobs,
            progress=progress,
            templates_dir=templates_dir,
            cards=cards,
            uncertainty=uncertainty,
            previous=previous,
            school_map=school_map,
            pdf=pdf,
        )
    finally:
        progress.close()
    click.echo(score_summary(results, out, cards=cards, pdf=pdf))
    _requisites_warning(results.config)
    sys.exit(1 if strict and results.excluded else 0)


@main.command("report")
@click.argument("results_json", metavar="RESULTS.JSON", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Папка со своими шаблонами (недостающие берутся встроенные).",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Папка для справки и карточек (по умолчанию — папка, где лежит results.json).",
)
@click.option(
    "--cards/--no-cards",
    default=True,
    show_default=True,
    help="Писать ли карточки школ schools/<код>.html и .md и письма школам letters/<код>.docx.",
)
@pdf_option
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Файл показателей, из которого взять раздел documents (реквизиты приказа и писем, "
    "исполнители и сроки решений); баллы, рейтинг и методика остаются из results.json.",
)
@previous_options
def report_command(
    results_json: Path,
    templates_dir: Path | None,
    out: Path | None,
    cards: bool,
    pdf: bool,
    config_path: Path | None,
    previous: tuple[Path, ...],
    school_map: Path | None,
) -> None:
    """Заново построить справку (report.md, report.html, report.docx), проект приказа order.docx,
    карточки и письма школам из results.json.

    Формы школ не перечитываются: всё берётся из results.json, записанного командой
    score. Удобно после правки шаблонов (см. «vosp-monitor templates export») или, с -c,
    раздела documents в indicators.yaml (номер и дата приказа, подпись, исполнитель). С
    --previous сравнение с прошлыми годами строится заново (иначе берётся сохранённое в
    results.json). С --pdf — и PDF-копии документов Word.

    Пример: vosp-monitor report результаты/results.json -c indicators.yaml --pdf
    """
    from .dynamics import compare_again
    from .pipeline import write_report
    from .render.console import report_summary
    from .render.documents import take_documents_section
    from .results import read_results_json

    results = read_results_json(results_json)
    if config_path is not None:
        take_documents_section(results, _load_config(config_path))
    compare_again(results, previous, school_map)
    target = out or results_json.parent
    written = write_report(results, target, templates_dir=templates_dir, cards=cards, pdf=pdf)
    click.echo(report_summary(target, written, cards=cards, pdf=pdf))
    _requisites_warning(results.config)


@main.command("audit")
@click.argument("results_json", metavar="RESULTS.JSON", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Формат вывода.")
def audit_command(results_json: Path, fmt: str) -> None:
    """Качество системы показателей по results.json: что пересмотреть в indicators.yaml.

    Согласованность блоков (α Кронбаха), связь каждого показателя с блоком и итогом,
    показатели, не различающие школы, дублирующие друг друга пары, сильно скошенные
    значения — с советом по каждому. Формы не перечитываются; results.json любой версии.

    Пример: vosp-monitor audit результаты/results.json
    """
    import json

    from .render.view_audit import audit_json, audit_text
    from .results import read_results_json

    results = read_results_json(results_json)
    if fmt == "json":
        click.echo(json.dumps(audit_json(results), ensure_ascii=False, indent=2))
    else:
        click.echo(audit_text(results))


@main.group("templates")
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

    Затем: vosp-monitor report OUT/results.json --templates ПАПКА. Файлы, которых
    нет в ПАПКЕ, берутся встроенные. Существующие файлы не заменяются без --force.

    Пример: vosp-monitor templates export мои_шаблоны
    """
    from .render.report import export_templates

    written = export_templates(dest, force=force)
    click.echo(f"Шаблоны скопированы в {dest}:")
    for path in written:
        click.echo(f"  {path.name}")

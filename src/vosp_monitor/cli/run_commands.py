"""The commands of a monitoring run: ``validate`` (check the forms), ``score`` (scores, ranking,
documents), ``report`` (the documents again from results.json) and ``audit``. Each parses its
options, calls the library and prints what ``writers.console`` words."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .kit import Progress, RussianCommand
from .options import (
    check_source_and_load_config,
    load_config,
    pdf_option,
    previous_options,
    requisites_warning,
    submission_options,
)


@click.command("validate", cls=RussianCommand)
@submission_options
@click.option(
    "-o",
    "--out",
    metavar="ПАПКА",
    type=click.Path(path_type=Path, file_okay=False),
    help="Папка для validation.xlsx и писем.",
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

    Печатает сводку и список проблем по файлам; с -o ПАПКА пишет ПАПКА/validation.xlsx
    и письма для школ ПАПКА/feedback/<код ОО>.docx (и .md). Код выхода: 0 — ошибок нет
    (предупреждения допустимы), 1 — есть ошибки в формах или в файле показателей,
    2 — ошибка в параметрах команды.

    Пример: vosp-monitor validate samples/forms/ -o проверка/ --schools реестр.xlsx
    """
    import json

    from ..outputs.staging import check_output_folder
    from ..pipeline import collect
    from ..writers.validation import summary_text, validation_json, write_validation_outputs

    config = check_source_and_load_config(source, table_path, config_path)
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
        written: list[Path] = []
        if out is not None:
            progress.step("Запись validation.xlsx и писем для школ")
            written = write_validation_outputs(collection, out, config)
    finally:
        progress.close()
    if fmt == "json":
        click.echo(json.dumps(validation_json(collection), ensure_ascii=False, indent=2))
    else:
        click.echo(summary_text(collection))
        if out is not None:
            letters = sum(path.suffix == ".docx" for path in written)  # each also as .md
            click.echo(f"\nЗаписано: {out / 'validation.xlsx'} и писем для школ: {letters} (Word и Markdown)")
    sys.exit(1 if collection.has_errors else 0)


@click.command("score", cls=RussianCommand)
@submission_options
@click.option(
    "-o",
    "--out",
    metavar="ПАПКА",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("результаты"),
    show_default=True,
    help="Папка для ranking.xlsx, scores.csv, indicators.csv, results.json и справки.",
)
@click.option("--strict", is_flag=True, help="Код выхода 1, если хотя бы одна школа исключена из рейтинга.")
@click.option(
    "--templates",
    "templates_dir",
    metavar="ПАПКА",
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

    Пишет в папку -o: ranking.xlsx, scores.csv, indicators.csv (UTF-8, «;», десятичная
    запятая), results.json, report.md, report.html, карточки школ и документы Word:
    справку report.docx, проект приказа order.docx, письма школам letters/<код>.docx и
    все письма одним файлом letters.docx (с --pdf — и их PDF). Печатает краткую
    сводку рейтинга и исключённые школы. Код выхода: 0 — результаты записаны; 1 —
    ошибка в файле показателей, ни одну школу нельзя включить в рейтинг, файлы не
    удалось записать или (с --strict) какая-то школа исключена; 2 — ошибка в
    параметрах команды (в том числе указанный файл не найден или не открывается). С --previous справка, карточки, письма, ranking.xlsx и
    results.json сравнивают этот год с прошлыми.

    Пример: vosp-monitor score samples/forms/ -o report/ --schools реестр.xlsx --previous прошлый_год/results.json
    """
    from ..pipeline import RunOptions, run
    from ..writers.console import run_warnings, score_summary

    config = check_source_and_load_config(source, table_path, config_path)
    input_path = table_path or source
    assert input_path is not None  # checked above
    progress = Progress(quiet)
    try:
        options = RunOptions(
            table=table_path is not None,
            registry=schools,
            jobs=jobs,
            templates=templates_dir,
            cards=cards,
            uncertainty=uncertainty,
            previous=tuple(previous),
            school_map=school_map,
            pdf=pdf,
        )
        results = run(input_path, config, out, options, progress=progress, steps=progress.step)
    finally:
        progress.close()
    click.echo(score_summary(results, out, cards=cards, pdf=pdf))
    for warning in run_warnings(results):
        click.echo(warning, err=True)
    requisites_warning(results.config, results.dynamics is not None, results)
    sys.exit(1 if strict and results.excluded else 0)


@click.command("report", cls=RussianCommand)
@click.argument("results_json", metavar="RESULTS.JSON", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--templates",
    "templates_dir",
    metavar="ПАПКА",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Папка со своими шаблонами (недостающие берутся встроенные).",
)
@click.option(
    "-o",
    "--out",
    metavar="ПАПКА",
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
    metavar="ФАЙЛ",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Файл показателей, из которого взять раздел documents (реквизиты приказа и писем, "
    "исполнители и сроки решений); баллы, рейтинг и методика остаются из results.json.",
)
@click.option(
    "--territory",
    metavar="НАЗВАНИЕ",
    help="Только документы одного муниципалитета регионального запуска (папка territories/<название>/): "
    "его справка, проект приказа и письма его школам.",
)
@previous_options
def report_command(
    results_json: Path,
    templates_dir: Path | None,
    out: Path | None,
    cards: bool,
    pdf: bool,
    config_path: Path | None,
    territory: str | None,
    previous: tuple[Path, ...],
    school_map: Path | None,
) -> None:
    """Заново построить справку (report.md, report.html, report.docx), проект приказа order.docx,
    карточки и письма школам из results.json.

    Формы школ не перечитываются: всё берётся из results.json, записанного командой
    score. Удобно после правки шаблонов (см. «vosp-monitor templates export») или, с -c,
    раздела documents в indicators.yaml (номер и дата приказа, подпись, исполнитель). С
    --previous сравнение с прошлыми годами строится заново (иначе берётся сохранённое в
    results.json). С --pdf — и PDF-копии документов Word. По результатам запуска по региону
    пишутся региональная справка, проект регионального приказа, письма органам управления
    образованием муниципалитетов (authorities/) и документы каждого муниципалитета
    (territories/<муниципалитет>/); с --territory — документы одного муниципалитета.

    Пример: vosp-monitor report результаты/results.json -c indicators.yaml --pdf
    """
    from ..analysis.stored import read_results_json
    from ..dynamics import compare_again
    from ..pipeline.writing import write_report
    from ..writers.console import report_summary
    from ..writers.docx.documents import take_documents_section
    from ..writers.xlsx.addressees import stale_addressees

    progress = Progress(quiet=False)
    try:
        progress.step("Чтение results.json")
        results = read_results_json(results_json)
        if config_path is not None:
            take_documents_section(results, load_config(config_path))
        progress.step("Сравнение с прошлыми годами")
        target = out or results_json.parent
        compare_again(results, previous, school_map, target)
        written = write_report(
            results,
            target,
            templates_dir=templates_dir,
            cards=cards,
            pdf=pdf,
            territory=territory,
            steps=progress.step,
        )
    finally:
        progress.close()
    click.echo(report_summary(target, written, cards=cards, pdf=pdf))
    requisites_warning(results.config, results.dynamics is not None, results)
    if warning := stale_addressees(results_json.parent, results):  # where score wrote the tables
        click.echo(warning, err=True)


@click.command("audit", cls=RussianCommand)
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

    from ..analysis.stored import read_results_json
    from ..report.audit import audit_json, audit_text

    results = read_results_json(results_json)
    if fmt == "json":
        click.echo(json.dumps(audit_json(results), ensure_ascii=False, indent=2))
    else:
        click.echo(audit_text(results))

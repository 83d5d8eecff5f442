"""The ``vosp-monitor`` command: parses options, calls the library, prints, exits.

Only this module imports click. Every error the library raises is a
:class:`errors.VospError` with a Russian message and an exit code; :class:`_Cli` is the one
place that turns them into «Ошибка: …» on stderr and the exit code (see errors.py for
the codes). Anything else is a bug in vosp-monitor and is reported as an internal error.
Progress goes to stderr so stdout stays clean for results and ``--format json``.
"""

from __future__ import annotations

import copy
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .cli_texts import install as _install_russian_texts
from .errors import EXIT_INTERNAL, VospError
from .text import terminal_text

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from .config import Config
    from .results import Results, SchoolResult

_install_russian_texts()

CONFIG_HELP = "Файл показателей indicators.yaml (по умолчанию — встроенный)."
F = TypeVar("F", bound=Callable[..., Any])


class _Command(click.Command):
    """A command whose usage line is in Russian too («[ПАРАМЕТРЫ]»)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[ПАРАМЕТРЫ]")
        super().__init__(*args, **kwargs)


class _Group(click.Group):
    command_class = _Command
    group_class = type  # subgroups are of this same class

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[ПАРАМЕТРЫ]")
        kwargs.setdefault("subcommand_metavar", "КОМАНДА [АРГУМЕНТЫ]...")
        super().__init__(*args, **kwargs)


class _Cli(_Group):
    """The command group with the one error handler of the program."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VospError as exc:
            click.echo(f"Ошибка: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # a bug of ours: never blame the user's files for it
            if os.environ.get("VOSP_DEBUG"):
                traceback.print_exc()
            click.echo(
                "Внутренняя ошибка vosp-monitor "
                f"({type(exc).__name__}: {terminal_text(str(exc))[:300]}). Это ошибка программы, "
                "а не ваших файлов. Сообщите разработчикам: приложите команду, этот текст и, "
                "если можно, файлы, на которых она возникла (подробности: переменная VOSP_DEBUG=1).",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


def _load_config(path: Path | None) -> Config:
    from .config import load_config

    return load_config(path)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vosp-monitor")
def main() -> None:
    """Мониторинг качества воспитания и социализации обучающихся.

    Из одного файла indicators.yaml: форма для школ, проверка заполненных форм,
    баллы, рейтинг и аналитическая справка. Коды выхода: 0 — готово; 1 — ошибки
    в данных, в файле показателей или при записи; 2 — ошибка в параметрах
    команды; 3 — внутренняя ошибка программы.

    Пример: vosp-monitor score samples/ -o report/
    """


@main.command("check-config")
@click.argument("path", required=False, metavar="[ФАЙЛ]", type=click.Path(path_type=Path, dir_okay=False))
def check_config(path: Path | None) -> None:
    """Проверить indicators.yaml и показать сводку: блоки, показатели, веса, максимум баллов.

    Без ФАЙЛА проверяется встроенный файл. Код выхода 1, если найдены ошибки.

    Пример: vosp-monitor check-config indicators.yaml
    """
    from .config import summarise_config

    click.echo(summarise_config(_load_config(path)))


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
@click.option(
    "-c", "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), help=CONFIG_HELP
)
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
def form_command(config_path: Path | None, out: Path | None, schools: Path | None) -> None:
    """Сделать Excel-форму, которую заполняют школы (прежнее имя команды — template).

    Листы «Инструкция», «Сведения об ОО», «Показатели»; заполняются только жёлтые ячейки,
    остальное защищено (без пароля). С --schools в папку -o записывается по форме на каждую
    школу реестра, файл называется кодом ОО (0101.xlsx).

    Пример: vosp-monitor form -o form.xlsx
    """
    from .form import write_form, write_prefilled_forms
    from .registry import read_registry

    config = _load_config(config_path)
    if schools is not None:
        entries = read_registry(schools)
        folder = out or Path("forms")
        written = write_prefilled_forms(config, entries, folder)
        click.echo(f"Записано форм: {len(written)} в папку {folder}")
        for path, entry in zip(written, entries, strict=True):
            click.echo(terminal_text(f"  {path.name} — {entry.code} {entry.name}".rstrip()))
        return
    target = write_form(config, out or Path("form.xlsx"))
    count = len(config.indicators())
    version = config.monitoring.form_version
    click.echo(f"Форма записана: {target} (показателей: {count}, версия формы {version})")


def _alias(command: click.Command, name: str) -> click.Command:
    """The same command under an old name, hidden from the help (old scripts keep working)."""
    alias = copy.copy(command)
    alias.name, alias.hidden = name, True
    return alias


main.add_command(_alias(form_command, "template"))


PROGRESS_MIN_FILES = 50


class _Progress:
    """A progress bar on stderr, shown only for long runs in a terminal (not with --quiet)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: ProgressBar[int] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or total <= PROGRESS_MIN_FILES or not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Чтение форм", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _check_source_and_load_config(
    source: Path | None, table_path: Path | None, config_path: Path | None
) -> Config:
    """Exactly one of a folder (or one form) and --table; then the config."""
    if (source is None) == (table_path is None):
        raise click.UsageError(
            "укажите папку с формами (или одну форму) или сводную таблицу --table (одно из двух)"
        )
    return _load_config(config_path)


def _at_least_one(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None and value < 1:
        raise click.BadParameter("должно быть не меньше 1", ctx=ctx, param=param)
    return value


def _submission_options(command: F) -> F:
    """Options shared by validate and score: where the submissions are and how to read them."""
    decorators = [
        click.argument(
            "source",
            required=False,
            metavar="[ПАПКА_ИЛИ_ФОРМА]",
            type=click.Path(path_type=Path, exists=True),
        ),
        click.option(
            "-c", "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), help=CONFIG_HELP
        ),
        click.option(
            "--schools",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Реестр ожидаемых школ (xlsx, ods, csv).",
        ),
        click.option(
            "--table",
            "table_path",
            type=click.Path(path_type=Path, dir_okay=False, exists=True),
            help="Сводная таблица (xlsx, ods, csv) вместо папки с формами.",
        ),
        click.option(
            "--jobs",
            type=int,
            metavar="N",
            callback=_at_least_one,
            help="Число процессов чтения, не меньше 1 (по умолчанию — все ядра).",
        ),
        click.option("--quiet", is_flag=True, help="Без индикатора хода работы."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


@main.command("validate")
@_submission_options
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

    Пример: vosp-monitor validate samples/ -o проверка/ --schools реестр.xlsx
    """
    import json

    from .pipeline import collect
    from .render.validation import summary_text, validation_json, write_validation_outputs
    from .staging import check_output_folder

    config = _check_source_and_load_config(source, table_path, config_path)
    input_path = table_path or source
    assert input_path is not None  # checked above
    if out is not None:
        check_output_folder(out, [input_path])  # before reading, not after
    progress = _Progress(quiet)
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


def _ranking_summary(results: Results, limit: int = 5) -> str:
    """Counts, then the top and bottom schools with totals and levels (Russian)."""
    schools = results.schools
    lines = [
        f"Оценено школ: {len(schools)}; исключено из рейтинга: {len(results.excluded)}; "
        f"не представили форму: {len(results.not_submitted)}"
    ]

    def line(s: SchoolResult) -> str:
        flag = f", {results.config.scoring.critical.label}" if s.below_base else ""
        total = f"{s.total:.1f}".replace(".", ",")
        return terminal_text(f"  {s.place:>4}. {s.code} {s.name} — {total} ({s.level}{flag})")

    if schools:
        lines.append("Лучшие:")
        lines += [line(s) for s in schools[:limit]]
        if len(schools) > limit:
            lines.append("Последние:")
            lines += [line(s) for s in schools[max(limit, len(schools) - limit) :]]
    return "\n".join(lines)


@main.command("score")
@_submission_options
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
    help="Писать ли карточки школ schools/<код>.html и .md (по умолчанию — если школ не больше 2000).",
)
def score_command(
    source: Path | None,
    config_path: Path | None,
    out: Path,
    schools: Path | None,
    table_path: Path | None,
    strict: bool,
    templates_dir: Path | None,
    cards: bool | None,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Начислить баллы, построить рейтинг и справку по формам в папке ПАПКА_ИЛИ_ФОРМА (или --table).

    Пишет в OUT: ranking.xlsx, scores.csv, indicators.csv (UTF-8, «;», десятичная
    запятая), results.json, report.md, report.html и карточки школ. Печатает краткую
    сводку рейтинга. Код выхода: 0 — результаты записаны; 1 — ошибка в файле
    показателей, файлы не удалось записать или (с --strict) какая-то школа исключена;
    2 — ошибка в параметрах команды.

    Пример: vosp-monitor score samples/ -o report/ --schools реестр.xlsx
    """
    from .pipeline import CARDS_AUTO_LIMIT, run

    config = _check_source_and_load_config(source, table_path, config_path)
    input_path = table_path or source
    assert input_path is not None  # checked above
    progress = _Progress(quiet)
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
        )
    finally:
        progress.close()
    click.echo(_ranking_summary(results))
    click.echo(
        f"\nРезультаты записаны в папку {out}: ranking.xlsx, scores.csv, indicators.csv, "
        "results.json, report.md, report.html"
    )
    if cards or (cards is None and len(results.schools) <= CARDS_AUTO_LIMIT):
        click.echo(f"Карточки школ: {out / 'schools'}")
    elif cards is None:
        click.echo(
            f"Карточки школ не записаны (школ больше {CARDS_AUTO_LIMIT}); добавьте --cards, если они нужны."
        )
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
    help="Писать ли карточки школ schools/<код>.html и .md.",
)
def report_command(results_json: Path, templates_dir: Path | None, out: Path | None, cards: bool) -> None:
    """Заново построить справку (report.md, report.html) и карточки школ из results.json.

    Формы школ не перечитываются: всё берётся из results.json, записанного командой
    score. Удобно после правки шаблонов (см. «vosp-monitor templates export»).

    Пример: vosp-monitor report результаты/results.json --templates мои_шаблоны -o справка/
    """
    from .pipeline import write_report
    from .results import read_results_json

    results = read_results_json(results_json)
    written = write_report(results, out or results_json.parent, templates_dir=templates_dir, cards=cards)
    target = out or results_json.parent
    school_files = sum(1 for p in written if p.parent.name == "schools")
    cards_text = f" и карточек школ: {school_files // 2}" if cards else ""
    click.echo(f"Записано в папку {target}: report.md, report.html{cards_text}")


@main.group("templates")
def templates_group() -> None:
    """Шаблоны справки и карточек школ (Jinja2), которые можно править.

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

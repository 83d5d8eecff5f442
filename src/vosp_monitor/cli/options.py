"""Options several commands share, with their Russian help, and what they load.

A command's own options stay beside it; these are the ones whose meaning must be the same
wherever they appear: where the submissions are and how to read them (validate, score),
the earlier years to compare with (form, score, report), the config and --pdf.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .kit import install_russian_texts

if TYPE_CHECKING:
    from ..config import Config
    from ..results import Results

F = TypeVar("F", bound=Callable[..., Any])

# Before any click.Path below is built: a Path takes its name («Файл», «Папка») in the language
# of the moment it is created, and the commands' modules import this one first.
install_russian_texts()

config_option = click.option(
    "-c",
    "--config",
    "config_path",
    metavar="ФАЙЛ",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Файл показателей indicators.yaml (по умолчанию — встроенный).",
)
pdf_option = click.option(
    "--pdf", is_flag=True, help="Сделать и PDF-копии документов Word (нужен LibreOffice)."
)


def previous_options(command: F) -> F:
    """--previous and --school-map: the comparison with earlier years (score, report)."""
    decorators = [
        click.option(
            "--previous",
            "previous",
            multiple=True,
            metavar="RESULTS.JSON|ПАПКА",
            type=click.Path(path_type=Path, exists=True),
            help="results.json прошлого года (или папка с results.json прошлых лет) для сравнения; "
            "можно указать несколько раз.",
        ),
        click.option(
            "--school-map",
            "school_map",
            metavar="ФАЙЛ",
            type=click.Path(path_type=Path, dir_okay=False, exists=True),
            help="Таблица соответствия кодов ОО (xlsx, ods, csv): прежний код → новый, "
            "для переименованных и объединённых ОО.",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def at_least_one(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None and value < 1:
        raise click.BadParameter("должно быть не меньше 1", ctx=ctx, param=param)
    return value


def submission_options(command: F) -> F:
    """Options shared by validate and score: where the submissions are and how to read them."""
    decorators = [
        click.argument(
            "source",
            required=False,
            metavar="[ПАПКА_ИЛИ_ФОРМА]",
            type=click.Path(path_type=Path, exists=True),
        ),
        config_option,
        click.option(
            "--schools",
            metavar="ФАЙЛ",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Реестр ожидаемых школ (xlsx, ods, csv).",
        ),
        click.option(
            "--table",
            "table_path",
            metavar="ФАЙЛ",
            type=click.Path(path_type=Path, dir_okay=False, exists=True),
            help="Сводная таблица (xlsx, ods, csv) вместо папки с формами.",
        ),
        click.option(
            "--jobs",
            type=int,
            metavar="ЧИСЛО",
            callback=at_least_one,
            help="Число процессов чтения, не меньше 1 (по умолчанию — все ядра).",
        ),
        click.option("--quiet", is_flag=True, help="Без индикатора хода работы."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def load_config(path: Path | None) -> Config:
    from ..config import load_config as load

    return load(path)


def requisites_warning(config: Config, previous: bool = False, results: Results | None = None) -> None:
    """What the order and letters lack (highlighted placeholders), on stderr; ``previous``: the
    order speaks of last year's order (``--previous``); with a regional run's ``results``, what
    the regional documents lack too."""
    from ..writers.docx.documents import requisites_warning as missing

    if warning := missing(config, previous):
        click.echo(warning, err=True)
    if results is not None and results.territories is not None:
        from ..writers.regional import regional_warning

        if warning := regional_warning(results):
            click.echo(warning, err=True)


def check_source_and_load_config(
    source: Path | None, table_path: Path | None, config_path: Path | None
) -> Config:
    """Exactly one of a folder (or one form) and --table; then the config."""
    if (source is None) == (table_path is None):
        raise click.UsageError(
            "укажите папку с формами (или одну форму) или сводную таблицу --table (одно из двух)"
        )
    return load_config(config_path)

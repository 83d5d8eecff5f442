"""The ``vosp-monitor`` command: parses options, calls the library, prints, exits.

Only this module imports click. Library errors become ``click.ClickException`` (exit 1,
«Error: …» on stderr); usage and config errors exit 2 where the issue asks for it.
Progress goes to stderr so stdout stays clean for results and ``--format json``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__

CONFIG_HELP = "Файл показателей indicators.yaml (по умолчанию — встроенный)."


def _load_config_or_exit(path: Path | None, exit_code: int = 2):
    from .config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as exc:
        click.echo("Ошибки в файле показателей:", err=True)
        for issue in exc.issues:
            click.echo(f"  {issue}", err=True)
        sys.exit(exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vosp-monitor")
def main() -> None:
    """Мониторинг качества воспитания и социализации обучающихся.

    Из одного файла indicators.yaml: форма для школ, проверка заполненных форм,
    баллы, рейтинг и аналитическая справка.

    Example: vosp-monitor score samples/ -o report/
    """


@main.command("check-config")
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
def check_config(path: Path | None) -> None:
    """Проверить indicators.yaml и показать сводку: блоки, показатели, веса, максимум баллов.

    Без PATH проверяется встроенный файл. Код выхода 1, если найдены ошибки.

    Example: vosp-monitor check-config indicators.yaml
    """
    from .config import summarise_config

    config = _load_config_or_exit(path, exit_code=1)
    click.echo(summarise_config(config))


@main.command("problems")
@click.option("--markdown", is_flag=True, help="Вывести таблицу в Markdown (для docs/problems.md).")
def problems_command(markdown: bool) -> None:
    """Перечень кодов проблем, которые находит проверка.

    Example: vosp-monitor problems --markdown > docs/problems.md
    """
    from .problems import CATALOGUE, SEVERITY_RU, problems_markdown

    if markdown:
        click.echo(problems_markdown(), nl=False)
        return
    for kind in CATALOGUE.values():
        click.echo(f"{kind.code:32} {SEVERITY_RU[kind.severity]:15} {kind.title}")

"""The ``vosp-monitor`` command: parses options, calls the library, prints, exits.

Only this package imports click: the commands (``framework_commands``: check-config,
problems, form, templates; ``run_commands``: validate, score, report, audit), the options
they share (``options``) and click's plumbing (``kit``: Russian texts, the one error
handler, progress). Every error the library raises is a :class:`errors.VospError` with a
Russian message and an exit code; ``kit.Cli`` turns it into «Ошибка: …» on stderr and the
exit code (see errors.py for the codes). Progress goes to stderr so stdout stays clean for
results and ``--format json``.
"""

from __future__ import annotations

import atexit
import gc

import click

from ..version import __version__
from . import framework_commands, run_commands
from .kit import Cli, alias, install_russian_texts

# When the interpreter exits the command is over: skip the collector's last pass over the
# hundreds of thousands of objects a run leaves behind (about 0.1 s of every run).
atexit.register(gc.freeze)

install_russian_texts()


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


for command in (
    framework_commands.check_config,
    framework_commands.problems_command,
    framework_commands.form_command,
    alias(framework_commands.form_command, "template"),
    run_commands.validate_command,
    run_commands.score_command,
    run_commands.report_command,
    run_commands.audit_command,
    framework_commands.templates_group,
):
    main.add_command(command)

"""click's plumbing for ``cli.py``: Russian texts, the one error handler, progress.

* click marks every text it prints with gettext's ``_``/``ngettext``, imported once into
  each of its modules. Rebinding those two names in click's modules to a lookup in the
  table below translates click for this process without .mo files or a locale set by
  the user; a text missing from the table stays as click wrote it (``install()``, called
  by cli.py on import).
* :class:`Cli` is the one place where a library error (:class:`errors.VospError`, with its
  Russian message and exit code) becomes «Ошибка: …» on stderr; anything else is a bug
  of vosp-monitor, reported as an internal error (exit 3) and never blamed on a file.

Only cli.py and this module import click; the library never does.
"""

from __future__ import annotations

import copy
import importlib
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

import click

from ..errors import EXIT_INTERNAL, VospError
from ..words.formatting import format_int
from ..words.text import terminal_text

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

_RU: dict[str, str] = {
    "Usage:": "Использование:",
    "Options": "Параметры",
    "Commands": "Команды",
    "Show this message and exit.": "Показать эту справку и выйти.",
    "Show the version and exit.": "Показать версию и выйти.",
    "%(prog)s, version %(version)s": "%(prog)s, версия %(version)s",
    "Error: {message}": "Ошибка: {message}",
    "Try '{command} {option}' for help.": "Подробнее: «{command} {option}».",
    "No such command {name!r}.": "Нет такой команды «{name}».",
    "No such option {name!r}.": "Нет такого параметра «{name}».",
    "Option {name!r} does not take a value.": "Параметр «{name}» не принимает значения.",
    "Missing argument": "Не указан аргумент",
    "Missing option": "Не указан параметр",
    "Missing parameter": "Не указан параметр",
    "Missing command.": "Не указана команда.",
    "Missing {param_type}": "Не указан {param_type}",
    "Missing parameter: {param_name}": "Не указан параметр: {param_name}",
    "Invalid value for {param_hint}: {message}": "Недопустимое значение {param_hint}: {message}",
    "Invalid value: {message}": "Недопустимое значение: {message}",
    "Aborted!": "Прервано.",
    "{name} {filename!r} does not exist.": "{name} «{filename}» не существует.",
    "{name} {filename!r} is a directory.": "{name} «{filename}» — это папка, а нужен файл.",
    "{name} {filename!r} is a file.": "{name} «{filename}» — это файл, а нужна папка.",
    "{name} {filename!r} is not readable.": "{name} «{filename}» недоступен для чтения.",
    "{name} {filename!r} is not writable.": "{name} «{filename}» недоступен для записи.",
    "{name} {filename!r} is not executable.": "{name} «{filename}» не является программой.",
    "file": "файл",
    "directory": "папка",
    "path": "путь",
    "{value!r} is not a valid {number_type}.": "«{value}» — не число.",
    "{value} is not in the range {range}.": "{value} вне допустимого диапазона {range}.",
    "default: {default}": "по умолчанию: {default}",
    "env var: {var}": "переменная окружения: {var}",
    "Choose from:\n\t{choices}": "Допустимо:\n\t{choices}",
    "Could not open file {filename!r}: {message}": "Не удалось открыть файл «{filename}»: {message}",
    "(deprecated)": "(устаревшее)",
    "deprecated": "устарело",
}
_RU_PLURAL: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "Лишний аргумент ({args})",
        "Лишние аргументы ({args})",
    ),
    "Did you mean {possibility}?": (
        "Возможно, имелось в виду {possibility}?",
        "(Возможно, одно из: {possibilities}?)",
    ),
    "Option {name!r} requires an argument.": (
        "Параметру «{name}» нужно значение.",
        "Параметру «{name}» нужно {nargs} значения.",
    ),
    "{value!r} is not {choice}.": ("«{value}» — не {choice}.", "«{value}» — не одно из: {choices}."),
}


def _gettext(message: str) -> str:
    return _RU.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    forms = _RU_PLURAL.get(singular)
    if forms is None:
        return singular if n == 1 else plural
    return forms[0] if n == 1 else forms[1]


_MODULES = ("core", "exceptions", "formatting", "decorators", "types", "parser", "termui", "utils")


def install_russian_texts() -> None:
    """Make click speak Russian in this process (idempotent)."""
    for name in _MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # a module that a click version does not have
            continue
        replacements: dict[str, Callable[..., str]] = {"_": _gettext, "ngettext": _ngettext}
        for attr, function in replacements.items():
            if hasattr(module, attr):
                setattr(module, attr, function)


class RussianCommand(click.Command):
    """A command whose usage line is in Russian too («[ПАРАМЕТРЫ]»)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[ПАРАМЕТРЫ]")
        super().__init__(*args, **kwargs)


class RussianGroup(click.Group):
    command_class = RussianCommand
    group_class = type  # subgroups are of this same class

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[ПАРАМЕТРЫ]")
        kwargs.setdefault("subcommand_metavar", "КОМАНДА [АРГУМЕНТЫ]...")
        super().__init__(*args, **kwargs)


class Cli(RussianGroup):
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


def alias(command: click.Command, name: str) -> click.Command:
    """The same command under an old name, hidden from the help (old scripts keep working)."""
    alias = copy.copy(command)
    alias.name, alias.hidden = name, True
    return alias


PROGRESS_MIN_FILES = 50
STEP_SHOWN_AFTER = 2.0  # seconds: a shorter step passes without a word
TICK = 0.5  # seconds between redraws of a long step


class Progress:
    """Progress on stderr, in a terminal only and not with --quiet (stdout stays for results).

    Two callbacks the library calls: ``progress(done, total)`` as forms are read (a bar, from
    :data:`PROGRESS_MIN_FILES` forms), and :meth:`step` ``(name, done, total)`` for every step
    after that — the scoring, the tables, the справка and documents, the PDF — each shown once
    it has run :data:`STEP_SHOWN_AFTER` seconds, with its counts when it has them
    («Письма школам: 300 из 2 000 · 4 с»). A ticker thread redraws the step in between, so a
    step the library names only at its start still shows it is alive.
    """

    def __init__(
        self, quiet: bool, *, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = not quiet and self.stream.isatty()
        self.clock = clock
        self.bar: ProgressBar[int] | None = None
        self.name, self.done, self.total, self.started, self.width = "", 0, 0, 0.0, 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.ticker: threading.Thread | None = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= PROGRESS_MIN_FILES:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Чтение форм", file=self.stream)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def step(self, name: str, done: int = 0, total: int = 0) -> None:
        """The library is at step ``name`` (``done`` of ``total`` when it counts)."""
        if not self.enabled:
            return
        self._end_bar()
        with self.lock:
            if name != self.name:
                self._end_line()
                self.name, self.started = name, self.clock()
            self.done, self.total = done, total
            self._draw()
        if self.ticker is None:
            self.ticker = threading.Thread(target=self._tick, name="vosp-progress", daemon=True)
            self.ticker.start()

    def redraw(self) -> None:
        """Show the current step if it has run long enough (the ticker calls this)."""
        with self.lock:
            self._draw()

    def _tick(self) -> None:
        while not self.stop.wait(TICK):
            self.redraw()

    def _draw(self) -> None:
        elapsed = self.clock() - self.started
        if not self.name or elapsed < STEP_SHOWN_AFTER:
            return
        counts = f": {format_int(self.done)} из {format_int(self.total)}" if self.total else ""
        line = f"{self.name}{counts} · {int(elapsed)} с"
        self.stream.write("\r" + line.ljust(self.width))  # no escape codes: old Windows consoles
        self.stream.flush()
        self.width = max(self.width, len(line))

    def _end_line(self) -> None:
        if self.width:
            self.stream.write("\n")
            self.stream.flush()
        self.width = 0

    def _end_bar(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def close(self) -> None:
        self._end_bar()
        self.stop.set()
        if self.ticker is not None:
            self.ticker.join()
        with self.lock:
            self._end_line()
            self.name = ""

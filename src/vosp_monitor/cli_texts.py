"""click's own texts («Usage:», «Options:», «Error: …») in Russian.

click marks every text it prints with gettext's ``_``/``ngettext``, imported once into
each of its modules. Rebinding those two names in click's modules to a lookup in the
table below translates click for this process without .mo files or a locale set by the
user; a text missing from the table stays as click wrote it. ``install()`` is called by
``cli.py`` on import; nothing else in the library knows about click.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

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
    "file": "Файл",
    "directory": "Папка",
    "path": "Путь",
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


def install() -> None:
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

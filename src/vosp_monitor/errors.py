"""The one base of every error the tool reports to a person, and the exit codes.

A :class:`VospError` carries a Russian message that names what is wrong and what to do,
and the exit code the command line uses for it; ``cli.py`` has one handler for all of
them. Anything else that escapes is a bug in vosp-monitor itself and is reported as an
internal error (exit code :data:`EXIT_INTERNAL`), never blamed on a school's file.

Exit codes (README, «Коды выхода»):

* 0 — done; for ``validate``: no errors in the forms (warnings are allowed);
* 1 — data or configuration errors: errors found in the forms, a broken indicators.yaml,
  registry, table, results.json or template, an output that cannot be written, and with
  ``score --strict`` a school excluded from the ranking;
* 2 — usage errors: unknown options, a missing argument, two sources at once, a file named
  in the command (-c, --schools, results.json, --previous, --school-map, --table) that is
  not there or cannot be opened (:func:`unopenable`);
* 3 — an internal error of the program.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class VospError(Exception):
    """An error a user can act on; ``str(error)`` is the Russian message."""

    exit_code: int = EXIT_DATA


class UsageError(VospError):
    """The command was called wrongly (options that exclude each other, a missing source)."""

    exit_code = EXIT_USAGE


def unopenable(error: VospError) -> VospError:
    """``error`` with exit code 2: a file the command names that is missing or cannot be opened is
    a mistake in the command, like a mistyped option (a file that opens but holds nonsense is a
    data error, 1)."""
    error.exit_code = EXIT_USAGE
    return error

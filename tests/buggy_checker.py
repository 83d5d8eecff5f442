"""A Checker with bugs planted, for tests of how worker failures are reported.

Spawned pool workers import it by name (a Checker pickles as its class and config), so it
lives in a module of its own rather than in a test file.
"""

from __future__ import annotations

import os

from vosp_monitor.ingest.raw import RawForm
from vosp_monitor.validate import Checker
from vosp_monitor.validate.submission import Submission


class BuggyChecker(Checker):
    """Raises a Python exception on the school «BUG», aborts the process on «CRASH»."""

    def check(self, raw: RawForm) -> Submission:
        sub = super().check(raw)
        if sub.school_code == "BUG":
            raise KeyError("ошибка в коде проверки")
        if sub.school_code == "CRASH":
            os.abort()  # stands for a native crash of the reader
        return sub

"""How the writers tell the command line where they are: a step's Russian name and its count.

A district's documents take a minute, a region's ten; the command line (``cli.kit.Progress``)
shows a step that runs over two seconds. The writers only call :data:`StepProgress`; what is
shown, and whether, is the caller's.
"""

from __future__ import annotations

from collections.abc import Callable

# Called with a step's Russian name and, when it counts, how far it is («Письма школам», 300,
# 2000; 0, 0 when it does not).
StepProgress = Callable[[str, int, int], None]


def say(steps: StepProgress | None, name: str) -> None:
    """Tell ``steps`` (when given) that the step ``name``, which does not count, has started."""
    if steps is not None:
        steps(name, 0, 0)

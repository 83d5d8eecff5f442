"""vosp-monitor: monitoring of upbringing and socialisation of pupils, from one indicators.yaml.

The library is usable from Python; the ``vosp-monitor`` command is a thin layer on top.
Heavy modules (pandas, openpyxl, matplotlib) are imported only where they are needed.
"""

from __future__ import annotations

from .version import __version__

__all__ = ["__version__", "run"]


def __getattr__(name: str) -> object:
    """``vosp_monitor.run`` without importing the pipeline (and numpy) on ``import vosp_monitor``."""
    if name == "run":
        from .pipeline.runner import run

        return run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""vosp-monitor: monitoring of upbringing and socialisation of pupils, from one indicators.yaml.

The library is usable from Python; the ``vosp-monitor`` command is a thin layer on top.
Heavy modules (pandas, openpyxl, matplotlib) are imported only where they are needed.
"""

from __future__ import annotations

__version__ = "0.1.0"

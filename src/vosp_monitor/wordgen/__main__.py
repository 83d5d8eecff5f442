"""``python -m vosp_monitor.wordgen [FOLDER]``: rewrite the Word templates (default: templates/ of the source tree)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..config import REPO_ROOT
from . import build_templates

if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT / "templates"
    for path in build_templates(folder):
        print(path)

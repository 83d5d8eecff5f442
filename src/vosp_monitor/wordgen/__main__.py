"""``python -m vosp_monitor.wordgen [FOLDER]``: rewrite the Word templates (default: templates/ of the source tree)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..config import REPO_ROOT
from . import build_templates

if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        prog="python -m vosp_monitor.wordgen",
        description="Rewrite the Word templates report/order/letter.docx.",
    )
    parser.add_argument("folder", nargs="?", type=Path, default=REPO_ROOT / "templates")
    for path in build_templates(parser.parse_args().folder):
        print(path)

"""``python -m tools.wordgen [FOLDER]``: rewrite the Word templates (default: templates/ of the source tree)."""

from __future__ import annotations

import argparse
from pathlib import Path

from tools.wordgen import build_templates
from vosp_monitor.config import REPO_ROOT

if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        prog="python -m tools.wordgen",
        description="Rewrite the Word templates report/order/letter.docx.",
    )
    parser.add_argument("folder", nargs="?", type=Path, default=REPO_ROOT / "templates")
    for path in build_templates(parser.parse_args().folder):
        print(path)

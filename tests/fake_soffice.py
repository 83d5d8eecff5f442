"""A stand-in for LibreOffice's ``soffice`` that misbehaves as the real one can (tests/test_pdf.py).

Run as a program (the test writes a script that calls :func:`main`). ``FAKE_SOFFICE_MODE``:

* ``convert`` — a PDF beside each file named, but of the first :data:`LIMIT` only, exiting 0
  anyway (what LibreOffice 7.4 does with a long list);
* ``hang`` — starts a child that holds the output and sleeps, and sleeps itself (the real
  ``soffice`` starts ``soffice.bin``, which can hang);
* ``orphan`` — starts such a child and exits 0 at once, converting nothing;
* ``abort-first`` — in a profile folder it has not seen, exits 134 (SIGABRT) converting
  nothing, as LibreOffice sometimes does on its first start; then converts;
* ``cut`` — converts, but the PDF of a file whose name holds «cut» ends half way.

Every call appends «<number of files named>» to ``FAKE_SOFFICE_LOG`` and the pids it starts to
``FAKE_SOFFICE_PIDS``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

LIMIT = 245
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Count 1 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _note(variable: str, text: str) -> None:
    target = os.environ.get(variable)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")


def _sleeping_child() -> None:
    """A child that inherits our stdout and stderr and sleeps, as a hung soffice.bin would."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    _note("FAKE_SOFFICE_PIDS", str(child.pid))


def main() -> None:
    args = sys.argv[1:]
    _note("FAKE_SOFFICE_PIDS", str(os.getpid()))
    profile = Path(unquote(urlparse(next(a for a in args if a.startswith("-env:")).split("=", 1)[1]).path))
    outdir = Path(args[args.index("--outdir") + 1])
    files = [Path(a) for a in args[args.index("--outdir") + 2 :]]
    _note("FAKE_SOFFICE_LOG", str(len(files)))
    mode = os.environ.get("FAKE_SOFFICE_MODE", "convert")
    print(f"convert {len(files)} files", file=sys.stderr, flush=True)
    if mode == "hang":
        _sleeping_child()
        time.sleep(600)
    if mode == "orphan":
        _sleeping_child()
        sys.exit(0)
    if mode == "abort-first" and not (profile / "seen").exists():
        profile.mkdir(parents=True, exist_ok=True)
        (profile / "seen").write_text("1", encoding="ascii")
        print("Fatal exception: Signal 6", file=sys.stderr, flush=True)
        sys.exit(134)
    for file in files[:LIMIT]:
        data = PDF[: len(PDF) // 2] if mode == "cut" and "cut" in file.name else PDF
        (outdir / file.with_suffix(".pdf").name).write_bytes(data)
    sys.exit(0)


if __name__ == "__main__":
    main()

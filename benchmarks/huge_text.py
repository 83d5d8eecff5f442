"""Peak memory of ``vosp-monitor score`` on a form with one enormous school name (issue 9, item 3).

The name is ``--megabytes`` MB of text made of a few thousand distinct words, so that
it compresses about 3.5 times and the file stays under the 20 MB file limit, as the
reported case did (a 40 MB name in an 11.7 MB form). Two forms are measured: as openpyxl
writes it (the name as an inline string in the sheet; openpyxl itself cuts a value to
32767 characters, so the long name is put into the XML afterwards) and as Excel would
(the name in sharedStrings.xml, which python-calamine parses whole when the workbook
opens). Each is
scored alone in a fresh folder; the peak RSS of the whole process tree (the command and
its worker processes) is sampled as ``benchmarks/run.py`` does. Run from the repository:

    python benchmarks/huge_text.py [--megabytes 40] [--words 4000]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from run import CLI, measure


def huge_name(megabytes: int, vocabulary: int = 4000) -> str:
    rng = random.Random(9)
    letters = "абвгдежзийклмнопрстуфхцчшщыэюяabcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(vocabulary)]
    parts: list[str] = []
    size = 0
    while size < megabytes * 1024 * 1024:
        word = rng.choice(words)
        parts.append(word)
        size += len(word.encode()) + 1
    return " ".join(parts)


PLACEHOLDER = "SCHOOL-NAME-PLACEHOLDER"  # ASCII: openpyxl with lxml writes other text as &#NNNN;


def forms(folder: Path, name: str) -> tuple[Path, Path]:
    """The form with the name inline (openpyxl's way) and in shared strings (Excel's way)."""
    from workbooks import default_config, fill_form, typical_school

    template = fill_form(folder / "template.xlsx", default_config(), *typical_school("0101", PLACEHOLDER))
    text = name.encode().replace(b"&", b"&amp;").replace(b"<", b"&lt;")
    cell = re.compile(rb'<c r="B5"([^>]*?) t="inlineStr"><is><t>' + PLACEHOLDER.encode() + rb"</t></is></c>")
    inline_cell = rb'<c r="B5"\1 t="inlineStr"><is><t>' + text.replace(b"\\", b"\\\\") + rb"</t></is></c>"
    shared_cell = rb'<c r="B5"\1 t="s"><v>0</v></c>'
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>' + text + b"</t></si></sst>"
    )
    extra = {
        "[Content_Types].xml": (
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
        "xl/_rels/workbook.xml.rels": (
            b"</Relationships>",
            b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        ),
    }
    made = []
    for kind in ("inline", "shared"):
        (folder / kind).mkdir()
        path = folder / kind / "0101.xlsx"
        with zipfile.ZipFile(template) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
            for info in old.infolist():
                data = old.read(info)
                if info.filename == "xl/worksheets/sheet2.xml":
                    data, count = cell.subn(inline_cell if kind == "inline" else shared_cell, data)
                    assert count == 1, "the name cell was not found"
                elif kind == "shared" and info.filename in extra:
                    data = data.replace(*extra[info.filename])
                new.writestr(info.filename, data)
            if kind == "shared":
                new.writestr("xl/sharedStrings.xml", sst)
        made.append(path)
    template.unlink()
    return made[0], made[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=40)
    parser.add_argument("--words", type=int, default=4000, help="distinct words (fewer compress better)")
    args = parser.parse_args()
    name = huge_name(args.megabytes, args.words)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inline, shared = forms(work, name)
        for label, form in (("inline string (openpyxl)", inline), ("shared string (Excel)", shared)):
            with zipfile.ZipFile(form) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
            out = work / f"out-{form.parent.name}"
            run = measure([*CLI, "score", str(form.parent), "-o", str(out)], 1, "score")
            print(
                f"{label}: file {form.stat().st_size / 1024 / 1024:.1f} MB, unpacked {unpacked / 1024 / 1024:.1f} MB, "
                f"name {len(name) / 1e6:.1f} M characters → exit {run.exit_code}, "
                f"peak RSS of the tree {run.peak_rss_mb:.0f} MB, {run.seconds:.1f} s"
            )
            results = out / "results.json"
            if results.is_file():
                import json

                data = json.loads(results.read_text(encoding="utf-8"))
                codes = sorted({p.get("code", "") for p in data.get("problems", [])})
                print(
                    f"  schools scored: {len(data.get('schools', []))}; problem codes: {', '.join(codes) or '—'}"
                )
            outputs = sorted(out.rglob("*")) if out.exists() else []
            total = sum(p.stat().st_size for p in outputs if p.is_file())
            print(f"  outputs: {len(outputs)} files, {total / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    main()

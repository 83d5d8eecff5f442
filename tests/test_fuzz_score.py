"""``score -o`` on real forms with arbitrary Unicode in every text cell (issue 9, item 2).

Whatever a school typed — control characters, ANSI escapes, line breaks, bidi marks,
emoji, ten thousand characters —, in a name, a comment, a code, a file name or the
registry: no traceback, every output written (none when no school can be ranked), exit
code 0 or 1, and no character a format cannot hold in any output.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import docx
import openpyxl
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_forms import fuzz_forms, registry_names, write_fuzz_form, write_fuzz_registry
from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.cli import main

OUTPUTS = (
    *("ranking.xlsx", "scores.csv", "indicators.csv", "results.json", "report.md", "report.html"),
    *("report.docx", "order.docx", "letters.docx"),
)


def _controls(text: str, allowed: str) -> set[str]:
    return {ch for ch in text if (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F) and ch not in allowed}


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(fuzz_forms(), st.lists(registry_names, min_size=1, max_size=3))
def test_score_writes_every_output_whatever_the_text(forms, names):
    with tempfile.TemporaryDirectory(prefix="vosp-fuzz-") as tmp:
        source, out = Path(tmp) / "forms", Path(tmp) / "out"
        source.mkdir()
        for form in forms:
            write_fuzz_form(source, form)
        registry = write_fuzz_registry(Path(tmp) / "registry.csv", forms, names)
        result = CliRunner().invoke(
            main, ["score", str(source), "-o", str(out), "--schools", str(registry), "--jobs", "1", "--cards"]
        )
        assert result.exit_code in (0, 1), (result.exit_code, result.output)
        assert "Traceback" not in result.output and "Внутренняя ошибка" not in result.output
        if "ни одну школу нельзя включить в рейтинг" in result.output:  # every form excluded
            assert result.exit_code == 1 and not any((out / name).exists() for name in OUTPUTS)
            return
        for name in OUTPUTS:
            assert (out / name).is_file(), name
        results = read_results_json(out / "results.json")
        json.loads((out / "results.json").read_text(encoding="utf-8"))
        book = openpyxl.load_workbook(out / "ranking.xlsx", read_only=True)
        assert book.sheetnames[0] == "Рейтинг"
        book.close()
        for name in ("scores.csv", "indicators.csv"):
            assert _controls((out / name).read_text(encoding="utf-8-sig"), "\r\n") == set(), name
        pages = [out / "report.md", out / "report.html"]
        pages += sorted((out / "schools").glob("*")) if (out / "schools").is_dir() else []
        assert len(pages) == 2 + 2 * (
            len(results.schools) + len(results.excluded)
        )  # excluded schools have cards too
        for page in pages:
            text = page.read_text(encoding="utf-8")
            assert _controls(text, "\t\n\r") == set(), page.name
            assert "\u202e" not in text, page.name
        letters = sorted((out / "letters").glob("*.docx"))
        assert len(letters) == len(results.schools) + len(results.excluded) + len(results.not_submitted)
        for document in [out / "report.docx", out / "order.docx", out / "letters.docx", *letters]:
            text = "\n".join(p.text for p in docx.Document(str(document)).paragraphs)  # well-formed XML
            assert _controls(text, "\t\n") == set() and "\u202e" not in text, document.name

"""A district run without territories writes exactly what it wrote before territories existed.

``tests/golden/district-outputs.json`` is the fingerprint (``district_outputs.py``) of every file
``score samples/forms/ --schools samples/registry.csv`` wrote at main 4d97aa5, before this
feature (made again when the district documents changed on purpose: issue 24's dynamics,
letters and captions): every part of every workbook and document, every card and letter. Only what
differs by design is left out: the run's date, and in results.json the schema version and
what schema 7 added (``territories``: null, the default ``territories`` section of the
stored config). Computed indicators (schema 8) changed two files on purpose, so the golden
file was remade then (``district_outputs.py`` says what changed), and again when issue 24
rewrote the district documents on purpose (schema 9: the conclusions' causes, the order's
items, the letters, dynamics, captions).
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from district_outputs import fingerprint
from vosp_monitor.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "district-outputs.json"


def test_a_district_writes_what_it_wrote_before(tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.chdir(ROOT)  # the справка and results.json name the source as it was given
    args = ["score", "samples/forms/", "--schools", "samples/registry.csv"]
    result = CliRunner().invoke(main, [*args, "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    found = fingerprint(out)
    assert sorted(found) == sorted(expected)  # the same files, the same parts
    changed = [name for name in expected if found[name] != expected[name]]
    assert changed == []
    assert not (out / "territories.csv").exists()
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["territories"] is None and data["schema_version"] == 9

"""The whole job on the bundled samples, as an analyst runs it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from vosp_monitor.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FORMS = SAMPLES / "forms"


def test_score_then_report_gives_identical_reports(tmp_path: Path) -> None:
    runner = CliRunner()
    first, second = tmp_path / "out", tmp_path / "again"
    result = runner.invoke(
        main, ["score", str(FORMS), "-o", str(first), "--schools", str(SAMPLES / "registry.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "Оценено школ: 21; исключено из рейтинга: 3; не представили форму: 1" in result.stdout
    result = runner.invoke(main, ["report", str(first / "results.json"), "-o", str(second)])
    assert result.exit_code == 0, result.output

    produced = sorted(p.relative_to(first) for p in first.rglob("*") if p.suffix in {".md", ".html"})
    assert Path("report.md") in produced and Path("report.html") in produced
    assert len([p for p in produced if p.parts[0] == "schools"]) == 2 * (21 + 3)  # ranked and excluded
    for relative in produced:
        assert (second / relative).read_bytes() == (first / relative).read_bytes(), relative


def test_strict_fails_when_a_school_is_excluded(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(FORMS), "-o", str(tmp_path), "--strict", "--no-cards"])
    assert result.exit_code == 1
    assert (tmp_path / "ranking.xlsx").is_file() and not (tmp_path / "schools").exists()

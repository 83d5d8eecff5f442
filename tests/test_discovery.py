"""Discovery leaves out what is not a school's form: links that lead outside the input folder,
and folders a run of vosp-monitor wrote its results into."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vosp_monitor.ingest import Source, discover
from vosp_monitor.outputs import MANIFEST_NAME
from workbooks import default_config, fill_form, typical_school

needs_symlinks = pytest.mark.skipif(
    os.name == "nt", reason="creating symbolic links needs extra rights on Windows"
)


def names(sources: list[Source], root: Path) -> list[str]:
    return [s.path.relative_to(root).as_posix() for s in sources]


@needs_symlinks
def test_links_leading_outside_are_listed_not_followed(tmp_path: Path) -> None:
    inside, outside = tmp_path / "in", tmp_path / "elsewhere"
    (inside / "sub").mkdir(parents=True)
    (outside / "secret").mkdir(parents=True)
    for path in (
        inside / "0101.xlsx",
        inside / "sub" / "0102.xlsx",
        outside / "x.xlsx",
        outside / "secret" / "y.xlsx",
    ):
        path.write_bytes(b"x")
    (inside / "to-file.xlsx").symlink_to(outside / "x.xlsx")
    (inside / "to-folder").symlink_to(outside / "secret", target_is_directory=True)
    (inside / "inside-link.xlsx").symlink_to(inside / "sub" / "0102.xlsx")
    (inside / "inside-folder").symlink_to(inside / "sub", target_is_directory=True)
    (inside / "dangling.xlsx").symlink_to(outside / "gone.xlsx")

    found = discover(inside)
    files, skipped = found.sources, found.skipped

    assert names(files, inside) == ["0101.xlsx", "inside-link.xlsx", "sub/0102.xlsx"]
    reasons = dict(skipped)
    assert reasons["to-file.xlsx"] == "ссылка ведёт за пределы входной папки; не прочитано"
    assert reasons["to-folder"] == "ссылка ведёт за пределы входной папки; не прочитано"
    assert reasons["dangling.xlsx"] == "ссылка ведёт за пределы входной папки; не прочитано"
    assert reasons["inside-folder"].startswith("ссылка на папку внутри входной папки")
    assert set(reasons) == {"to-file.xlsx", "to-folder", "dangling.xlsx", "inside-folder"}


@needs_symlinks
def test_an_input_folder_reached_through_a_link_reads_normally(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "0101.xlsx").write_bytes(b"x")
    (tmp_path / "alias").symlink_to(real, target_is_directory=True)
    found = discover(tmp_path / "alias")
    files, skipped = found.sources, found.skipped
    assert names(files, tmp_path / "alias") == ["0101.xlsx"] and skipped == []


def test_result_folders_of_earlier_runs_are_skipped(tmp_path: Path) -> None:
    fill_form(tmp_path / "0101.xlsx", default_config(), *typical_school("0101", "Школа"))
    results = tmp_path / "report"
    results.mkdir()
    (results / MANIFEST_NAME).write_text("{}", encoding="utf-8")
    (results / "ranking.xlsx").write_bytes(b"x")
    (results / "schools").mkdir()
    (results / "schools" / "0101.xlsx").write_bytes(b"x")

    found = discover(tmp_path)

    assert names(found.sources, tmp_path) == ["0101.xlsx"]
    assert found.skipped == [("report", "папка с результатами vosp-monitor")]
    inside = discover(results)
    assert (inside.sources, inside.skipped) == ([], [(".", "папка с результатами vosp-monitor")])


def test_validate_through_the_cli_lists_the_results_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from vosp_monitor.cli import main

    fill_form(tmp_path / "0101.xlsx", default_config(), *typical_school("0101", "Школа"))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / MANIFEST_NAME).write_text("{}", encoding="utf-8")
    (tmp_path / "out" / "ranking.xlsx").write_bytes(b"PK")
    result = CliRunner().invoke(main, ["validate", str(tmp_path), "--format", "json", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "ranking.xlsx" not in result.stdout
    assert "папка с результатами vosp-monitor" in result.stdout

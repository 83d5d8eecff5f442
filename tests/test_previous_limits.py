"""Earlier results (``--previous``) from anywhere: read with limits that follow this run, texts cut
as a form's, finite numbers only, the shape checked; anything else a clear Russian refusal."""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.cli import main
from vosp_monitor.dynamics import Limits, PreviousError, compare_years, read_previous
from vosp_monitor.dynamics.previous import MIN_BYTES
from vosp_monitor.errors import VospError
from vosp_monitor.results import Results, ResultsFileError
from vosp_monitor.writers.html_md.report import render_reports

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
LAST_YEAR = SAMPLES / "years" / "2024-2025" / "results.json"
NOW = "2025/2026 учебный год"
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
ENGLISH = re.compile(
    r"Input should|has no attribute|[Ff]ield required|is not a valid|unexpected|Traceback|Error\b"
)


def _score(tmp_path: Path, previous: Path, *extra: object):
    args = [
        "score",
        SAMPLES / "forms" / "0101.xlsx",
        "-o",
        tmp_path / "out",
        "--quiet",
        "--previous",
        previous,
    ]
    return CliRunner().invoke(main, [str(a) for a in [*args, *extra]])


def _last_year() -> dict[str, Any]:
    return json.loads(LAST_YEAR.read_text(encoding="utf-8"))


def test_nesting_five_thousand_levels_deep_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text('{"schema_version": 6, "x": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    result = _score(tmp_path, path)
    assert result.exit_code == 1, result.output
    assert "не похож на results.json vosp-monitor: вложенность данных глубже" in result.stderr


def test_a_file_larger_than_an_earlier_year_of_this_run_can_be_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    with path.open("wb") as handle:  # sparse: the size is refused before a byte is read
        handle.truncate(MIN_BYTES + 1)
    result = _score(tmp_path, path)
    assert result.exit_code == 1, result.output
    assert "слишком велик: 64 МБ, допускается до 64 МБ (в этом запуске 1 ОО" in result.stderr
    assert not (tmp_path / "out").exists()


def test_far_more_schools_than_this_run_has_is_refused_after_parsing(tmp_path: Path) -> None:
    data = _last_year()
    data["schools"] = data["schools"] * 5  # 125 schools against a run of one form: at most 2 × 1 + 100
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PreviousError, match=r"в результатах прошлого года 125 ОО, допускается до 102"):
        read_previous([path], "vospitanie-socializaciya", NOW, Limits(1))
    assert len(read_previous([path], "vospitanie-socializaciya", NOW, Limits(25))[0].results.schools) == 125


def test_a_twenty_million_character_name_is_cut_as_a_forms_would_be(tmp_path: Path) -> None:
    data = _last_year()
    data["schools"][0]["name"] = "Ш" * 3_000_000
    data["config"]["monitoring"]["title"] = "Т" * 3_000_000
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = _score(tmp_path, path)
    assert result.exit_code == 0, result.output
    for name in ("report.md", "report.html", "results.json"):
        text = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert "Ш" * 2001 not in text and "Т" * 2001 not in text
        assert (tmp_path / "out" / name).stat().st_size < 3_000_000


def test_an_archive_holding_this_runs_own_folder_is_read_without_it(tmp_path: Path) -> None:
    """«-o archive/2025-2026 --previous archive/» worked once, then refused its own output."""
    archive = tmp_path / "archive"
    (archive / "2024-2025").mkdir(parents=True)
    (archive / "2024-2025" / "results.json").write_bytes(LAST_YEAR.read_bytes())
    args = ["score", str(SAMPLES / "forms"), "-o", str(archive / "2025-2026"), "--quiet"]
    for _ in range(2):
        result = CliRunner().invoke(main, [*args, "--previous", str(archive)])
        assert result.exit_code == 0, result.output
    # this year's own results.json named directly: refused, with what to do
    again = CliRunner().invoke(main, [*args, "--previous", str(archive / "2025-2026" / "results.json")])
    assert again.exit_code == 1
    assert "результаты этого же запуска (из папки для результатов -o" in again.stderr


def test_same_period_without_a_period_in_either_says_to_set_it(tmp_path: Path) -> None:
    data = _last_year()
    data["config"]["monitoring"]["period"] = ""
    data["generated_at"] = "2026-05-01T10:00:00+00:00"
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(
        PreviousError, match=r"период не задан ни там, ни здесь.*Задайте период в monitoring\.period"
    ):
        read_previous([path], "vospitanie-socializaciya", "2026")


# --------------------------------------------------------------------------- anything at all


@functools.cache
def this_year() -> Results:
    """The samples' run, the year compared (a function, not a fixture: hypothesis prints its arguments)."""
    from vosp_monitor.pipeline import RunOptions, run

    return run(SAMPLES / "forms", None, None, RunOptions(jobs=1))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value[:3]):
            found += _paths(item, (*prefix, i))
    return found


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


BASE = _last_year()
PATHS = [path for path in _paths(BASE) if path]
LEAVES = [path for path in PATHS if path[0] != "config" and not isinstance(_at(BASE, path), dict | list)]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
SAME_KIND = {
    str: st.text(max_size=20)
    | st.sampled_from(["", "UPR", "KR-1", "высокий", "0101", "2024/2025 учебный год"]),
    int: st.integers(-(10**6), 10**6) | st.just(10**30),
    float: st.floats(-1e308, 1e308, allow_nan=False) | st.sampled_from([0.0, -0.0, 1e-300, 100.0]),
    bool: st.booleans(),
    type(None): st.none(),
}


def _mutated(changes: list[tuple[tuple[Any, ...], Any]]) -> Any:
    """Last year's results with the parts at the given places replaced (a place an earlier change
    removed is skipped)."""
    data = copy.deepcopy(BASE)
    for path, value in changes:
        try:
            _at(data, path[:-1])[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    return data


def _same_kind(index: int) -> st.SearchStrategy[tuple[tuple[Any, ...], Any]]:
    """Another value of the kind a leaf holds: shaped as the model says, odd in what it says."""
    path = LEAVES[index]
    return SAME_KIND[type(_at(BASE, path))].map(lambda value: (path, value))


CHANGES = st.lists(
    st.tuples(st.integers(0, len(PATHS) - 1).map(PATHS.__getitem__), JSON), min_size=1, max_size=2
) | st.lists(st.integers(0, len(LEAVES) - 1).flatmap(_same_kind), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(whole=st.none() | st.none() | st.none() | JSON.map(lambda value: [value]), changes=CHANGES)
def test_any_json_as_last_year_is_compared_or_refused_in_russian(tmp_path, whole, changes) -> None:
    """Arbitrary JSON (``whole``), and last year's results with parts replaced by arbitrary JSON
    (``changes``: places in it and what goes there): either the comparison and the справка are
    made, or a VospError (exit 1 or 2) says why in Russian."""
    data = whole[0] if whole is not None else _mutated(changes)
    note(f"changed: {changes}" if whole is None else "whole")
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    try:
        years = read_previous([path], "vospitanie-socializaciya", NOW, Limits(25))
    except VospError as exc:
        event("refused")
        assert exc.exit_code in (1, 2)
        assert CYRILLIC.search(str(exc)) and "Traceback" not in str(exc), str(exc)
        assert not ENGLISH.search(str(exc)), str(exc)
        return
    results = copy.copy(this_year())
    results.dynamics = compare_years(results, years)
    render_reports(results, tmp_path / "out", cards=False, charts=False)
    event("compared")


def test_arbitrary_json_through_the_cli_exits_1_with_a_russian_message(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    for text in ("[]", '"текст"', "{}", '{"schema_version": true}', '{"schema_version": 6}'):
        path.write_text(text, encoding="utf-8")
        result = _score(tmp_path, path)
        assert result.exit_code == 1, (text, result.output)
        assert result.stderr.startswith(f"Ошибка: файл {path} не похож на results.json vosp-monitor"), (
            result.stderr
        )


def test_the_shape_check_names_the_place(tmp_path: Path) -> None:
    data = _last_year()
    data["schools"][3]["blocks"]["UPR"]["score"] = "высокий"
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ResultsFileError) as error:
        read_results_json(path)
    assert str(error.value).endswith("schools[3].blocks.UPR.score: ожидалось число или пусто, найдено: текст")

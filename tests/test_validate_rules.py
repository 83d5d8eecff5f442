"""The rules added for issue 9 (what is scored is what the school sees, look-alike codes,
plausibility, bounded text) and the shape of issue 10 (a Checker, statuses from consequences).

Real workbooks written by the form writer and read by ingest; cells the reader of this
branch does not mark yet (hidden sheets, cut texts) are set on the RawForm it returned.
"""

from __future__ import annotations

import functools
import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from test_validate import F, P, _edit, check, field_cell, found, ind_cell, variant_config
from vosp_monitor.config import Config, default_config_path, parse_config
from vosp_monitor.ingest import RawForm, read_form
from vosp_monitor.problems import Consequence, Severity
from vosp_monitor.validate import Checker, check_submission
from vosp_monitor.validate.submission import EntryStatus, Normalisation
from workbooks import default_config, fill_form, typical_school


def _raw(tmp_path: Path, config: Config | None = None, code: str = "0101", **overrides: object) -> RawForm:
    """The typical school (with ``overrides``) written by the form writer and read back."""
    config = config or default_config()
    path = fill_form(tmp_path / "0101.xlsx", config, *typical_school(code, "Школа", **overrides))
    raw = read_form(path, config, path.name)
    assert isinstance(raw, RawForm), raw
    return raw


# --------------------------------------------------------------------------- Checker


def test_checker_is_built_once_pickles_and_checks_like_check_submission(tmp_path):
    raw = _raw(tmp_path, **{"UPR-4": "много", "ROD-3": "65,5"})
    checker = pickle.loads(pickle.dumps(Checker(default_config())))
    assert isinstance(checker, Checker)
    assert checker.check(raw) == check_submission(raw, default_config())
    assert found(checker.check(raw)) == [("value-not-number", ind_cell("UPR-4"), "UPR-4")]


def test_status_and_exclusion_follow_from_the_consequences(tmp_path):
    """The same mistake under each policy for wrong values: only the consequence differs, and with it the rest."""
    for config, consequence, status, excluded in (
        (default_config(), Consequence.school_excluded, EntryStatus.invalid, True),
        (variant_config(), Consequence.indicator_zero, EntryStatus.zero, False),
    ):
        sub = check(tmp_path, config, **{"UPR-4": "много"})
        assert [p.consequence for p in sub.problems] == [consequence]
        assert sub.indicators["UPR-4"].status == status
        assert sub.excluded is excluded
        sub.problems.clear()
        assert not sub.excluded  # nothing else remembers the exclusion


# --------------------------------------------------------------------------- the form as the school sees it


def _add_row(path: Path, code: str, value: object) -> int:
    """Type a second row with ``code`` at the bottom of «Показатели»; returns its number."""
    column = "".join(ch for ch in ind_cell(code) if ch.isalpha())
    added: list[int] = []

    def edit(workbook):
        sheet = workbook[P]
        row = sheet.max_row + 1
        sheet[f"A{row}"] = code
        sheet[f"{column}{row}"] = value
        added.append(row)

    _edit(path, edit)
    return added[0]


@pytest.mark.parametrize(
    ("config", "consequence", "status"),
    [
        (default_config, Consequence.school_excluded, EntryStatus.invalid),
        (variant_config, Consequence.indicator_zero, EntryStatus.zero),  # UPR-4 has invalid: zero
    ],
)
def test_a_repeated_indicator_row_is_an_error_not_ignored(tmp_path, config, consequence, status):
    config = config()
    path = fill_form(tmp_path / "0101.xlsx", config, *typical_school("0101", "Школа"))
    row = _add_row(path, "UPR-4", 50)
    raw = read_form(path, config, path.name)
    assert isinstance(raw, RawForm)
    sub = check_submission(raw, config)
    assert found(sub) == [("indicator-row-duplicate", f"A{row}", "UPR-4")]
    problem = sub.problems[0]
    assert (problem.sheet, problem.severity, problem.consequence) == (P, Severity.error, consequence)
    first_row = ind_cell("UPR-4", config=config)[1:]
    assert problem.message == (
        f"Строка показателя UPR-4 встречается в форме ещё раз (первая — строка {first_row}); "
        "какое значение верное, неизвестно"
    )
    assert sub.indicators["UPR-4"].status == status
    assert sub.indicators["UPR-4"].value is None


def test_hidden_sheets_are_reported_except_the_forms_own(tmp_path):
    raw = _raw(tmp_path)
    raw.hidden_sheets = ["_lists", "_vosp", "Показатели (старые данные)"]
    sub = check_submission(raw, default_config())
    assert [(p.code, p.sheet, p.severity) for p in sub.problems] == [
        ("sheet-hidden", "Показатели (старые данные)", Severity.warning)
    ]
    assert sub.problems[0].message.startswith("Лист «Показатели (старые данные)» скрыт и не читается")
    assert not sub.excluded


def test_a_cut_text_is_a_warning_at_its_cell(tmp_path):
    raw = _raw(tmp_path)
    raw.fields["name"] = replace(raw.fields["name"], value="Ш" * 2000, truncated_from=41_943_040)
    comment = raw.indicators["KR-1"]["comment"]
    raw.indicators["KR-1"]["comment"] = replace(comment, value="к" * 2000, truncated_from=2001)
    sub = check_submission(raw, default_config())
    assert [(p.code, p.location, p.indicator) for p in sub.problems] == [
        ("text-truncated", f"{F}!{field_cell('name')}", ""),
        ("text-truncated", f"{P}!{comment.cell}", "KR-1"),
    ]
    assert sub.problems[0].message == (
        "Текст в ячейке сокращён до 2000 символов (было 41\u00a0943\u00a0040); в результаты попадает только начало"
    )
    assert not sub.excluded


# --------------------------------------------------------------------------- look-alike school codes


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("０１０１", "U+FF10 FULLWIDTH DIGIT ZERO"),
        ("0101\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\ufeff01\u206001", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ],
)
def test_a_look_alike_code_is_read_as_a_person_reads_it_and_reported(tmp_path, typed, named):
    sub = check_submission(_raw(tmp_path, code=typed), default_config())
    assert sub.school_code == "0101"
    assert sub.fields["code"] == "0101"
    assert found(sub) == [("school-code-normalised", field_cell("code"), "")]
    problem = sub.problems[0]
    assert (problem.severity, problem.value, problem.school) == (Severity.warning, typed, "0101")
    assert f"введён как «{typed}» и прочитан как «0101»" in problem.message
    assert named in problem.message
    assert sub.normalisations == [Normalisation("0101.xlsx", F, field_cell("code"), "code", typed, "0101")]
    assert not sub.excluded


def test_a_code_of_invisible_characters_only_is_missing(tmp_path):
    sub = check_submission(_raw(tmp_path, code="\u200b\u200b"), default_config())
    assert found(sub) == [("field-missing", field_cell("code"), "")]
    assert sub.school_code == "" and sub.excluded


# --------------------------------------------------------------------------- plausibility


def test_a_typed_denominator_above_its_contingent_is_a_wrong_value_like_any_other(tmp_path):
    """RES-5: 500 on the register of a school with 400 pupils. Its ``missing: not_applicable``
    is about an empty register, not about wrong numbers: those follow validation.invalid_value."""
    assert default_config().indicator("RES-5").denominator_within == "students"
    sub = check(tmp_path, **{"RES-5": (2, 500)})
    assert found(sub) == [("denominator-above-contingent", ind_cell("RES-5", "denominator"), "RES-5")]
    problem = sub.problems[0]
    assert problem.consequence == Consequence.school_excluded
    assert problem.message == (
        "Показатель RES-5: знаменатель 500 больше, чем «Численность обучающихся, чел.» (400)"
    )
    assert sub.indicators["RES-5"].status == EntryStatus.invalid
    assert sub.excluded


def test_an_absurd_typed_denominator_is_a_warning_and_the_value_is_kept(tmp_path):
    """ROD-5 counts surveyed parents: no contingent bounds it, the sanity bound does."""
    sub = check(tmp_path, **{"ROD-5": (10**12, 10**12)})
    assert found(sub) == [("value-implausible", ind_cell("ROD-5", "denominator"), "ROD-5")]
    problem = sub.problems[0]
    assert (problem.severity, problem.consequence) == (Severity.warning, Consequence.none)
    assert problem.message == (
        "Показатель ROD-5: знаменатель 1\u00a0000\u00a0000\u00a0000\u00a0000 больше 100\u00a0000; проверьте ввод"
    )
    assert sub.indicators["ROD-5"].status == EntryStatus.ok
    assert sub.indicators["ROD-5"].value == pytest.approx(100.0)


@functools.cache
def _unbounded_count_config() -> Config:
    """The default config with UPR-4 (a count) left without ``max``."""
    text = default_config_path().read_text(encoding="utf-8")
    old = (
        '        type: count\n        unit: "ед."\n        min: 0\n        max: 100\n'
        "        scoring:\n          method: bands\n          bands:\n            - {from: 0, to: 5, points: 0}"
    )
    assert text.count(old) == 1
    config = parse_config(text.replace(old, old.replace("        max: 100\n", "")))
    assert config.indicator("UPR-4").max is None
    return config


def test_a_count_without_max_beyond_the_sanity_bound_is_a_warning(tmp_path):
    config = _unbounded_count_config()
    assert check(tmp_path, config, **{"UPR-4": 100_000}).problems == []
    sub = check(tmp_path, config, **{"UPR-4": 250_000})
    assert [(p.code, p.cell, p.severity) for p in sub.problems] == [
        ("value-implausible", ind_cell("UPR-4", config=config), Severity.warning)
    ]
    assert "значение 250\u00a0000 больше 100\u00a0000" in sub.problems[0].message
    assert sub.indicators["UPR-4"].value == 250_000.0
    # a count with a max in the config is an error beyond it, not also a warning
    sub = check(tmp_path, **{"UPR-4": 250_000})
    assert [p.code for p in sub.problems] == ["value-out-of-range"]


def test_denominator_within_is_checked_by_the_loader():
    from vosp_monitor.config import ConfigError

    text = default_config_path().read_text(encoding="utf-8")
    for within, words in (("nope", "нет поля «nope»"), ("name", "поле «name» не числовое")):
        broken = text.replace("denominator_within: students", f"denominator_within: {within}")
        with pytest.raises(ConfigError) as caught:
            parse_config(broken)
        assert any(
            words in issue.message and "denominator_within" in str(issue) for issue in caught.value.issues
        )

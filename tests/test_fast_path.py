"""The shortcuts of ``validate.fast`` decide nothing the rules would decide otherwise.

A :class:`Checker` with its shortcuts and one without (``shortcuts=False``: every indicator
through its rules) must turn every form into the same :class:`Submission`, of the same types (its repr) and
after pickling (what a worker sends): on the sample forms of every config (schools, computed
indicators, the territories' own forms), and on real forms whose cells hypothesis replaces
with what schools type — text, comma decimals, percent signs and formats, «да» in any
spelling, options padded or retyped, error cells, uncalculated formulas, empty cells,
negative, fractional, huge, infinite values, dates, school codes with look-alike characters
— in indicators and school fields, with rows missing or repeated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vosp_monitor.config import Config, default_config_path, load_config, parse_config, territory_config
from vosp_monitor.ingest import RawForm, read_form
from vosp_monitor.ingest.raw import RawCell
from vosp_monitor.validate import Checker
from vosp_monitor.validate.crossfield import numeric_fields
from vosp_monitor.validate.fast import compile_fast

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@functools.cache
def _checkers(name: str) -> tuple[Checker, Checker]:
    config = _configs()[name]
    return Checker(config), Checker(config, shortcuts=False)


def _same(name: str, raw: RawForm) -> None:
    with_shortcuts, rules_only = _checkers(name)
    fast, rules = with_shortcuts.check(raw), rules_only.check(raw)
    assert fast == rules
    assert repr(fast) == repr(rules)  # the same types too: 1 and 1.0, a date and a datetime
    assert pickle.loads(pickle.dumps(fast)) == rules  # what a worker sends


@functools.cache
def _variant() -> Config:
    """The default config with a log-scaled percent, a «мало данных» limit on every share, a
    numerator bounded by a school field and a count without a maximum."""
    text = default_config_path().read_text(encoding="utf-8")
    text = text.replace(
        "          low: 30\n          high: 90\n          max_points: 3\n",
        "          low: 30\n          high: 90\n          max_points: 3\n          transform: log\n",
    )
    text = text.replace("validation:\n", "validation:\n  min_denominator: 150\n", 1)
    text = text.replace(
        '        numerator: "Число ответов «полностью удовлетворён» и «скорее удовлетворён»"\n',
        '        numerator: "Число ответов «полностью удовлетворён» и «скорее удовлетворён»"\n'
        "        numerator_within: families\n",
    )
    text = text.replace(
        "        max: 200\n        scoring:\n          method: bands\n          bands:\n"
        "            - {from: 0, to: 1, points: 0}\n            - {from: 1, to: 4,",
        "        scoring:\n          method: bands\n          bands:\n"
        "            - {from: 0, to: 1, points: 0}\n            - {from: 1, to: 4,",
    )
    config = parse_config(text)
    assert config.indicator("ROD-3").log_scale and config.validation.min_denominator == 150
    assert config.indicator("ROD-5").numerator_within == "families" and config.indicator("ROD-4").max is None
    return config


@functools.cache
def _configs() -> dict[str, Config]:
    default = load_config()
    region = load_config(SAMPLES / "region" / "indicators.yaml")
    territory = territory_config(region)
    assert territory is not None
    return {
        "default": default,
        "variant": _variant(),
        "computed": load_config(SAMPLES / "computed" / "indicators.yaml"),
        "territory": territory,
    }


_SAMPLE_SETS = [
    ("default", SAMPLES / "forms", "*.xlsx"),
    ("variant", SAMPLES / "forms", "*.xlsx"),
    ("default", SAMPLES / "region" / "forms", "*/0*.xlsx"),
    ("computed", SAMPLES / "computed" / "forms", "*.xlsx"),
    ("territory", SAMPLES / "region" / "forms", "*/муниципалитет.xlsx"),
]


@pytest.mark.parametrize(("name", "folder", "pattern"), _SAMPLE_SETS)
def test_the_sample_forms_check_alike_with_and_without_shortcuts(name, folder, pattern):
    config = _configs()[name]
    files = sorted(folder.glob(pattern))
    assert len(files) >= 2
    taken = 0
    for path in files:
        raw = read_form(path, config, path.name)
        if isinstance(raw, RawForm):
            _same(name, raw)
            taken += 1
    assert taken >= 2


@pytest.mark.parametrize("name", ["default", "computed"])
def test_the_shortcuts_decide_every_indicator_of_a_plainly_valid_form(name):
    config = _configs()[name]
    raw = _base_forms()[name]
    checked = _checkers(name)[1].check(raw)
    assert not checked.problems and all(entry.status == "ok" for entry in checked.indicators.values())
    numbers = numeric_fields(checked.fields)
    decided = {
        code: rule(raw.indicators[code], checked.fields, numbers)
        for code in raw.indicators
        if (rule := compile_fast(config.indicator(code), config)) is not None
    }
    assert decided == checked.indicators and len(decided) == len(config.indicators())
    assert any(config.indicator(code).type == "computed" for code in decided) == (name == "computed")


_TEXTS = (
    "12,5", "1 234", "30 %", "30%", "−3", "+4", "12.5", " 7 ", "abc", "нет данных", "да", "Да", "ДА",
    " да", "да.", "нет", "Нет", "НЕТ", "+", "-", "yes", "1", "0", "#DIV/0!", "#Н/Д", "", "  ",
    "０１０１", "01 01", " 0101", "0101\u200b", "15.05.2026", "2026-05-15",
)  # fmt: skip
_NUMBERS = st.one_of(
    st.integers(min_value=-5, max_value=1000),
    st.floats(min_value=-10, max_value=1000, allow_nan=False),
    st.sampled_from([0, 0.0, 1, 1.0, 0.5, 99.999, 100, 100.0, 150_000, 1e300, float("inf"), float("nan")]),
)


@st.composite
def _cell_edit(draw: st.DrawFn, options: list[str]) -> tuple[object, str | None, bool, bool]:
    """(value, error text, formula without value, percent format) of one cell."""
    padded = [text for o in options for text in (f" {o}", o.upper(), o.lower(), f"«{o}»", f"2. {o}")]
    value = draw(
        st.one_of(
            _NUMBERS,
            st.booleans(),
            st.none(),
            st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
            st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2030, 1, 1)),
            st.sampled_from(_TEXTS),
            st.sampled_from(options or ["x"]),
            st.sampled_from(padded or ["x"]),
        )
    )
    error = draw(st.sampled_from([None, None, None, "#DIV/0!"])) if value in ("", None) else None
    return value, error, draw(st.booleans()) and value in ("", None), draw(st.booleans())


def _edited(cell: RawCell, edit: tuple[object, str | None, bool, bool]) -> RawCell:
    value, error, formula, percent = edit
    return dataclasses.replace(
        cell, value=value, error=error, formula_without_value=formula, percent_format=percent
    )  # type: ignore[arg-type]


@functools.cache
def _base_forms() -> dict[str, RawForm]:
    configs = _configs()
    forms = {}
    for name, folder, pattern in _SAMPLE_SETS:
        if name in forms:
            continue
        path = sorted(folder.glob(pattern))[1]
        raw = read_form(path, configs[name], path.name)
        assert isinstance(raw, RawForm)
        forms[name] = raw
    return forms


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=st.sampled_from(["default", "variant", "computed", "territory"]))
def test_edited_forms_check_alike_with_and_without_shortcuts(data, name):
    config = _configs()[name]
    raw = _base_forms()[name]
    indicators = {code: dict(cells) for code, cells in raw.indicators.items()}
    fields = dict(raw.fields)
    options = {ind.code: [o.label for o in ind.options or []] for ind in config.indicators()}
    for code in sorted(indicators):
        roles = sorted(role for role in indicators[code] if role != "comment")
        if roles and data.draw(st.integers(0, 2)) == 0:
            role = data.draw(st.sampled_from(roles))
            indicators[code][role] = _edited(indicators[code][role], data.draw(_cell_edit(options[code])))
    choices = {f.key: f.choices or [] for f in config.school_fields}
    for key in data.draw(st.lists(st.sampled_from(sorted(fields)), max_size=4)):
        fields[key] = _edited(fields[key], data.draw(_cell_edit(choices[key])))
    for code in data.draw(st.lists(st.sampled_from(sorted(indicators)), max_size=2)):
        indicators.pop(code, None)  # a row deleted
    repeated = data.draw(st.lists(st.sampled_from(sorted(options)), max_size=2))
    duplicates = [RawCell("Показатели", f"B{90 + i}", code) for i, code in enumerate(repeated)]
    edited = dataclasses.replace(raw, indicators=indicators, fields=fields, duplicate_codes=duplicates)
    _same(name, edited)


_EDGES = [
    ("ROD-4", "value", 150_000, False),  # a count without maximum above the plausible bound: a warning
    ("ROD-4", "value", 100_000, False),
    ("families", "", 100.0, False),  # below the numerator of ROD-5 (``numerator_within``)
    ("families", "", 500.0, False),
    ("ROD-5", "denominator", 149, False),  # below min_denominator: «мало данных»
    ("ROD-5", "denominator", 150, False),
    ("ROD-5", "denominator", 0, False),
    ("ROD-3", "value", 0, False),  # the log scale cannot take 0
    ("ROD-3", "value", 0.3, True),  # a percent format: 30 %, with a note
    ("ROD-3", "value", 100.0001, False),
    ("RES-5", "numerator", 5, False),  # above its denominator
    ("KR-5", "value", True, False),
    ("KR-5", "value", 1, False),  # 1 as «да», with a note
    ("code", "", "０１０１", False),  # a school code in full-width digits: a warning
    ("code", "", "01 01", False),
    ("code", "", " 0101 ", False),
    ("school_type", "", "средняя школа", False),  # an option in another case: a note
    ("school_type", "", "Средняя школа", False),
    ("filled_on", "", dt.datetime(2026, 5, 20, 10, 30), False),
    ("students", "", 400.5, False),  # a count with a fraction
]


@pytest.mark.parametrize(("code", "role", "value", "percent"), _EDGES)
def test_the_edges_of_each_shortcut_check_alike(code, role, value, percent):
    raw = _base_forms()["variant"]
    indicators = {c: dict(cells) for c, cells in raw.indicators.items()}
    fields = dict(raw.fields)
    if code in fields:
        fields[code] = _edited(fields[code], (value, None, False, percent))
    else:
        indicators[code][role] = _edited(indicators[code][role], (value, None, False, percent))
    _same("variant", dataclasses.replace(raw, indicators=indicators, fields=fields))


@functools.cache
def _computed_variant() -> Config:
    """The computed sample with a maximum on EV-1, a yes/no input and a bounded input on OLY-1."""
    text = (SAMPLES / "computed" / "indicators.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "        formula: events / students * 100     # students ≥ 1 (min в сведениях об ОО)\n",
        "        formula: events / students * 100\n        max: 50\n",
    )
    text = text.replace(
        '          - {key: intl, label: "Победы на международном уровне"}\n'
        "        formula: mun + 2 * reg + 3 * fed + min(5 * intl, 15)\n",
        '          - {key: intl, label: "Победы на международном уровне", type: number, min: -1, max: 9}\n'
        '          - {key: host, label: "Проводили конкурс", type: yesno}\n'
        "        formula: mun + 2 * reg + 3 * fed + min(5 * intl, 15) + host\n",
    )
    config = parse_config(text)
    assert config.indicator("EV-1").max == 50 and len(config.indicator("OLY-1").inputs) == 5
    return config


_COMPUTED_EDGES = [
    ("EV-1", "events", 320),  # 50 on 100 pupils: the maximum
    ("EV-1", "events", 321),  # above it
    ("ROD-6", "r1", -3),  # a negative count
    ("ROD-6", "R", 148),  # the check r1 + r2 <= R holds exactly
    ("ROD-6", "R", 147),  # it fails
    ("ROD-6", "R", 0),
    ("RAT-1", "N", 34),  # I + II + III = 34, but the «мало данных» limit is 5: not small
    ("OLY-1", "intl", 9.5),  # above the input's max
    ("OLY-1", "intl", -0.5),  # a number input may be fractional and negative within its range
    ("OLY-1", "host", "да"),
    ("OLY-1", "host", "Нет"),
    ("OLY-1", "host", True),
    ("OLY-1", "host", 1),  # 1 as «да»: a note
    ("OLY-1", "host", "есть"),
    ("OLY-1", "mun", 100_001),  # a count worth a warning
]


@pytest.mark.parametrize(("code", "key", "value"), _COMPUTED_EDGES)
def test_the_edges_of_a_computed_shortcut_check_alike(code, key, value):
    config = _computed_variant()
    raw = _base_forms()["computed"]
    indicators = {c: dict(cells) for c, cells in raw.indicators.items()}
    indicators["OLY-1"]["host"] = RawCell("Показатели", "D40", "нет")
    indicators[code][key] = _edited(indicators[code][key], (value, None, False, False))
    edited = dataclasses.replace(raw, indicators=indicators)
    fast, rules = Checker(config).check(edited), Checker(config, shortcuts=False).check(edited)
    assert fast == rules and repr(fast) == repr(rules)


def test_a_checker_pickles_with_or_without_its_shortcuts():
    config = _configs()["computed"]
    for shortcuts in (True, False):
        again = pickle.loads(pickle.dumps(Checker(config, shortcuts=shortcuts)))
        assert type(again) is Checker and again.shortcuts is shortcuts
        raw = _base_forms()["computed"]
        assert again.check(raw) == Checker(config).check(raw)

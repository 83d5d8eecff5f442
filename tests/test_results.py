"""results.json: the round trip, streaming, and every schema version read forever."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from close import assert_close
from factories import make_results
from vosp_monitor.analysis.stored import read_results_json, results_from_dict
from vosp_monitor.cli import main
from vosp_monitor.results import (
    SCHEMA_VERSION,
    BlockResult,
    IndicatorResult,
    ResultsFileError,
    results_to_dict,
    write_results_json,
)
from vosp_monitor.results import store as store_module

FIXTURES = Path(__file__).parent / "fixtures" / "results"


def test_round_trip_keeps_everything(tmp_path):
    results = make_results(n_schools=12, seed=4)
    write_results_json(results, tmp_path / "results.json")
    again = read_results_json(tmp_path / "results.json")
    assert results_to_dict(again) == results_to_dict(results)
    assert again.targets == results.targets and again.group_stats == results.group_stats
    assert again.risk == results.risk and again.excluded == results.excluded
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION == 9
    assert again.conclusions == results.conclusions and again.conclusions.blocks
    assert results_to_dict(results_from_dict(data)) == data


def test_large_runs_stream_a_compact_results_json(tmp_path, monkeypatch):
    results = make_results(n_schools=5, seed=2)
    results.schools[1].blocks = {k: BlockResult(k, float("nan")) for k in results.schools[1].blocks}
    monkeypatch.setattr(store_module, "INDENT_UP_TO", 0)
    write_results_json(results, tmp_path / "results.json")
    text = (tmp_path / "results.json").read_text(encoding="utf-8")
    assert "\n" not in text
    data = json.loads(text)
    assert data == results_to_dict(results)
    assert all(b["score"] is None for b in data["schools"][1]["blocks"].values())  # NaN → null


def test_json_record_dicts_follow_the_dataclass_fields():
    ind = IndicatorResult("A", 1.5, 2.0, 3.0, 66.6, "ok", 3.0, 4.0, True, False, {"r": 2.0}, True)
    block = BlockResult("B", 50.0, 1.0, 2.0, 3, True)
    assert list(store_module._indicator_dict(ind).items()) == list(asdict(ind).items())
    assert store_module._indicator_from_dict(asdict(ind)) == ind
    assert list(store_module._block_dict(block).items()) == list(asdict(block).items())


# --------------------------------------------------------------------------- older schemas


@pytest.fixture(scope="module", params=["v1.json", "v2.json", "v3.json"])
def fixture_results(request):
    """The results.json fixtures of one run of the samples (schemas 1 and 2), never regenerated."""
    return read_results_json(FIXTURES / request.param)


def test_schema_4_is_read_with_its_conclusions():
    results = read_results_json(FIXTURES / "v4.json")
    assert results.schema_version == SCHEMA_VERSION
    assert len(results.schools) == 21 and [e.code for e in results.excluded] == ["0107", "0115", "0121"]
    facts = results.conclusions
    assert (facts.strongest_block, facts.weakest_block, facts.blocks_notable) == ("UPR", "RES", True)
    assert facts.systemic_with_target_met == ["RES-2", "KR-1"]
    (kind, locality) = facts.total_gaps
    assert (kind.high, kind.low, kind.notable) == ("Гимназия, лицей", "Основная школа", True)
    assert kind.gap == pytest.approx(46.1195, abs=1e-3) and (locality.high, locality.low) == ("город", "село")
    # The stored facts are the ones today's analysis draws from the stored statistics.
    from vosp_monitor.analysis import draw_conclusions

    again = draw_conclusions(
        results.config,
        results.block_stats,
        results.indicator_stats,
        results.group_stats,
        results.targets,
        results.schools,
        results.risk,
        results.leaders,
    )
    assert again == facts


def test_schema_4_renders_its_report_and_every_card(tmp_path):
    shutil.copy(FIXTURES / "v4.json", tmp_path / "results.json")
    result = CliRunner().invoke(main, ["report", str(tmp_path / "results.json"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out" / "schools").glob("*.html"))) == 21 + 3
    text = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "Выявлено 4 системных дефицита" in text.replace("\u00a0", " ")


def test_older_schemas_get_their_conclusions_computed(fixture_results):
    facts = fixture_results.conclusions
    assert facts.blocks and facts.strongest_block and facts.total_gaps
    assert (facts.total_gaps[0].high, facts.total_gaps[0].low) == ("Гимназия, лицей", "Основная школа")


def test_every_schema_version_is_read_with_all_fields(fixture_results):
    results = fixture_results
    assert results.schema_version == SCHEMA_VERSION
    assert [s.code for s in results.schools][:3] == ["0103", "0104", "0123"]
    assert len(results.schools) == 22
    # Excluded schools carry the problems that excluded them, as data.
    assert [(e.code, [p.code for p in e.problems]) for e in results.excluded] == [
        ("0115", ["value-not-number"]),
        ("0121", ["field-missing"]),
    ]
    assert results.excluded[0].problems[0].cell == "D9"
    # Findings that schema 1 did not store are computed from its schools.
    assert results.leaders == ["0103", "0104", "0123"]
    assert [r.code for r in results.risk] == ["0117", "0109", "0122"]
    assert all(r.lowest_level and not r.blocks_below_base for r in results.risk)
    target = results.targets["UPR-5"]
    assert (target.kind, target.met, len(target.reached), len(target.missed)) == ("pooled", False, 5, 17)
    assert target.district == pytest.approx(results.indicator_stats["UPR-5"].pooled)
    groups = {(g.key, g.value): g for g in results.group_stats}
    assert groups[("school_type", "Гимназия, лицей")].count == 2
    assert groups[("school_type", "Гимназия, лицей")].total.mean == pytest.approx(95.8705357, abs=1e-6)
    assert sum(g.count for g in results.group_stats if g.key == "school_type") == 22


def test_v1_and_v2_render_the_same_report(tmp_path):
    """The fixtures hold the same run of samples/; only the date and version lines may differ."""
    texts = []
    for name in ("v1.json", "v2.json"):
        shutil.copy(FIXTURES / name, tmp_path / name)
        out = tmp_path / name.removesuffix(".json")
        result = CliRunner().invoke(main, ["report", str(tmp_path / name), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert len(list((out / "schools").glob("*.html"))) == 22 + 2  # ranked and excluded schools
        text = (out / "report.md").read_text(encoding="utf-8")
        texts.append(
            [
                line
                for line in text.splitlines()
                if "Дата формирования" not in line and "vosp-monitor" not in line
            ]
        )
    assert texts[0] == texts[1]
    assert "Показатель UPR-4: введено «нет данных»" in "\n".join(texts[0])  # the excluded school's reason


def _unnumbered(line: str) -> str:
    """A line without its table's or figure's number: a section more numbers the later ones on."""
    return re.sub(r"^(Таблица|Рисунок) \d+ —", r"\1 —", line)


def test_v3_adds_the_robustness_section_to_the_same_report(tmp_path):
    """v3 holds the same run with rank robustness: the v2 report plus the «Устойчивость мест» section."""
    texts = {}
    for name in ("v2.json", "v3.json"):
        shutil.copy(FIXTURES / name, tmp_path / name)
        out = tmp_path / name.removesuffix(".json")
        result = CliRunner().invoke(main, ["report", str(tmp_path / name), "-o", str(out), "--no-cards"])
        assert result.exit_code == 0, result.output
        texts[name] = (out / "report.md").read_text(encoding="utf-8")
    before, _, after = texts["v3.json"].partition("## Устойчивость мест")
    section, heading, rest = after.partition("## 6. ")
    assert (
        "Места 7 и 8; 9 и 10; 11–15; 17–19 надёжно различить нельзя" in section
        and "Если исключить один показатель" in section
    )

    def lines(text: str) -> list[str]:
        return [
            _unnumbered(line)
            for line in text.splitlines()
            if "Дата формирования" not in line and "vosp-monitor" not in line
        ]

    assert lines(before + heading + rest) == lines(texts["v2.json"])
    assert "## Качество системы показателей" in texts["v2.json"]  # derived from v2's schools


def test_older_schemas_get_the_audit_from_their_schools_but_no_robustness():
    old = read_results_json(FIXTURES / "v2.json")
    new = read_results_json(FIXTURES / "v3.json")
    assert old.uncertainty is None and new.uncertainty is not None
    # v2's audit is computed here from its schools, v3's was stored by another machine.
    assert_close(old.audit, new.audit)
    assert [p.code for p in new.uncertainty.places[:3]] == ["0103", "0104", "0123"]
    assert new.uncertainty.removals and new.uncertainty.sensitivity


def test_v5_adds_only_the_dynamics_section(tmp_path):
    """v5 holds v4's run compared with samples/years: its справка is v4's plus one section,
    one conclusion that points to it and one decision on last year's order (the numbers of
    the conclusions and decisions after them move on)."""
    texts = []
    for name in ("v4.json", "v5.json"):
        shutil.copy(FIXTURES / name, tmp_path / name)
        out = tmp_path / name.removesuffix(".json")
        result = CliRunner().invoke(main, ["report", str(tmp_path / name), "-o", str(out), "--no-cards"])
        assert result.exit_code == 0, result.output
        texts.append((out / "report.md").read_text(encoding="utf-8"))
    older, newer = texts
    assert "Динамика и эффективность принятых мер" not in older
    heading = re.search(r"^## [^\n]*Динамика и эффективность принятых мер", newer, re.MULTILINE)
    assert heading is not None
    start = heading.start()
    signature = next(line for line in older.splitlines() if "И.О. Фамилия" in line)  # after the last section
    end = newer.index(signature, start)
    kr1 = "KR-1: 2023/2024 — 21,4 %; 2024/2025 — 27,5 %; 2025/2026 — 33,2 % — цель достигнута впервые"
    assert kr1.replace(" %", "\u00a0%") in newer[start:end]

    def kept(text: str) -> list[str]:
        return [
            re.sub(r"^(\| )?\d+(\.| \|) ", "", _unnumbered(line))
            for line in text.splitlines()
            if "Дата формирования" not in line and "vosp-monitor" not in line
            if "Принять к сведению итоги исполнения приказа" not in line
        ]

    since = re.compile(
        r"^По сравнению с 2024/2025 средний итоговый балл вырос с 62,0 до\s68,8; .*устранены 26"
    )
    conclusion = [line for line in kept(newer[:start]) if since.match(line)]
    assert len(conclusion) == 1
    assert [line for line in kept(newer[:start] + newer[end:]) if line not in conclusion] == kept(older)
    assert all(read_results_json(FIXTURES / f"v{n}.json").dynamics is None for n in (1, 2, 3, 4))
    assert read_results_json(FIXTURES / "v5.json").dynamics.previous == "2024/2025 учебный год"


def test_v6_adds_the_heads_names_that_the_letters_are_addressed_to(tmp_path):
    """v6 is v5's run with each head's name: only the letters' addressee and greeting differ."""
    import docx

    letters = {}
    for name in ("v5.json", "v6.json"):
        shutil.copy(FIXTURES / name, tmp_path / name)
        out = tmp_path / name.removesuffix(".json")
        result = CliRunner().invoke(main, ["report", str(tmp_path / name), "-o", str(out)])
        assert result.exit_code == 0, result.output
        letters[name] = "\n".join(
            cell.text
            for table in docx.Document(str(out / "letters" / "0101.docx")).tables
            for cell in table._cells
        ) + "\n".join(p.text for p in docx.Document(str(out / "letters" / "0101.docx")).paragraphs)
    assert {s.head for s in read_results_json(FIXTURES / "v5.json").schools} == {""}
    heads = {s.code: s.head for s in read_results_json(FIXTURES / "v6.json").schools}
    assert heads["0101"] == "Сказкина В. С."
    assert "В.С.\u00a0Сказкиной" in letters["v6.json"] and "Сказкин" not in letters["v5.json"]
    assert "Уважаемый руководитель!" in letters["v5.json"]
    assert "Руководителю МБОУ «СОШ № 1 р.п. Вымышленное»" in letters["v5.json"]


def test_v1_nothing_applicable_reason_becomes_a_problem():
    data = json.loads((FIXTURES / "v1.json").read_text(encoding="utf-8"))
    data["excluded"].append(
        {"file": "9.xlsx", "code": "9", "name": "Школа 9", "reasons": ["ни один показатель не применим"]}
    )
    results = results_from_dict(data)
    entry = results.excluded[-1]
    assert [p.code for p in entry.problems] == ["school-nothing-applicable"]
    assert entry.problems[0].file == "9.xlsx" and entry.problems[0] in results.problems


def test_a_newer_schema_is_refused_with_a_russian_message(tmp_path):
    data = json.loads((FIXTURES / "v2.json").read_text(encoding="utf-8"))
    data["schema_version"] = SCHEMA_VERSION + 1
    (tmp_path / "results.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultsFileError, match=r"более новой версией vosp-monitor.*Обновите vosp-monitor"):
        read_results_json(tmp_path / "results.json")
    result = CliRunner().invoke(main, ["report", str(tmp_path / "results.json")])
    assert result.exit_code == 1
    assert "Обновите vosp-monitor" in result.stderr


@pytest.mark.parametrize("version", [None, "2", 0, True])
def test_a_file_without_a_schema_version_is_not_a_results_json(tmp_path, version):
    data = json.loads((FIXTURES / "v2.json").read_text(encoding="utf-8"))
    data["schema_version"] = version
    (tmp_path / "results.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultsFileError, match=r"не похож на results\.json"):
        read_results_json(tmp_path / "results.json")


def test_nan_is_refused_by_name_and_a_damaged_file_is_named_with_the_place(tmp_path):
    """results.json is read by orjson, with Python's json where orjson refuses, for a message in
    Russian with the place: NaN and infinities (never written by vosp-monitor: a hand edit) are
    refused as what they are, a damaged file is named with the line and column."""
    text = (FIXTURES / "v2.json").read_text(encoding="utf-8")
    data = json.loads(text)
    path = tmp_path / "results.json"
    for bad, shown in ((float("nan"), "NaN"), (float("inf"), "Infinity"), (float("-inf"), "-Infinity")):
        data["schools"][0]["total"] = bad
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        with pytest.raises(ResultsFileError, match=f"нечисловое значение «{shown}», а vosp-monitor такие не"):
            read_results_json(path)
    path.write_text(text.replace('"total": ', '"total": 1e999, "was": ', 1), encoding="utf-8")  # overflows
    with pytest.raises(ResultsFileError, match="нечисловое значение «1e999»"):
        read_results_json(path)
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(
        ResultsFileError,
        match=r"повреждён: это не JSON \(строка \d+, позиция \d+\)\. Запишите его заново: vosp-monitor score",
    ):
        read_results_json(path)
    path.write_bytes(b'{"schema_version": 2, "x": "\xff"}')
    with pytest.raises(ResultsFileError, match=r"повреждён: не в кодировке UTF-8 \(байт 28\)"):
        read_results_json(path)


def test_a_byte_order_mark_as_notepad_saves_it_is_read(tmp_path):
    text = (FIXTURES / "v6.json").read_text(encoding="utf-8")
    for encoding in ("utf-8-sig", "utf-16"):  # Notepad: «UTF-8 с BOM» and «Юникод»
        path = tmp_path / f"results-{encoding}.json"
        path.write_text(text, encoding=encoding)
        assert len(read_results_json(path).schools) == len(json.loads(text)["schools"])


def test_a_large_run_is_streamed_compact_with_the_same_content(tmp_path, monkeypatch):
    """Above INDENT_UP_TO schools results.json is streamed school by school (orjson), the
    comparison with last year too: the same JSON as the indented file, a NaN as null."""
    from district_years import compared_third_year

    results = compared_third_year(tmp_path)
    assert results.dynamics is not None and len(results.dynamics.schools) >= 5
    school = results.schools[0]
    code = next(iter(school.indicators))
    school.indicators[code].value = float("nan")  # slipped through: never in real results
    monkeypatch.setattr(store_module, "INDENT_UP_TO", 1)
    streamed = tmp_path / "streamed.json"
    write_results_json(results, streamed)
    monkeypatch.setattr(store_module, "INDENT_UP_TO", 10_000)
    indented = tmp_path / "indented.json"
    write_results_json(results, indented)
    text = streamed.read_text(encoding="utf-8")
    assert "\n" not in text and "NaN" not in text
    assert json.loads(text) == json.loads(indented.read_text(encoding="utf-8"))
    assert json.loads(text)["schools"][0]["indicators"][code]["value"] is None
    again = read_results_json(streamed)
    assert again.dynamics is not None
    assert [c.code for c in again.dynamics.schools] == [c.code for c in results.dynamics.schools]


def test_v8_keeps_the_inputs_and_the_flags_and_older_schemas_have_none(tmp_path):
    """v8 (samples/computed) holds computed indicators: their inputs and «мало данных» survive a
    re-render; every older schema (v7: the sample region, its territories kept) reads as having
    no inputs and no flag."""
    results = read_results_json(FIXTURES / "v8.json")
    by_code = {s.code: s for s in results.schools}
    assert by_code["0111"].indicators["ROD-6"].inputs == {"r1": 2.0, "r2": 1.0, "R": 6.0}
    assert by_code["0111"].indicators["ROD-6"].small and results.indicator_stats["ROD-6"].small_count == 1
    assert results.config.indicator("ROD-6").expression is not None
    for n in (1, 4, 6, 7):
        old = read_results_json(FIXTURES / f"v{n}.json")
        entries = [i for s in old.schools for i in s.indicators.values()]
        assert entries and not any(i.inputs or i.small for i in entries)
        assert all(s.small_count == 0 for s in old.indicator_stats.values())
        assert (old.territories is not None) == (n == 7)
    shutil.copy(FIXTURES / "v8.json", tmp_path / "v8.json")
    result = CliRunner().invoke(main, ["report", str(tmp_path / "v8.json"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    card = (tmp_path / "out" / "schools" / "0111.md").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "(2 + 1) / 6 × 100 = 50 % (мало данных: «Всего ответивших на анкету» — 6, меньше 10)" in card

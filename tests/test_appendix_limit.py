"""Above ``analysis.appendix_schools`` the справка lists no school by name in its appendices and
the participation section: each says where the full list is (ranking.xlsx), in all three
formats, and ranking.xlsx still holds every school (issue 28, point 2).

The bundled samples are scored with the threshold set low (5 schools); below the threshold the
documents are those of the golden tests (test_report.py, test_spravka.py, test_single_source.py
run with the default). The samples are scored once per module through the command line.
"""

from __future__ import annotations

import html as html_module
import itertools
import re
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from docx_read import full_text, open_docx
from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
LIMIT = 5
POINTER = f"поимённо справка перечисляет ОО, только когда их не больше {LIMIT}"
# The column heads of the lists the limit takes out: the ranking appendix, the recommendations
# by school, the excluded and the not submitted schools.
RANKING_HEAD = ["Место", "Код", "ОО", "Итог", "Уровень"]
RECOMMENDATIONS_HEAD = ["Место", "Код", "ОО", "Итог", "Зона риска"]
EXCLUDED_HEAD = ["Код", "ОО", "Причина"]
NOT_SUBMITTED_HEAD = ["Код", "ОО"]


def _config(folder: Path, limit: int | None) -> Path:
    """The bundled indicators.yaml; with ``limit``, that limit and a body naming one school (so
    that the body's «all of them are in …» sentences are there to check)."""
    text = (ROOT / "indicators.yaml").read_text(encoding="utf-8")
    if limit is not None:
        for key, value in (("appendix_schools", limit), ("body_schools", 1)):
            text, found = re.subn(rf"^  {key}: \d+", f"  {key}: {value}", text, count=1, flags=re.M)
            assert found, key
    path = folder / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _score(folder: Path, limit: int | None, *, previous: bool = False) -> Path:
    """The samples scored into ``folder/out`` (``previous``: compared with samples/years)."""
    out = folder / "out"
    args = ["score", str(SAMPLES / "forms"), "-o", str(out), "--schools", str(SAMPLES / "registry.csv")]
    args += ["-c", str(_config(folder, limit)), "--jobs", "1", "--quiet"]
    if previous:
        args += ["--previous", str(SAMPLES / "years")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    return _score(tmp_path_factory.mktemp("limited"), LIMIT)


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    return _score(tmp_path_factory.mktemp("whole"), None)


def _md_heads(text: str) -> list[list[str]]:
    """The header row of every table of report.md, as cell texts."""
    lines = text.splitlines()
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line, below in itertools.pairwise(lines)
        if line.startswith("|") and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", below.strip())
    ]


def _docx_heads(path: Path) -> list[list[str]]:
    return [[c.text.strip() for c in t.rows[0].cells] for t in open_docx(path).tables if t.rows]


def _starts(heads: list[list[str]], head: list[str]) -> bool:
    return any(h[: len(head)] == head for h in heads)


def _visible(page: str) -> str:
    page = re.sub(r"<(style|script|svg)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_samples_have_every_list_the_limit_takes_out(whole):
    """The check below is not vacuous: with the default limit the samples' справка has each list."""
    md_heads = _md_heads((whole / "report.md").read_text(encoding="utf-8"))
    docx_heads = _docx_heads(whole / "report.docx")
    for head in (RANKING_HEAD, RECOMMENDATIONS_HEAD, EXCLUDED_HEAD, NOT_SUBMITTED_HEAD):
        assert _starts(md_heads, head) and _starts(docx_heads, head), head
    page = (whole / "report.html").read_text(encoding="utf-8")
    assert 'id="ranking-table"' in page and 'id="all-recommendations-table"' in page
    assert POINTER not in (whole / "report.md").read_text(encoding="utf-8")
    assert re.search(r"в приложении [23] ", (whole / "report.md").read_text(encoding="utf-8"))


def test_above_the_limit_no_format_lists_the_schools(limited):
    md = (limited / "report.md").read_text(encoding="utf-8")
    page = (limited / "report.html").read_text(encoding="utf-8")
    for heads in (_md_heads(md), _docx_heads(limited / "report.docx")):
        for head in (RANKING_HEAD, RECOMMENDATIONS_HEAD, EXCLUDED_HEAD, NOT_SUBMITTED_HEAD):
            assert not _starts(heads, head), head
    assert 'id="ranking-table"' not in page and 'id="all-recommendations-table"' not in page
    # the appendices keep their place (the order refers to them), and the measures' table
    assert "## Рейтинг общеобразовательных организаций" in md
    assert "## Адресные рекомендации общеобразовательным организациям" in md
    assert _starts(_md_heads(md), ["Код", "Показатель", "Мера"])
    # the body sends the reader to the workbook, not to an appendix that no longer lists the schools
    assert not re.search(r"в приложении [23] ", md)
    flat = re.sub(r"\s+", " ", md)
    for sentence in (
        "все лидеры — в начале рейтинга (в электронной таблице рейтинга ranking.xlsx, лист «Рейтинг»)",
        "все ОО зоны риска, с их рекомендациями, — в электронной таблице рейтинга ranking.xlsx",
        "— в электронной таблице рейтинга ranking.xlsx, лист «Дефициты». Каждой ОО",  # section 8
        # a management decision: the list is a sheet of its own
        "(перечень — в электронной таблице рейтинга ranking.xlsx, лист «Адресаты решений»)",
    ):
        assert sentence in flat, sentence


@pytest.mark.parametrize("sheet", ["Рейтинг", "Дефициты", "Исключены", "Не представили"])
def test_above_the_limit_each_format_says_where_the_lists_are(limited, sheet):
    texts = {
        "report.md": re.sub(r"\s+", " ", (limited / "report.md").read_text(encoding="utf-8")),
        "report.html": _visible((limited / "report.html").read_text(encoding="utf-8")),
        "report.docx": re.sub(r"\s+", " ", full_text(open_docx(limited / "report.docx"))),
    }
    for name, text in texts.items():
        # the ranking appendix, the recommendations appendix and the participation section
        assert text.count(POINTER) == 3, name
        assert "в электронной таблице рейтинга ranking.xlsx" in text, name
        assert f"«{sheet}»" in text, name


def test_above_the_limit_ranking_xlsx_still_holds_every_school(limited, whole):
    results = read_results_json(limited / "results.json")
    book = openpyxl.load_workbook(limited / "ranking.xlsx", read_only=True)
    codes = {row[1] for row in book["Рейтинг"].iter_rows(min_row=2, values_only=True) if row[1]}
    assert codes == {s.code for s in results.schools} and len(codes) > LIMIT
    excluded = {row[0] for row in book["Исключены"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert excluded == {x.code for x in results.excluded} != set()
    whole_book = openpyxl.load_workbook(whole / "ranking.xlsx", read_only=True)
    for sheet in ("Рейтинг", "Дефициты", "Исключены", "Не представили", "Проблемы"):
        rows = list(book[sheet].iter_rows(values_only=True))
        assert rows == list(whole_book[sheet].iter_rows(values_only=True)), sheet


def score_region(tmp_path: Path) -> Path:
    """samples/region scored into ``tmp_path/out`` with the limit at :data:`LIMIT`."""
    region = SAMPLES / "region"
    data = yaml.safe_load((region / "indicators.yaml").read_text(encoding="utf-8"))
    data.setdefault("analysis", {})["appendix_schools"] = LIMIT
    config = tmp_path / "indicators.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    args = ["score", str(region / "forms"), "--schools", str(region / "registry.csv"), "-c", str(config)]
    result = CliRunner().invoke(main, [*args, "-o", str(out), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def test_a_region_above_the_limit_names_its_schools_only_in_ranking_xlsx(tmp_path):
    """The regional справка follows the same limit (when it is below its own 400), and so does
    each municipality's справка, which points to the region's ranking.xlsx."""
    out = score_region(tmp_path)
    regional = (out / "report.md").read_text(encoding="utf-8")
    assert "Рейтинг ОО каждого муниципалитета — в его справке" in regional
    assert not _starts(_md_heads(regional), ["Место в регионе", "Код", "ОО"])
    # «Северный» has 8 schools and «Южный» 8 (one sent no form): above the limit; «Озёрный» has 3
    sets = {
        path.parent.name: path.read_text(encoding="utf-8")
        for path in (out / "territories").glob("*/report.md")
    }
    assert sorted(sets) == sorted(
        ["Северный муниципальный район", "Южный муниципальный округ", "Озёрный городской округ"]
    )
    for name, text in sets.items():
        above = name != "Озёрный городской округ"
        flat = re.sub(r"\s+", " ", text)
        assert (POINTER in flat and "ranking.xlsx в папке результатов региона" in flat) == above, name
        assert _starts(_md_heads(text), RANKING_HEAD) != above, name

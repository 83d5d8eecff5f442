"""indicators.yaml changed after the forms were sent, form_version not (issue 22, point 2).

Read as a methodologist would: the exit code, the first line of what is printed, and what
the schools would get. No school is excluded or written to for what no school can fix; the
run says it once; check-config warns before the forms come back; a run where no school can
be ranked stops with a clear error and writes nothing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vosp_monitor.cli import main
from vosp_monitor.config import parse_config

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "samples" / "forms"
CONFIG = (ROOT / "indicators.yaml").read_text(encoding="utf-8")
KR8 = """
      - code: KR-8
        title: "Экспертная оценка аттестации классных руководителей"
        type: mark
        unit: "балл"
        max_mark: 3
"""


def with_kr8(text: str = CONFIG) -> str:
    """The bundled config with KR-8 after KR-7, form_version unchanged."""
    start = text.index("      - code: KR-7")
    end = text.index("\n", text.index("district_measure", start)) + 1
    return text[:end] + KR8 + text[end:]


def without_kr7(text: str = CONFIG) -> str:
    start = text.index("      - code: KR-7")
    end = text.index("\n", text.index("district_measure", start)) + 1
    text = text[:start] + text[end:]
    return re.sub(r"^\s+KR-7: \{responsible: authority\}\n", "", text, flags=re.M)


def write(tmp_path: Path, text: str, name: str = "indicators.yaml") -> Path:
    parse_config(text)  # a valid config, or the test is wrong
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def first_line(text: str) -> str:
    return text.strip().splitlines()[0].replace("\u00a0", " ")


def test_an_indicator_added_after_the_forms_is_left_out_with_one_message(tmp_path):
    config = write(tmp_path, with_kr8())
    out = tmp_path / "out"
    result = invoke("score", FORMS, "-c", config, "-o", out, "--quiet")
    assert result.exit_code == 0, result.output
    assert first_line(result.stdout) == "Оценено школ: 21; исключено из рейтинга: 3; не представили форму: 0"
    assert first_line(result.stderr) == (
        "Внимание: показатель KR-8 добавлен после рассылки формы: в формах его нет, он не учитывается "
        "(форм версии 1.0 без него: 24)"
    )
    problems = (out / "results.json").read_text(encoding="utf-8")
    assert problems.count('"indicator-row-missing"') == 0
    assert problems.count('"indicator-added-after-form"') == 1
    # A ranked school's card shows KR-8 as not applicable; an excluded one is not asked to fix it.
    card = (out / "schools" / "0101.md").read_text(encoding="utf-8")
    assert re.search(r"^\| KR-8 \| .* \| не применяется \|", card, re.M)
    for excluded in ("0107", "0115", "0121"):
        assert "KR-8" not in (out / "schools" / f"{excluded}.md").read_text(encoding="utf-8")


def test_validate_says_it_once_for_the_run_and_blames_no_school(tmp_path):
    config = write(tmp_path, with_kr8())
    result = invoke("validate", FORMS, "-c", config)
    assert result.exit_code == 1, result.output  # the three planted mistakes of samples/
    lines = result.stdout.splitlines()
    heading = lines.index("по файлу показателей")
    assert lines[heading + 1].startswith("  предупр. [indicator-added-after-form] Показатель KR-8 добавлен")
    assert result.stdout.count("KR-8") == 1
    assert "с ошибками:                3" in result.stdout


def test_an_indicator_removed_after_the_forms_is_not_read_and_said_once(tmp_path):
    config = write(tmp_path, without_kr7())
    result = invoke("validate", FORMS, "-c", config)
    assert "indicator-unknown" not in result.stdout
    assert result.stdout.count("[indicator-removed-after-form]") == 1
    assert "Показатель KR-7 удалён из файла показателей после рассылки формы" in result.stdout


def test_a_reworded_indicator_is_said_once(tmp_path):
    text = CONFIG.replace(
        "Экспертная оценка системы поддержки классных руководителей", "Система поддержки КР"
    )
    result = invoke("validate", FORMS, "-c", write(tmp_path, text))
    assert result.stdout.count("[form-framework-changed]") == 1
    assert "Формы версии 1.0 сделаны по другому описанию показателей" in result.stdout


def test_a_form_of_the_same_framework_says_nothing(tmp_path):
    result = invoke("validate", FORMS)
    assert "по файлу показателей" not in result.stdout


def test_forms_of_another_version_keep_their_own_warning_and_rules(tmp_path):
    """A new form_version is the analyst saying «the form changed»: old forms are checked as before."""
    text = with_kr8().replace('form_version: "1.0"', 'form_version: "1.1"')
    result = invoke("validate", FORMS, "-c", write(tmp_path, text))
    assert "[indicator-added-after-form]" not in result.stdout
    assert result.stdout.count("[form-old-version]") == 24
    assert result.stdout.count("[indicator-row-missing]") == 24


def test_check_config_warns_when_the_indicators_changed_after_the_last_form(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("form", "-o", "form.xlsx").exit_code == 0
    assert "Предупреждения" not in invoke("check-config").stdout  # the config the form was made from

    changed = write(tmp_path, with_kr8())
    result = invoke("check-config", changed)
    assert result.exit_code == 0
    warnings = result.stdout.split("Предупреждения:\n", 1)[1]
    assert first_line(warnings).startswith(
        "indicators.yaml, monitoring.form_version: показатели изменились после того, как "
    )
    assert "была сделана форма версии 1.0" in warnings and "добавлен KR-8, а form_version та же" in warnings

    bumped = write(tmp_path, with_kr8().replace('form_version: "1.0"', 'form_version: "1.1"'), "new.yaml")
    assert "Предупреждения" not in invoke("check-config", bumped).stdout


def test_check_config_forgets_nothing_it_was_not_told(tmp_path, monkeypatch):
    """No form made (or the record turned off): no warning, and check-config still works."""
    monkeypatch.setenv("VOSP_MONITOR_DATA", "off")
    monkeypatch.chdir(tmp_path)
    assert invoke("form", "-o", "form.xlsx").exit_code == 0
    result = invoke("check-config", write(tmp_path, with_kr8()))
    assert result.exit_code == 0 and "Предупреждения" not in result.stdout


def test_score_stops_when_no_school_can_be_ranked_and_writes_nothing(tmp_path):
    other = write(tmp_path, CONFIG.replace("id: vospitanie-socializaciya", "id: drugoy-monitoring"))
    out = tmp_path / "out"
    result = invoke("score", FORMS, "-c", other, "-o", out, "--quiet")
    assert result.exit_code == 1
    assert first_line(result.stderr) == (
        "Ошибка: ни одну школу нельзя включить в рейтинг: исключены все 24 формы (чаще всего: «Форма "
        "другого мониторинга» — 24 формы). Таблицы, справка, приказ и письма не записаны. Что исправить "
        f"в каждой форме, покажет: vosp-monitor validate {FORMS}"
    )
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    ("period", "warned"), [("2026/2027 учебный год", True), ("2025/2026", False), ("", False)]
)
def test_forms_of_another_period_are_named_once(tmp_path, period, warned):
    text = CONFIG.replace('period: "2025/2026 учебный год"', f'period: "{period}"')
    forms = tmp_path / "forms"
    shutil.copytree(FORMS, forms)
    result = invoke(
        "score", forms, "-c", write(tmp_path, text), "-o", tmp_path / "out", "--quiet", "--no-cards"
    )
    assert result.exit_code == 0, result.output
    expected = (
        "Внимание: формы сделаны для периода «2025/2026 учебный год», а в файле показателей — "
        "«2026/2027 учебный год» (форм: 24); проверьте monitoring.period в indicators.yaml или пришлите "
        "формы этого периода"
    )
    assert (expected in result.stderr.splitlines()) is warned

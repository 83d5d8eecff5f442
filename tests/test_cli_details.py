"""The command line's details a newcomer meets first (issue 22, point 8).

The excluded schools named after ``score``; exit code 2 for every parameter file that is
missing or cannot be opened; Russian placeholders in every ``--help``; progress on stderr
for every step over two seconds. (The warning about forms of another period is in
test_form_changes.py, beside the other warnings about forms and indicators.yaml.)
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from vosp_monitor.cli import main
from vosp_monitor.cli.kit import STEP_SHOWN_AFTER, Progress
from vosp_monitor.pipeline import RunOptions, run
from vosp_monitor.pipeline.writing import STEP_TABLES
from vosp_monitor.writers.docx.documents import LETTERS_STEP
from vosp_monitor.writers.render import STEP_LAYOUT, STEP_TEXT

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FORMS = SAMPLES / "forms"


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


# --------------------------------------------------------------------------- excluded schools


def test_score_names_the_excluded_schools_with_their_first_error(tmp_path):
    result = invoke("score", FORMS, "-o", tmp_path / "out", "--quiet", "--no-cards")
    assert result.exit_code == 0, result.output
    lines = result.stdout.replace("\u00a0", " ").splitlines()
    assert lines[0] == "Оценено школ: 21; исключено из рейтинга: 3; не представили форму: 0"
    assert lines[1].startswith("Исключены из рейтинга (что исправить — в письмах школам")
    assert lines[2:5] == [
        "  0107 МБОУ «СОШ с. Выдуманка» — Показатель RES-5: числитель 5 больше знаменателя 3 (Показатели!E16)",
        "  0115 МБОУ «СОШ с. Химерино» — Показатель UPR-4: введено «нет данных», ожидалось целое число "
        "(количество) (Показатели!D9)",
        "  0121 МБОУ «СОШ № 4 р.п. Вымышленное» — Не заполнено поле «Численность педагогических работников, "
        "чел.» (Сведения об ОО!B9)",
    ]
    assert lines[5] == "Лучшие:"


def test_more_than_ten_excluded_are_counted_after_the_tenth(tmp_path):
    forms = tmp_path / "forms"
    forms.mkdir()
    for code in ("0101", "0102", "0103"):
        shutil.copy(FORMS / f"{code}.xlsx", forms / f"{code}.xlsx")
    for copy in range(12):  # one school sent its form twelve times: every copy is excluded
        shutil.copy(FORMS / "0104.xlsx", forms / f"0104-{copy:02}.xlsx")
    result = invoke("score", forms, "-o", tmp_path / "out", "--quiet", "--no-cards", "--no-uncertainty")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Оценено школ: 3; исключено из рейтинга: 12;")
    named = [line for line in lines if line.startswith("  0104 ")]
    assert len(named) == 10
    assert all("Повтор кода школы" in line or "указан в двух файлах" in line for line in named)
    assert lines[2 + 10] == "  … и ещё 2"


# --------------------------------------------------------------------------- exit code 2


@pytest.fixture
def places(tmp_path):
    results = tmp_path / "out" / "results.json"
    results.parent.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "results" / "v6.json", results)
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    return {
        "missing": tmp_path / "нет.yaml",
        "csv": tmp_path / "нет.csv",
        "results": results,
        "folder": folder,
    }


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (["score", FORMS, "-c", "{missing}"], "Ошибка: ошибки в файле показателей:"),
        (
            ["score", FORMS, "-c", "{folder}"],
            "Ошибка: Недопустимое значение '-c' / '--config': Файл «{folder}» — это папка, а нужен файл.",
        ),
        (["validate", FORMS, "-c", "{missing}"], "Ошибка: ошибки в файле показателей:"),
        (["form", "-c", "{missing}"], "Ошибка: ошибки в файле показателей:"),
        (["check-config", "{missing}"], "Ошибка: ошибки в файле показателей:"),
        (["score", FORMS, "--schools", "{csv}"], "Ошибка: реестр школ {csv} не найден"),
        (["validate", FORMS, "--schools", "{csv}"], "Ошибка: реестр школ {csv} не найден"),
        (["form", "--schools", "{csv}"], "Ошибка: реестр школ {csv} не найден"),
        (["report", "{csv}"], "Ошибка: файл {csv} не найден"),
        (["audit", "{csv}"], "Ошибка: файл {csv} не найден"),
        (["report", "{results}", "-c", "{missing}"], "Ошибка: ошибки в файле показателей:"),
        (
            ["score", FORMS, "--previous", "{csv}"],
            "Ошибка: Недопустимое значение '--previous': Путь «{csv}» не существует.",
        ),
        (
            ["score", FORMS, "--school-map", "{csv}"],
            "Ошибка: Недопустимое значение '--school-map': Файл «{csv}» не существует.",
        ),
        (
            ["score", "--table", "{csv}"],
            "Ошибка: Недопустимое значение '--table': Файл «{csv}» не существует.",
        ),
        (
            ["report", "{results}", "--previous", "{csv}"],
            "Ошибка: Недопустимое значение '--previous': Путь «{csv}» не существует.",
        ),
    ],
)
def test_a_missing_or_unopenable_parameter_file_is_exit_code_2(tmp_path, places, args, first):
    args = [str(a).format(**places) for a in args]
    if "-o" not in args and args[0] in ("score", "form"):
        args += ["-o", str(tmp_path / "written")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    # the message's first line: first on stderr, or after click's usage lines for its own checks
    message = next(line for line in result.stderr.splitlines() if line.startswith("Ошибка:"))
    assert message == first.format(**places)
    assert not (tmp_path / "written").exists()


def test_a_file_that_cannot_be_opened_is_exit_code_2_too(tmp_path):
    """A folder where the file should be passes the existence check but not the opening."""
    from vosp_monitor.config import ConfigError, load_config
    from vosp_monitor.errors import EXIT_USAGE
    from vosp_monitor.ingest.registry import RegistryError, read_registry

    folder = tmp_path / "indicators.yaml"
    folder.mkdir()
    with pytest.raises(ConfigError) as raised:
        load_config(folder)
    assert raised.value.exit_code == EXIT_USAGE and "файл не удалось открыть" in str(raised.value)
    with pytest.raises(RegistryError) as registry:
        read_registry(tmp_path / "реестр.xlsx")
    assert registry.value.exit_code == EXIT_USAGE


# --------------------------------------------------------------------------- --help in Russian


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        elif not command.hidden:
            found.append((*prefix, name))
    return found


KEPT = {"RESULTS.JSON"}  # the name of the file score writes, as the user sees it in the folder


@pytest.mark.parametrize("command", _commands(main), ids=lambda c: " ".join(c) or "vosp-monitor")
def test_every_help_has_russian_placeholders(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    placeholders = set()
    for line in result.stdout.splitlines():
        if line.startswith("Использование:"):
            placeholders |= set(re.findall(r"[A-ZА-ЯЁ][A-ZА-ЯЁ_.|\[\]]+", line.split(" ", 2)[-1]))
        elif match := re.match(r"\s+(-\w, )?--?[\w-]+(?:/--[\w-]+)? ([^\s].*?)(?:\s{2,}|$)", line):
            placeholders.add(match.group(2))
    latin = {p for p in placeholders if re.search("[A-Z]{2}", p) and not any(k in p for k in KEPT)}
    assert not latin, latin
    assert not re.search(r"\b(FILE|PATH|DIRECTORY|INTEGER|TEXT|OUT)\b", result.stdout)


# --------------------------------------------------------------------------- progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_step_over_two_seconds_is_shown_with_its_counts_and_a_short_one_is_not():
    stream, clock = Terminal(), Clock()
    progress = Progress(quiet=False, stream=stream, clock=clock)
    progress.step("Подготовка справки")
    clock.now += 1.0
    progress.step("Письма школам", 0, 2000)  # the first step was short: never shown
    clock.now += STEP_SHOWN_AFTER - 0.5
    progress.redraw()
    assert stream.getvalue() == ""
    clock.now += 1.0
    progress.step("Письма школам", 300, 2000)
    clock.now += 2.0
    progress.redraw()  # what the ticker does between the library's calls
    progress.close()
    shown = [part.strip() for part in stream.getvalue().replace("\u00a0", " ").split("\r") if part.strip()]
    assert shown == ["Письма школам: 300 из 2000 · 2 с", "Письма школам: 300 из 2000 · 4 с"]
    assert stream.getvalue().endswith("\n") and "Подготовка справки" not in stream.getvalue()


def test_no_progress_with_quiet_or_when_stderr_is_not_a_terminal():
    for progress in (Progress(quiet=True, stream=Terminal()), Progress(quiet=False, stream=io.StringIO())):
        progress.step("Запись таблиц")
        progress.close()
        assert progress.stream.getvalue() == ""


def test_score_names_every_step_after_reading_to_the_callback(tmp_path):
    heard: list[tuple[str, int, int]] = []
    run(FORMS, None, tmp_path / "out", RunOptions(cards=True), steps=lambda *step: heard.append(step))
    names = list(dict.fromkeys(name for name, _done, _total in heard))
    letters = f"{LETTERS_STEP} и карточки"
    assert names == [
        "Баллы, рейтинг и анализ",
        "Подготовка справки",
        STEP_TABLES,
        STEP_TEXT,
        letters,
        STEP_LAYOUT,
    ]
    counted = [(done, total) for name, done, total in heard if name == letters]
    written = len(list((tmp_path / "out" / "letters").glob("*.docx")))
    assert counted[0] == (0, written) and all(done < total == written for done, total in counted)

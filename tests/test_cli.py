"""The command line as a whole: every command documented, fast start, clean streams."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from vosp_monitor.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        if command.hidden:
            continue
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found += _commands(command, f"{full} ")
        else:
            found.append((full, command))
    return found


COMMANDS = _commands(main)


def test_the_expected_commands_exist() -> None:
    names = {name for name, _ in COMMANDS}
    assert {
        "check-config",
        "form",
        "validate",
        "score",
        "report",
        "templates export",
        "problems",
    } <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_with_an_example_and_is_in_the_readme(
    name: str, command: click.Command
) -> None:
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Пример:" in result.stdout
    assert f"vosp-monitor {name}" in README, f"README has no example of «vosp-monitor {name}»"


def test_help_and_check_config_do_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from vosp_monitor.cli import main\n"
        "for args in (['--help'], ['check-config']):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0\n"
        "heavy = [m for m in ('pandas', 'matplotlib', 'openpyxl', 'numpy', 'xlsxwriter', 'jinja2', 'python_calamine')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["scroe"])
    assert result.exit_code == 2
    assert "Нет такой команды «scroe»" in result.stderr
    assert "Использование:" in result.stderr


def test_help_and_errors_are_in_russian() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "Использование:" in result.stdout and "Параметры:" in result.stdout
    assert "Показать эту справку и выйти." in result.stdout
    assert "Usage" not in result.stdout and "Options" not in result.stdout
    wrong = CliRunner().invoke(main, ["validate", "--jobs", "ноль"])
    assert wrong.exit_code == 2
    assert "Ошибка:" in wrong.stderr and "Error" not in wrong.stderr


def test_old_command_name_template_still_works(tmp_path) -> None:
    result = CliRunner().invoke(main, ["template", "-o", str(tmp_path / "f.xlsx")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "f.xlsx").is_file()
    listed = [
        line.split()[0]
        for line in CliRunner().invoke(main, ["--help"]).stdout.splitlines()
        if line.startswith("  ")
    ]
    assert "form" in listed and "template" not in listed


def test_an_internal_error_is_not_blamed_on_the_files(monkeypatch, tmp_path) -> None:
    import vosp_monitor.pipeline as pipeline

    def broken(*args, **kwargs):
        raise KeyError("bug")

    monkeypatch.setattr(pipeline, "collect", broken)
    folder = tmp_path / "in"
    folder.mkdir()
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 3
    assert "Внутренняя ошибка vosp-monitor" in result.stderr
    assert "Это ошибка программы, а не ваших файлов" in result.stderr


def test_validate_json_keeps_stdout_machine_readable() -> None:
    result = CliRunner().invoke(
        main, ["validate", str(ROOT / "samples" / "forms"), "--format", "json", "--jobs", "1"]
    )
    assert result.exit_code == 1  # the samples hold three planted mistakes
    data = json.loads(result.stdout)
    assert isinstance(data, dict)


def test_validate_checks_a_single_form() -> None:
    result = CliRunner().invoke(
        main, ["validate", str(ROOT / "samples" / "forms" / "0107.xlsx"), "--jobs", "1"]
    )
    assert result.exit_code == 1, result.output  # 0107 holds one planted mistake
    assert "0107.xlsx" in result.stdout and "numerator-above-denominator" in result.stdout
    assert "форм (строк) всего:        1" in result.stdout


def test_usage_lines_are_russian() -> None:
    for args in (["validate", "--help"], ["templates", "--help"], ["check-config", "--help"]):
        usage = CliRunner().invoke(main, args).stdout.splitlines()[0]
        assert "[ПАРАМЕТРЫ]" in usage and "OPTIONS" not in usage and "SOURCE" not in usage

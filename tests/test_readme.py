"""The README's examples run as written and print what the README shows (issue 22, point 9).

The README marks what it promises with HTML comments, invisible on the rendered page:

* ``<!-- пример -->`` before a ```` ```bash ```` block: every ``vosp-monitor`` command in it
  runs, in README order, in one folder holding a copy of ``samples/`` and ``indicators.yaml``
  (so ``report`` reads the results an earlier ``score`` wrote), and exits 0;
  ``<!-- пример: код 1 -->`` expects exit code 1; ``подготовка ИМЯ`` first prepares the
  folder as the prose before the block says (:data:`PREPARE`: a typo in indicators.yaml,
  the requisites of the README's own ``documents`` block, Word's «ёлочки» in a template);
  ``<!-- пример: python -->`` runs a ```` ```python ```` block as a script in that folder;
* ``<!-- вывод -->`` before a ```` ``` ```` block: the lines the last command of the example
  before it prints (stdout and stderr), in order and whole; «…» stands for any lines, and a
  block that does not start (end) with «…» starts (ends) where the output does;
* ``<!-- вывод: ПУТЬ -->``: the lines are found, in order, inside the lines of that file as
  the examples before it left it.

So a changed message, a stale number or an example that no longer runs fails here.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from vosp_monitor.cli import main
from vosp_monitor.config import parse_config

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MARK = re.compile(r"^<!-- (пример|вывод)(?::\s*(.*?))? -->\n```[a-z]*\n(.*?)^```", re.M | re.S)
ELLIPSIS = "…"


@dataclass
class Example:
    line: int
    kind: str  # «пример» or «вывод»
    options: str
    body: str
    ran: list[tuple[str, int, str]] = field(default_factory=list)  # (command, exit code, output)

    @property
    def code(self) -> int:
        found = re.search(r"код (\d)", self.options)
        return int(found.group(1)) if found else 0

    @property
    def preparation(self) -> str:
        found = re.search(r"подготовка ([^,]+)", self.options)
        return found.group(1).strip() if found else ""


def examples() -> list[Example]:
    return [
        Example(README[: m.start()].count("\n") + 1, m.group(1), m.group(2) or "", m.group(3))
        for m in MARK.finditer(README)
    ]


def commands(body: str) -> list[str]:
    """The vosp-monitor commands of a bash block (continued lines joined, comments dropped)."""
    text = re.sub(r"\\\n\s*", " ", body)
    return [line.strip() for line in text.splitlines() if line.strip().startswith("vosp-monitor ")]


# --------------------------------------------------------------------------- preparations

BUNDLED = (ROOT / "indicators.yaml").read_text(encoding="utf-8")


def _typo(folder: Path) -> None:
    """«если в показателе KR-7 написать wieght: 2»."""
    mark = "        max_mark: 3\n"  # KR-7, the first expert mark
    (folder / "indicators.yaml").write_text(
        BUNDLED.replace(mark, mark + "        wieght: 2\n", 1), encoding="utf-8"
    )


def _full_below_target(folder: Path) -> None:
    """«если у UPR-5 полный балл даётся с 77 %, а цель — 80 %»."""
    text = BUNDLED.replace("{from: 50, to: 80, points: 2}", "{from: 50, to: 77, points: 2}", 1)
    text = text.replace("{from: 80, to: null, points: 3}", "{from: 77, to: null, points: 3}", 1)
    (folder / "indicators.yaml").write_text(text, encoding="utf-8")


def _requisites(folder: Path) -> None:
    """The README's own ```yaml documents block, added to the documents section as it says."""
    block = re.search(r"^```yaml\n(documents:\n.*?)^```", README, re.M | re.S)
    assert block is not None, "the README has no documents block"
    keys = block.group(1).split("\n", 1)[1]
    assert yaml.safe_load("documents:\n" + keys)["documents"]
    text = BUNDLED.replace("\ndocuments:\n", "\ndocuments:\n" + keys, 1)
    parse_config(text)
    (folder / "indicators.yaml").write_text(text, encoding="utf-8")


def _curly_quotes(folder: Path) -> None:
    """«если в my-templates/order.docx вписать в тег место издания по умолчанию» in «ёлочках»."""
    path = folder / "my-templates" / "order.docx"
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename == "word/document.xml":
                tag = b"{{ documents.place }}"
                assert tag in data
                data = data.replace(tag, "{{ documents.place or «р.п. Екатериновка» }}".encode(), 1)
            archive.writestr(info, data)


PREPARE = {
    "опечатка": _typo,
    "полный-балл-ниже-цели": _full_below_target,
    "реквизиты": _requisites,
    "ёлочки": _curly_quotes,
}


# --------------------------------------------------------------------------- running


def _run(command: str, folder: Path) -> tuple[int, str]:
    args = shlex.split(command, comments=True)[1:]
    target = None
    if ">" in args:
        at = args.index(">")
        args, target = args[:at], args[at + 1]
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if target is not None:
        (folder / target).write_text(result.stdout, encoding="utf-8")
    return result.exit_code, result.output


def _python(code: str, folder: Path) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """Every example of the README, run once in order in one folder."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "samples", folder / "samples")
    (folder / "indicators.yaml").write_text(BUNDLED, encoding="utf-8")
    found = examples()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("VOSP_MONITOR_DATA", str(folder / ".vosp-data"))  # form's record, not the user's
        for example in found:
            if example.kind == "вывод" and example.options:  # the file as the examples so far left it
                path = folder / example.options
                example.ran.append(
                    (str(path), 0, path.read_text(encoding="utf-8-sig") if path.is_file() else "")
                )
            if example.kind != "пример":
                continue
            if example.preparation:
                PREPARE[example.preparation](folder)
            if example.options.startswith("python"):
                example.ran.append(("python", *_python(example.body, folder)))
            else:
                example.ran += [(command, *_run(command, folder)) for command in commands(example.body)]
            (folder / "indicators.yaml").write_text(BUNDLED, encoding="utf-8")  # as before the example
    return folder, found


def _id(example: Example) -> str:
    return f"README.md:{example.line}"


EXAMPLES = examples()
RUN = [e for e in EXAMPLES if e.kind == "пример"]
SHOWN = [e for e in EXAMPLES if e.kind == "вывод"]


def test_the_readme_marks_its_examples():
    """The marks are there to be read: every command section has a run example, most with output."""
    assert len(RUN) >= 15 and len(SHOWN) >= 15
    assert all(commands(e.body) or e.options.startswith("python") for e in RUN)
    assert set(PREPARE) == {e.preparation for e in RUN if e.preparation}


@pytest.mark.parametrize("index", range(len(RUN)), ids=[_id(e) for e in RUN])
def test_every_example_runs_with_its_exit_code(session, index):
    _folder, found = session
    example = [e for e in found if e.kind == "пример"][index]
    assert example.ran, "nothing ran"
    for command, code, output in example.ran:
        assert code == example.code, f"{command}\n{output}"


def _lines(text: str) -> list[str]:
    return [line.replace("\u00a0", " ").rstrip() for line in text.strip("\n").splitlines()]


def _follows(expected: list[str], actual: list[str], same) -> str:
    """ "" when ``expected`` (with «…» gaps) matches ``actual``, else what did not."""
    position, gap = 0, not expected or expected[0] == ELLIPSIS
    anchored_start = not gap
    for index, line in enumerate(expected):
        if line == ELLIPSIS:
            gap = True
            continue
        if gap:
            hits = [i for i in range(position, len(actual)) if same(line, actual[i])]
            if not hits:
                return f"not found after line {position}: {line!r}"
            position = hits[0] + 1
        else:
            if position >= len(actual) or not same(line, actual[position]):
                where = actual[position] if position < len(actual) else "(end of output)"
                return f"line {position + 1}: expected {line!r}, got {where!r}"
            position += 1
        gap = False
        if index == 0 and anchored_start and position != 1:
            return "the output does not start with the first line shown"
    if expected and expected[-1] != ELLIPSIS and same is _equal and position != len(actual):
        return f"the output goes on after the last line shown: {actual[position:][:3]!r}"
    return ""


def _equal(expected: str, actual: str) -> bool:
    return expected == actual


def _inside(expected: str, actual: str) -> bool:
    return expected in actual


@pytest.mark.parametrize("index", range(len(SHOWN)), ids=[_id(e) for e in SHOWN])
def test_every_shown_output_is_what_the_program_prints(session, index):
    _folder, found = session
    shown = [e for e in found if e.kind == "вывод"][index]
    before = [e for e in found if e.kind == "пример" and e.line < shown.line]
    assert before, "an output shown before any example"
    if shown.options:  # a file the examples wrote (or one of the samples), as it was then
        text = shown.ran[0][2]
        expected = [part for line in _lines(shown.body) if line != ELLIPSIS for part in (ELLIPSIS, line)]
        problem = _follows([*expected, ELLIPSIS], _lines(text), _inside)
    else:
        _command, _code, output = before[-1].ran[-1]
        problem = _follows(_lines(shown.body), _lines(output), _equal)
    assert not problem, f"README.md:{shown.line}: {problem}"


def test_quick_start_runs_the_samples_as_the_readme_describes():
    """The Quick start's first command (after pip) is the score example the README shows."""
    block = re.search(r"^## Quick start\n+```bash\n(.*?)```", README, re.M | re.S)
    assert block is not None
    first = block.group(1).splitlines()[0]
    assert first.split(" && ", 1)[1] in {c for e in RUN for c in commands(e.body)}


def test_no_example_leaves_the_bundled_config_changed():
    assert os.environ.get("VOSP_MONITOR_DATA")  # conftest: the tests' own record of forms
    assert (ROOT / "indicators.yaml").read_text(encoding="utf-8") == BUNDLED

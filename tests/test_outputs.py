"""An output folder is shared with people: a run replaces only what the tool wrote there.

Through the command line on real forms (copies of samples/): the manifest, ownership of
outputs per command, refusing overlapping folders and foreign files, recognising outputs
of the release before manifests, and Russian errors (exit 1) when the folder cannot be
written. Killed and concurrent runs are in test_outputs_runs.py.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vosp_monitor.cli import main
from vosp_monitor.outputs import LOCK_NAME, MANIFEST_NAME, SCORE_OUTPUTS, STAGING_PREFIX, OutputSet
from vosp_monitor.outputs.manifest import read_manifest, record_file, unchanged
from vosp_monitor.outputs.staging import publish

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "forms"
TABLES = ["indicators.csv", "ranking.xlsx", "results.json", "scores.csv"]
REPORTS = ["order.docx", "report.docx", "report.html", "report.md"]  # without the cards and letters


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def copy_forms(folder: Path, codes: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for code in codes:
        shutil.copy(SAMPLES / f"{code}.xlsx", folder / f"{code}.xlsx")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith((STAGING_PREFIX, LOCK_NAME))]


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> Path:
    return copy_forms(tmp_path_factory.mktemp("forms"), ["0101", "0102", "0103"])


def score(forms: Path, out: Path, *extra: object):
    return invoke("score", forms, "-o", out, "--jobs", "1", "--quiet", *extra)


# --------------------------------------------------------------------------- nothing lost


def _no_reading(*args, **kwargs):
    raise AssertionError("the forms were read before the output folder was checked")


@pytest.mark.parametrize("out_of", ["same", "inside", "around"])
def test_output_folder_overlapping_the_forms_is_refused_and_no_form_is_touched(tmp_path, out_of, monkeypatch):
    # The reported data loss: forms kept in IN/schools/ and `score IN -o IN` deleted them all.
    forms_root = tmp_path / "IN"
    copy_forms(forms_root / "schools", ["0101", "0102"])
    before = snapshot(forms_root)
    source, out = {
        "same": (forms_root, forms_root),
        "inside": (forms_root, forms_root / "результаты"),
        "around": (forms_root / "schools", forms_root),
    }[out_of]
    monkeypatch.setattr("vosp_monitor.pipeline.runner.collect", _no_reading)
    result = score(source, out)
    assert result.exit_code == 2, result.output
    assert "Ошибка: " in result.stderr and "папк" in result.stderr and "форм" in result.stderr
    assert "Укажите для результатов другую папку -o" in result.stderr
    assert snapshot(forms_root) == before
    assert sorted(p.name for p in forms_root.rglob("*")) == ["0101.xlsx", "0102.xlsx", "schools"]


def test_validate_into_the_forms_folder_is_refused_before_reading(forms, monkeypatch):
    monkeypatch.setattr("vosp_monitor.pipeline.runner.collect", _no_reading)
    result = invoke("validate", forms, "-o", forms / "проверка")
    assert result.exit_code == 2
    assert "находится внутри папки форм" in result.stderr
    assert not (forms / "проверка").exists()


def test_a_persons_files_in_the_output_folder_are_left_byte_for_byte(tmp_path, forms):
    out = tmp_path / "out"
    mine = {
        "schools/0101.xlsx": (SAMPLES / "0101.xlsx").read_bytes(),
        "schools/заметки.md": b"my notes",
        "plan.docx": b"x",
    }
    for rel, data in mine.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    assert score(forms, out).exit_code == 0
    assert score(copy_forms(tmp_path / "fewer", ["0102"]), out).exit_code == 0
    after = snapshot(out)
    assert {rel: after[rel] for rel in mine} == mine
    cards = sorted(rel for rel in after if rel.startswith("schools/") and rel not in mine)
    assert cards == ["schools/0102.html", "schools/0102.md"]  # the cards of 0101 and 0103 were the tool's


def test_a_file_the_tool_did_not_write_stops_the_run_before_anything_is_written(tmp_path, forms):
    out = tmp_path / "out"
    out.mkdir()
    (out / "ranking.xlsx").write_bytes(b"the district's own ranking")
    (out / "report.md").write_text("# моя справка\n", encoding="utf-8")
    before = snapshot(out)
    result = score(forms, out)
    assert result.exit_code == 1
    assert "ranking.xlsx, report.md" in result.stderr
    assert "программа ничего не записала" in result.stderr
    assert snapshot(out) == before and leftovers(out) == []


def test_a_file_changed_after_the_run_is_a_persons_file(tmp_path, forms):
    out = tmp_path / "out"
    assert score(forms, out).exit_code == 0
    with (out / "scores.csv").open("a", encoding="utf-8") as handle:
        handle.write("примечание методиста\n")
    before = snapshot(out)
    result = score(forms, out)
    assert result.exit_code == 1
    assert "изменены после записи: scores.csv." in result.stderr
    assert snapshot(out) == before


def test_report_into_the_score_folder_keeps_the_tables_and_lists_both_runs(tmp_path, forms):
    out = tmp_path / "out"
    assert score(forms, out).exit_code == 0
    tables = {name: (out / name).read_bytes() for name in TABLES}
    result = invoke("report", out / "results.json", "-o", out, "--no-cards")
    assert result.exit_code == 0, result.output
    assert {name: (out / name).read_bytes() for name in TABLES} == tables
    assert not (out / "schools").exists()  # the cards belong to the report set: not left stale
    manifest = read_manifest(out)
    assert manifest is not None
    assert sorted(manifest.files) == sorted([*TABLES, *REPORTS])
    commands = {manifest.runs[record.run].command for record in manifest.files.values()}
    assert commands == {"score", "report"}


def test_manifest_records_every_file_with_size_hash_time_command_and_version(tmp_path, forms):
    out = tmp_path / "out"
    assert score(forms, out, "--no-cards").exit_code == 0
    data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(data["files"]) == sorted([*TABLES, *REPORTS])
    record = data["files"]["ranking.xlsx"]
    assert record["size"] == (out / "ranking.xlsx").stat().st_size
    assert len(record["sha256"]) == 64
    (run,) = data["runs"].values()
    assert run["command"] == "score" and run["version"] and run["started"] <= run["finished"]


def test_outputs_of_the_release_before_manifests_are_recognised(tmp_path, forms):
    out = tmp_path / "out"
    assert score(forms, out).exit_code == 0
    (out / MANIFEST_NAME).unlink()  # what the previous release left: the same files, no manifest
    for document in [*out.glob("*.docx"), *out.glob("letters/*.docx")]:
        document.unlink()  # nor Word documents: that release wrote none
    (out / "letters").rmdir()
    shutil.copy(out / "schools" / "0101.md", out / "schools" / "9999.md")  # a card of a school gone
    (out / "schools" / "заметки.md").write_text("мои заметки о школах\n", encoding="utf-8")
    (out / ".ranking.xlsx.k3j9x_2a.tmp").write_bytes(b"half")  # temporaries of a killed old run
    (out / ".schools.tmp-4242-0badf00d").mkdir()
    assert score(forms, out).exit_code == 0
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert "schools/9999.md" not in names and "schools/заметки.md" in names
    assert not [n for n in names if ".tmp" in n]
    assert MANIFEST_NAME in names


def test_previous_release_forms_are_never_taken_for_the_tools(tmp_path):
    registry = tmp_path / "реестр.csv"
    registry.write_text("Код ОО;Наименование\n0101;Школа 1\n", encoding="utf-8")
    out = tmp_path / "forms"
    out.mkdir()
    shutil.copy(SAMPLES / "0101.xlsx", out / "0101.xlsx")  # a school's filled-in form, same stamp
    result = invoke("form", "--schools", registry, "-o", out)
    assert result.exit_code == 1
    assert "0101.xlsx" in result.stderr
    assert (out / "0101.xlsx").read_bytes() == (SAMPLES / "0101.xlsx").read_bytes()


def test_forms_of_schools_dropped_from_the_registry_go_unless_filled_in(tmp_path):
    registry = tmp_path / "реестр.csv"
    registry.write_text("Код ОО;Наименование\n0101;Школа 1\n0102;Школа 2\n0103;Школа 3\n", encoding="utf-8")
    out = tmp_path / "forms"
    assert invoke("form", "--schools", registry, "-o", out).exit_code == 0
    shutil.copy(SAMPLES / "0102.xlsx", out / "0102.xlsx")  # 0102 filled its form in place
    registry.write_text("Код ОО;Наименование\n0101;Школа 1\n", encoding="utf-8")
    assert invoke("form", "--schools", registry, "-o", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "0101.xlsx", "0102.xlsx"]
    assert (out / "0102.xlsx").read_bytes() == (SAMPLES / "0102.xlsx").read_bytes()


def test_templates_export_keeps_other_files_and_force_replaces_only_templates(tmp_path):
    dest = tmp_path / "t"
    dest.mkdir()
    (dest / "мой.j2").write_text("свой шаблон", encoding="utf-8")
    assert invoke("templates", "export", dest).exit_code == 0
    (dest / "spravka.md.j2").write_text("правка", encoding="utf-8")
    assert invoke("templates", "export", dest).exit_code == 1
    assert invoke("templates", "export", dest, "--force").exit_code == 0
    assert (dest / "spravka.md.j2").read_text(encoding="utf-8") != "правка"
    assert (dest / "мой.j2").read_text(encoding="utf-8") == "свой шаблон"


def test_a_writer_outside_its_declared_outputs_is_a_bug_and_leaves_nothing(tmp_path):
    def write(folder: Path) -> list[Path]:
        (folder / "stray.txt").write_text("x", encoding="utf-8")
        return [folder / "stray.txt"]

    with pytest.raises(RuntimeError, match=r"stray\.txt"):
        publish(tmp_path, OutputSet("test", ("report.md",)), write)
    assert list(tmp_path.iterdir()) == []


def test_output_set_patterns_do_not_cross_folders():
    assert SCORE_OUTPUTS.owns("schools/0101.html") and SCORE_OUTPUTS.owns("ranking.xlsx")
    assert not SCORE_OUTPUTS.owns("schools/0101.xlsx")
    assert not SCORE_OUTPUTS.owns("schools/old/0101.html")
    assert not OutputSet("form", ("*.xlsx",)).owns("schools/0101.xlsx")


def test_unchanged_trusts_time_and_size_then_the_hash(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("один", encoding="utf-8")
    record = record_file(path, "run")
    os.utime(path, ns=(record.mtime_ns + 10**9, record.mtime_ns + 10**9))  # copied: new time
    assert unchanged(path, record)
    path.write_text("два!", encoding="utf-8")  # same size, other bytes
    assert not unchanged(path, record)


@pytest.mark.skipif(os.name == "nt", reason="symlinks need extra rights on Windows")
def test_a_symlink_is_never_the_tools_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("один", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(path)
    assert not unchanged(link, record_file(path, "run"))


# --------------------------------------------------------------------------- clean errors

REGISTRY = "Код ОО;Наименование\n0101;Школа 1\n"


def _command(name: str, tmp_path: Path, forms: Path, out: Path) -> list[object]:
    """Each command that writes an output folder, writing into ``out``."""
    if name == "report":
        results = tmp_path / "prev" / "results.json"
        if not results.exists():
            assert score(forms, results.parent, "--no-cards").exit_code == 0
        return ["report", results, "-o", out]
    if name == "form":
        registry = tmp_path / "реестр.csv"
        registry.write_text(REGISTRY, encoding="utf-8")
        return ["form", "--schools", registry, "-o", out]
    if name == "templates":
        return ["templates", "export", out]
    return [name, forms, "-o", out, "--jobs", "1", *(["--quiet"] if name == "score" else [])]


COMMANDS = ["score", "report", "validate", "form", "templates"]


def _exit_code_ok(name: str, code: int) -> bool:
    return code in (0, 1) if name == "validate" else code == 0  # validate: 1 = errors in forms


@pytest.mark.parametrize("name", COMMANDS)
def test_a_file_where_the_folder_should_be(tmp_path, forms, name):
    blocker = tmp_path / "занято"
    blocker.write_text("файл, а не папка", encoding="utf-8")
    result = invoke(*_command(name, tmp_path, forms, blocker / "результаты"))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Ошибка: не удалось создать папку {blocker / 'результаты'}: ")
    assert "файл" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_a_folder_that_cannot_be_written(tmp_path, forms, name, monkeypatch):
    out = tmp_path / "только-чтение"
    out.mkdir()
    command = _command(name, tmp_path, forms, out)
    real_open = os.open

    def refuse(path, *args, **kwargs):  # a read-only folder (tests run as root: chmod would not stop us)
        if str(path).startswith(str(out)):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = invoke(*command)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Ошибка: не удалось записать в папку {out}: нет прав на запись\n"
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_disk_while_writing(tmp_path, forms, name, monkeypatch):
    out = tmp_path / "out"
    command = _command(name, tmp_path, forms, out)
    first = invoke(*command)
    assert _exit_code_ok(name, first.exit_code), first.output
    before = snapshot(out)
    if name == "templates":
        command.append("--force")
    import builtins
    import io

    real_open = builtins.open

    def full(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and STAGING_PREFIX in str(file) and set(mode) & set("wax+"):
            raise OSError(28, "No space left on device", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", full)
    monkeypatch.setattr(io, "open", full)
    result = invoke(*command)
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Ошибка: не удалось записать ")
    assert "на диске не хватает места" in result.stderr
    assert STAGING_PREFIX not in result.stderr  # the message names places a person knows
    assert snapshot(out) == before and leftovers(out) == []


def test_a_file_open_in_excel_on_windows_leaves_the_previous_results(tmp_path, forms, monkeypatch):
    out = tmp_path / "out"
    assert score(forms, out).exit_code == 0
    before = snapshot(out)
    real_replace = os.replace

    def locked(src, dst, *args, **kwargs):  # what Windows does to a file Excel holds open: no rename
        if out / "scores.csv" in (Path(src), Path(dst)):  # of it, and none over it
            error = PermissionError(13, "The process cannot access the file", str(src))
            error.winerror = 32  # ERROR_SHARING_VIOLATION
            raise error
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", locked)
    result = score(copy_forms(tmp_path / "fewer", ["0102"]), out)
    monkeypatch.undo()
    assert result.exit_code == 1
    assert f"файл {out / 'scores.csv'} занят другой программой" in result.stderr
    assert "закройте его" in result.stderr and "Прежние файлы в папке не изменены" in result.stderr
    assert snapshot(out) == before and leftovers(out) == []


@pytest.mark.skipif(os.name == "nt", reason="what a POSIX read-only folder says")
def test_a_read_only_folder_on_linux_is_said_as_it_is_not_as_excel(tmp_path, forms, monkeypatch):
    out = tmp_path / "out"
    assert score(forms, out).exit_code == 0
    before = snapshot(out)
    real_replace = os.replace

    def read_only(
        src, dst, *args, **kwargs
    ):  # chmod a-w schools/ (tests run as root: chmod would not stop us)
        if (out / "schools") in (Path(dst).parent, Path(src).parent):
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", read_only)
    result = score(copy_forms(tmp_path / "fewer", ["0102"]), out)
    monkeypatch.undo()
    assert result.exit_code == 1
    assert f"нет прав на запись в папку {out / 'schools'}" in result.stderr and "Excel" not in result.stderr
    assert snapshot(out) == before and leftovers(out) == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("0101", "0101"),
        ("../../x", "___x"),  # never a path
        ("CON", "_CON"),
        ("COM0", "_COM0"),  # reserved too, as are LPT0 and the superscript digits
        ("lpt¹.x", "_lpt¹.x"),
        ("~$0101", "~_0101"),  # OneDrive refuses «~$» (Office's lock files) and «_vti_»
        ("a_vti_b", "a_vti-b"),
        ("a:b|c", "a_b_c"),
        ("cod\u202exslx", "cod_xslx"),  # a bidi override would show the name reversed
        ("a\x85b\x7f", "a_b_"),  # C1 and DEL controls
        ("   ", "school"),
    ],
)
def test_file_names_from_codes_are_safe(code: str, expected: str) -> None:
    from vosp_monitor.outputs import safe_filename

    assert safe_filename(code) == expected

"""What the input holds: folders the user may not open, zip archives of forms, an input with no
form at all, and one form given as a file (named as itself everywhere)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from vosp_monitor.cli import main
from vosp_monitor.ingest import discover
from vosp_monitor.ingest.archive import MAX_ARCHIVE_MEMBERS, declared_entries, list_archive
from workbooks import default_config, fill_form, typical_school


def _run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def _form(path: Path, code: str, name: str = "Школа") -> Path:
    return fill_form(path, default_config(), *typical_school(code, name))


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


# --------------------------------------------------------------------------- folders the user may not open


def _close(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Take the rights to open ``folder`` away: chmod 000; where the tests run as root (whom
    no rights stop), the calls that open it fail as they would for a user without them."""
    folder.chmod(0o000)
    if os.name == "nt" or os.geteuid() != 0:
        return
    scandir, stat = os.scandir, os.stat

    def denied(path: object) -> bool:
        return (
            Path(os.fsdecode(path)).is_relative_to(folder) if isinstance(path, str | bytes | Path) else False
        )

    def closed_scandir(path: object = ".") -> object:
        if denied(path):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))  # type: ignore[arg-type]
        return scandir(path)  # type: ignore[arg-type]

    def closed_stat(path: object, *args: object, **kwargs: object) -> object:
        if denied(path) and Path(os.fsdecode(path)) != folder:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fsdecode(path))  # type: ignore[arg-type]
        return stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", closed_scandir)
    monkeypatch.setattr(os, "stat", closed_stat)


@pytest.mark.skipif(os.name == "nt", reason="POSIX rights")
def test_a_folder_the_user_may_not_open_is_a_problem_and_the_batch_goes_on(tmp_path, monkeypatch):
    forms = tmp_path / "forms"
    _form(forms / "0101.xlsx", "0101")
    _form(forms / "closed" / "0102.xlsx", "0102")
    _form(forms / "closed" / "deeper" / "0103.xlsx", "0103")
    try:
        _close(forms / "closed", monkeypatch)
        result = _run("validate", forms, "--format", "json", "--jobs", "1")
    finally:
        (forms / "closed").chmod(0o755)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [s["file"] for s in report["submissions"]] == ["0101.xlsx"]
    (problem,) = [p for p in report["problems"] if p["code"] == "folder-unreadable"]
    assert problem["file"] == "closed" and problem["severity"] == "warning"
    assert problem["message"].startswith("Папку не удалось открыть (нет прав на чтение)")


# --------------------------------------------------------------------------- zip archives of forms


def _cp866_zip(path: Path, name: str, data: bytes) -> Path:
    """A member named in the OEM code page without the UTF-8 flag, as Windows' «Send to →
    Compressed folder» writes Cyrillic names: written under an ASCII stand-in of the same
    length, whose bytes are then replaced in both headers."""
    encoded = name.encode("cp866")
    stand_in = b"x" * (len(encoded) - len(".xlsx")) + b".xlsx"
    _zip(path, {stand_in.decode("ascii"): data})
    path.write_bytes(path.read_bytes().replace(stand_in, encoded))
    return path


def test_a_zip_of_forms_is_read_as_a_folder(tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    school = _form(tmp_path / "made" / "0101.xlsx", "0101", "Школа №1").read_bytes()
    other = _form(tmp_path / "made" / "0102.xlsx", "0102", "Школа №2").read_bytes()
    forms.mkdir()
    _zip(
        forms / "почта.zip",
        {
            "район/0101.xlsx": school,
            "__MACOSX/район/._0101.xlsx": b"resource fork",
            "../0105.xlsx": school,
            "вложенный.zip": b"PK\x05\x06" + b"\x00" * 18,
            "readme.txt": "письмо".encode(),
        },
    )
    _cp866_zip(forms / "старый.zip", "Школа 2.xlsx", other)

    result = _run("validate", forms, "--format", "json", "--jobs", "1")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(s["file"], s["school_code"]) for s in report["submissions"]] == [
        ("почта.zip/район/0101.xlsx", "0101"),
        ("старый.zip/Школа 2.xlsx", "0102"),
    ]
    skipped = {item["file"]: item["reason"] for item in report["skipped"]}
    assert skipped == {
        "почта.zip/../0105.xlsx": "имя файла в архиве ведёт за пределы архива; не прочитан",
        "почта.zip/__MACOSX": "служебная папка macOS",
        "почта.zip/readme.txt": "не книга Excel (.txt)",
        "почта.zip/вложенный.zip": "архив внутри архива не читается; распакуйте его",
    }


def test_a_broken_or_oversized_member_is_that_members_problem(tmp_path: Path) -> None:
    from vosp_monitor.ingest.preflight import MAX_FILE_BYTES

    school = _form(tmp_path / "0101.xlsx", "0101").read_bytes()
    forms = tmp_path / "forms"
    forms.mkdir()
    _zip(forms / "a.zip", {"0101.xlsx": school, "huge.xlsx": b"\0" * (MAX_FILE_BYTES + 1)})
    damaged = bytearray(_zip(tmp_path / "b.zip", {"0102.xlsx": school}).read_bytes())
    damaged[200] ^= 0xFF  # a byte of the deflated member: the CRC no longer matches
    (forms / "b.zip").write_bytes(bytes(damaged))

    result = _run("validate", forms, "--format", "json", "--jobs", "1")

    assert result.exit_code == 1, result.output
    codes = {
        p["file"]: p["code"] for p in json.loads(result.stdout)["problems"] if p["code"].startswith("file-")
    }
    assert codes == {"a.zip/huge.xlsx": "file-too-large", "b.zip/0102.xlsx": "file-corrupt"}


def test_an_archive_whose_end_record_claims_millions_is_refused_before_parsing(tmp_path: Path) -> None:
    """A zip64 end record announcing 10⁷ entries: refused from the record, zipfile never builds them."""
    path = _zip(tmp_path / "forms.zip", {"0101.xlsx": b"x"})
    data = path.read_bytes()
    end = data.rfind(b"PK\x05\x06")
    directory_size, directory_offset = (
        int.from_bytes(data[end + 12 : end + 16], "little"),
        int.from_bytes(data[end + 16 : end + 20], "little"),
    )
    end64 = (
        b"PK\x06\x06"
        + (44).to_bytes(8, "little")
        + (45).to_bytes(2, "little") * 2
        + (0).to_bytes(4, "little") * 2
        + (10**7).to_bytes(8, "little") * 2
        + directory_size.to_bytes(8, "little")
        + directory_offset.to_bytes(8, "little")
    )
    locator = (
        b"PK\x06\x07" + (0).to_bytes(4, "little") + end.to_bytes(8, "little") + (1).to_bytes(4, "little")
    )
    record = bytearray(data[end:])
    record[8:12] = b"\xff\xff\xff\xff"
    path.write_bytes(data[:end] + end64 + locator + bytes(record))
    assert declared_entries(path) == 10**7
    members, skipped = list_archive(path, "forms.zip")
    assert members == []
    assert skipped == [
        ("forms.zip", f"в архиве 10000000 файлов, допускается до {MAX_ARCHIVE_MEMBERS}; не прочитан")
    ]


def test_a_password_protected_member_says_so(tmp_path: Path) -> None:
    path = _zip(tmp_path / "forms.zip", {"0101.xlsx": b"PK\x03\x04 not really"})
    data = bytearray(path.read_bytes())
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set the «encrypted» flag in both headers
        at = data.find(header)
        flag_at = at + (6 if header == b"PK\x03\x04" else 8)
        data[flag_at] |= 0x01
    path.write_bytes(bytes(data))
    (source,) = discover(path).sources
    from vosp_monitor.ingest import FormReader

    problem = FormReader(default_config()).read(source.path, source.name, source.member)
    assert problem.code == "file-unreadable" and "защищён паролем" in problem.message


# --------------------------------------------------------------------------- an input with no form


def test_an_empty_folder_is_an_error_not_a_run_for_nobody(tmp_path: Path) -> None:
    empty = tmp_path / "пусто"
    empty.mkdir()
    out = tmp_path / "out"
    for command in (["validate", empty], ["score", empty, "-o", out, "--quiet"]):
        result = _run(*command)
        assert result.exit_code == 1, result.output
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"Ошибка: в папке {empty} нет ни одного файла."), first
    assert not out.exists()


def test_a_folder_where_nothing_is_a_form_names_what_it_found_and_why(tmp_path: Path) -> None:
    folder = tmp_path / "почта"
    folder.mkdir()
    (folder / "письмо.txt").write_text("формы во вложении", encoding="utf-8")
    (folder / "~$0101.xlsx").write_bytes(b"lock")
    (folder / "таблица.xlsx").write_bytes(b"%PDF-1.7 renamed")
    _zip(folder / "forms.zip", {"scan.pdf": b"%PDF"})

    result = _run("score", folder, "-o", tmp_path / "out", "--quiet")

    assert result.exit_code == 1, result.output
    message = result.stderr.splitlines()[0]
    assert message.startswith(f"Ошибка: в {folder} нет ни одной формы мониторинга. Найдено: "), message
    assert "forms.zip/scan.pdf — не книга Excel (.pdf)" in message
    assert "письмо.txt — не книга Excel (.txt)" in message
    assert "таблица.xlsx — это не книга Excel: это PDF-документ" in message
    assert "~$0101.xlsx — временный файл Excel" in message
    assert not (tmp_path / "out").exists()


def test_one_file_that_is_not_a_form_is_named_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "0101.xlsx"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    result = _run("validate", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"Ошибка: файл {path} — не форма мониторинга: это не книга Excel: это текстовый файл (например, CSV), "
        "а не книга Excel"
    )


# --------------------------------------------------------------------------- one form named as itself


def test_validate_one_form_names_it_everywhere(tmp_path: Path) -> None:
    path = fill_form(
        tmp_path / "0107.xlsx",
        default_config(),
        *typical_school("0107", "Школа 7", **{"UPR-4": "нет данных"}),
    )
    text = _run("validate", path, "--jobs", "1")
    assert text.stdout.splitlines()[0] == f"Проверка: форма {path}"
    assert "0107.xlsx — 0107 Школа 7" in text.stdout and "\n. —" not in text.stdout
    report = json.loads(_run("validate", path, "--format", "json", "--jobs", "1").stdout)
    assert [s["file"] for s in report["submissions"]] == ["0107.xlsx"]
    assert {p["file"] for p in report["problems"]} == {"0107.xlsx"}
    out = tmp_path / "проверка"
    assert _run("validate", path, "-o", out, "--jobs", "1").exit_code == 1
    letter = next((out / "feedback").glob("*.md")).read_text(encoding="utf-8")
    assert "0107.xlsx" in letter and "«.»" not in letter


def test_score_one_form_names_it_in_the_report_tables(tmp_path: Path) -> None:
    path = _form(tmp_path / "one" / "0115.xlsx", "0115", "Школа 15")
    out = tmp_path / "out"
    result = _run("score", path, "-o", out, "--quiet")
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "0115.xlsx" in report and "| . |" not in report
    stored = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [s["file"] for s in stored["schools"]] == ["0115.xlsx"]

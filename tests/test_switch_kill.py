"""The final switch of an output folder, killed with -9 between any two of its renames.

A person opening the folder after such a kill must find every name of the old set and of the
new set that both have, each holding a whole file — the old run's or the new run's — never
a missing file (a kill used to leave all eight main files missing); the files at the top are
all old before their burst of renames and all new after it; and the next run into the folder
finishes the switch. The kill is real: the run kills itself with SIGKILL right before the
chosen rename (``outputs.KILL_ENV``, test-only).
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_outputs import copy_forms, leftovers, snapshot
from test_outputs_runs import SRC, score_command
from vosp_monitor.cli import main
from vosp_monitor.outputs import KILL_ENV, MANIFEST_NAME, SCORE_OUTPUTS, STAGING_PREFIX

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL and the spawned runs are checked on POSIX")
VARYING = ("ranking.xlsx", "results.json")  # differ between two runs of the same forms (times)


def _score(forms: Path, out: Path, kill_at: int | None = None) -> int:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    if kill_at is not None:
        env[KILL_ENV] = str(kill_at)
    return subprocess.run(score_command(forms, out), env=env, capture_output=True, timeout=300).returncode


def _outputs(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in snapshot(folder).items() if SCORE_OUTPUTS.owns(rel)}


def _whole_new(rel: str, data: bytes, new: dict[str, bytes], source: Path) -> bool:
    """A complete file of the new run: the reference's bytes, or (for the files that hold times) valid."""
    if rel not in VARYING:
        return data == new.get(rel)
    if rel == "results.json":
        return json.loads(data)["source"] == str(source)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.testzip() is None


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    """District A's results (the old set), district B's forms, and B's results made apart (the new set)."""
    base = tmp_path_factory.mktemp("switch")
    first = copy_forms(base / "a", ["0101", "0102", "0103"])
    second = copy_forms(base / "b", ["0102", "0104", "0105"])
    old_folder, new_folder = base / "old", base / "new"
    assert _score(first, old_folder) == 0 and _score(second, new_folder) == 0
    return old_folder, second, _outputs(old_folder), _outputs(new_folder)


def _plan(old: dict[str, bytes], new: dict[str, bytes]) -> tuple[int, int, int]:
    """The switch's renames: (where the top-level burst starts, where it ends, how many in all)."""
    added = [rel for rel in new if rel not in old]
    replaced = [rel for rel in new if rel in old]
    deleted = [rel for rel in old if rel not in new]
    inside = sum("/" in rel for rel in replaced)
    start = len(added) + inside + 1
    return start, len(added) + len(replaced), len(added) + len(replaced) + len(deleted)


def test_a_kill_at_any_rename_leaves_every_name_whole_and_the_next_run_finishes(sets, tmp_path) -> None:
    old_folder, forms, old, new = sets
    first_top, last_top, total = _plan(old, new)
    steps = sorted({1, first_top, last_top, total, *random.Random(23).sample(range(1, total + 1), 5)})
    for step in steps:
        out = tmp_path / f"killed-{step}"
        shutil.copytree(old_folder, out)  # with its times: the manifest's records still match
        assert _score(forms, out, kill_at=step) == -9, step
        seen = _outputs(out)
        for rel in old.keys() | new.keys():
            data = seen.get(rel)
            if rel in old and rel in new:
                assert data is not None, f"step {step}: {rel} is missing"
            if data is not None:
                is_old, is_new = data == old.get(rel), rel in new and _whole_new(rel, data, new, forms)
                assert is_old or is_new, f"step {step}: {rel} is neither the old file nor a whole new one"
        top = {rel: seen[rel] == old[rel] for rel in old.keys() & new.keys() if "/" not in rel}
        if step < first_top:
            assert all(top.values()), f"step {step}: the top-level set changed before its burst"
        if step > last_top:
            assert not any(top.values()), f"step {step}: the top-level set is not all new after its burst"
        assert any(p.name.startswith(STAGING_PREFIX) for p in out.iterdir())  # the journal, for the next run
        # The next run into the folder (any command) finishes the switch before its own work.
        assert CliRunner().invoke(
            main, ["validate", str(forms), "-o", str(out), "--jobs", "1"]
        ).exit_code in (0, 1)
        assert leftovers(out) == []
        finished = {rel: data for rel, data in _outputs(out).items()}
        assert finished.keys() == new.keys(), step
        assert all(data == new[rel] for rel, data in finished.items() if rel not in VARYING), step
        assert json.loads(finished["results.json"])["source"] == str(forms)
        manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
        assert set(manifest["files"]) >= new.keys()

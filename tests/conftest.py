"""What every test shares: the record of forms made (``form``) kept apart from the user's own."""

from __future__ import annotations

import pytest

from vosp_monitor.form.writer import DATA_ENV


@pytest.fixture(autouse=True)
def _forms_record(tmp_path_factory, monkeypatch):
    """``form`` remembers the last form made (for check-config) in this test's own folder."""
    monkeypatch.setenv(DATA_ENV, str(tmp_path_factory.mktemp("vosp-data")))

"""A fingerprint of everything ``score`` writes, to prove a district run is unchanged by a feature.

Every output file (every part of an .xlsx or .docx) is hashed after taking out what differs
from one run to the next by design: the run's date and time (dd.mm.yyyy, «8 декабря 2026», ISO), the
timestamps of docProps/core.xml, and in results.json the fields ``generated_at``,
``tool_version`` and ``schema_version`` and what schema 7 added for runs by territory
(``territories``, ``config.territories``), the regional реквизиты of the documents
(``config.documents.regional``, issue 26) and the size above which the справка no longer lists
every school (``config.analysis.appendix_schools``, issue 28); its numbers are compared to 10
significant digits.

    python tests/district_outputs.py OUT_FOLDER > tests/golden/district-outputs.json

writes the fingerprint of a folder written by ``vosp-monitor score samples/forms/ --schools
samples/registry.csv -o OUT_FOLDER`` (``tests/test_territories_district.py`` compares with
it). The golden file was made by main at 4d97aa5, before territories existed; regenerate it
only for an intended change of a district's outputs. Remade once, when computed indicators
(schema 8) were merged with territories: a district's indicators.csv gained the columns
«Введённые данные» and «Мало данных», its results.json each indicator's ``inputs`` and
``small``, ``small_count`` per indicator and the config keys of computed indicators; every
other file and part is as main 4d97aa5 wrote it. Remade again when ranking.xlsx gained the sheet
«Адресаты решений» (issue 28: the schools of each management decision) after «Не представили»:
its new sheet8.xml, the sheets after it one number later (their parts unchanged) and the
workbook's list of sheets; no other file changed. Remade when that sheet's reasons became a few
shared words with a column «Место в рейтинге», and when the run's date in words («8 декабря
2026», in the справка and the cards) began to be taken out: a golden file made on one day
failed the next (the parts with that date changed; none other).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from vosp_monitor.words.formatting import MONTHS

_DATE = re.compile(rb"\d{2}\.\d{2}\.\d{4}")
_GAP = rb"(?:\s|\xc2\xa0|&nbsp;|&#160;)"  # a space, a no-break space (UTF-8 or an HTML entity)
_MOMENT = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2}|Z)?")
_SCHEMA_7 = ("generated_at", "tool_version", "schema_version", "territories")


def _run_date(folder: Path) -> re.Pattern[bytes]:
    """The run's date in words, «8 декабря 2026» (the справка, the cards, the letters), from the
    ``generated_at`` of its results.json: only that date is taken out, never a deadline."""
    day = date.fromisoformat(
        json.loads((folder / "results.json").read_text(encoding="utf-8"))["generated_at"][:10]
    )
    month = MONTHS[day.month - 1].encode()
    return re.compile(rb"\b%d%s%s%s%d" % (day.day, _GAP, month, _GAP, day.year))


def _digest(data: bytes, run_date: re.Pattern[bytes]) -> str:
    data = run_date.sub(b"<date>", _DATE.sub(b"<date>", data))
    return hashlib.sha256(_MOMENT.sub(b"<when>", data)).hexdigest()[:20]


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.10g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _results_json(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in _SCHEMA_7:
        data.pop(key, None)
    data["config"].pop("territories", None)
    data["config"].get("documents", {}).pop("regional", None)
    data["config"].get("analysis", {}).pop("appendix_schools", None)
    text = json.dumps(_rounded(data), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def fingerprint(folder: Path) -> dict[str, str]:
    """Relative path (``book.xlsx!xl/worksheets/sheet1.xml`` for a part) → digest."""
    out: dict[str, str] = {}
    run_date = _run_date(folder)
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith(".vosp"):
            continue
        name = path.relative_to(folder).as_posix()
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as book:
                for part in sorted(book.namelist()):
                    if part != "docProps/core.xml":
                        out[f"{name}!{part}"] = _digest(book.read(part), run_date)
        elif path.name == "results.json":
            out[name] = _results_json(path)
        else:
            out[name] = _digest(path.read_bytes(), run_date)
    return out


if __name__ == "__main__":
    print(json.dumps(fingerprint(Path(sys.argv[1])), ensure_ascii=False, indent=1, sort_keys=True))

"""Earlier years' results (``--previous``): finding, reading, naming and ordering them.

An analyst keeps each year's output folder; ``--previous`` takes results.json files or
folders that hold them (an archive with one folder per year). Every schema version ever
written is read (``results.store``). A year is named by its ``monitoring.period``
(«2024/2025 учебный год»), else by the year of its run, and the years are ordered by
the first four-digit year in that name (then by the date of the run), so a results.json
regenerated later still takes its place. Files of another monitoring, two files of one
period, and a file of the current period are refused with a Russian message: each would
make the comparison say something false. Only the latest year is compared school by
school, so the earlier ones are read without their schools (their district figures are
all the series needs), which halves the reading of a long archive.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..analysis.stored import results_from_data
from ..errors import VospError, unopenable
from ..results import Results, gc_paused, load_results_data

RESULTS_NAME = "results.json"
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_MB = 1024 * 1024
BYTES_PER_SCHOOL = 32 * 1024
MIN_BYTES = 64 * _MB
MAX_SCHOOLS = 200_000  # when this run's size is not known: ten times a large region
MAX_BYTES = 4096 * _MB


@dataclass(frozen=True, slots=True)
class Limits:
    """How large an earlier year's results may be, given this run (``schools``: its schools,
    None when not known before reading, e.g. a consolidated table).

    A district grows or merges, but not to several times its size in a year: an earlier
    year may have up to ``2 × schools + 100`` schools (:data:`MAX_SCHOOLS` when unknown), and
    its file up to :data:`BYTES_PER_SCHOOL` per school allowed (a school takes about 5–8 KB,
    with the comparison of its year; names of 2,000 characters take more), at least
    :data:`MIN_BYTES` (:data:`MAX_BYTES` when unknown).
    """

    schools: int | None = None
    output: Path | None = None  # this run's output folder: never an earlier year

    @property
    def allowed_schools(self) -> int:
        return MAX_SCHOOLS if self.schools is None else 2 * self.schools + 100

    @property
    def allowed_bytes(self) -> int:
        if self.schools is None:
            return MAX_BYTES
        return max(MIN_BYTES, self.allowed_schools * BYTES_PER_SCHOOL)

    def why(self) -> str:
        if self.schools is None:
            return "больше, чем бывает у результатов даже крупного региона"
        return f"в этом запуске {self.schools} ОО, а прошлый год не может быть в разы больше"


class PreviousError(VospError):
    """Earlier results cannot be used for the comparison; the message is in Russian."""


@dataclass(frozen=True, slots=True)
class PreviousYear:
    label: str
    path: Path
    results: Results


def year_label(period: str, generated_at: str) -> str:
    """«2024/2025 учебный год», or the year of the run when the config names no period."""
    period = " ".join(period.split())
    if period:
        return period
    found = _YEAR.search(generated_at)
    return found.group(1) if found else generated_at


def year_order(label: str, generated_at: str) -> tuple[int, str]:
    """Sort key: the first four-digit year in the label (else in the run's date), then the date."""
    found = _YEAR.search(label) or _YEAR.search(generated_at)
    return (int(found.group(1)) if found else 0, generated_at)


def current_label(period: str) -> str:
    """This run's label, known before anything is read (the date of the run is today)."""
    return year_label(period, dt.date.today().isoformat())


def find_results_files(path: Path, output: Path | None = None) -> list[Path]:
    """A results.json itself, or every results.json inside a folder (hidden folders, and this
    run's ``output`` folder, skipped)."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise unopenable(PreviousError(f"результаты прошлых лет {path} не найдены"))
    found = sorted(
        p
        for p in path.rglob(RESULTS_NAME)
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
        and not _inside(p, output)
    )
    if not found:
        raise PreviousError(f"в папке {path} нет файлов {RESULTS_NAME} с результатами прошлых лет")
    return found


def _inside(path: Path, folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


@gc_paused()  # millions of small objects from JSON, none in a cycle: the collector would rescan them
def read_previous(
    paths: Sequence[Path], monitoring_id: str, label_now: str, limits: Limits = Limits()
) -> list[PreviousYear]:
    """The earlier years given by ``paths`` (files or folders), oldest first.

    Raises :class:`PreviousError` (or ``ResultsFileError`` for a file that is not a
    results.json) when a file belongs to another monitoring, repeats a period, is of this
    run's own period, or is beyond ``limits``.
    """
    files: list[Path] = []
    for path in paths:
        for file in find_results_files(Path(path), limits.output):
            if file.resolve() not in {f.resolve() for f in files}:
                files.append(file)
    loaded = sorted(((file, _load(file, limits)) for file in files), key=lambda item: _raw_order(item[1]))
    years: list[PreviousYear] = []
    for k, (file, data) in enumerate(loaded):
        path = file
        results = results_from_data(data, path, schools=k == len(loaded) - 1)
        other = results.config.monitoring.id
        if other != monitoring_id:
            raise PreviousError(
                f"{path} — результаты другого мониторинга («{other}»), а не «{monitoring_id}»; "
                "сравнивать можно только результаты одного мониторинга"
            )
        label = year_label(results.config.monitoring.period, results.generated_at)
        if label == label_now:
            raise PreviousError(_same_period(path, label, results, limits.output))
        twin = next((year for year in years if year.label == label), None)
        if twin is not None:
            raise PreviousError(
                f"два файла результатов за один период «{label}»: {twin.path} и {path}; оставьте один"
            )
        years.append(PreviousYear(label, path, results))
    years.sort(key=lambda year: year_order(year.label, year.results.generated_at))
    return years


def _load(file: Path, limits: Limits) -> object:
    """The parsed JSON of one earlier year, refused when it is larger than ``limits`` allow."""
    data = load_results_data(file, max_bytes=limits.allowed_bytes, too_large=limits.why())
    schools = data.get("schools") if isinstance(data, dict) else None
    if isinstance(schools, list) and len(schools) > limits.allowed_schools:
        raise PreviousError(
            f"{file}: в результатах прошлого года {len(schools)} ОО, допускается до {limits.allowed_schools} "
            f"({limits.why()}); проверьте, что указан файл этого района или региона"
        )
    return data


def _same_period(path: Path, label: str, results: Results, output: Path | None) -> str:
    """Why a file of this run's own period is refused, and what to do, for the situation at hand."""
    if _inside(path, output):
        return (
            f"{path} — результаты этого же запуска (из папки для результатов -o {output}); для сравнения "
            "нужны результаты прошлых лет: укажите в --previous их файлы или папку, где нет этого года"
        )
    if results.config.monitoring.period.strip():
        return (
            f"{path} относится к тому же периоду «{label}», что и этот запуск: это результаты этого же "
            "года (например, прежний запуск до исправления форм). Уберите его из --previous и укажите "
            "results.json прошлых лет; если это всё же прошлый год, исправьте monitoring.period в "
            "indicators.yaml этого запуска"
        )
    return (
        f"{path} относится к тому же периоду «{label}», что и этот запуск: период не задан ни там, ни "
        "здесь, и оба запуска названы по году, в котором они сделаны. Задайте период в "
        "monitoring.period файла показателей (например, «2025/2026 учебный год»)"
    )


def _raw_order(data: object) -> tuple[int, str]:
    """A file's place in time, read from the raw JSON (anything unreadable sorts last: read whole)."""
    try:
        assert isinstance(data, dict)
        generated = str(data["generated_at"])
        return year_order(
            year_label(str(data["config"]["monitoring"].get("period", "")), generated), generated
        )
    except (AssertionError, KeyError, TypeError, AttributeError):
        return (10**6, "")

"""Writing the form: one blank (or prefilled) workbook, or one per registry school.

The workbook is assembled from the sheets (``sheets``) and saved whole or not at all;
with a fixed date every timestamp is fixed, so the bytes are reproducible (samples, tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import layout
from ..config import Config, FieldType, SchoolField
from ..errors import VospError
from ..layout import normalise_header
from ..outputs import FORMS_OUTPUTS, unique_filenames, user_folder, write_atomic, write_text_atomic
from ..validate.values import match_option, parse_number_text, read_yesno
from ..words.russian import pick
from ..words.text import xml_text
from .rules import Lists
from .sheets import write_fields, write_indicators, write_instructions, write_stamp

if TYPE_CHECKING:  # pragma: no cover - typing only
    from openpyxl import Workbook

    from ..ingest.registry import RegistryEntry
    from .previous import PreviousValues


class FormError(VospError):
    """The form cannot be written or filled; the message is in Russian."""


def write_form(
    config: Config,
    path: Path | str,
    prefill: Mapping[str, object] | None = None,
    *,
    generated: dt.date | None = None,
    previous: PreviousValues | None = None,
) -> Path:
    """Write the blank (or prefilled) form to ``path``, whole or not at all.

    ``prefill`` maps school field keys to values written into «Сведения об ОО» (for
    example the code and name from the registry). ``generated`` fixes the stamp date and
    the file timestamps, which makes the file byte-for-byte reproducible (samples, tests).
    An existing folder as ``path`` gets ``form.xlsx`` inside it. ``previous``: the
    school's values last year, shown in a read-only column (``form/previous.py``).
    """
    path = Path(path)
    if path.is_dir():
        path = path / "form.xlsx"
    if path.suffix.lower() != ".xlsx":
        raise FormError(f"имя файла формы должно оканчиваться на .xlsx: {path}")
    workbook = build_form(config, prefill, generated=generated, previous=previous)
    moment = dt.datetime.combine(generated, dt.time(9, 0)) if generated else None
    return save_workbook(workbook, path, moment=moment)


def write_prefilled_forms(
    config: Config,
    registry_entries: Sequence[RegistryEntry],
    out_dir: Path | str,
    *,
    generated: dt.date | None = None,
    previous: Mapping[str, PreviousValues] | None = None,
) -> list[Path]:
    """One form per registry school, named safely from its code (``0101.xlsx``).

    Code and name are filled in; other registry columns whose header matches a field
    label or key («Тип ОО», «Местность») are filled too when the value is acceptable.
    ``previous``: registry code → the school's values last year (``form/previous.py``).
    """
    from ..outputs.staging import publish

    names = unique_filenames([entry.code for entry in registry_entries])

    def write(folder: Path) -> list[Path]:
        return [
            write_form(
                config,
                folder / f"{names[entry.code]}.xlsx",
                registry_prefill(config, entry),
                generated=generated,
                previous=None if previous is None else previous.get(entry.code),
            )
            for entry in registry_entries
        ]

    return publish(Path(out_dir), FORMS_OUTPUTS, write)


def territory_form_config(config: Config) -> Config:
    """The config of the territory form (``form --level territory``), or a :class:`FormError`
    saying that the config has no territory-level indicators."""
    from ..config import territory_config

    territory = territory_config(config)
    if territory is None:
        raise FormError(
            "в файле показателей нет показателей территории (раздел territories.blocks): "
            "форму территории делать не из чего"
        )
    return territory


def territory_entries(entries: Sequence[RegistryEntry]) -> list[RegistryEntry]:
    """One prefilled territory form per territory the registry names (its lowest level), in
    the registry's order; a :class:`FormError` when the registry names none."""
    from ..ingest.registry import RegistryEntry
    from ..validate.territories import name_key

    seen: dict[str, RegistryEntry] = {}
    for entry in entries:
        name = entry.territory[-1] if entry.territory else ""
        key = name_key(name)
        if key and key not in seen:
            seen[key] = RegistryEntry(code=name, name="")
    if not seen:
        raise FormError(
            "в реестре нет столбца с территорией («Муниципалитет», «Муниципальный район», "
            "«Муниципальное образование», «Городской округ», «Территория» или «МО»)"
        )
    return list(seen.values())


def registry_prefill(config: Config, entry: RegistryEntry) -> dict[str, object]:
    """Field values a registry row can give: code, name and matching extra columns."""
    values: dict[str, object] = {config.key_field.key: entry.code}
    if entry.name:
        values[config.name_field.key] = entry.name
    by_header = {normalise_header(f.label): f for f in config.school_fields}
    by_header |= {normalise_header(f.key): f for f in config.school_fields}
    for header, cell in entry.extra:
        school_field = by_header.get(normalise_header(header))
        if school_field is None or school_field.key in values or not cell.strip():
            continue
        value = _registry_value(school_field, cell.strip())
        if value is not None:
            values[school_field.key] = value
    return values


def _registry_value(school_field: SchoolField, cell: str) -> object | None:
    """A registry cell read the way a school's answer is read (``values``), or None when it
    does not fit the field: the form must not start with a value the school cannot keep."""
    if school_field.type == FieldType.choice:
        choices = list(school_field.choices or [])
        index = match_option(cell, choices)
        return None if index is None else choices[index]
    if school_field.type == FieldType.yesno:
        reading = read_yesno(cell)
        return None if not reading.ok else ("да" if reading.value else "нет")
    if school_field.type in (FieldType.integer, FieldType.number):
        number, _changed = parse_number_text(cell)
        if number is None:
            return None
        if school_field.type == FieldType.integer:
            return int(number) if number.is_integer() else None
        return number
    if school_field.type == FieldType.date:
        return None
    return cell


def build_form(
    config: Config,
    prefill: Mapping[str, object] | None = None,
    *,
    generated: dt.date | None = None,
    previous: PreviousValues | None = None,
) -> Workbook:
    """The form as an openpyxl workbook (not saved); see :func:`write_form`."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.workbook.protection import WorkbookProtection

    prefill = dict(prefill or {})
    unknown = sorted(set(prefill) - {f.key for f in config.school_fields})
    if unknown:
        raise FormError(f"в сведениях об ОО нет полей: {', '.join(unknown)}")
    generated = generated or dt.date.today()

    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None  # a new workbook has one sheet
    instructions.title = layout.SHEET_INSTRUCTIONS
    fields_sheet = workbook.create_sheet(layout.SHEET_FIELDS)
    indicators_sheet = workbook.create_sheet(layout.SHEET_INDICATORS)
    lists = Lists(workbook.create_sheet(layout.SHEET_LISTS))
    stamp = workbook.create_sheet(layout.SHEET_STAMP)

    write_instructions(instructions, config)
    field_cells = write_fields(fields_sheet, config, prefill, lists)
    write_indicators(indicators_sheet, config, field_cells, lists, previous)
    write_stamp(stamp, config, generated)
    lists.finish()
    stamp.sheet_state = "hidden"
    workbook.active = 1  # open on «Сведения об ОО»: that is where filling starts
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = sheet is fields_sheet

    monitoring = config.monitoring
    workbook.properties.title = xml_text(monitoring.title)
    workbook.properties.subject = xml_text(f"Форма мониторинга, версия {monitoring.form_version}")
    workbook.properties.creator = "vosp-monitor"
    workbook.properties.lastModifiedBy = "vosp-monitor"
    properties = (
        (layout.PROPERTY_FORM_ID, monitoring.id),
        (layout.PROPERTY_FORM_VERSION, monitoring.form_version),
    )
    for name, value in properties:
        # types-openpyxl does not know custom document properties (openpyxl ≥ 3.1 has them)
        workbook.custom_doc_props.append(StringProperty(name=name, value=xml_text(value)))  # type: ignore[attr-defined]
    # Structure lock without a password: sheets cannot be renamed, deleted or unhidden
    # by accident; anyone can lift it from the Review menu.
    workbook.security = WorkbookProtection(lockStructure=True)
    return workbook


def save_workbook(workbook: Workbook, path: Path, *, moment: dt.datetime | None = None) -> Path:
    """Save atomically; with ``moment`` every timestamp is fixed, so the bytes are reproducible."""
    from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

    from openpyxl.writer.excel import ExcelWriter

    def write(tmp: Path) -> None:
        if moment is None:
            workbook.save(tmp)
            return
        workbook.properties.created = moment
        workbook.properties.modified = moment
        stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)

        class _FixedTimeZip(ZipFile):
            def writestr(
                self,
                zinfo_or_arcname: str | ZipInfo,
                data: Any,
                compress_type: int | None = None,
                compresslevel: int | None = None,
            ) -> None:
                if isinstance(zinfo_or_arcname, str):
                    info = ZipInfo(zinfo_or_arcname, date_time=stamp)
                    info.compress_type = ZIP_DEFLATED
                    info.external_attr = 0o600 << 16
                    zinfo_or_arcname = info
                super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

            def write(
                self,
                filename: Any,
                arcname: Any = None,
                compress_type: int | None = None,
                compresslevel: int | None = None,
            ) -> None:
                # openpyxl streams worksheets through temporary files: stamp those too.
                self.writestr(arcname or Path(filename).name, Path(filename).read_bytes())

        ExcelWriter(workbook, _FixedTimeZip(tmp, "w", ZIP_DEFLATED, allowZip64=True)).save()

    return write_atomic(path, write)


# --------------------------------------------------------------------------- the forms made

DATA_ENV = "VOSP_MONITOR_DATA"  # the folder of forms.json; «off» keeps no record
FORMS_RECORD = "forms.json"


def data_folder() -> Path | None:
    """This user's folder for what vosp-monitor remembers between runs (None: turned off)."""
    return user_folder(DATA_ENV, "data")


def remember_form(config: Config, path: Path) -> None:
    """Record the last form made for this monitoring (``form``): its version, fingerprint and
    codes, so that ``check-config`` can tell when indicators.yaml changed after it was sent
    but ``form_version`` did not. A record that cannot be written is no reason to fail."""
    import contextlib
    import json

    folder = data_folder()
    if folder is None:
        return
    record = _forms_made(folder)
    record[config.monitoring.id] = {
        "form_version": config.monitoring.form_version,
        "framework": config.form_fingerprint,
        "codes": [ind.code for ind in config.indicators()],
        "made": dt.date.today().isoformat(),
        "path": str(path.resolve()),
    }
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(folder / FORMS_RECORD, json.dumps(record, ensure_ascii=False, indent=1))


def _forms_made(folder: Path) -> dict[str, Any]:
    import json

    try:
        data = json.loads((folder / FORMS_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def changed_since_form(config: Config) -> str:
    """What changed in the indicators since the last form of this ``form_version`` was made
    ("" when nothing did, the version changed, or no form was recorded)."""
    folder = data_folder()
    made = _forms_made(folder).get(config.monitoring.id) if folder is not None else None
    if not isinstance(made, dict) or made.get("form_version") != config.monitoring.form_version:
        return ""
    if made.get("framework") == config.form_fingerprint:
        return ""
    then = [str(code) for code in made.get("codes") or []]
    now = [ind.code for ind in config.indicators()]
    added, removed = [c for c in now if c not in then], [c for c in then if c not in now]
    changes = [f"{pick(len(added), 'добавлен', 'добавлены')} {', '.join(added)}"] if added else []
    if removed:
        changes.append(f"{pick(len(removed), 'удалён', 'удалены')} {', '.join(removed)}")
    what = "; ".join(changes) or "изменены названия, типы, единицы или варианты ответов"
    day = str(made.get("made", ""))
    when = f"{day[8:10]}.{day[5:7]}.{day[:4]}" if len(day) == 10 else "раньше"
    return (
        f"показатели изменились после того, как {when} была сделана форма версии "
        f"{config.monitoring.form_version} ({made.get('path', '')}): {what}, а form_version та же. "
        "Если форма уже разослана школам, поменяйте monitoring.form_version (и опишите отличия в "
        "previous_versions), сделайте форму заново (vosp-monitor form) и разошлите её; если не "
        "разослана — просто сделайте её заново"
    )

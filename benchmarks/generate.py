"""Generate N synthetic submissions from any indicators.yaml, fast and deterministically.

Writing 40,000 workbooks with openpyxl would take half an hour, so the tool's own form is
written once (``form.write_form``), read once to learn where every input cell is, and each
school's file is made by patching the values into the sheet XML of that template. With
``--style libreoffice`` the template is first re-saved by LibreOffice, so the files carry
shared strings and LibreOffice's own XML, as forms returned by schools often do.

About 3 % of the files get one mistake a school really makes (a numerator above its
denominator, a word in a number cell, an empty required field), about 2 % have a number
typed with a decimal comma («12,5»), and about 0.2 % are truncated (broken) files.

Usage:  python benchmarks/generate.py N OUT_DIR [-c indicators.yaml] [--style openpyxl|libreoffice]
"""

from __future__ import annotations

import argparse
import html
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from vosp_monitor.config import Config, FieldType, Indicator, IndicatorType, load_config
from vosp_monitor.form import write_form
from vosp_monitor.ingest import RawForm, read_form

MISTAKE_SHARE = 0.03
COMMA_SHARE = 0.02
BROKEN_SHARE = 0.002
_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_ATTR_T = re.compile(rb'\s+t="[^"]*"')


@dataclass(frozen=True, slots=True)
class Template:
    """The blank form as bytes, plus where each input cell is."""

    members: dict[str, bytes]  # zip member name → bytes
    sheet_parts: dict[str, str]  # sheet name → member name of its XML
    form: RawForm  # input cell addresses (values are empty)


def _sheet_parts(members: dict[str, bytes]) -> dict[str, str]:
    workbook = members["xl/workbook.xml"].decode("utf-8")
    rels = members["xl/_rels/workbook.xml.rels"].decode("utf-8")
    targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {k: v for v, k in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    parts = {}
    for name, rid in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
        target = targets[rid].lstrip("/")
        parts[html.unescape(name)] = target if target.startswith("xl/") else f"xl/{target}"
    return parts


def make_template(config: Config, work: Path, style: str) -> Template:
    path = work / "template.xlsx"
    write_form(config, path)
    if style == "libreoffice":
        out = work / "lo"
        out.mkdir(exist_ok=True)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(path)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        path = out / "template.xlsx"
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    form = read_form(path, config, path.name)
    if not isinstance(form, RawForm):
        raise SystemExit(f"the template is not readable as a form: {form.message}")
    return Template(members=members, sheet_parts=_sheet_parts(members), form=form)


def _school_values(config: Config, number: int, rng: random.Random) -> dict[tuple[str, str], object]:
    """(sheet, cell) → value for one plausible, valid school; retried until the checks hold."""
    checks = config.check_expressions()
    for _ in range(50):
        fields: dict[str, object] = {}
        numbers: dict[str, float | None] = {}
        for field in config.school_fields:
            if field.role.value == "key":
                value: object = f"{number:06d}"
            elif field.role.value == "name":
                value = f"Школа № {number} (синтетическая)"
            elif field.type == FieldType.choice:
                value = rng.choice(field.choices or [""])
            elif field.type in (FieldType.integer, FieldType.number):
                low = int(field.min if field.min is not None else 0)
                high = int(min(field.max if field.max is not None else 2000, max(low + 1, 1500)))
                value = rng.randint(max(low, 1), max(high, low + 1))
            elif field.type == FieldType.yesno:
                value = rng.choice(["да", "нет"])
            elif field.type == FieldType.date:
                value = "15.09.2025"
            else:
                value = f"Иванова И. И. ({number})"
            fields[field.key] = value
            if isinstance(value, int):
                numbers[field.key] = float(value)
        indicator_values: dict[str, object] = {}
        for ind in config.indicators():
            if ind.type == IndicatorType.share:
                denominator = numbers.get(ind.denominator_field or "") or rng.randint(1, 200)
                limit = numbers.get(ind.numerator_within or "", denominator)
                numerator = rng.randint(0, int(min(denominator, limit)))
                indicator_values[ind.code] = (numerator, denominator)
                numbers[f"{ind.code}.numerator"] = numerator
                numbers[f"{ind.code}.denominator"] = float(denominator)
                numbers[ind.code] = numerator / denominator * 100
            elif ind.type in (IndicatorType.quantity, IndicatorType.mark):
                high = ind.max_mark if ind.type == IndicatorType.mark else int(min(ind.max or 30, 30))
                indicator_values[ind.code] = rng.randint(int(ind.min or 0), int(high))
            elif ind.type in (IndicatorType.number, IndicatorType.percent):
                low, high = ind.min or 0.0, ind.max if ind.max is not None else 100.0
                indicator_values[ind.code] = round(rng.uniform(low, high), 1)
            elif ind.type == IndicatorType.yesno:
                indicator_values[ind.code] = rng.choice(["да", "нет"])
            elif ind.type == IndicatorType.computed:
                inputs = _computed_inputs(ind, numbers, rng)
                indicator_values[ind.code] = inputs
                numbers |= {f"{ind.code}.{key}": value for key, value in inputs.items()}
                continue
            else:
                indicator_values[ind.code] = rng.choice(ind.options or []).label
            if not isinstance(indicator_values[ind.code], tuple | str):
                numbers[ind.code] = float(indicator_values[ind.code])  # type: ignore[arg-type]
        if all(expr.evaluate(numbers) is not False for _, expr in checks):
            return {"fields": fields, "indicators": indicator_values}  # type: ignore[return-value]
    raise SystemExit("cannot generate a school that passes the config's checks")


def _computed_inputs(ind: Indicator, fields: dict[str, float | None], rng: random.Random) -> dict[str, float]:
    """Inputs of a computed indicator that pass its checks and give a value in its range."""
    for _ in range(200):
        inputs = {
            item.key: float(rng.randint(int(item.min or 0), int(min(item.max or 60, 60))))
            for item in ind.inputs
        }
        values = {**fields, **inputs}
        if any(expression.evaluate(values) is False for _, expression in ind.parsed_checks):
            continue
        result = ind.expression.evaluate(values) if ind.expression else None
        if (
            result is None
            or (ind.min is not None and result < ind.min)
            or (ind.max is not None and result > ind.max)
        ):
            continue
        return inputs
    raise SystemExit(f"{ind.code}: cannot generate inputs that pass its checks")


def _cells(
    template: Template, config: Config, number: int, rng: random.Random
) -> dict[str, dict[str, object]]:
    """Sheet → {cell: value}, with the planted mistakes and typing variants."""
    data = _school_values(config, number, rng)
    cells: dict[str, dict[str, object]] = {}

    def put(raw_cell: object, value: object) -> None:
        cells.setdefault(raw_cell.sheet, {})[raw_cell.cell] = value  # type: ignore[attr-defined]

    for key, cell in template.form.fields.items():
        put(cell, data["fields"][key])
    for code, value in data["indicators"].items():
        places = template.form.indicators[code]
        if isinstance(value, dict):  # a computed indicator's inputs, each on its own row
            for key, number in value.items():
                put(places[key], int(number))
        elif isinstance(value, tuple):
            put(places["numerator"], value[0])
            if "denominator" in places:
                put(places["denominator"], value[1])
        else:
            put(places["value"], value)
        if "comment" in places:  # a computed indicator's row has one; a table row may not
            put(places["comment"], "Приказ № 12 от 01.09.2025")
    roll = rng.random()
    if roll < MISTAKE_SHARE:
        kind = rng.randrange(3)
        shares = [
            c
            for c, v in data["indicators"].items()
            if isinstance(v, tuple) and "denominator" in template.form.indicators[c]
        ]
        counts = [c for c, v in data["indicators"].items() if isinstance(v, int)]
        if kind == 0 and shares:
            places = template.form.indicators[rng.choice(shares)]
            put(places["numerator"], 10**6)
        elif kind == 1 and counts:
            put(template.form.indicators[rng.choice(counts)]["value"], "нет данных")
        else:
            required = [
                k
                for k in template.form.fields
                if config.field(k).required and config.field(k).role.value not in ("key",)
            ]
            put(template.form.fields[rng.choice(required)], None)
    elif roll < MISTAKE_SHARE + COMMA_SHARE:
        numeric = [c for c, v in data["indicators"].items() if isinstance(v, float)]
        if numeric:
            code = rng.choice(numeric)
            put(template.form.indicators[code]["value"], f"{data['indicators'][code]:.1f}".replace(".", ","))
    return cells


def _cell_xml(address: bytes, attrs: bytes, value: object) -> bytes:
    attrs = _ATTR_T.sub(b"", attrs)
    if value is None or value == "":
        return b'<c r="%s"%s/>' % (address, attrs)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return b'<c r="%s"%s><v>%s</v></c>' % (address, attrs, repr(value).encode())
    text = html.escape(str(value), quote=False).encode("utf-8")
    return b'<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>' % (address, attrs, text)


def _patch(xml: bytes, values: dict[str, object]) -> bytes:
    encoded = {k.encode(): v for k, v in values.items()}

    def replace(match: re.Match[bytes]) -> bytes:
        address = match.group(1)
        if address not in encoded:
            return match.group(0)
        return _cell_xml(address, match.group(2), encoded.pop(address))

    patched = _CELL.sub(replace, xml)
    if encoded:
        missing = ", ".join(k.decode() for k in encoded)
        raise SystemExit(f"template has no XML element for cells {missing}")
    return patched


def generate(
    config: Config, count: int, out_dir: Path, *, style: str = "openpyxl", seed: int = 2025
) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        template = make_template(config, Path(work), style)
    paths = []
    for number in range(1, count + 1):
        rng = random.Random(seed * 1_000_003 + number)
        cells = _cells(template, config, number, rng)
        members = dict(template.members)
        for sheet, values in cells.items():
            part = template.sheet_parts[sheet]
            members[part] = _patch(members[part], values)
        path = out_dir / f"{number:06d}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, data in members.items():
                info = zipfile.ZipInfo(name, date_time=(2025, 9, 15, 12, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data, compresslevel=1)
        if rng.random() < BROKEN_SHARE:
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2])
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("-c", "--config", type=Path, default=None)
    parser.add_argument("--style", choices=["openpyxl", "libreoffice"], default="openpyxl")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    if args.style == "libreoffice" and not shutil.which("soffice"):
        sys.exit("--style libreoffice needs LibreOffice (soffice) on PATH")
    paths = generate(load_config(args.config), args.count, args.out, style=args.style, seed=args.seed)
    print(f"{len(paths)} files in {args.out}")


if __name__ == "__main__":
    main()

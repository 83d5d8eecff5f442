"""Reading the bytes of a results.json into plain JSON data, refusing what vosp-monitor never writes.

A results.json is opened by hand, copied between computers and saved back by Notepad: this
module reads it whatever the byte-order mark, refuses NaN, infinities and absurd nesting as
what they are, and words every failure in Russian with the command that writes the file
anew. What the data means is ``store.decode_results``'s.
"""

from __future__ import annotations

import codecs
import json
import math
from pathlib import Path
from typing import Any

import orjson

from ..errors import VospError, unopenable


class ResultsFileError(VospError):
    """results.json cannot be read; the message is in Russian."""


_RESCORE = "vosp-monitor score ПАПКА_С_ФОРМАМИ -o ПАПКА_РЕЗУЛЬТАТОВ"


def load_results_data(path: Path, *, max_bytes: int | None = None, too_large: str = "") -> Any:
    """The parsed JSON of a results.json (not yet checked), or :class:`ResultsFileError`.

    A byte-order mark (Notepad writes one) is skipped; NaN and infinities, which
    vosp-monitor never writes, are refused as what they are; so is nesting deeper than any
    results.json has. ``max_bytes``: a file larger than that is refused before it is read,
    with ``too_large`` (a Russian sentence saying why the limit) in the message.
    """
    try:
        size = Path(path).stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise ResultsFileError(
                f"файл {path} слишком велик: {size / _MB:.0f} МБ, допускается до {max_bytes / _MB:.0f} МБ"
                + (f" ({too_large})" if too_large else "")
            )
        data = _utf8(Path(path).read_bytes())
        try:
            return orjson.loads(data)  # 3–4 times json's speed: a region's results.json is hundreds of MB
        except orjson.JSONDecodeError:
            pass  # json says which error and where (orjson's messages are in English)
        return json.loads(data.decode("utf-8"), parse_constant=_no_constant, parse_float=_finite)
    except FileNotFoundError:
        raise unopenable(ResultsFileError(f"файл {path} не найден")) from None
    except IsADirectoryError:
        raise unopenable(ResultsFileError(f"{path} — это папка, а нужен файл results.json")) from None
    except OSError as exc:
        raise unopenable(
            ResultsFileError(f"файл {path} не удалось прочитать: {exc.strerror or exc}")
        ) from None
    except _NotFinite as exc:
        raise ResultsFileError(
            f"файл {path} изменён вручную или другой программой: в нём есть нечисловое значение «{exc}», "
            f"а vosp-monitor такие не записывает. Запишите его заново: {_RESCORE}"
        ) from None
    except RecursionError:
        raise ResultsFileError(
            f"файл {path} не похож на results.json vosp-monitor: вложенность данных глубже, чем бывает "
            "в файле результатов"
        ) from None
    except json.JSONDecodeError as exc:
        where = f"строка {exc.lineno}, позиция {exc.colno}"
        raise ResultsFileError(
            f"файл {path} повреждён: это не JSON ({where}). Запишите его заново: {_RESCORE}"
        ) from None
    except UnicodeDecodeError as exc:
        raise ResultsFileError(
            f"файл {path} повреждён: не в кодировке UTF-8 (байт {exc.start}). Запишите его заново: {_RESCORE}"
        ) from None


_MB = 1024 * 1024


class _NotFinite(ValueError):
    """NaN or an infinity in the JSON text."""


def _no_constant(name: str) -> Any:
    raise _NotFinite(name)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value


def _utf8(data: bytes) -> bytes:
    """The bytes as UTF-8 without a byte-order mark: Notepad saves «UTF-8 с BOM» and «Юникод» (UTF-16)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16").encode("utf-8")
    return data

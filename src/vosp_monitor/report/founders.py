"""Whose school is it: a municipal authority orders the heads of its own schools, and only
recommends to the others (a regional ГКОУ, a federal or a private school in its territory).

The founder is read from the abbreviation that opens a school's name, as registries write
it: МБОУ, МАОУ, МКОУ, МОУ — municipal; ГБОУ, ГКОУ, ГАОУ, ГОУ, ОГБОУ, КГБОУ — regional
(state); ФГБОУ, ФГКОУ — federal; ЧОУ, НОУ, АНО — private. For a regional authority
(``documents.territory: регион``) its own schools are the regional ones. A name that opens
with none of these is taken for one of the authority's own schools, as before.
"""

from __future__ import annotations

import re

_ABBREVIATION = re.compile(r"^\s*([А-ЯЁ]{2,8})\b")
_MUNICIPAL = re.compile(r"^М[А-ЯЁ]*ОУ$|^МО[А-ЯЁ]*У$")
_REGIONAL = re.compile(r"^(?:ОГ|КГ|Г)[А-ЯЁ]*ОУ$")
_OTHER = re.compile(r"^(?:ФГ[А-ЯЁ]*|Ч[А-ЯЁ]*ОУ|ЧУ|НОУ|АНО[А-ЯЁ]*)$")


def own_school(name: str, territory: str) -> bool:
    """Whether the authority of ``territory`` is the founder of the school named ``name``."""
    match = _ABBREVIATION.match(name)
    if match is None:
        return True
    kind = match[1]
    if territory == "регион":
        return not (_MUNICIPAL.match(kind) or _OTHER.match(kind))
    return not (_REGIONAL.match(kind) or _OTHER.match(kind))

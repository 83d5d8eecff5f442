"""Where each school of a run belongs: its territory, from the registry, its form or its folder.

A regional centre collects forms from every municipality. Which municipality a school
belongs to is taken, without any setting, from the first of:

1. the registry (``--schools``): a column «Муниципалитет» (and «Регион» for a second level
   above it, ``ingest.registry``);
2. the school's form: a school field with ``role: territory``;
3. the sub-folder its form lies in, when every form lies in a folder of its territory
   (``territories.folders`` levels deep) and there are at least two such folders. Forms
   of a district kept in one folder, or loosely in several, make no territories. A zip
   archive counts as a folder of its name (a municipality often sends one).

Disagreements are warnings with the file and the cell, and the registry wins:
``territory-conflict`` (the form names another territory than the registry) and
``territory-folder-conflict`` (the form lies in the folder of *another known territory*; a
folder named anything else — «неделя 1» — is no disagreement). In a run with territories a
school none of the three places is ``territory-missing``: it counts for the whole run only.

Names are compared as a person reads them (case, «ё», spaces ignored); each territory is
shown as the registry spells it, else as the first form (in file order) does. A school
whose municipality is known but whose region is not takes the region of the other schools
of that municipality when they agree on one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ..config import Config, FieldRole
from ..ingest.archive import ARCHIVE_SUFFIXES
from ..problems import Problem, make_problem
from ..words.text import code_key
from .batch import check_batch
from .submission import Submission

if TYPE_CHECKING:
    from ..ingest.registry import RegistryEntry

Path_ = tuple[str, ...]  # a territory: (region, municipality) or (municipality,)


class PlacedBy(StrEnum):
    """Where a run's territories were found (the методика says it)."""

    registry = "registry"
    form = "form"
    folder = "folder"


_SOURCE_RU = {PlacedBy.registry: "по реестру", PlacedBy.form: "по форме"}


@dataclass(slots=True)
class Placement:
    """The territory of every submission and registry school (display names, upper level first)."""

    files: dict[str, Path_] = field(default_factory=dict)  # submission file → territory
    registry: dict[str, Path_] = field(default_factory=dict)  # code_key of a registry code → territory
    sources: list[PlacedBy] = field(default_factory=list)  # what gave territories, in this order
    depth: int = 1  # 2: region → municipality

    def of_code(self, code: str) -> Path_:
        return self.registry.get(code_key(code), ())

    def territories(self) -> dict[str, str]:
        """Every territory of the run (lowest level): compared name → display name."""
        paths = [*self.files.values(), *self.registry.values()]
        return {name_key(path[-1]): path[-1] for path in sorted(paths)}


@functools.lru_cache(maxsize=65_536)  # a country's 40,000 schools name a few thousand territories
def name_key(name: str) -> str:
    """A territory's name as compared: case, «ё» and spacing ignored."""
    return " ".join(name.casefold().replace("ё", "е").split())


def _path_key(path: Path_) -> tuple[str, ...]:
    return tuple(name_key(part) for part in path)


def place_schools(
    submissions: Sequence[Submission], registry: Sequence[RegistryEntry] | None, config: Config
) -> tuple[Placement | None, list[Problem]]:
    """The run's placement and its warnings; ``(None, [])`` when no school has a territory."""
    if not config.territories.enabled:
        return None, []
    by_registry = {code_key(e.code): e.territory for e in registry or () if e.territory}
    field_key = next((f.key for f in config.school_fields if f.role == FieldRole.territory), None)
    folders = _folder_paths(submissions, config.territories.folders)
    chosen: dict[str, tuple[Path_, PlacedBy | None]] = {}
    for sub in submissions:
        given = by_registry.get(code_key(sub.school_code), ()) if sub.school_code else ()
        typed = _typed(sub, field_key)
        if given and given[-1]:
            chosen[sub.file] = (given if all(given) else given[-1:], PlacedBy.registry)
        elif typed:
            chosen[sub.file] = ((*(part for part in given[:-1] if part), typed), PlacedBy.form)
        elif sub.file in folders:
            chosen[sub.file] = (folders[sub.file], PlacedBy.folder)
        else:
            chosen[sub.file] = ((), None)
    registry_paths = {key: path if all(path) else path[-1:] for key, path in by_registry.items() if path[-1]}
    if not any(path for path, _ in chosen.values()) and not registry_paths:
        return None, []
    names = _Names()
    names.add_all(e.territory for e in registry or ())
    names.add_all(chosen[sub.file][0] for sub in sorted(submissions, key=lambda s: s.file))
    depth = max(len(path) for path in names.paths()) if names.paths() else 1
    placement = Placement(depth=depth)
    problems = _conflicts(submissions, chosen, by_registry, field_key, folders, names)
    for sub in submissions:
        path = names.complete(chosen[sub.file][0], depth)
        if path:
            placement.files[sub.file] = path
        elif sub.readable:
            problems.append(
                make_problem("territory-missing", file=sub.file, school=sub.school_code or sub.file)
            )
    placement.registry = {
        key: full for key, path in registry_paths.items() if (full := names.complete(path, depth))
    }
    used = {source for _, source in chosen.values() if source is not None}
    if registry_paths:
        used.add(PlacedBy.registry)
    placement.sources = [source for source in PlacedBy if source in used]
    return placement, problems


def _typed(sub: Submission, field_key: str | None) -> str:
    if field_key is None:
        return ""
    value = sub.fields.get(field_key)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _folder_paths(submissions: Sequence[Submission], levels: int) -> dict[str, Path_]:
    """file → its folders as a territory, when every form lies ``levels`` folders deep or more
    and the forms are in at least two territories; else nothing.

    A zip archive is a folder of its name: «Северный район.zip/0201.xlsx» lies in «Северный
    район». An archive holding every form (the input itself is one, or the only thing in the
    folder) is no territory: the folders inside it are.
    """
    if levels == 0 or not submissions:
        return {}
    folders = {sub.file: PurePosixPath(sub.file).parts[:-1] for sub in submissions}
    firsts = {parts[0] if parts else "" for parts in folders.values()}
    skip = 1 if len(firsts) == 1 and _is_archive(next(iter(firsts))) else 0
    paths: dict[str, Path_] = {}
    for file, parts in folders.items():
        parts = parts[skip:]
        if len(parts) < levels:  # also every row of a consolidated table («svod.xlsx, строка 5»)
            return {}
        paths[file] = tuple(_unzipped(part) for part in parts[:levels])
    return paths if len({_path_key(p) for p in paths.values()}) >= 2 else {}


def _is_archive(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in ARCHIVE_SUFFIXES


def _unzipped(folder: str) -> str:
    """A folder's name as a territory: an archive's without its «.zip»."""
    return folder[: -len(PurePosixPath(folder).suffix)] if _is_archive(folder) else folder


def _conflicts(
    submissions: Sequence[Submission],
    chosen: dict[str, tuple[Path_, PlacedBy | None]],
    by_registry: dict[str, Path_],
    field_key: str | None,
    folders: dict[str, Path_],
    names: _Names,
) -> list[Problem]:
    problems: list[Problem] = []
    known = {name_key(path[-1]) for path in names.paths()}
    for sub in submissions:
        path, source = chosen[sub.file]
        if not path or source is None:
            continue
        school = sub.school_code or sub.file
        typed = _typed(sub, field_key)
        given = by_registry.get(code_key(sub.school_code), ()) if sub.school_code else ()
        if source == PlacedBy.registry and typed and name_key(typed) != name_key(given[-1]):
            sheet, _, cell = sub.field_cells.get(field_key or "", "").rpartition("!")
            problems.append(
                make_problem(
                    "territory-conflict",
                    file=sub.file,
                    sheet=sheet,
                    cell=cell,
                    school=school,
                    value=typed,
                    registry=given[-1],
                )
            )
        folder = folders.get(sub.file)
        moved = folder is not None and name_key(folder[-1]) in known - {name_key(path[-1])}
        if source != PlacedBy.folder and folder is not None and moved:
            problems.append(
                make_problem(
                    "territory-folder-conflict",
                    file=sub.file,
                    school=school,
                    value=folder[-1],
                    territory=path[-1],
                    source=_SOURCE_RU[source],
                )
            )
    return problems


class _Names:
    """The display spelling of every territory (the first met) and the region of each municipality."""

    def __init__(self) -> None:
        self.spelling: dict[tuple[str, ...], Path_] = {}
        self.parents: dict[str, set[str]] = {}  # municipality key → region keys

    def add_all(self, paths: Iterable[Path_]) -> None:
        for path in paths:
            if path and all(path):
                key = _path_key(path)
                self.spelling.setdefault(key, path)
                if len(path) == 2:
                    self.parents.setdefault(key[1], set()).add(key[0])

    def paths(self) -> list[Path_]:
        return list(self.spelling.values())

    def complete(self, path: Path_, depth: int) -> Path_:
        """``path`` in its display spelling and at the run's depth; () when that cannot be done."""
        if not path or not all(path):
            return ()
        key = _path_key(path)
        if len(key) < depth:
            regions = self.parents.get(key[-1], set())
            if len(regions) != 1:
                return ()
            key = (next(iter(regions)), key[-1])
        return self.spelling.setdefault(key, path)


def check_territory_forms(
    forms: Sequence[Submission], placement: Placement | None, config: Config
) -> list[Problem]:
    """The checks across the territories' own forms (``config``: the territory form's).

    A territory named twice is ``school-duplicate`` (both forms left out), as for schools; a
    form naming no territory of the run is ``territory-form-unknown``; a territory of the run
    without a form is ``territory-form-missing`` (its own indicators then score 0).
    """
    problems, _ = check_batch(forms, config, None)
    territories = {} if placement is None else placement.territories()
    for form in forms:
        if form.readable and not form.excluded and name_key(form.school_code) not in territories:
            problems.append(make_problem("territory-form-unknown", file=form.file, value=form.school_code))
    given = {name_key(form.school_code) for form in forms if form.readable}
    problems += [
        make_problem("territory-form-missing", value=name)
        for key, name in sorted(territories.items())
        if key not in given
    ]
    return problems

"""The field reference of templates/README.md, written from the code: ``python -m tools.templates_readme``.

An analyst who edits a template reads templates/README.md to learn what the template may
print. The part of it between :data:`BEGIN` and :data:`END` is written here: for each kind
of template, the names the program gives it (the report view, ``documents``, a card, a
letter), and under each name its fields, walked from the dataclasses' type hints, with the
Russian descriptions of :mod:`tools.template_fields`. A type is listed once; where it comes
again, the reference says where its fields are («поля как у `ranking`»).

So a field renamed or added in report/ changes the README when this is run, and
tests/test_templates_readme.py fails until it is (and while a description names a field
that no longer exists, or a name a template sees has none).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import sys
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.template_fields import CONTEXTS, DESCRIPTIONS
from vosp_monitor.config import REPO_ROOT, Config
from vosp_monitor.report.cards import ExcludedCard, SchoolCard
from vosp_monitor.report.documents import DocumentsView, Phrase, Slot
from vosp_monitor.report.feedback import FeedbackLetter
from vosp_monitor.report.letters import LetterView
from vosp_monitor.report.view import ReportView
from vosp_monitor.writers.markup import source

README = REPO_ROOT / "templates" / "README.md"
BEGIN = "<!-- поля шаблонов: начало (эту часть пишет python -m tools.templates_readme; не правьте её) -->"
END = "<!-- поля шаблонов: конец -->"
# What a value is, when it is not text: the mark after its name, for one and for a list of them.
_KINDS: dict[Any, tuple[str, str]] = {
    str: ("", "текстов"),
    int: ("целое", "целых"),
    float: ("число", "чисел"),
    bool: ("да/нет", "отметок да/нет"),
    Slot: ("реквизит", "реквизитов"),
    Phrase: ("текст с реквизитами", "текстов с реквизитами"),
    Config: ("файл показателей", ""),
    dt.date: ("дата", "дат"),
}
_TUPLES = {2: ("пара", "пар"), 3: ("тройка", "троек")}  # (code, title), (code, title, reasons)


@dataclass(frozen=True, slots=True)
class Name:
    """A name a template sees, and its type: a field of ``owner``, or (no owner) a value of its own."""

    name: str
    type: Any
    owner: type | None = None

    @property
    def key(self) -> str:
        """Its description's key in DESCRIPTIONS: «ReportView.ranking», or its type's («DocumentsView»)."""
        return f"{label(self.owner)}.{self.name}" if self.owner is not None else label(self.type)


@dataclass(frozen=True, slots=True)
class Context:
    """What one kind of template sees: its names, with the heading and the words before them."""

    key: str  # its heading and introduction in CONTEXTS
    names: tuple[Name, ...]


def _fields(cls: type, skip: typing.Collection[str] = ()) -> tuple[Name, ...]:
    hints = typing.get_type_hints(cls)
    return tuple(Name(f.name, hints[f.name], cls) for f in dataclasses.fields(cls) if f.name not in skip)


def contexts() -> list[Context]:
    """The names of each kind of template, as the program gives them (see the test's check
    against writers/markup/source.py ``document_context``, the cards and the letters)."""
    report = (
        *_fields(ReportView, skip=source._NOT_PRINTED),  # the view's own lookups are not for templates
        Name("config", Config),
        Name("documents", DocumentsView),
    )
    return [
        Context("spravka", report),
        Context("school", _fields(SchoolCard)),
        Context("excluded", _fields(ExcludedCard)),
        Context("letter", (Name("letter", LetterView),)),
        Context("feedback", (Name("letter", FeedbackLetter),)),
    ]


# --------------------------------------------------------------------------- types


def _optional(tp: Any) -> tuple[Any, bool]:
    """``X | None`` → (X, True); anything else → (it, False)."""
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(options) == 1:
            return options[0], True
    return tp, False


def shape(tp: Any) -> tuple[type | None, str]:
    """The dataclass whose fields a value of type ``tp`` has (None for a plain value), and
    the mark that says what the value is: «список», «число или пусто», «реквизит» …"""
    tp, optional = _optional(tp)
    inner, mark = _shape(tp)
    if optional:
        mark = f"{mark} или пусто" if mark else "может не быть"
    return inner, mark


def _shape(tp: Any) -> tuple[type | None, str]:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):  # «текст или реквизит»
        return None, " или ".join(_KINDS[a][0] or "текст" for a in args)
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):  # (code, title)
        return None, f"{_TUPLES[len(args)][0]} {_KINDS[args[0]][1]}"
    if origin in (tuple, list):
        item, optional = _optional(args[0])
        inner, kind = _shape(item)
        if inner is not None:
            return inner, "список"
        many = _many(item)
        if many is None:
            return None, f"список: {kind}"
        return None, f"список {many}" + (" или пустых значений" if optional else "")
    if origin is dict:
        inner, kind = _shape(args[1])
        return inner, "словарь" + (f": {kind}" if kind else "")
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return tp, _KINDS.get(tp, ("", ""))[0]
    if isinstance(tp, type) and issubclass(tp, enum.StrEnum):  # printed as its text
        return None, ""
    return None, _KINDS[tp][0]


def _many(item: Any) -> str | None:
    """«текстов», «пар текстов»: a list of ``item`` in words (None: no short way to say it)."""
    if item in _KINDS:
        return _KINDS[item][1]
    args = typing.get_args(item)
    if typing.get_origin(item) is tuple and args and args[-1] is not Ellipsis:
        return f"{_TUPLES[len(args)][1]} {_KINDS[args[0]][1]}"
    return None


def members(cls: type) -> list[tuple[str, Any]]:
    """A dataclass's fields and public properties (``Grif.title``) with their types, in order."""
    hints = typing.get_type_hints(cls)
    found = [(f.name, hints[f.name]) for f in dataclasses.fields(cls)]
    for name, value in vars(cls).items():
        if isinstance(value, property) and not name.startswith("_") and value.fget is not None:
            found.append((name, typing.get_type_hints(value.fget)["return"]))
    return found


def _walk(tp: Any, seen: set[type]) -> Iterator[type]:
    inner, _ = shape(tp)
    if inner is None or inner in seen:
        return
    seen.add(inner)
    yield inner
    for _, member in members(inner):
        yield from _walk(member, seen)


@functools.cache
def dataclasses_shown() -> tuple[type, ...]:
    """Every dataclass whose fields the reference lists, in the order it lists them."""
    seen: set[type] = set()
    return tuple(cls for context in contexts() for n in context.names for cls in _walk(n.type, seen))


def label(cls: type) -> str:
    """A type's name in the descriptions' keys: «SchoolRow», or with its module where two
    types share a name («report.figures.TargetRow», «report.dynamics.TargetRow»)."""
    twins = [c for c in dataclasses_shown() if c.__name__ == cls.__name__]
    if len(twins) < 2:
        return cls.__name__
    return f"{cls.__module__.removeprefix('vosp_monitor.')}.{cls.__name__}"


# --------------------------------------------------------------------------- writing


class _Reference:
    """The list of names of every context, each dataclass's fields at its first place."""

    def __init__(self) -> None:
        self.shown: dict[type, str] = {}  # a dataclass → the name under which its fields are listed
        self.lines: list[str] = []

    def context(self, context: Context) -> None:
        title, intro = CONTEXTS[context.key]
        intro = intro.replace("{report_only}", ", ".join(f"`{name}`" for name in source.REPORT_ONLY))
        self.lines += [f"### {title}", "", intro, ""]
        for name in context.names:
            self.name(name.name, name.type, DESCRIPTIONS.get(name.key, ""), name.name, 0)
        self.lines.append("")

    def name(self, name: str, tp: Any, description: str, path: str, depth: int) -> None:
        inner, mark = shape(tp)
        line = f"{'  ' * depth}- `{name}`" + (f" *({mark})*" if mark else "")
        line += f" — {description}" if description else ""
        if inner is None:
            self.lines.append(line)
        elif inner in self.shown:
            self.lines.append(line + ("; " if description else " — ") + f"поля как у `{self.shown[inner]}`")
        else:
            self.shown[inner] = path
            self.lines.append(line)
            for member, member_type in members(inner):
                self.name(member, member_type, describe(inner, member), f"{path}.{member}", depth + 1)


def describe(cls: type, member: str) -> str:
    """A field's description: its own, else (a field holding a dataclass) its type's."""
    own = DESCRIPTIONS.get(f"{label(cls)}.{member}")
    if own is not None:
        return own
    inner, _ = shape(dict(members(cls))[member])
    return DESCRIPTIONS.get(label(inner), "") if inner is not None else ""


def reference() -> str:
    """The generated part of templates/README.md, markers included."""
    writer = _Reference()
    for context in contexts():
        writer.context(context)
    return "\n".join([BEGIN, "", *writer.lines, END])


def known_keys() -> set[str]:
    """Every key a description may have: a type shown, or a field or property of one."""
    shown = dataclasses_shown()
    keys = {label(cls) for cls in shown}
    keys |= {f"{label(cls)}.{member}" for cls in shown for member, _ in members(cls)}
    return keys | {n.key for c in contexts() for n in c.names}


def problems() -> list[str]:
    """What is wrong with the descriptions: a name a template sees without one, a key that
    names nothing the templates see (a field renamed or removed)."""
    missing = [
        f"нет описания имени «{n.name}» ({n.key})"
        for c in contexts()
        for n in c.names
        if n.key not in DESCRIPTIONS
    ]
    known = known_keys()
    stale = [f"описание «{key}» не относится ни к одному полю" for key in DESCRIPTIONS if key not in known]
    return missing + stale


def generated_part(text: str) -> str:
    """The part of a README between the markers (the markers included), or "" without them."""
    start, end = text.find(BEGIN), text.find(END)
    return text[start : end + len(END)] if 0 <= start < end else ""


def rewrite(path: Path = README) -> bool:
    """Rewrite the generated part of ``path``; True when it changed."""
    text = path.read_text(encoding="utf-8")
    old = generated_part(text)
    if not old:
        raise ValueError(f"{path}: нет меток {BEGIN!r} … {END!r}")
    new = text.replace(old, reference())
    if new != text:
        path.write_text(new, encoding="utf-8", newline="\n")
    return new != text


def main() -> int:
    found = problems()
    for problem in found:
        print(f"tools/template_fields.py: {problem}", file=sys.stderr)
    if found:
        return 1
    print(f"{README}: {'переписан' if rewrite() else 'уже совпадает с кодом'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

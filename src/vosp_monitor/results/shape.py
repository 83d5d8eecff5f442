"""Is this parsed results.json shaped as the result model says? Checked before it is decoded.

A results.json read back (``report``, ``audit``, and an earlier year for ``--previous``)
may come from a colleague, an old backup, or a hand edit. Decoding trusts the shape: a
text where a score belongs, or a list where a name belongs, would pass through and fail
much later, deep in the comparison or a template, as an internal error. So the parsed JSON
is checked against the dataclasses of the model, from their own type annotations (one
source: a field added to the model is checked with no change here), and a mismatch is a
:class:`ShapeError` naming where it is («schools[12].indicators.KR-1.value: ожидалось
число, найдено текст»).

Fast enough for 40,000 schools: a record is recognised by its keys and the types of its
values; once a combination passed, records with the same one (all but a few of a million)
cost two tuples and a set lookup. JSON has no NaN or infinity (``jsonfile.load_results_data``
refuses them), so every number here is finite.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any

from ..config import Config
from ..problems import Problem
from ..words.text import TEXT_LIMIT, clip
from .dynamics import ValueChange

Path = tuple[Any, ...]  # (parent path, key or index): built per element, formatted only on failure
Check = Callable[[Any, Path], None]
ROOT: Path = ()


class ShapeError(ValueError):
    """The data is not shaped as a results.json; the message (Russian) says where and how."""


_KIND = {str: "текст", int: "целое число", float: "число", bool: "да/нет", type(None): "пусто"}


def _found(value: Any) -> str:
    if isinstance(value, dict):
        return "объект"
    if isinstance(value, list):
        return "список"
    return _KIND.get(type(value), type(value).__name__)


def _where(path: Path) -> str:
    """«schools[12].indicators.KR-1.value» from a linked path."""
    parts: list[str] = []
    while path:
        path, key = path
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
    return "".join(reversed(parts)).lstrip(".") or "файл"


def _fail(path: Path, expected: str, value: Any) -> ShapeError:
    return ShapeError(f"{_where(path)}: ожидалось {expected}, найдено: {_found(value)}")


def _leaf_types(hint: Any) -> frozenset[type] | None:
    """The JSON types a leaf annotation allows (None when ``hint`` is not a leaf)."""
    if hint is float:
        return frozenset({float, int})
    if hint in (str, int, bool, type(None)):
        return frozenset({hint})
    if isinstance(hint, type) and issubclass(hint, Enum):
        return frozenset({str, hint})  # text in a file; the member itself in a dict made in memory
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        allowed: set[type] = set()
        for arm in typing.get_args(hint):
            leaf = _leaf_types(arm)
            if leaf is None:
                return None
            allowed |= leaf
        return frozenset(allowed)
    return None


def _expected(allowed: frozenset[type]) -> str:
    names = [_KIND[t] for t in (float, int, str, bool, type(None)) if t in allowed]
    if float in allowed:
        names.remove("целое число")
    return " или ".join(names)


def _leaf_check(allowed: frozenset[type]) -> Check:
    def check(value: Any, path: Path) -> None:
        if value.__class__ not in allowed:
            raise _fail(path, _expected(allowed), value)

    return check


def checker(hint: Any) -> Check:
    """The check of a value annotated ``hint`` (a leaf, a list, a dict, a dataclass, an optional one)."""
    leaf = _leaf_types(hint)
    if leaf is not None:
        return _leaf_check(leaf)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [arm for arm in args if arm is not type(None)]
        if len(inner) == 1:
            check = checker(inner[0])
            return lambda value, path: None if value is None else check(value, path)
    if origin is list:
        item = checker(args[0])

        def check_list(value: Any, path: Path) -> None:
            if value.__class__ is not list:
                raise _fail(path, "список", value)
            for i, element in enumerate(value):
                item(element, (path, i))

        return check_list
    if origin is tuple and args and args[-1] is not Ellipsis:  # a fixed tuple: a list of that length in JSON
        items = [checker(arg) for arg in args]
        expected = f"список из {len(items)} значений"

        def check_tuple(value: Any, path: Path) -> None:
            if value.__class__ not in (list, tuple) or len(value) != len(items):
                raise _fail(path, expected, value)
            for i, (element, item_check) in enumerate(zip(value, items, strict=True)):
                item_check(element, (path, i))

        return check_tuple
    if origin is dict:
        item = checker(args[1])
        flat = _flat_record(args[1])

        def check_dict(value: Any, path: Path) -> None:
            if value.__class__ is not dict:
                raise _fail(path, "объект", value)
            if flat is not None:  # a million indicator records: their value types inline, no call
                passed = flat.passed_types
                for key, element in value.items():
                    if element.__class__ is not dict or tuple(map(type, element.values())) not in passed:
                        item(element, (path, key))
                return
            for key, element in value.items():
                item(element, (path, key))

        return check_dict
    if hint in _SPECIAL:
        return _SPECIAL[hint]
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _Record.of(hint).check
    raise TypeError(f"no shape check for {hint!r}")  # a model field of a new kind: teach it here


def _flat_record(hint: Any) -> _Record | None:
    """The record of a dataclass of leaves only (checked by its signature alone), else None."""
    if hint in _SPECIAL or not (dataclasses.is_dataclass(hint) and isinstance(hint, type)):
        return None
    record = _Record.of(hint)
    return None if record.nested else record


class _Record:
    """One dataclass: its required and optional fields, leaves checked by signature."""

    def __init__(self, cls: type, *, open_keys: bool = False) -> None:
        hints = typing.get_type_hints(cls)
        self.open_keys = open_keys  # keys the model does not know are left unread, not refused
        fields = dataclasses.fields(cls)
        self.name = cls.__name__
        self.known = {f.name for f in fields}
        self.required = {
            f.name
            for f in fields
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        }
        self.fields = tuple(f.name for f in fields)  # in the order the writer writes them
        self.leaves: dict[str, Check] = {}
        self.nested: list[tuple[str, Check]] = []
        for f in fields:
            if _leaf_types(hints[f.name]) is not None:
                self.leaves[f.name] = checker(hints[f.name])
            else:
                self.nested.append((f.name, checker(hints[f.name])))
        self.passed: set[tuple[tuple[str, ...], tuple[type, ...]]] = set()
        # The value types alone of the records that passed: enough for a record of leaves, whose
        # keys decoding reads one by one (a record with other keys fails there, by name)
        self.passed_types: set[tuple[type, ...]] = set()

    @classmethod
    @functools.cache
    def of(cls, model: type) -> _Record:
        return cls(model)

    def check(self, value: Any, path: Path) -> None:
        if value.__class__ is not dict:
            raise _fail(path, "объект", value)
        signature = (tuple(value), tuple(map(type, value.values())))
        if signature not in self.passed:
            self._check_leaves(value, path)
            self.passed.add(signature)
            if tuple(value) == self.fields:
                self.passed_types.add(signature[1])
        for name, check in self.nested:
            if name in value:
                check(value[name], (path, name))

    def _check_leaves(self, value: dict[str, Any], path: Path) -> None:
        missing = sorted(self.required - value.keys())
        if missing:
            raise ShapeError(f"{_where(path)}: нет поля «{missing[0]}»")
        unknown = sorted(value.keys() - self.known)
        if unknown and not self.open_keys:
            raise ShapeError(f"{_where(path)}: неизвестное поле «{unknown[0][:80]}»")
        for name, check in self.leaves.items():
            if name in value:
                check(value[name], (path, name))


_PARAM = _leaf_check(frozenset({str, int, float}))
_TEXT = _leaf_check(frozenset({str}))


def _problem(value: Any, path: Path) -> None:
    """A problem as ``Problem.to_dict`` writes it (schema 1: with a finished ``message``)."""
    if value.__class__ is not dict:
        raise _fail(path, "объект", value)
    for name in ("code", "severity"):
        if name not in value:
            raise ShapeError(f"{_where(path)}: нет поля «{name}»")
    for name in ("code", "severity", "file", "sheet", "cell", "indicator", "school", "value", "consequence"):
        if name in value:
            _TEXT(value[name], (path, name))
    params = value.get("params")
    if params is not None:
        if params.__class__ is not dict:
            raise _fail((path, "params"), "объект", params)
        for key, item in params.items():
            _PARAM(item, ((path, "params"), key))


def _value_change(value: Any, path: Path) -> None:
    """[previous, numerator, denominator, change, trend]: how results.dynamics stores a ValueChange."""
    if value.__class__ is not list or len(value) != 5:
        raise _fail(path, "список из 5 значений", value)
    for i in range(4):
        _NUMBER_OR_NONE(value[i], (path, i))
    _TEXT(value[4], (path, 4))


def _config(value: Any, path: Path) -> None:
    """The config: checked field by field by its own model (pydantic) when the results are decoded."""
    if value.__class__ is not dict:
        raise _fail(path, "объект", value)


_NUMBER_OR_NONE = _leaf_check(frozenset({float, int, type(None)}))
_SPECIAL: dict[Any, Check] = {Problem: _problem, Config: _config, ValueChange: _value_change}


@functools.cache
def _results() -> _Record:
    from .model import Results

    return _Record(Results, open_keys=True)  # keys of its own at the top are left unread, as decoding does


def check_results_shape(data: dict[str, Any]) -> None:
    """Raise :class:`ShapeError` unless ``data`` (upgraded to today's schema) is shaped as :class:`Results`."""
    _results().check(data, ROOT)


def clip_texts(value: Any) -> Any:
    """``value`` with every text cut to ``text.TEXT_LIMIT``, as texts read from a form are.

    For the parts of a results.json other than its schools (whose few texts are cut where
    they are decoded): a name of twenty million characters in an earlier year must not
    become forty megabytes of this year's справка.
    """
    if value.__class__ is str:
        return clip(value) if len(value) > TEXT_LIMIT else value
    if value.__class__ is dict:
        return {clip_texts(k): clip_texts(v) for k, v in value.items()}
    if value.__class__ is list:
        return [clip_texts(v) for v in value]
    return value

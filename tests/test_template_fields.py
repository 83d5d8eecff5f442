"""Every field a document template prints exists in what the program gives it.

The templates are read with Jinja's own parser; each name a template uses is followed to its
type — a field of the report view, ``documents``, a card, a letter — through ``{% set %}``
aliases and ``{% for %}`` loops, and each ``.field`` after it must be a field (or property)
of that type. A misspelt field in a rarely taken branch (a region without targets, a run
without robustness) would otherwise fail only in the run that takes it.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any

import pytest

from vosp_monitor.report.cards import ExcludedCard, SchoolCard
from vosp_monitor.report.documents import DocumentsView
from vosp_monitor.report.feedback import FeedbackLetter
from vosp_monitor.report.view import ReportView
from vosp_monitor.writers.markup.source import default_templates_dir

TEMPLATES = default_templates_dir()
UNTYPED = object()  # a value whose type the check does not follow (config, a macro's parameter)


def _view_names() -> dict[str, Any]:
    names: dict[str, Any] = {f.name: _hints(ReportView)[f.name] for f in dataclasses.fields(ReportView)}
    names.update(documents=DocumentsView, config=UNTYPED, number=int, cards=bool)
    return names


def _card_names(card: type) -> dict[str, Any]:
    names = _view_names()
    names.update({f.name: _hints(card)[f.name] for f in dataclasses.fields(card)})
    return names


def _regional_names() -> dict[str, Any]:
    """The regional справка sees the region's view (as one district's) and the municipalities."""
    from vosp_monitor.report.decisions import Decision
    from vosp_monitor.report.regional import RegionalView
    from vosp_monitor.report.regional_documents import AuthorityLetter

    names = _view_names()
    names.update(
        regional=RegionalView,
        regional_decisions=tuple[Decision, ...],
        authority_letters=tuple[AuthorityLetter, ...],
        regional_report_back=str,
    )
    return names


CONTEXTS = {
    "spravka.md.j2": _view_names,
    "regional.md.j2": _regional_names,
    "school.md.j2": lambda: _card_names(SchoolCard),
    "excluded.md.j2": lambda: _card_names(ExcludedCard),
    "feedback.md.j2": lambda: {"letter": FeedbackLetter},
}


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _element(tp: Any) -> Any:
    """What iterating over a value of type ``tp`` gives."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (tuple, list) and args:
        return args[0]
    if origin is dict and args:
        return args[0]
    return UNTYPED


def _attribute(tp: Any, name: str) -> Any:
    """The type of ``tp.name``, UNTYPED where it cannot be followed; KeyError when there is none."""
    if tp is UNTYPED or tp in (str, int, float, bool):
        return UNTYPED
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _attribute(options[0], name) if len(options) == 1 else UNTYPED
    if origin is not None:  # tuple[...], dict[...]: loop or index it, do not read a field of it
        return UNTYPED
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        if name in hints:
            return hints[name]
        if isinstance(getattr(tp, name, None), property):
            return UNTYPED
        raise KeyError(f"{tp.__name__}.{name}")
    return UNTYPED


def _check(node: Any, scope: dict[str, Any], problems: list[str], where: str) -> None:
    from jinja2 import nodes

    if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
        _check(node.node, scope, problems, where)
        scope[node.target.name] = _type_of(node.node, scope, problems, where)
        return
    if isinstance(node, nodes.For):
        _check(node.iter, scope, problems, where)
        inner = dict(scope)
        element = _element(_type_of(node.iter, scope, problems, where))
        for target in [node.target] if isinstance(node.target, nodes.Name) else node.target.items:
            inner[target.name] = element if isinstance(node.target, nodes.Name) else UNTYPED
        inner["loop"] = UNTYPED
        for child in [*node.body, *node.else_]:
            _check(child, inner, problems, where)
        if node.test is not None:
            _check(node.test, inner, problems, where)
        return
    if isinstance(node, nodes.Macro):
        inner = dict(scope) | {a.name: UNTYPED for a in node.args}
        for child in node.body:
            _check(child, inner, problems, where)
        return
    if isinstance(node, nodes.Getattr):
        _type_of(node, scope, problems, where)
        return
    for child in node.iter_child_nodes():
        _check(child, scope, problems, where)


def _type_of(node: Any, scope: dict[str, Any], problems: list[str], where: str) -> Any:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return scope.get(node.name, UNTYPED)
    if isinstance(node, nodes.Getattr):
        owner = _type_of(node.node, scope, problems, where)
        try:
            return _attribute(owner, node.attr)
        except KeyError as missing:
            problems.append(f"{where}: нет поля {missing.args[0]}")
            return UNTYPED
    if isinstance(node, nodes.Getitem):
        owner = _type_of(node.node, scope, problems, where)
        _check(node.arg, scope, problems, where)
        return _element(owner) if typing.get_origin(owner) in (tuple, list) else UNTYPED
    if isinstance(node, nodes.Slice | nodes.Filter | nodes.Test | nodes.Call | nodes.CondExpr):
        for child in node.iter_child_nodes():
            _check(child, scope, problems, where)
        if isinstance(node, nodes.Filter) and node.node is not None and node.name in ("list",):
            return _type_of(node.node, scope, problems, where)
        return UNTYPED
    for child in node.iter_child_nodes():
        _check(child, scope, problems, where)
    return UNTYPED


def _templates_of(root: str) -> list[str]:
    """The template and every template it includes (the справка's sections)."""
    import re

    seen, queue = [], [root]
    while queue:
        name = queue.pop()
        if name in seen:
            continue
        seen.append(name)
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        queue += re.findall(r'\{%-?\s*include\s+"([^"]+)"', text)
    return seen


@pytest.mark.parametrize("root", sorted(CONTEXTS))
def test_every_field_a_template_prints_is_given_to_it(root):
    import jinja2

    env = jinja2.Environment()
    problems: list[str] = []
    for name in _templates_of(root):
        tree = env.parse((TEMPLATES / name).read_text(encoding="utf-8"))
        scope = dict(CONTEXTS[root]())
        for node in tree.body:
            _check(node, scope, problems, name)
    assert problems == []


def test_the_check_finds_a_misspelt_field(tmp_path):
    import jinja2

    problems: list[str] = []
    tree = jinja2.Environment().parse(
        "{% for r in ranking %}{{ r.plase }}{% endfor %}{{ participation.expectd }}"
    )
    scope = _view_names()
    for node in tree.body:
        _check(node, scope, problems, "t")
    assert problems == ["t: нет поля SchoolRow.plase", "t: нет поля Participation.expectd"]


def test_every_template_is_checked():
    """A template no context covers would go unchecked: each is one of them or included by one."""
    covered = {name for root in CONTEXTS for name in _templates_of(root)}
    on_disk = {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.md.j2")}
    assert on_disk - covered == {"_macros.md.j2"}  # imported by the sections; its names are parameters

"""Templates as untrusted code: Jinja's sandbox, with bounds, and their errors in Russian.

A template passed on by a colleague (``--templates``) is code: without a sandbox,
``''.__class__.__mro__`` reaches Python's internals, and ``{% for i in range(10**9) %}``
runs until memory runs out. Every template — HTML, Markdown and Word alike — is rendered
by a :class:`SandboxedTemplates` environment:

* Jinja's immutable sandbox: no attribute starting with «_», no Python internals, no
  changing the lists and dicts a template is given (``namespace()`` still works);
* every ``{% for %}`` loop counts against a budget of :data:`LOOP_BUDGET` steps per
  render, and so does every ``range()`` (each at most 100,000 long, Jinja's own bound)
  and every filter that walks a list (``map``, ``selectattr``, ``sort`` …, by the list's
  length): a loop inside a loop over the whole district stops with a message instead of
  running for an hour;
* the text a render produces is bounded (:data:`MAX_OUTPUT` characters), and so are
  ``*`` and ``**`` on large operands (``"x" * 10**9``, ``10 ** 10 ** 9``).

The budgets are far above what the bundled templates use for a region of 40,000 schools
(the справка and its ranking: a few million steps, about 100 M characters of Word XML).

:func:`runtime_error` words an error raised while a template runs (``{{ 1/0 }}``,
``{{ school.name + 5 }}``, a limit above) in Russian with the template, its line and
what stands there; the callers raise it as their ``ReportError`` (exit code 1).
"""

from __future__ import annotations

import itertools
import linecache
import re
from collections.abc import Callable, Iterator
from typing import Any

from jinja2 import Template, UndefinedError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment

LOOP_BUDGET = 10_000_000  # loop steps (and list items walked by filters) per render
MAX_OUTPUT = 256 * 1024 * 1024  # characters of one rendered template
MAX_POWER = 10_000  # largest exponent of ``**`` on whole numbers
_CHUNK = 4096  # pieces of output between two checks of its size
CACHE_TAG = "sandbox-1"  # in the bytecode cache's folder: code compiled before the sandbox is never reused
# Filters that walk the whole of what they are given: charged by its length.
_WALKING_FILTERS = (
    "map",
    "select",
    "reject",
    "selectattr",
    "rejectattr",
    "sort",
    "unique",
    "groupby",
    "list",
    "join",
    "sum",
    "min",
    "max",
    "batch",
    "slice",
    "dictsort",
    "reverse",
)


class TemplateLimit(RuntimeError):
    """A template went beyond a bound of the sandbox; the message (Russian) says which."""


class BoundedTemplate(Template):
    """A template whose render has its own loop budget and bounded output."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        environment = self.environment
        assert isinstance(environment, SandboxedTemplates)
        context = self.new_context(dict(*args, **kwargs))
        environment.budget = LOOP_BUDGET
        parts: list[str] = []
        size = 0
        pieces = self.root_render_func(context)
        try:
            while chunk := list(itertools.islice(pieces, _CHUNK)):  # counted a chunk at a time, in C
                size += sum(map(len, chunk))
                if size > MAX_OUTPUT:
                    raise TemplateLimit(
                        f"шаблон выдал больше {MAX_OUTPUT:,} символов текста".replace(",", " ")
                        + "; вероятно, цикл повторяет одно и то же"
                    )
                parts += chunk
        except Exception:
            environment.handle_exception()  # the traceback points at the template's lines
        return "".join(parts)


class SandboxedTemplates(ImmutableSandboxedEnvironment):
    """The environment of every template: Jinja's immutable sandbox with the bounds above."""

    template_class = BoundedTemplate
    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = LOOP_BUDGET
        self._safe: set[tuple[type, str]] = set()  # (type, attribute) pairs the sandbox allowed
        self.globals["range"] = self._range
        for name in _WALKING_FILTERS:
            if name in self.filters:
                self.filters[name] = self._walking(self.filters[name])
        for name in _WIDTH_FILTERS:
            if name in self.filters:
                self.filters[name] = _keep_pass_arg(self.filters[name], _widths_checked(self.filters[name]))

    # ----------------------------------------------------------------- budget

    def charge(self, steps: int) -> None:
        self.budget -= steps
        if self.budget < 0:
            raise TemplateLimit(
                f"циклы шаблона сделали больше {LOOP_BUDGET:,} шагов".replace(",", " ")
                + "; вероятно, цикл внутри цикла перебирает слишком много (или шаблон зациклился)"
            )

    def bounded_loop(self, iterable: Any) -> Any:
        """What a ``{% for %}`` loop walks: a list (anything with a length) charged whole up front and
        walked as it is (so ``loop.last`` and ``loop.length`` stay cheap), anything else a step per item."""
        if hasattr(iterable, "__len__"):
            self.charge(len(iterable))
            return iterable
        return self._stepped(iterable)

    def _stepped(self, iterable: Any) -> Iterator[Any]:
        for item in iterable:
            self.budget -= 1
            if self.budget < 0:
                self.charge(0)
            yield item

    def _range(self, *args: int) -> range:
        steps = range(*args)
        if len(steps) > MAX_RANGE:
            raise TemplateLimit(
                f"range() длиной {len(steps)}: допускается до {MAX_RANGE:,}".replace(",", " ")
            )
        self.charge(len(steps))
        return steps

    def _walking(self, walk: Callable[..., Any]) -> Callable[..., Any]:
        def charged(*args: Any, **kwargs: Any) -> Any:
            for value in args[:2]:  # the filtered value (after the context a filter may take)
                if isinstance(value, list | tuple | dict | str | range):
                    self.charge(len(value))
            return walk(*args, **kwargs)

        return _keep_pass_arg(walk, charged)

    # ----------------------------------------------------------------- attributes

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja's sandboxed ``obj.attribute``, its verdict kept per type and attribute.

        The sandbox's checks depend only on the object's type and the attribute's name (and,
        for ``format``, on the value, so those are always checked): a letter reads about a
        hundred attributes, and checking each anew doubled its time.
        """
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)
        key = (obj.__class__, attribute)
        if key in self._safe:
            return value
        if attribute in ("format", "format_map") or not self.is_safe_attribute(obj, attribute, value):
            return super().getattr(obj, attribute)
        self._safe.add(key)
        return value

    # ----------------------------------------------------------------- operators

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Jinja's sandboxed call, refusing a str method asked for a text wider than :data:`MAX_OUTPUT`."""
        if getattr(__obj, "__name__", "") in _WIDTH_METHODS and isinstance(
            getattr(__obj, "__self__", None), str
        ):
            _check_widths(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's sandboxed ``str.format``, refusing a width wider than :data:`MAX_OUTPUT` in the pattern."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_pattern(value.__self__)
        return wrapped

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _whole(left) and _whole(right) and abs(right) > MAX_POWER and abs(left) > 1:
            raise TemplateLimit(f"степень {right} слишком велика (допускается до {MAX_POWER})")
        if operator == "%" and isinstance(left, str):
            _check_pattern(left)
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                if (
                    isinstance(sized, str | list | tuple)
                    and _whole(count)
                    and len(sized) * count > MAX_OUTPUT
                ):
                    raise TemplateLimit(f"повторение текста или списка {count} раз даёт слишком много")
        return super().call_binop(context, operator, left, right)

    # ----------------------------------------------------------------- compiling

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's syntax tree, each ``{% for %}`` walking through :meth:`bounded`."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(
                nodes.EnvironmentAttribute("bounded_loop"),
                [loop.iter],
                [],
                None,
                None,
                lineno=loop.iter.lineno,
            )
        return tree


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
_WIDTH_FILTERS = ("center", "indent", "wordwrap", "truncate", "format")
_WIDE = re.compile(r"\d{9,}")  # a width in a %- or {}-pattern of a billion or more


def _check_widths(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if _whole(value) and abs(value) > MAX_OUTPUT:
            raise TemplateLimit(f"ширина {value} слишком велика (допускается до {MAX_OUTPUT})")
        if isinstance(value, str):
            _check_pattern(value)


def _check_pattern(pattern: str) -> None:
    if _WIDE.search(pattern):
        raise TemplateLimit("в шаблоне форматирования слишком большая ширина поля")


def _widths_checked(apply: Callable[..., Any]) -> Callable[..., Any]:
    def checked(*args: Any, **kwargs: Any) -> Any:
        _check_widths(args, kwargs)
        return apply(*args, **kwargs)

    return checked


def _keep_pass_arg(original: Callable[..., Any], wrapper: Callable[..., Any]) -> Callable[..., Any]:
    """``wrapper`` passed the context, eval context or environment as Jinja passes ``original`` them."""
    if hasattr(original, "jinja_pass_arg"):
        wrapper.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
    return wrapper


def sandbox_cache_kind(kind: str) -> str:
    """The bytecode cache's folder for ``kind`` of template: code compiled by an environment
    without the sandbox (an earlier version) must never be loaded into this one."""
    return f"{kind}-{CACHE_TAG}"


# --------------------------------------------------------------------------- errors

_WORDS: tuple[tuple[type[BaseException], str], ...] = (
    (ZeroDivisionError, "деление на ноль"),
    (
        SecurityError,
        "обращение к внутреннему устройству программы запрещено (шаблон выполняется в «песочнице»)",
    ),
    (OverflowError, "слишком большое число"),
    (RecursionError, "слишком глубокая рекурсия (макрос вызывает сам себя?)"),
    (MemoryError, "не хватило памяти"),
    (TypeError, "действие с несовместимыми значениями (например, текст и число)"),
    (KeyError, "нет такого элемента"),
    (IndexError, "нет элемента с таким номером"),
    (AttributeError, "нет такого поля"),
    (ValueError, "недопустимое значение"),
)
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}|\{%-?\s*(.*?)\s*-?%\}", re.S)


def template_place(exc: BaseException) -> tuple[str, int | None, str]:
    """Where in a template ``exc`` was raised: the template's file name (Jinja's name for a
    template made from a string), its line, and that line's text when the template is a file.

    Jinja rewrites the traceback of an error in a template so that its frames point at the
    template's lines («top-level template code», «block …»); the innermost one is the place.
    """
    place: tuple[str, int | None, str] = ("", None, "")
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name in ("template", "top-level template code") or code.co_name.startswith("block '"):
            place = (
                code.co_filename,
                tb.tb_lineno,
                linecache.getline(code.co_filename, tb.tb_lineno).strip(),
            )
        tb = tb.tb_next
    return place


def field_of(line: str) -> str:
    """What stands on a template line: its first ``{{ … }}`` or ``{% … %}``, else the line itself."""
    match = _EXPRESSION.search(line)
    found = (match.group(1) or match.group(2)).strip() if match else line.strip()
    found = " ".join(found.split())
    return found if len(found) <= 120 else found[:119] + "…"


_UNDEFINED = re.compile(r"has no attribute '([^']+)'|^'([^']+)' is undefined")


def runtime_error(
    name: str, exc: BaseException, line: str, *, lineno: int | None = None, paragraph: str = ""
) -> str:
    """«шаблон X, строка N: деление на ноль (в «1/0»)» — for the ``ReportError`` a caller raises.

    ``line``: the template's text where it happened (its first expression is named);
    ``lineno`` for a text template, ``paragraph`` (the paragraph's text) for a Word one.
    """
    if isinstance(exc, TemplateLimit):
        what = str(exc)
    elif isinstance(exc, UndefinedError):
        match = _UNDEFINED.search(exc.message or "")
        if match is None:
            what = "неизвестное имя или поле"
        else:
            what = f"поля «{match.group(1)}» нет" if match.group(1) else f"имени «{match.group(2)}» нет"
            what += " (проверьте написание; список полей — в templates/README.md)"
    else:
        what = next((words for kind, words in _WORDS if isinstance(exc, kind)), "ошибка при выполнении")
    where = f", строка {lineno}" if lineno else ""
    field = field_of(line)
    places = [f"в абзаце «{paragraph}»"] if paragraph else []
    places += [f"в «{field}»"] if field else []
    shown = f" ({'; '.join(places)})" if places else ""
    return f"шаблон {name}{where}: {what}{shown}. Исправьте шаблон или удалите его, чтобы взять встроенный"


def is_users_fault(exc: BaseException, *, ran: bool, bundled: bool) -> bool:
    """Whether an error is the template's to fix: a bound of the sandbox always; else an error
    raised while a user's own template ran (``ran``: the traceback passes through the template).
    The rest — in a bundled template, or outside any — is a bug of the program."""
    return isinstance(exc, TemplateLimit | SecurityError) or (ran and not bundled)

"""A mistake in a Word template, said in Russian: the paragraph it is in and what is wrong.

docxtpl hands Jinja the document's XML with a paragraph a line (``engine.patched_source``), so
Jinja's line number is the paragraph's: :func:`template_error` names the paragraph by its text
(and by its number for a syntax error), words Jinja's syntax errors in Russian
(:data:`_SYNTAX_PATTERNS`) and says what to do about Word's curly quotes inside a tag — the
commonest mistake of an analyst editing a template in Word.
"""

from __future__ import annotations

import re
import zipfile

from ..markup.parse import ReportError

TAGS = re.compile(r"<[^>]+>")  # XML tags of a paragraph: what is left is its text


def template_error(name: str, exc: Exception, source: str = "") -> ReportError:
    """A Jinja error in a Word template as a Russian message naming the paragraph it is in."""
    import jinja2

    from ..sandbox import runtime_error, template_place

    where = text = ""
    lineno = getattr(exc, "lineno", None)
    running = not isinstance(exc, jinja2.TemplateError | zipfile.BadZipFile | KeyError)
    if running or isinstance(exc, jinja2.UndefinedError):
        lineno = template_place(exc)[1] or lineno
    lines = source.splitlines()
    if source and lineno and 0 < lineno <= len(lines):
        text = " ".join(TAGS.sub("", lines[lineno - 1]).split())
        where = f" (в абзаце «{text[:80]}»)" if text else ""
        if isinstance(exc, jinja2.TemplateSyntaxError):  # a paragraph a line (patched_source)
            where = f", абзац {lineno - 1}" + (f": «{_around(text, exc.message or '')}»" if text else "")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        what = _syntax_ru(exc.message or "")
        in_tags = "".join(re.findall(r"\{[{%](?:(?![}%]\}).)*", text))  # from each {{ or {% to its end
        if any(q in in_tags or q in (exc.message or "") for q in _CURLY):
            what += (
                '. Кавычки внутри тегов должны быть прямыми ("), а здесь «ёлочки» или “лапки”: Word '
                "заменяет их при наборе. Отключите замену (Файл → Параметры → Правописание → Параметры "
                "автозамены → Автоформат при вводе) и наберите кавычки заново или скопируйте тег из "
                "встроенного шаблона (vosp-monitor templates export)"
            )
        return ReportError(f"шаблон {name}{where}: {what}")
    if isinstance(exc, jinja2.UndefinedError):
        return _unknown_name(name, exc.message or "", source, where)
    if isinstance(exc, zipfile.BadZipFile | KeyError) or type(exc).__name__ == "PackageNotFoundError":
        return ReportError(f"шаблон {name} — не документ Word (.docx): файл повреждён или это другой формат")
    line = lines[lineno - 1] if source and lineno and 0 < lineno <= len(lines) else ""
    return ReportError(runtime_error(name, exc, TAGS.sub("", line), paragraph=text[:80]))


_CURLY = "«»“”„‘’"
_SYNTAX_PATTERNS = (  # Jinja's syntax errors, in Russian: (its message, ours)
    (re.compile(r"^unexpected char '([«»“”„‘’])' at \d+"), "в теге кавычка {} вместо прямой"),
    (re.compile(r"^unexpected char '(.)' at \d+"), "в теге недопустимый знак «{}»"),
    (re.compile(r"^unexpected '([^']+)'"), "лишний или недопустимый знак «{}» в теге"),
    (
        re.compile(r"expected token 'end of print statement', got '(.+)'"),
        "тег {{{{ … }}}} не закрыт или в нём лишнее «{}»",
    ),
    (
        re.compile(r"expected token 'end of statement block', got '(.+)'"),
        "тег {{% … %}} не закрыт или в нём лишнее «{}»",
    ),
    (re.compile(r"^unexpected end of template, expected '(.+)'"), "тег не закрыт (ожидалось: {})"),
    (
        re.compile(r"innermost block that needs to be closed is '(\w+)'"),
        "блок «{0}» не закрыт: нет тега {{% end{0} %}}",
    ),
    (
        re.compile(r"^Encountered unknown tag '(\w+)'"),
        "неизвестный тег «{}» (или он стоит без своего открывающего тега)",
    ),
    (re.compile(r"^unexpected end of template"), "шаблон кончился внутри незакрытого тега"),
)


def _syntax_ru(message: str) -> str:
    """Jinja's syntax error in Russian (its own words, quoted, for what the table lacks)."""
    for pattern, wording in _SYNTAX_PATTERNS:
        if found := pattern.search(message):
            return wording.format(*found.groups())
    return f"ошибка в тегах Jinja ({message})"


def _around(text: str, message: str, width: int = 40) -> str:
    """The paragraph's text near the character Jinja stumbled on (all of it when short)."""
    found = re.search(r"unexpected char '(.)'", message)
    at = text.find(found.group(1)) if found else -1
    if len(text) <= 2 * width or at < 0:
        return text if len(text) <= 2 * width else text[: 2 * width] + "…"
    start = max(0, at - width)
    return ("…" if start else "") + text[start : at + width] + ("…" if at + width < len(text) else "")


_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'|^'([^']+)' is undefined")


def _unknown_name(name: str, message: str, source: str, where: str) -> ReportError:
    """«поля «plase» нет (в абзаце «…»)» instead of Jinja's «'…DocumentsView object' has no attribute».

    Jinja gives no line for an unknown field, so the paragraph is the first that names it.
    """
    match = _NO_ATTRIBUTE.search(message)
    if match is None:
        return ReportError(f"шаблон {name}: неизвестное имя или поле{where}: {message}")
    field = match.group(1) or match.group(2)
    if not where and source:
        uses = re.compile(
            rf"(?<![\w.]){re.escape(field)}\b" if match.group(2) else rf"\.{re.escape(field)}\b"
        )
        line = next((line for line in source.splitlines() if uses.search(line)), "")
        text = " ".join(TAGS.sub("", line).split())
        where = f" (в абзаце «{text[:80]}»)" if text else ""
    what = f"поля «{field}» нет" if match.group(1) else f"имени «{field}» нет"
    return ReportError(
        f"шаблон {name}: неизвестное имя или поле — {what}{where}. Проверьте написание; список полей — в "
        "templates/README.md"
    )

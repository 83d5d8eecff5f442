"""Russian agreement and inflection: «2 системных дефицита», «21 организация участвовала».

Fixed words agree with numbers through :func:`formatting.plural`; words that come from the
config or are built into phrases — «общеобразовательная организация», the kind of
territory («городской округ» → «по городскому округу»), a body addressed by a decision
(«руководители ОО» → «руководителям ОО»), an indicator's title («Доля педагогов …» →
«долю педагогов …») — are inflected with pymorphy3 and its Russian dictionary.

Only the *head* of a phrase changes: the adjectives before its first noun and that noun;
whatever follows (a genitive «педагогов, прошедших …», a quotation «„Методический центр“»)
stays as written, as it does in Russian. Abbreviations (ОО, МКУ) and words the dictionary
does not know are left alone, so the worst case is the phrase as the config wrote it.

pymorphy3 is imported lazily and its dictionary loaded once per process (about 0.15 s),
so ``vosp-monitor --help`` stays fast.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from .formatting import NBSP, format_int, format_number, plural

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_ADJECTIVES = {"ADJF", "PRTF"}
CASES = {"nomn", "gent", "datv", "accs", "ablt", "loct"}


@functools.cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=8192)
def _parse(word: str) -> tuple[Any, ...]:
    """pymorphy3's parses of one word, remembered: letters repeat the same few words for
    hundreds of schools, and a parse costs about 0.7 ms."""
    return tuple(_morph().parse(word))


def _restore_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@functools.lru_cache(maxsize=4096)
def _head(phrase: str) -> tuple[tuple[int, int, Any], ...]:
    """The spans and parses of the phrase's head: leading adjectives and the first noun.

    A word that can be an adjective is one while a noun still follows («городской округ»:
    «городской» is not the noun «городской»). Empty when the phrase does not start with
    adjectives and a nominative noun the dictionary knows (then nothing is inflected).
    """
    words = list(_WORD.finditer(phrase))
    if not words or phrase[: words[0].start()].strip():
        return ()
    adjectives: list[tuple[int, int, str]] = []
    last_end = words[0].start()
    for index, match in enumerate(words):
        word = match.group()
        if phrase[last_end : match.start()].strip(" ") or (word.isupper() and len(word) > 1):
            return ()  # punctuation, a quotation or an abbreviation («МКУ», «ОО») before the noun
        last_end = match.end()
        parses = _parse(word)
        more = index + 1 < len(words) and not phrase[match.end() : words[index + 1].start()].strip(" ")
        if more and any(p.tag.POS in _ADJECTIVES and "nomn" in p.tag for p in parses):
            adjectives.append((match.start(), match.end(), word))
            continue
        nouns = [p for p in parses if p.tag.POS == "NOUN" and "nomn" in p.tag]
        if not nouns:
            return ()
        return _agreeing(adjectives, (match.start(), match.end(), nouns[0]))
    return ()


def _agreeing(
    adjectives: list[tuple[int, int, str]], noun: tuple[int, int, Any]
) -> tuple[tuple[int, int, Any], ...]:
    """The adjectives' parses that agree with the noun (or nothing, if one does not)."""
    tag = noun[2].tag
    spans = []
    for start, end, text in adjectives:
        adjective = next(
            (
                p
                for p in _parse(text)
                if p.tag.POS in _ADJECTIVES
                and "nomn" in p.tag
                and p.tag.number == tag.number
                and (tag.number == "plur" or p.tag.gender == tag.gender)
            ),
            None,
        )
        if adjective is None:
            return ()
        spans.append((start, end, adjective))
    return (*spans, noun)


def _replace(phrase: str, forms: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, word in forms:
        out += [phrase[last:start], _restore_case(phrase[start:end], word)]
        last = end
    return "".join(out) + phrase[last:]


def inflect(phrase: str, *grammemes: str) -> str:
    """The phrase's head in another case and/or number: ``inflect("городской округ", "datv")``
    → «городскому округу»; unknown or fixed phrases come back unchanged."""
    head = _head(phrase)
    if not head:
        return phrase
    wanted = set(grammemes)
    noun = head[-1][2].tag
    # An accusative adjective of a masculine or plural noun follows the noun's animacy:
    # «муниципальный район» (inanimate) but «руководителей» (animate).
    extra: set[str] = set()
    if (
        "accs" in wanted
        and noun.animacy
        and ("plur" in wanted or noun.number == "plur" or noun.gender == "masc")
    ):
        extra = {noun.animacy}
    forms = []
    for start, end, parse in head:
        form = parse.inflect(wanted | (extra if parse.tag.POS in _ADJECTIVES else set()))
        if form is None:
            return phrase
        forms.append((start, end, form.word))
    return _replace(phrase, forms)


def agree(n: int, phrase: str) -> str:
    """The phrase agreeing with the number ``n`` (nominative): 2 → «системных дефицита»."""
    head = _head(phrase)
    if not head:
        return phrase
    forms = []
    for start, end, parse in head:
        form = parse.make_agree_with_number(abs(int(n)))
        if form is None:
            return phrase
        forms.append((start, end, form.word))
    return _replace(phrase, forms)


def count(n: int, phrase: str) -> str:
    """The number and the phrase agreeing with it: «21 общеобразовательная организация»."""
    return f"{format_int(n)}{NBSP}{agree(n, phrase)}"


def count_of(n: int, phrase: str) -> str:
    """«из N …» takes the genitive: «из 21 дефицита», «из 72 дефицитов» (after «из», «для», «у»)."""
    number = "sing" if singular(n) else "plur"
    return f"{format_int(n)}{NBSP}{inflect(phrase, 'gent', number)}"


def counted(n: int, genitive: str) -> str | None:
    """A number of the things a genitive plural phrase names: (1, «классных руководителей»)
    → «1 классный руководитель», (16, «обучающихся») → «16 обучающихся». The phrase is the
    head of a numerator's label («Число педагогов, прошедших …» → «педагогов»): adjectives
    (or participles) and a noun, or a participle used as one. None when the dictionary does
    not read it so (the caller words the number otherwise)."""
    words = _counted_words(abs(int(n)) % 100, genitive)
    return None if words is None else f"{format_int(n)}{NBSP}{words}"


@functools.lru_cache(maxsize=4096)
def _counted_words(agreement: int, genitive: str) -> str | None:
    """The words of :func:`counted`; agreement with a number depends only on its last two
    digits (pymorphy3's ``numeral_agreement_grammemes``), so 600 letters share a few results."""
    words = _WORD.findall(genitive)
    if not words:
        return None
    parses = []
    for word in words:
        found = [p for p in _parse(word) if {"gent", "plur"} <= set(p.tag.grammemes) and p.is_known]
        if not found:
            return None
        noun = next((p for p in found if p.tag.POS == "NOUN"), None)
        parses.append(noun or found[0])
        if noun is not None:
            break
    head = parses[-1]
    gender = head.tag.gender if head.tag.POS == "NOUN" else "masc"
    forms = []
    for parse in parses:
        extra = {gender} if parse.tag.POS in _ADJECTIVES and gender else set()
        single = parse.inflect({"sing", "nomn"} | extra)
        agreed = single.make_agree_with_number(agreement) if single is not None else None
        if agreed is None:
            return None
        forms.append(agreed.word)
    return " ".join(forms)


def singular(n: int) -> bool:
    """Whether a verb or adjective agreeing with ``n`` takes the singular (1, 21, 101 — not 11)."""
    n = abs(int(n))
    return n % 10 == 1 and n % 100 != 11


def verb(n: int, past: str, subject: str = "организация") -> str:
    """A past-tense verb agreeing with ``n`` of ``subject``: (21, «участвовать») → «участвовала»."""
    head = _head(subject)
    gender = head[-1][2].tag.gender if head else "femn"
    parses = [p for p in _parse(past) if p.tag.POS == "VERB"]
    if not parses:
        return past
    wanted = {"past", "sing", gender} if singular(n) else {"past", "plur"}
    form = parses[0].inflect(wanted)
    return form.word if form is not None else past


def lower_first(text: str) -> str:
    """A sentence from the config continued after a colon: «Направить …» → «направить …».

    Abbreviations (ОО, МКУ) and names keep their capital: only a capital followed by a
    lower-case letter is lowered.
    """
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def pick(n: int, one: str, other: str) -> str:
    """A fixed word agreeing with ``n``: (21, «включена», «включены») → «включена»."""
    return one if singular(n) else other


def amount(value: float, decimals: int, one: str, few: str, many: str) -> str:
    """A measured amount with its unit word: «13,6 балла», «5 баллов», «21 балл».

    A fractional number takes the genitive singular in Russian («2,5 балла»), a whole one
    the usual agreement.
    """
    text = format_number(value, decimals)
    if "," in text:
        return f"{text}{NBSP}{few}"
    return plural(round(value), one, few, many)


@dataclass(frozen=True, slots=True)
class TerritoryWords:
    """The configured kind of territory in the forms the report needs («nothing assumes район»)."""

    kind: str  # «городской округ» (documents.territory)
    short: str  # «округ»: the head noun, for tables and short phrases
    by: str  # «по округу»
    of: str  # «округа»
    kind_of: str  # «городского округа»


def territory_words(kind: str) -> TerritoryWords:
    short = kind.split()[-1]
    return TerritoryWords(
        kind=kind,
        short=short,
        by=f"по {inflect(short, 'datv')}",
        of=inflect(short, "gent"),
        kind_of=inflect(kind, "gent"),
    )

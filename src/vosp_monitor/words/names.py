"""A head's name as a letter's addressee and greeting: «И.О. Фамилии», «Уважаемая Мария Петровна!».

ГОСТ Р 7.0.97 puts the addressee in the dative with initials before the surname
(«Руководителю МБОУ „СОШ № 1“ А.А. Небываловой»). The name comes from the school's form
as people type it: «Небывалова Анна Андреевна», «Небывалова А. А.», «А.А. Небывалова».

Russian surnames decline by regular rules once the bearer's sex is known (-ов/-ин +у for
a man, -ова/-ина → -ой for a woman; -ских, -енко, -о never change; a woman's surname
ending in a consonant does not change, a man's does). The sex comes from the patronymic
(-вич / -вна) or, with initials only, from a surname that marks it (-ова, -ский). A
dictionary (pymorphy3) knows few surnames and guesses the rest, so these rules are used
instead. When the sex cannot be told and the surname would change with it, or the name
is not written in one of the forms above, the name is left out (:class:`Addressee` with
``name=""``): a letter to «Руководителю МБОУ …» is correct, one with a misdeclined name
is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = "[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_INITIAL = r"[А-ЯЁ]\.\s?"
_FULL = re.compile(rf"^({_WORD})\s+({_WORD})\s+({_WORD})$")
_SURNAME_INITIALS = re.compile(rf"^({_WORD})\s+({_INITIAL}(?:{_INITIAL})?)$")
_INITIALS_SURNAME = re.compile(rf"^({_INITIAL}(?:{_INITIAL})?)\s*({_WORD})$")

_NEVER_CHANGE = ("ых", "их", "ко", "о", "е", "и", "у", "ю", "э", "аго", "яго")
_VOWELS = "аеёиоуыэюя"


@dataclass(frozen=True, slots=True)
class Addressee:
    name: str  # «А.А. Небываловой» (dative, initials first), or "" when it cannot be declined surely
    greeting: str  # «Уважаемая Анна Андреевна!», or the neutral «Уважаемый руководитель!»


NEUTRAL = Addressee("", "Уважаемый руководитель!")


def addressee(head: str) -> Addressee:
    """The head's name for a letter's addressee block and greeting (see the module docstring)."""
    text = " ".join(head.split())
    if match := _FULL.match(text):
        surname, first, patronymic = match.groups()
        female = _sex_of_patronymic(patronymic)
        if female is None:
            return NEUTRAL
        dative = dative_surname(surname, female)
        initials = f"{first[0]}.{patronymic[0]}."
        greeting = f"{'Уважаемая' if female else 'Уважаемый'} {first} {patronymic}!"
        return Addressee(f"{initials}\u00a0{dative}" if dative else "", greeting)
    match = _SURNAME_INITIALS.match(text)
    initials_first = _INITIALS_SURNAME.match(text)
    if match:
        surname, initials = match.groups()
    elif initials_first:
        initials, surname = initials_first.groups()
    else:
        return NEUTRAL
    dative = dative_surname(surname, _sex_of_surname(surname))
    initials = initials.replace(" ", "")
    return Addressee(f"{initials}\u00a0{dative}", NEUTRAL.greeting) if dative else NEUTRAL


def _sex_of_patronymic(patronymic: str) -> bool | None:
    """True for a woman, False for a man, None when the ending says neither."""
    word = patronymic.lower()
    if word.endswith(("вна", "чна", "кызы")):
        return True
    if word.endswith(("вич", "ич", "оглы")):
        return False
    return None


def _sex_of_surname(surname: str) -> bool | None:
    word = surname.lower().split("-")[-1]
    if word.endswith(("ова", "ева", "ёва", "ина", "ына", "ская", "цкая")):
        return True
    if word.endswith(("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ской")):
        return False
    return None


def dative_surname(surname: str, female: bool | None) -> str:
    """The surname in the dative («Небывалова» → «Небываловой»); "" when it depends on an unknown sex.

    A double surname declines part by part («Петрова-Водкина» → «Петровой-Водкиной»).
    """
    parts = [_dative_part(part, female) for part in surname.split("-")]
    return "" if any(p is None for p in parts) else "-".join(p for p in parts if p is not None)


def _dative_part(word: str, female: bool | None) -> str | None:
    low = word.lower()
    if low.endswith(_NEVER_CHANGE):
        return word
    if low.endswith(("ова", "ева", "ёва", "ина", "ына")) and female is not False:
        return word[:-1] + "ой"
    if low.endswith(("ская", "цкая", "ая")):
        return word[:-2] + "ой"
    if low.endswith("яя"):
        return word[:-2] + "ей"
    if low.endswith("ия"):
        return word[:-1] + "и"
    if low.endswith(("а", "я")):  # Гайдамака, Головня: the same for a man and a woman
        return word[:-1] + "е"
    if female is None:
        return None  # a consonant ending declines for a man only
    if female:
        return word  # Шевчук, Ким, Мишель: a woman's surname in a consonant does not change
    if low.endswith(("ский", "цкий", "кий", "гий", "хий", "ый")):
        return word[:-2] + "ому"  # Горький → Горькому, Долгий → Долгому
    if low.endswith("ой"):
        # Толстой → Толстому, but Цой → Цою, Ной → Ною: a short one is a noun
        return word[:-2] + "ому" if len(low) > 4 else None
    if low.endswith("ний"):
        return word[:-2] + "ему"  # Синий → Синему
    if low.endswith("ий"):
        return None  # Гордий → Гордию, but an adjective one → «…ему»: not told apart surely
    if low.endswith(("ь", "й")):
        return word[:-1] + "ю"
    if low[-1] in _VOWELS:
        return word
    return word + "у"

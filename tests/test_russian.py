"""Russian agreement and inflection (render/russian.py): numbers with nouns, verbs with numbers,
config words in the cases the справка needs, over the numbers where Russian changes form."""

from __future__ import annotations

import subprocess
import sys

import pytest

from vosp_monitor.words.formatting import NBSP
from vosp_monitor.words.russian import (
    amount,
    count,
    inflect,
    lower_first,
    pick,
    territory_words,
    verb,
)


def _spaced(text: str) -> str:
    return text.replace(NBSP, " ")


@pytest.mark.parametrize(
    ("n", "organisations", "deficits", "took_part"),
    [
        (0, "0 общеобразовательных организаций", "0 системных дефицитов", "участвовали"),
        (1, "1 общеобразовательная организация", "1 системный дефицит", "участвовала"),
        (2, "2 общеобразовательные организации", "2 системных дефицита", "участвовали"),
        (5, "5 общеобразовательных организаций", "5 системных дефицитов", "участвовали"),
        (11, "11 общеобразовательных организаций", "11 системных дефицитов", "участвовали"),
        (21, "21 общеобразовательная организация", "21 системный дефицит", "участвовала"),
        (22, "22 общеобразовательные организации", "22 системных дефицита", "участвовали"),
        (25, "25 общеобразовательных организаций", "25 системных дефицитов", "участвовали"),
        (101, "101 общеобразовательная организация", "101 системный дефицит", "участвовала"),
        (111, "111 общеобразовательных организаций", "111 системных дефицитов", "участвовали"),
    ],
)
def test_numbers_agree_with_phrases_and_verbs(n, organisations, deficits, took_part):
    assert _spaced(count(n, "общеобразовательная организация")) == organisations
    assert _spaced(count(n, "системный дефицит")) == deficits
    assert verb(n, "участвовала") == took_part
    assert count(n, "ОО") == f"{n}{NBSP}ОО"  # an abbreviation does not decline
    assert pick(n, "включена", "включены") == ("включена" if took_part == "участвовала" else "включены")


def test_a_number_and_its_noun_never_part_at_a_line_end():
    assert count(21, "организация") == f"21{NBSP}организация"
    assert amount(13.6, 1, "балл", "балла", "баллов") == f"13,6{NBSP}балла"  # a fraction: genitive singular
    assert amount(21, 0, "балл", "балла", "баллов") == f"21{NBSP}балл"


@pytest.mark.parametrize(
    ("kind", "by", "of", "kind_of"),
    [
        ("муниципальный район", "по району", "района", "муниципального района"),
        ("городской округ", "по округу", "округа", "городского округа"),
        ("муниципальный округ", "по округу", "округа", "муниципального округа"),
        ("регион", "по региону", "региона", "региона"),
    ],
)
def test_every_kind_of_territory_is_inflected(kind, by, of, kind_of):
    words = territory_words(kind)
    assert (words.by, words.of, words.kind_of) == (by, of, kind_of)


def test_config_phrases_inflect_only_their_head():
    assert inflect("Руководители общеобразовательных организаций", "datv") == (
        "Руководителям общеобразовательных организаций"
    )
    assert inflect("Доля педагогов, прошедших повышение квалификации", "accs") == (
        "Долю педагогов, прошедших повышение квалификации"
    )
    assert inflect("Средняя посещаемость родительских собраний", "accs") == (
        "Среднюю посещаемость родительских собраний"
    )
    assert inflect("муниципальный район", "accs") == "муниципальный район"  # inanimate: as nominative
    assert inflect("Тип ОО", "datv") == "Типу ОО"
    # What cannot be inflected safely comes back as written.
    assert inflect("МКУ «Методический центр»", "datv") == "МКУ «Методический центр»"
    assert inflect("Абырвалг", "datv") == "Абырвалг"
    assert inflect("", "datv") == ""


def test_a_sentence_from_the_config_continues_after_a_colon_in_lower_case():
    assert lower_first("Направить педагогов на курсы") == "направить педагогов на курсы"
    assert lower_first("ОО направить") == "ОО направить"  # an abbreviation keeps its capitals
    assert lower_first("") == ""


def test_the_dictionary_loads_lazily():
    """pymorphy3 is imported only when a word is inflected, never for ``--help``."""
    code = "import sys, vosp_monitor.cli, vosp_monitor.words.russian; print('pymorphy3' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 дефицитов"),
        (1, "1 дефицита"),
        (2, "2 дефицитов"),
        (5, "5 дефицитов"),
        (11, "11 дефицитов"),
        (21, "21 дефицита"),
        (22, "22 дефицитов"),
        (25, "25 дефицитов"),
        (101, "101 дефицита"),
        (111, "111 дефицитов"),
    ],
)
def test_count_after_iz_takes_the_genitive(n: int, expected: str) -> None:
    from vosp_monitor.words.russian import count_of

    assert count_of(n, "дефицит").replace(NBSP, " ") == expected

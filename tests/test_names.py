"""A head's name as a letter's addressee: the dative with initials first, or no name at all."""

from __future__ import annotations

import pytest

from vosp_monitor.words.names import NEUTRAL, addressee, dative_surname

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("head", "name", "greeting"),
    [
        ("Иванов Иван Иванович", "И.И. Иванову", "Уважаемый Иван Иванович!"),
        ("Небывалова Анна Андреевна", "А.А. Небываловой", "Уважаемая Анна Андреевна!"),
        ("Сизов Николай Михайлович", "Н.М. Сизову", "Уважаемый Николай Михайлович!"),
        ("Белых Пётр Ильич", "П.И. Белых", "Уважаемый Пётр Ильич!"),
        ("Черных Ирина Викторовна", "И.В. Черных", "Уважаемая Ирина Викторовна!"),
        ("Ткаченко Анна Ивановна", "А.И. Ткаченко", "Уважаемая Анна Ивановна!"),
        ("Шевчук Олег Андреевич", "О.А. Шевчуку", "Уважаемый Олег Андреевич!"),
        ("Шевчук Ольга Андреевна", "О.А. Шевчук", "Уважаемая Ольга Андреевна!"),
        ("Ким Анна Олеговна", "А.О. Ким", "Уважаемая Анна Олеговна!"),
        ("Троицкий Сергей Петрович", "С.П. Троицкому", "Уважаемый Сергей Петрович!"),
        ("Троицкая Вера Петровна", "В.П. Троицкой", "Уважаемая Вера Петровна!"),
        ("Толстой Лев Николаевич", "Л.Н. Толстому", "Уважаемый Лев Николаевич!"),
        ("Гоголь Николай Васильевич", "Н.В. Гоголю", "Уважаемый Николай Васильевич!"),
        ("Гайдамака Иван Петрович", "И.П. Гайдамаке", "Уважаемый Иван Петрович!"),
        ("Берия Мария Ивановна", "М.И. Берии", "Уважаемая Мария Ивановна!"),
        ("Петрова-Водкина Анна Ильинична", "А.И. Петровой-Водкиной", "Уважаемая Анна Ильинична!"),
        ("  Иванов   Иван  Иванович ", "И.И. Иванову", "Уважаемый Иван Иванович!"),
    ],
)
def test_a_full_name_declines_by_the_sex_of_the_patronymic(head, name, greeting):
    result = addressee(head)
    assert (result.name.replace(NBSP, " "), result.greeting) == (name, greeting)


@pytest.mark.parametrize(
    ("head", "name"),
    [
        ("Небывалова А. А.", "А.А. Небываловой"),  # as samples/ write it
        ("Придумкин В. С.", "В.С. Придумкину"),
        ("Сказкина Е.Н.", "Е.Н. Сказкиной"),
        ("И.П. Мечтаев", "И.П. Мечтаеву"),
        ("О. Г. Троицкая", "О.Г. Троицкой"),
        ("Белых П. И.", "П.И. Белых"),  # never changes, whoever bears it
    ],
)
def test_initials_decline_when_the_surname_shows_the_sex(head, name):
    result = addressee(head)
    assert result.name.replace(NBSP, " ") == name
    assert result.greeting == NEUTRAL.greeting  # no first name and patronymic to greet by


@pytest.mark.parametrize(
    "head",
    [
        "",
        "Ким А. О.",  # «Киму» for a man, «Ким» for a woman: the sex is unknown
        "Шевчук О.А.",
        "Иванов Иван",  # no patronymic
        "Иванов Иван Джон",  # a third word that is no patronymic
        "директор",
        "IVANOV Ivan",
        "<script>alert(1)</script>",
        "Иванов Иван Иванович, тел. 8 (800) 000-01-01",
    ],
)
def test_a_name_that_cannot_decline_surely_is_left_out(head):
    assert addressee(head) == NEUTRAL


def test_dative_surname_needs_the_sex_only_where_it_matters():
    assert dative_surname("Ким", None) == ""
    assert dative_surname("Ким", False) == "Киму"
    assert dative_surname("Ким", True) == "Ким"
    assert dative_surname("Дурново", None) == "Дурново"
    assert dative_surname("Иванова", None) == "Ивановой"


@pytest.mark.parametrize(
    ("surname", "dative"),
    [
        ("Горький", "Горькому"),
        ("Долгий", "Долгому"),
        ("Тихий", "Тихому"),
        ("Синий", "Синему"),
        ("Толстой", "Толстому"),
        ("Гайдай", "Гайдаю"),
        ("Цой", ""),  # a noun (Цою), not an adjective: not told apart surely, left out
        ("Гордий", ""),  # Гордию, not «Гордему»: left out
    ],
)
def test_a_mans_surname_in_ii_and_oi_declines_as_its_kind_or_is_left_out(surname, dative):
    assert dative_surname(surname, False) == dative
    assert dative_surname(surname, True) == surname  # a woman's surname in a consonant stays

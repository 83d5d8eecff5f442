"""The territory level of a config: the form a municipality fills itself, and its checks.

A regional run compares municipalities. Most of what it says about one is a roll-up of its
schools; the rest is what only the municipality can answer (a municipal act on the support
of class teachers, municipal contests, a methodological association: the seed order's
group «поддержка классных руководителей со стороны муниципального района»). Those
indicators are the blocks of ``territories.blocks``. Rather than teach every stage a second
kind of form, :func:`territory_config` makes them an ordinary :class:`Config` — its
«schools» are territories, its key field the territory's name — so the form writer, the
reader, the checks and the scoring serve the territory form unchanged, with the same
validation, protection and stamp. Its stamp names a monitoring of its own
(:func:`territory_form_id`), which is how a territory form is told from a school's form in
the same folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .base import FieldRole, FieldType
from .model import Config, TerritorySettings
from .rules import semantic_problems

TERRITORY_FORM_SUFFIX = ".territory"  # the territory form's monitoring id: the run's id + this
Loc = tuple[Any, ...]


def territory_form_id(config: Config) -> str:
    """The monitoring id stamped on the territory form (never a school form's id)."""
    return f"{config.monitoring.id}{TERRITORY_FORM_SUFFIX}"


def territory_config(config: Config) -> Config | None:
    """The territory form's config (None when ``territories.blocks`` is empty).

    Its fields are ``territories.fields`` (the key field is the territory's name, the name
    field its education authority), its blocks ``territories.blocks``; levels, deficits,
    validation and documents are the run's. It has no checks, peer groups or territories of
    its own. Built once per run (each call builds a new one).
    """
    settings = config.territories
    if not settings.blocks:
        return None
    monitoring = config.monitoring
    word = settings.word
    return Config.model_validate(
        {
            "monitoring": monitoring.model_copy(
                update={
                    "id": territory_form_id(config),
                    "title": f"{monitoring.title}: показатели, которые заполняет {word}",
                    "instructions": _instructions(word),
                    "previous_versions": {},
                }
            ),
            "school_fields": list(settings.fields),
            "scoring": config.scoring,
            "ranking": config.ranking.model_copy(update={"groups": []}),
            "analysis": config.analysis,
            "validation": config.validation,
            "documents": config.documents,
            "dynamics": config.dynamics,
            "territories": TerritorySettings(enabled=False),
            "checks": [],
            "blocks": list(settings.blocks),
        }
    )


def _instructions(word: str) -> str:
    return (
        f"1. Форму заполняет {word} один раз: лист «Сведения об ОО» — наименование "
        "муниципального образования (как в реестре школ) и органа управления образованием.\n"
        "2. На листе «Показатели» заполните только жёлтые ячейки.\n"
        "3. Числа вводите цифрами, без единиц измерения. Дробная часть — через запятую.\n"
        "4. В столбце «Комментарий / подтверждающий документ» укажите реквизиты документа.\n"
        "5. Не переименовывайте листы и не меняйте коды показателей."
    )


def territory_problems(config: Config) -> Iterator[tuple[Loc, str]]:
    """Rules of the ``territories`` section and of territory fields (key path, Russian message).

    The territory blocks are checked by the same rules as the school blocks (through
    :func:`territory_config`), their messages located under ``territories``.
    """
    roles = [i for i, f in enumerate(config.school_fields) if f.role == FieldRole.territory]
    for i in roles[1:]:
        yield ("school_fields", i, "role"), "поле с role: territory может быть только одно"
    for i in roles:
        if config.school_fields[i].type not in (FieldType.text, FieldType.choice):
            yield (
                ("school_fields", i, "type"),
                "поле территории (role: territory) должно быть text или choice",
            )
    settings = config.territories
    for i, f in enumerate(settings.fields):
        if f.role in (FieldRole.group, FieldRole.territory):
            yield ("territories", "fields", i, "role"), f"в форме территории не бывает полей role: {f.role}"
    if settings.blocks and settings.weights.schools + settings.weights.territory <= 0:
        yield ("territories", "weights"), "сумма весов schools и territory должна быть больше 0"
    school_codes = {ind.code for ind in config.indicators()} | {b.id for b in config.all_blocks()}
    territory = territory_config(config)
    if territory is None:
        return
    for block in territory.all_blocks():
        if block.id in school_codes:
            yield ("territories", "blocks"), f"блок «{block.id}» уже есть среди блоков школ"
        for ind in block.indicators:
            if ind.code in school_codes:
                yield ("territories", "blocks"), f"код «{ind.code}» уже используется в показателях школ"
    for loc, message in semantic_problems(territory, {}):
        if loc and loc[0] == "blocks":
            yield ("territories", *loc), message
        elif loc and loc[0] == "school_fields":
            yield ("territories", "fields", *loc[1:]), message

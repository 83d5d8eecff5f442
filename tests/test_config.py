"""The config loader: the default file loads; malformed files are rejected with line and key."""

from __future__ import annotations

import re
import textwrap
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from vosp_monitor.cli import main
from vosp_monitor.config import (
    Aggregation,
    Config,
    ConfigError,
    IndicatorType,
    Method,
    default_config_path,
    load_config,
    parse_config,
)

ROOT = Path(__file__).resolve().parents[1]

MINIMAL = textwrap.dedent(
    """\
    monitoring:
      id: test
      title: Тест
      form_version: "1"
    school_fields:
      - {key: code, label: Код ОО, role: key}
      - {key: name, label: Наименование, role: name}
      - {key: students, label: Обучающиеся, type: integer, role: contingent, min: 1}
      - {key: teachers, label: Педагоги, type: integer, role: contingent, min: 1}
    blocks:
      - id: A
        title: Блок А
        indicators:
          - code: A-1
            title: Доля
            type: share
            numerator: Число
            denominator_field: students
            scoring:
              method: bands
              bands:
                - {from: 0, to: 50, points: 0}
                - {from: 50, to: null, points: 2}
          - code: A-2
            title: Количество
            type: count
            scoring: {method: linear, low: 0, high: 10}
    """
)


def test_default_config_loads_and_matches_the_order() -> None:
    config = load_config(default_config_path())
    # the bundled copy (installed package) is the repository's file
    assert default_config_path().read_bytes() == (ROOT / "indicators.yaml").read_bytes()
    assert [b.id for b in config.blocks] == ["UPR", "RES", "ROD", "KR"]
    assert 20 <= len(config.indicators()) <= 25
    kr1 = config.indicator("KR-1")
    assert kr1.target == 30 and kr1.denominator_field == "teachers"
    assert "Воспитание обучающихся" in kr1.title
    types = {ind.type for ind in config.indicators()}
    assert {IndicatorType.share, IndicatorType.quantity, IndicatorType.choice, IndicatorType.yesno} <= types
    assert config.key_field.key == "code" and config.name_field.key == "name"


def test_minimal_config_parses_into_typed_objects() -> None:
    config = parse_config(MINIMAL)
    a1 = config.indicator("A-1")
    assert a1.method == Method.bands and a1.max_points == 2
    assert a1.scoring.bands[1].upper is None and a1.scoring.bands[1].contains(1e9)
    assert a1.scoring.bands[0].contains(0) and not a1.scoring.bands[0].contains(50)
    assert config.indicator("A-2").max_points == 100
    assert config.scoring.aggregation == Aggregation.arithmetic
    assert config.level_for(49.9) == "низкий" and config.level_for(50) == "средний"
    assert config.level_for(80) == "высокий"


def _mutate(edit: str) -> str:
    """Apply ``old => new`` to MINIMAL (exactly one occurrence must exist)."""
    old, new = edit.split(" => ")
    assert MINIMAL.count(old) == 1, old
    return MINIMAL.replace(old, new)


# (description, edit of MINIMAL, text on the reported line, expected key path, words in the message)
MALFORMED = [
    ("unknown top key", "blocks:\n => colour: red\nblocks:\n", "colour: red", "colour", "неизвестный ключ"),
    (
        "typo in indicator key",
        "title: Количество => titel: Количество",
        "titel:",
        "blocks[0].indicators[1].titel",
        "неизвестный ключ",
    ),
    ("missing title", "  title: Тест\n => ", "monitoring:", "monitoring.title", "обязательный ключ"),
    (
        "bad indicator type",
        "type: count => type: counter",
        "type: counter",
        "blocks[0].indicators[1].type",
        "недопустимое значение",
    ),
    (
        "bad direction",
        "        type: count\n =>         type: count\n        direction: up\n",
        "direction: up",
        "blocks[0].indicators[1].direction",
        "недопустимое значение",
    ),
    (
        "weight not a number",
        "    title: Блок А\n =>     title: Блок А\n    weight: много\n",
        "weight: много",
        "blocks[0].weight",
        "ожидалось число",
    ),
    (
        "negative weight",
        "    title: Блок А\n =>     title: Блок А\n    weight: -1\n",
        "weight: -1",
        "blocks[0].weight",
        "≥ 0",
    ),
    (
        "bands not increasing",
        "{from: 50, to: null, points: 2} => {from: 10, to: null, points: 2}",
        "bands:",
        "blocks[0].indicators[0].scoring.bands",
        "возрастать",
    ),
    (
        "band with lower >= upper",
        "{from: 0, to: 50, points: 0} => {from: 60, to: 50, points: 0}",
        "from: 60, to: 50",
        "blocks[0].indicators[0].scoring.bands[0]",
        "меньше верхней",
    ),
    (
        "gap between bands",
        "{from: 50, to: null, points: 2} => {from: 60, to: null, points: 2}",
        "from: 60, to: null",
        "blocks[0].indicators[0].scoring.bands[1]",
        "пропуск",
    ),
    (
        "negative points",
        "points: 2} => points: -2}",
        "points: -2",
        "blocks[0].indicators[0].scoring.bands[1].points",
        "≥ 0",
    ),
    (
        "unknown denominator field",
        "denominator_field: students => denominator_field: pupils",
        "pupils",
        "blocks[0].indicators[0].denominator_field",
        "нет поля «pupils»",
    ),
    (
        "share without numerator",
        "        numerator: Число\n => ",
        "- code: A-1",
        "blocks[0].indicators[0].numerator",
        "числителя",
    ),
    (
        "linear without goalposts",
        "{method: linear, low: 0, high: 10} => {method: linear}",
        "scoring: {method: linear}",
        "blocks[0].indicators[1].scoring",
        "low и high",
    ),
    (
        "linear with high below low",
        "{method: linear, low: 0, high: 10} => {method: linear, low: 10, high: 0}",
        "high: 0",
        "blocks[0].indicators[1].scoring.high",
        "больше low",
    ),
    (
        "unknown scoring method",
        "{method: linear, low: 0, high: 10} => {method: magic}",
        "magic",
        "blocks[0].indicators[1].scoring.method",
        "недопустимое значение",
    ),
    (
        "duplicate indicator code",
        "code: A-2 => code: A-1",
        "- code: A-1",
        "blocks[0].indicators[1].code",
        "уже используется",
    ),
    (
        "two key fields",
        "{key: name, label: Наименование, role: name} => {key: name, label: Наименование, role: key}",
        "school_fields:",
        "school_fields",
        "role: key",
    ),
    (
        "field key with spaces",
        "{key: teachers, => {key: the teachers,",
        "the teachers",
        "school_fields[3].key",
        "недопустимые символы",
    ),
    (
        "check with unknown name",
        'blocks:\n => checks:\n  - rule: "pupils <= teachers"\nblocks:\n',
        "pupils <= teachers",
        "checks[0].rule",
        "неизвестные имена: pupils",
    ),
    (
        "check that does not parse",
        'blocks:\n => checks:\n  - rule: "students <= (teachers"\nblocks:\n',
        "students <= (teachers",
        "checks[0].rule",
        "скобки",
    ),
    (
        "levels not increasing",
        "blocks:\n => scoring:\n  levels:\n    - {label: высокий, from: 80}\n"
        "    - {label: низкий, from: 0}\nblocks:\n",
        "levels:",
        "scoring.levels",
        "возрастать",
    ),
    (
        "peer group field unknown",
        "blocks:\n => ranking:\n  groups: [district]\nblocks:\n",
        "groups: [district]",
        "ranking.groups[0]",
        "нет поля «district»",
    ),
    (
        "duplicate yaml key",
        '  form_version: "1"\n =>   form_version: "1"\n  form_version: "2"\n',
        'form_version: "2"',
        "",
        "повторяется",
    ),
    (
        "a contingent may not merely warn when empty",
        "role: contingent, min: 1}\n  - {key: teachers => role: contingent, min: 1, missing: warning}\n  - {key: teachers",
        "key: students",
        "school_fields[2].missing",
        "недопустимо",
    ),
    (
        "deficit rule that never fires",
        "blocks:\n => analysis:\n  deficit: {lowest_points: false}\nblocks:\n",
        "deficit:",
        "analysis.deficit",
        "ни одного условия",
    ),
    (
        "measure of an unknown indicator",
        "blocks:\n => documents:\n  measures:\n    Z-9: {responsible: schools}\nblocks:\n",
        "Z-9",
        "documents.measures.Z-9",
        "нет показателя «Z-9»",
    ),
    (
        "territory of an unknown kind",
        "blocks:\n => documents:\n  territory: район\nblocks:\n",
        "territory: район",
        "documents.territory",
        "недопустимое значение",
    ),
    (
        "tie rule unknown",
        "blocks:\n => ranking:\n  ties: random\nblocks:\n",
        "ties: random",
        "ranking.ties",
        "недопустимое значение",
    ),
    (
        "empty block",
        "blocks:\n => blocks:\n  - {id: E, title: Пустой}\n",
        "id: E",
        "blocks[0]",
        "ни показателей",
    ),
]


@pytest.mark.parametrize(
    ("description", "edit", "line_text", "path", "words"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_config_is_rejected_with_line_and_key(
    description: str, edit: str, line_text: str, path: str, words: str
) -> None:
    text = _mutate(edit)
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "indicators.yaml")
    issues = caught.value.issues
    matching = [i for i in issues if words in i.message and (not path or i.path == path)]
    assert matching, f"{description}: {[str(i) for i in issues]}"
    reported_line = text.splitlines()[matching[0].line - 1]
    assert line_text in reported_line, f"{matching[0]} → {reported_line!r}"
    assert str(matching[0]).startswith("indicators.yaml")


def test_all_problems_are_reported_at_once() -> None:
    text = _mutate("denominator_field: students => denominator_field: pupils")
    text = text.replace("{method: linear, low: 0, high: 10}", "{method: linear}")
    text = text.replace("{from: 50, to: null, points: 2}", "{from: 10, to: null, points: 2}")
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    assert len(caught.value.issues) == 3


def test_block_with_both_indicators_and_subblocks_and_three_levels() -> None:
    data = yaml.safe_load(MINIMAL)
    leaf = data["blocks"][0]
    data["blocks"] = [
        {"id": "TOP", "title": "Индекс", "blocks": [{"id": "MID", "title": "Середина", "blocks": [leaf]}]}
    ]
    config = parse_config(yaml.safe_dump(data, allow_unicode=True))
    assert [b.id for b in config.all_blocks()] == ["TOP", "MID", "A"]
    assert config.block_of()["A-1"] == "A"
    data["blocks"][0]["indicators"] = [leaf["indicators"][1] | {"code": "T-1"}]
    with pytest.raises(ConfigError) as caught:
        parse_config(yaml.safe_dump(data, allow_unicode=True))
    assert any("и показатели, и вложенные блоки" in i.message for i in caught.value.issues)


def test_config_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="файл не найден"):
        load_config(tmp_path / "nope.yaml")
    bad = tmp_path / "cp.yaml"
    bad.write_bytes("monitoring: {title: 'Тест'}".encode("cp1251"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("monitoring:\n  id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="строка"):
        load_config(broken)


def test_check_config_command(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["check-config"])
    assert result.exit_code == 0, result.output
    assert "KR-1" in result.stdout and "цель 30" in result.stdout and "Ошибок не найдено" in result.stdout
    # «сумма баллов / максимум»: UPR-5 (3 of 11 points) counts 27.3 %, not a fifth of the block
    assert "UPR-5     27,3\u00a0%  макс.    3 б." in result.stdout
    bad = tmp_path / "bad.yaml"
    text = _mutate("type: count => type: counter")
    bad.write_text(text, encoding="utf-8")
    line = text.splitlines().index("        type: counter") + 1
    result = runner.invoke(main, ["check-config", str(bad)])
    assert result.exit_code == 1
    expected = (
        f"bad.yaml, строка {line}, blocks[0].indicators[1].type: недопустимое значение «counter»; допустимо: "
    )
    assert (
        expected in result.stderr
        and "'share', 'count'" in result.stderr
        and " или 'computed'" in result.stderr
    )
    assert result.stdout == ""


# --------------------------------------------------------------------------- hostile configs


def _issue_text(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    return " ".join(str(i) for i in caught.value.issues)


def test_alias_bomb_is_refused_without_expanding_it() -> None:
    """A «billion laughs»: ten levels of ten aliases would build 10¹⁰ strings."""
    lines = ['a0: &a0 ["' + "x" * 100 + '"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 11)]
    text = MINIMAL + "\n".join(lines) + "\n"
    message = _issue_text(text)
    assert "слишком много ссылок" in message
    assert len(message) < 500  # the message never quotes the expanded input


def test_recursive_alias_and_deep_nesting_are_refused() -> None:
    assert "сам на себя" in _issue_text(MINIMAL + "loop: &loop [*loop]\n")
    assert "вложенность" in _issue_text(MINIMAL + "deep: " + "[" * 5000 + "]" * 5000 + "\n")


def test_a_long_value_is_quoted_short_in_messages() -> None:
    message = _issue_text(_mutate("type: count => type: " + "z" * 100_000))
    assert "z" * 100 in message and len(message) < 1000


@pytest.mark.parametrize("bad", [".inf", "-.inf", ".nan"])
def test_non_finite_numbers_are_refused(bad: str) -> None:
    text = _mutate("title: Количество => title: Количество\n        weight: " + bad)
    message = _issue_text(text)
    assert "weight: ожидалось конечное число" in message and "Input should" not in message


@pytest.mark.parametrize("yes", ["true", "false", "yes"])
def test_true_or_false_where_a_number_belongs_is_said_so(yes: str) -> None:
    """«runs: true» used to be read as 1 and reported as «значение должно быть ≥ 10»."""
    default = Path(default_config_path()).read_text(encoding="utf-8")
    message = _issue_text(default.replace("runs: 1000", f"runs: {yes}", 1))
    assert (
        f"analysis.uncertainty.runs: ожидалось число, а написано {'false' if yes == 'false' else 'true'}"
        in message
    )


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (" + ".join(["students"] * 5000) + " > 0", "слишком длинное"),
        ("(" * 30 + "students" + ")" * 30 + " > 0", "вложенность"),
        ("not " * 30 + "students > 0", "вложенность"),
        ("-" * 30 + "students > 0", "вложенность"),
    ],
    ids=["5000 terms", "brackets", "not", "minus"],
)
def test_huge_check_expressions_are_refused_clearly(rule: str, words: str) -> None:
    text = MINIMAL + f'checks:\n  - rule: "{rule}"\n'
    assert words in _issue_text(text)


def test_an_oversized_config_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(MINIMAL + "# " + "x" * (3 * 1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="слишком большой"):
        load_config(big)


def test_full_points_below_the_target_is_a_warning_of_check_config(tmp_path: Path) -> None:
    """Issue 12, item 2: UPR-5 once gave 3 of 3 from 77 % while its target was 80 %."""
    text = MINIMAL.replace(
        "        denominator_field: students\n", "        denominator_field: students\n        target: 60\n"
    )
    assert "target: 60" in text
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check-config", str(path)])
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.output.splitlines() if "A-1:" in line)
    line = int(warning.split("строка ")[1].split(",")[0])
    assert text.splitlines()[line - 1].strip() == "scoring:"
    assert "blocks[0].indicators[0].scoring" in warning
    assert "полный балл (2) даётся от 50\u00a0%" not in warning  # the unit is the indicator's (none here)
    assert "полный балл (2) даётся от 50, а цель — не менее 60" in warning
    path.write_text(text.replace("target: 60", "target: 50"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check-config", str(path)])
    assert "Предупреждения" not in result.output


def test_the_default_config_gives_full_points_only_from_the_target() -> None:
    from vosp_monitor.config.advice import config_warnings

    config = load_config()
    assert list(config_warnings(config)) == []
    assert [b.lower for b in config.indicator("UPR-5").scoring.bands if b.points == 3] == [80]


def test_yaml_11_integers_other_than_decimals_stay_the_text_typed() -> None:
    """«number: 0522» is order № 0522, not octal 338; «12:30» is not 750 (YAML 1.1 reads both so)."""
    data = yaml.safe_load((ROOT / "indicators.yaml").read_text(encoding="utf-8"))
    data["documents"]["order"] = {"number": 522, "date": "14.09.2026"}
    text = yaml.safe_dump(data, allow_unicode=True).replace("number: 522", "number: 0522")
    text = text.replace("date: 14.09.2026", "date: 12:30")
    config = parse_config(text)
    assert config.documents.order.number == "0522"
    assert config.documents.order.date == "12:30"
    assert parse_config(text.replace("number: 0522", "number: 522")).documents.order.number == "522"


def _config_keys(model: type, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, key) of every key indicators.yaml may hold, through every nested section."""
    from pydantic import BaseModel

    for name, info in model.model_fields.items():
        key = info.alias or name
        yield f"{path}{key}", key
        stack = [info.annotation]
        while stack:
            kind = stack.pop()
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                if kind is not model:
                    yield from _config_keys(kind, f"{path}{key}.")
            else:
                stack.extend(typing.get_args(kind))


def test_every_key_of_indicators_yaml_is_documented_in_docs_config_md() -> None:
    """Each key of every section is named in backticks in docs/config.md («`min_denominator`»,
    «`{key, label, points}`»): a key added to the model without its documentation fails here."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "config.md").read_text(encoding="utf-8")
    named = {word for span in re.findall(r"`([^`\n]+)`", docs) for word in re.findall(r"[A-Za-z_]\w*", span)}
    keys = dict(_config_keys(Config))
    assert {"blocks.indicators.inputs.key", "validation.min_denominator", "blocks.indicators.formula"} <= set(
        keys
    )
    undocumented = sorted(path for path, key in keys.items() if key not in named)
    assert not undocumented, f"not in docs/config.md: {undocumented}"

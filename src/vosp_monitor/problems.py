"""Validation problems as data, and the one catalogue of their codes.

A problem is something a person must see: the file, the sheet, the cell, the indicator,
the value found and what was expected, in Russian that can be forwarded to a school as
is. Codes are stable kebab-case identifiers; ``docs/problems.md`` is generated from
:data:`CATALOGUE` (``vosp-monitor problems --markdown``) and a test keeps them in step.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    error = "error"
    warning = "warning"


SEVERITY_RU = {Severity.error: "ошибка", Severity.warning: "предупреждение"}


class Consequence(StrEnum):
    """What an error does to the results (warnings change nothing)."""

    none = ""
    file_excluded = "файл не обработан"
    school_excluded = "школа исключена из рейтинга"
    indicator_excluded = "показатель не учитывается (исключён из суммы и максимума)"
    indicator_zero = "показатель оценён в 0 баллов"


@dataclass(frozen=True, slots=True)
class ProblemType:
    code: str
    severity: Severity
    title: str
    template: str
    description: str


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about one place in one submission (or across submissions)."""

    code: str
    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    indicator: str = ""
    school: str = ""
    value: str = ""
    consequence: Consequence = Consequence.none

    @property
    def location(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.sheet or self.cell

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        data = dict(data)
        data["severity"] = Severity(data["severity"])
        data["consequence"] = Consequence(data.get("consequence", ""))
        return cls(**data)


def _t(code: str, severity: Severity, title: str, template: str, description: str) -> ProblemType:
    return ProblemType(code, severity, title, template, description)


E, W = Severity.error, Severity.warning

CATALOGUE: dict[str, ProblemType] = {
    p.code: p
    for p in [
        # --- the file as a whole
        _t("file-empty", E, "Пустой файл", "файл пустой (0 байт)", "Файл имеет нулевой размер."),
        _t(
            "file-not-workbook",
            E,
            "Не книга Excel",
            "это не книга Excel: {detail}",
            "Содержимое файла не является книгой xlsx/xlsm/xls/ods (например, переименованный документ).",
        ),
        _t(
            "file-corrupt",
            E,
            "Файл повреждён",
            "файл повреждён: {detail}",
            "Архив книги обрезан или испорчен; откройте и сохраните файл заново.",
        ),
        _t(
            "file-encrypted",
            E,
            "Файл защищён паролем",
            "файл защищён паролем на открытие; пришлите файл без пароля",
            "Книга зашифрована паролем на открытие; защита листов паролем не мешает чтению.",
        ),
        _t(
            "file-unsafe",
            E,
            "Опасное содержимое",
            "файл отклонён из соображений безопасности: {detail}",
            "Книга содержит объявления DTD/XML-сущности или внешние ссылки, которые в формах не встречаются.",
        ),
        _t(
            "file-too-large",
            E,
            "Слишком большой файл",
            "файл слишком велик: {detail}",
            "Распакованный объём, число строк или степень сжатия превышают пределы (защита от «zip-бомб»).",
        ),
        _t(
            "file-unreadable",
            E,
            "Файл не прочитан",
            "файл не удалось прочитать: {detail}",
            "Файл исчез, недоступен по правам или не читается во время работы.",
        ),
        _t(
            "file-locked",
            E,
            "Файл занят",
            "файл открыт в другой программе (например, в Excel); закройте его и повторите запуск",
            "Операционная система не дала прочитать файл, потому что он заблокирован.",
        ),
        _t(
            "file-timeout",
            E,
            "Чтение прервано по времени",
            "чтение файла заняло больше {seconds} с и было прервано",
            "Файл читался дольше предела; вероятно, он повреждён или содержит огромный лист.",
        ),
        _t(
            "file-crashed",
            E,
            "Сбой при чтении",
            "программа чтения аварийно завершилась на этом файле ({detail})",
            "Процесс чтения упал (например, из-за повреждённой структуры); остальные файлы обработаны.",
        ),
        _t(
            "file-memory",
            E,
            "Превышен лимит памяти",
            "чтение файла превысило предел памяти {limit_mb} МБ",
            "Файл требует слишком много памяти; вероятно, он повреждён или содержит огромный лист.",
        ),
        # --- the form
        _t(
            "form-unknown",
            E,
            "Неизвестная форма",
            "это не форма мониторинга «{title}»: {detail}",
            "Не найден лист «Показатели» с кодами показателей или штамп формы.",
        ),
        _t(
            "form-other-monitoring",
            E,
            "Форма другого мониторинга",
            "форма относится к другому мониторингу («{found}»), ожидался «{expected}»",
            "Штамп формы называет другой мониторинг.",
        ),
        _t(
            "form-old-version",
            W,
            "Старая версия формы",
            "форма версии {found}, текущая версия {expected}; {detail}",
            "Школа заполнила предыдущую версию формы; данные прочитаны, но проверьте различия.",
        ),
        _t(
            "form-recognised-by-headers",
            W,
            "Штамп формы не найден",
            "штамп формы не найден; форма опознана по заголовкам",
            "Файл пересохранён или перенабран вручную; версия формы не проверяется.",
        ),
        # --- school fields
        _t(
            "field-missing",
            E,
            "Не заполнено обязательное поле",
            "не заполнено поле «{label}»",
            "Обязательное поле листа «Сведения об ОО» пустое или не найдено.",
        ),
        _t(
            "field-type",
            E,
            "Неверный тип значения поля",
            "поле «{label}»: введено «{value}», ожидалось {expected}",
            "Значение поля не удалось прочитать как число, дату или вариант из списка.",
        ),
        _t(
            "field-range",
            E,
            "Значение поля вне диапазона",
            "поле «{label}»: значение {value} вне допустимого диапазона {expected}",
            "Числовое поле меньше минимума или больше максимума.",
        ),
        # --- indicator values
        _t(
            "value-missing",
            E,
            "Нет значения показателя",
            "показатель {indicator}: значение не указано ({policy})",
            "Ячейка значения пуста. Последствие зависит от правила missing показателя.",
        ),
        _t(
            "value-not-number",
            E,
            "Не число",
            "показатель {indicator}: введено «{value}», ожидалось {expected}",
            "Текст в числовой ячейке не удалось прочитать как число.",
        ),
        _t(
            "value-not-whole",
            E,
            "Не целое число",
            "показатель {indicator}: введено {value}, ожидалось целое число",
            "Количество должно быть целым.",
        ),
        _t(
            "value-negative",
            E,
            "Отрицательное значение",
            "показатель {indicator}: введено {value}, значение не может быть отрицательным",
            "Количества, числители и знаменатели не могут быть меньше 0.",
        ),
        _t(
            "value-out-of-range",
            E,
            "Значение вне диапазона",
            "показатель {indicator}: значение {value} вне допустимого диапазона {expected}",
            "Значение меньше min или больше max показателя.",
        ),
        _t(
            "value-error-cell",
            E,
            "Ошибка Excel в ячейке",
            "показатель {indicator}: в ячейке ошибка Excel {value}",
            "Ячейка содержит значение ошибки (#ДЕЛ/0!, #ССЫЛКА!, #Н/Д …).",
        ),
        _t(
            "value-formula-no-cache",
            E,
            "Формула без значения",
            "показатель {indicator}: в ячейке формула без сохранённого результата; откройте файл в Excel и сохраните",
            "Формула ни разу не вычислялась (файл создан программой), значение неизвестно.",
        ),
        _t(
            "value-not-option",
            E,
            "Нет такого варианта",
            "показатель {indicator}: вариант «{value}» не из списка; допустимо: {expected}",
            "Выбранный вариант не совпадает ни с одним из вариантов формы.",
        ),
        _t(
            "value-not-yesno",
            E,
            "Не «да/нет»",
            "показатель {indicator}: введено «{value}», ожидалось «да» или «нет»",
            "Ответ не распознан как да/нет.",
        ),
        _t(
            "numerator-above-denominator",
            E,
            "Числитель больше знаменателя",
            "показатель {indicator}: числитель {numerator} больше знаменателя {denominator}",
            "Доля не может превышать 100 %: числитель больше знаменателя.",
        ),
        _t(
            "denominator-zero",
            E,
            "Знаменатель равен 0",
            "показатель {indicator}: знаменатель равен 0, долю вычислить нельзя",
            "Доля не определена при нулевом знаменателе.",
        ),
        _t(
            "numerator-above-contingent",
            E,
            "Числитель больше контингента",
            "показатель {indicator}: числитель {numerator} больше, чем «{label}» ({limit})",
            "Число обучающихся (педагогов…) в показателе больше, чем их указано в сведениях об ОО.",
        ),
        _t(
            "check-failed",
            E,
            "Не выполнено условие согласованности",
            "не выполнено условие «{rule}»{detail}",
            "Нарушена перекрёстная проверка из раздела checks файла indicators.yaml.",
        ),
        _t(
            "indicator-unknown",
            W,
            "Неизвестный код показателя",
            "в форме найден код «{value}», которого нет в перечне показателей; строка не учитывается",
            "Школа добавила строку с кодом, которого нет в indicators.yaml.",
        ),
        _t(
            "indicator-row-missing",
            E,
            "Нет строки показателя",
            "в форме не найдена строка показателя {indicator}",
            "Строка с кодом показателя удалена или код изменён.",
        ),
        # --- across submissions
        _t(
            "school-duplicate",
            E,
            "Повтор кода школы",
            "код ОО «{school}» указан в двух файлах: {first} и {second}",
            "Одна школа прислала две формы или код ОО указан неверно; обе формы не оцениваются.",
        ),
        _t(
            "value-outlier",
            W,
            "Нетипичное значение",
            "показатель {indicator}: значение {value} сильно отличается от других ОО (обычно от {low} до {high})",
            "Значение дальше 3 межквартильных размахов от квартилей по всем ОО; проверьте ввод.",
        ),
        _t(
            "school-nothing-applicable",
            E,
            "Ни один показатель не применим",
            "ни один показатель не применим: итоговый балл не вычисляется",
            "Все показатели школы оказались неприменимыми (например, не заполнены при missing: not_applicable); школа не включается в рейтинг.",
        ),
        _t(
            "school-not-in-registry",
            W,
            "ОО нет в реестре",
            "код ОО «{school}» не найден в реестре ожидаемых школ",
            "Форма прислана школой, которой нет в списке --schools.",
        ),
        _t(
            "school-not-submitted",
            W,
            "Форма не представлена",
            "ОО «{school}» ({name}) не представила форму",
            "Школа из реестра не прислала форму.",
        ),
        # --- consolidated table input
        _t(
            "table-column-unknown",
            W,
            "Неизвестный столбец",
            "столбец «{value}» не соответствует ни полю, ни показателю; не учитывается",
            "Заголовок столбца сводной таблицы не распознан.",
        ),
        _t(
            "table-column-missing",
            E,
            "Нет столбца",
            "в сводной таблице нет столбца «{value}»",
            "Столбец, нужный для поля или показателя, отсутствует.",
        ),
    ]
}


def make_problem(
    code: str,
    *,
    severity: Severity | None = None,
    consequence: Consequence = Consequence.none,
    file: str = "",
    sheet: str = "",
    cell: str = "",
    indicator: str = "",
    school: str = "",
    value: Any = "",
    **params: Any,
) -> Problem:
    """Build a problem from the catalogue; ``params`` fill the message template."""
    kind = CATALOGUE[code]
    text_value = "" if value is None else str(value)
    message = kind.template.format(indicator=indicator, school=school, value=text_value, **params)
    return Problem(
        code=code,
        severity=severity or kind.severity,
        message=message[:1].upper() + message[1:],
        file=file,
        sheet=sheet,
        cell=cell,
        indicator=indicator,
        school=school,
        value=text_value,
        consequence=consequence,
    )


def problems_markdown() -> str:
    """The table of problem codes for docs/problems.md."""
    lines = [
        "# Коды проблем",
        "",
        "Таблица создаётся командой `vosp-monitor problems --markdown`; тест проверяет, что она совпадает с кодом.",
        "",
        "| Код | Уровень | Название | Что означает |",
        "|---|---|---|---|",
    ]
    for kind in CATALOGUE.values():
        lines.append(f"| `{kind.code}` | {SEVERITY_RU[kind.severity]} | {kind.title} | {kind.description} |")
    return "\n".join(lines) + "\n"

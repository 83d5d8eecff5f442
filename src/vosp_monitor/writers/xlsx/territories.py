"""ranking.xlsx sheets «Муниципалитеты» (and, in a two-level run, «Регионы»).

Written only when the results carry territories (``Results.territories``): one row per
territory with every figure of the roll-up, its place and interval, or why it has no place,
and a last row for the whole run. The columns are ``report.territories.territory_table``,
which territories.csv writes too. Printed on A4 landscape like every other sheet.
"""

from __future__ import annotations

from ...report.territories import territories_view, territory_table
from ...results import Results
from ...words.russian import inflect, upper_first
from .stream import Sheet, SheetMaker

SHEET_NAME_LIMIT = 31  # Excel's limit on a sheet name


def territories_sheet(sheet: SheetMaker, results: Results) -> None:
    view = territories_view(results)
    territories = results.territories
    if view is None or territories is None:
        return
    intro = f"{view.method} Последняя строка — вся территория мониторинга."
    if view.groups:
        intro += " " + upper_first("; ".join(view.groups)) + "."
    sheets = [(view.plural, view.rows, False)]
    if view.parents:
        sheets.append((upper_first(inflect(territories.parent_word, "plur")), view.parents, True))
    for name, rows, parents in sheets:
        header, styles, data = territory_table(results.config, territories, rows, parents=parents)
        frozen = 4 if territories.depth == 2 and not parents else 3  # place, interval, (region,) name
        out: Sheet = sheet(name[:SHEET_NAME_LIMIT], header, freeze_cols=frozen, intro=intro)
        for line in data:
            out.write_row(line, styles)
        out.finish(score_columns=[i for i, style in enumerate(styles) if style == "score"])

"""Table and figure numbers: «Таблица N — …», «Рисунок N — …», counted the same way in every format."""

from __future__ import annotations


class Numbering:
    """Counts tables with a caption and charts in the order a writer meets them."""

    def __init__(self) -> None:
        self.tables = 0
        self.figures = 0

    def table_caption(self, text: str) -> str:
        self.tables += 1
        return f"Таблица {self.tables} — {text}"

    def figure(self) -> int:
        self.figures += 1
        return self.figures

    def figure_caption(self, text: str) -> str:
        return f"Рисунок {self.figure()} — {text}"

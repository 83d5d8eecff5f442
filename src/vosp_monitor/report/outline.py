"""The parts of the справка the text refers to: its sections by name, the order's appendices by number.

The справка is appendix 1 to the order «Об итогах мониторинга»; the ranking of every school
is appendix 2, every school's addressed recommendations appendix 3 (when they are longer
than the body shows). A sentence written in Python refers to them through these names, the
templates through ``documents.appendices``, so every format and the order agree.
"""

from __future__ import annotations

SECTION_DECISIONS = "Системные дефициты и управленческие решения"
SECTION_RECOMMENDATIONS = "Адресные рекомендации"
SECTION_TARGETS = "Достижение целевых показателей"
SECTION_RISK = "Лидеры и зона риска"

SPRAVKA_APPENDIX = 1  # the справка itself, to the order
RANKING_APPENDIX = 2
RECOMMENDATIONS_APPENDIX = 3
QUALITY_APPENDIX = 1  # to the справка: data quality
AUDIT_APPENDIX = 2  # to the справка: the audit of the indicator set

IN_RECOMMENDATIONS_APPENDIX = f"в приложении {RECOMMENDATIONS_APPENDIX} к приказу"

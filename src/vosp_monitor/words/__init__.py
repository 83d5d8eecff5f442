"""Words: the bottom of the house. Numbers, dates and ranges as people read them (``formatting``),
Russian agreement and inflection (``russian``), a head's name as addressee (``names``), and
text from submissions made safe for every format (``text``). Imports nothing of the package.
"""

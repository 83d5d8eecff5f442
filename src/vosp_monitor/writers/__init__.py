"""Writers of what people read: validation tables and letters, ranking tables, reports.

Each module takes finished data (a :class:`validate.collection.Collection`, a ``Results``) and writes
files through :mod:`outputs` (whole or not at all, safe names, no live formulas). Nothing
here computes a value that is not already in its input.
"""

"""What the documents say: the typed *view* of the results, selected and worded once.

Every figure, row and sentence the справка, the school cards, the order and the letters
print is prepared here (``view`` and the modules it gathers) from :class:`Results`; the
writers (``writers``) only lay it out in HTML, Markdown, Word or xlsx. Nothing here
computes a statistic (``analysis`` did) or writes a file.
"""

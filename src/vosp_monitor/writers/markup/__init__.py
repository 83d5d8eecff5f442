"""Our Markdown: the one source of every document's words, read into a document model.

``source`` renders a template (Jinja) to our Markdown with every printed value escaped,
``parse`` reads it into the blocks of ``model`` (markdown-it-py), and the writers
(``html_md.markdown``, ``html_md.html``, ``docx.spravka``) lay the same blocks out in each
format; ``numbering`` counts tables and charts the same way in all of them.
"""

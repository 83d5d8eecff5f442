"""The справка and the school cards as HTML and Markdown, from Jinja2 templates."""

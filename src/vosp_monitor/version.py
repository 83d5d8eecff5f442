"""The package's version, in a module of its own so that any stage can name it without importing
the package's ``__init__`` (which offers ``vosp_monitor.run``, the whole pipeline)."""

__version__ = "0.1.0"

"""Compiled templates kept between runs, as Python keeps .pyc files.

Jinja2 turns every template into Python code before its first render: for the справка,
the cards and the three Word templates that is about 0.4 s of every run, a seventh of a
district's whole ``score``. Jinja's bytecode cache stores the compiled code in the
user's cache folder and checks it against the template's text, so an edited template
(a user's own, ``--templates``) is compiled again, never served stale.

The folder is per Jinja and Python version and per kind of environment (Markdown, HTML,
Word: each compiles the same text differently). ``VOSP_MONITOR_CACHE`` moves it; set to
``off`` it turns the cache off. A folder that cannot be created or written only costs
the time: the cache is never a reason for a run to fail.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

from ..outputs import user_folder

CACHE_ENV = "VOSP_MONITOR_CACHE"


def cache_root() -> Path | None:
    """The cache folder of this user (None when turned off)."""
    return user_folder(CACHE_ENV, "cache")


def bytecode_cache(kind: str) -> Any:
    """A Jinja2 bytecode cache for one kind of environment (``md``, ``html``, ``docx``), or None."""
    import jinja2
    from jinja2.bccache import Bucket, FileSystemBytecodeCache

    root = cache_root()
    if root is None:
        return None
    folder = root / f"jinja-{jinja2.__version__}-py{sys.version_info[0]}{sys.version_info[1]}" / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None

    class _Quiet(FileSystemBytecodeCache):
        """Jinja's file cache, where a file that cannot be read or written is only a miss."""

        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, EOFError, ValueError):
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return _Quiet(str(folder))


def from_string_cached(env: Any, source: str) -> Any:
    """``env.from_string(source)``, with the compiled code from ``env.bytecode_cache`` when there.

    Word templates are compiled from their XML text (no loader), so the cache is keyed by
    the text itself.
    """
    import hashlib

    cache = env.bytecode_cache
    if cache is None:
        return env.template_class.from_code(env, env.compile(source), env.make_globals(None), None)
    name = hashlib.sha256(source.encode("utf-8")).hexdigest()
    bucket = cache.get_bucket(env, name, None, source)
    if bucket.code is None:
        bucket.code = env.compile(source)
        cache.set_bucket(bucket)
    return env.template_class.from_code(env, bucket.code, env.make_globals(None), None)

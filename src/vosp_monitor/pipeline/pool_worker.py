"""The worker side of the isolated pool (``pool``): a spawned process that limits its own memory,
then takes chunks of items from its pipe and answers one message per item, in order.

Kept apart from the parent's bookkeeping so that each side reads on its own; the two share only
the messages' shapes (:data:`Chunk`, :data:`Message`).
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeAlias

from ..lifetime import end_with_parent

_MB = 1024 * 1024

# What travels through a worker's pipe: chunks of (index, item) to it, None to stop it;
# (index, status, payload) back, index -1 for «ready».
Chunk: TypeAlias = list[tuple[int, Any]] | None
Message: TypeAlias = tuple[int, str, Any]


def _limit_memory(memory_mb: int | None) -> None:
    if not memory_mb:
        return
    try:
        import resource
    except ImportError:  # Windows: no RLIMIT_AS; the timeout still bounds a runaway file
        return
    current = _address_space_bytes()
    limit = current + memory_mb * _MB
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space_bytes() -> int:
    """This process's virtual size (what RLIMIT_AS counts), 0 when unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class ContextFollows:
    """Given as the context to a prestarted worker: the real one comes as its first message,
    in a 1-tuple (``None`` instead: it was never used and stops)."""


def worker_main(
    conn: Connection[Message, Chunk], func: Callable[[Any, Any], Any], context: Any, memory_mb: int | None
) -> None:
    """Loop: receive a chunk of (index, item), send (index, status, payload) per item."""
    end_with_parent()  # a killed parent must not leave us reading (lifetime.py)
    with contextlib.suppress(AttributeError, ValueError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl+C and stops us
    if isinstance(context, ContextFollows):
        try:
            first = conn.recv()  # (context,), or None: never used
        except (EOFError, OSError):
            return  # never used: the parent closed us
        if first is None:
            return
        (context,) = first
    _limit_memory(memory_mb)
    conn.send((-1, "ready", None))  # start-up (imports) does not count against the timeout
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if chunk is None:
            conn.close()
            # Every result has been sent and the parent is waiting in join(): skip the
            # interpreter's teardown (for these imports ~0.1-0.2 s, paid on every run).
            os._exit(0)
        for index, item in chunk:
            try:
                message: Message = (index, "ok", func(context, item))
            except MemoryError:
                message = (index, "memory", "")
            except Exception as exc:
                message = (index, "error", f"{type(exc).__name__}: {exc}"[:500])
            try:
                conn.send(message)
            except MemoryError:
                conn.send((index, "memory", ""))
            except Exception as exc:  # an unpicklable result
                conn.send((index, "error", f"результат не передан: {type(exc).__name__}: {exc}"[:500]))

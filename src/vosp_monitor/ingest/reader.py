"""Reading one submission: from a path to a RawForm, or to the one Problem that says why not.

Safe on hostile input: the bytes are read once; ``preflight`` rejects empty, foreign,
encrypted, unsafe and oversized files before python-calamine parses anything; the
workbook (``book.Book``) parses only the sheets the form needs and bounds every text.
The form is then recognised by content (``recognise``), never by fixed positions. Run it
in ``pool.map_isolated`` workers, which bound time and memory and survive a native crash.

A :class:`FormReader` is built once per run from the config (its codes and labels in the
form the recognition compares) and sent to the workers; it is small and picklable.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..problems import CATALOGUE, Consequence, Problem, make_problem
from .archive import ArchiveMember, read_member
from .book import Book
from .preflight import inspect_ole, inspect_zip, read_bytes, sniff
from .raw import Rejected
from .recognise import Expected, recognise

if TYPE_CHECKING:
    from ..config import Config
    from .raw import RawForm


class FormReader:
    """Reads submissions for one config; built once per run, picklable (sent to workers)."""

    def __init__(self, config: Config) -> None:
        self.title = config.monitoring.title
        self.expected = Expected.of(config)

    def read(self, path: Path, display_name: str, member: ArchiveMember | None = None) -> RawForm | Problem:
        """Read one submission into raw cells, or say in one Problem why it cannot be read.

        ``member``: the form is that member of the zip archive ``path`` (``archive``).
        Pure: never modifies or moves the file and holds no handle after returning (the
        bytes are read once, then parsed from memory).
        """
        try:
            data = read_bytes(Path(path)) if member is None else read_member(Path(path), member)
            container = sniff(data)
            package = inspect_zip(data) if container == "zip" else inspect_ole(data)
            book = Book(data, package)
            try:
                return recognise(book, self.expected, display_name)
            finally:
                book.close()
        except Rejected as rejected:
            return make_problem(
                rejected.code,
                file=display_name,
                consequence=Consequence.file_excluded,
                **self._params(rejected),
            )

    def _params(self, rejected: Rejected) -> dict[str, Any]:
        """What the raiser said (``detail``), and the monitoring's title where the message names it."""
        params: dict[str, Any] = {"detail": rejected.detail} if rejected.detail else {}
        if "title" in CATALOGUE[rejected.code].params:
            params["title"] = self.title
        return params


def read_form(path: Path, config: Config, display_name: str) -> RawForm | Problem:
    """One submission read with a reader made for it: :meth:`FormReader.read`, for single
    files and tests (a run builds one :class:`FormReader` and reuses it)."""
    return FormReader(config).read(path, display_name)

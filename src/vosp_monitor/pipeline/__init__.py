"""The library entry points: ``collect`` (read and check every submission) and ``run``
(collect, score, analyse and write), with the isolated worker pool that reads forms
(``pool``) and the writing of a run's outputs (``writing``). ``cli`` calls only these.
"""

from ..validate.collection import Collection
from ..writers.progress import StepProgress
from .collecting import collect
from .runner import RunOptions, run

__all__ = ["Collection", "RunOptions", "StepProgress", "collect", "run"]

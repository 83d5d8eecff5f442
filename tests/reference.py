"""Where the reference data of published indices live: ``shared/reference`` beside the clone.

The data are never copied into the repository. A clone at ``/work/main`` finds them in
``/work/shared``; a git worktree one level deeper (``/work/wt/name``) in the same place,
so the nearest ancestor folder that holds ``shared/reference`` is used. Tests skip, naming
the expected folder, where there is none.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def reference_dir(name: str) -> Path:
    """``shared/reference/<name>`` in the nearest ancestor of the clone (else beside it)."""
    for parent in REPO.parents:
        candidate = parent / "shared" / "reference" / name
        if candidate.is_dir():
            return candidate
    return REPO.parent / "shared" / "reference" / name


COINR_ASEM = reference_dir("coinr-asem")

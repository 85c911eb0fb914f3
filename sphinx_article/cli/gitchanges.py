"""Which posts a pull request changes: ``--changed-only`` / ``--changed-since REF``.

A post is changed when any file in its folder (its source, images, ``refs.bib``) differs
between ``REF`` and the working tree, committed or not.  Git is asked with
``git diff --name-only --merge-base REF`` (the changes since the branch left ``REF``,
as a pull request shows them) plus the untracked files; nothing else runs.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """Git is missing, the folder is not a repository, or REF is unknown."""


def _git(folder: Path, *args: str) -> list[str]:
    try:
        result = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise GitError(f"git could not be run ({exc}).") from exc
    if result.returncode:
        raise GitError(
            result.stderr.strip().splitlines()[-1]
            if result.stderr.strip()
            else f"git {' '.join(args)} failed"
        )
    return [line for line in result.stdout.splitlines() if line]


def changed_files(folder: Path, ref: str) -> set[Path]:
    """Absolute paths changed since ``ref`` (merge base), plus untracked files."""
    if ref.startswith("-"):
        raise GitError(f"{ref!r} is not a git revision.")
    top = Path(_git(folder, "rev-parse", "--show-toplevel")[0])
    names = _git(folder, "diff", "--name-only", "--merge-base", ref, "--")
    names += _git(folder, "ls-files", "--others", "--exclude-standard", "--full-name")
    return {(top / name).resolve() for name in names}


def changed_posts(posts: list[tuple[str, Path]], changed: set[Path]) -> list[tuple[str, Path]]:
    """The posts (docname, source) with a changed file in their folder."""

    def touched(source: Path) -> bool:
        folder = source.resolve().parent
        return any(path == folder or folder in path.parents for path in changed)

    return [(docname, source) for docname, source in posts if touched(source)]

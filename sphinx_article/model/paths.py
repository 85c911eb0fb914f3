"""Which files an author may name: one containment rule for the build, the PDF, the
review build and ``sphinx-article check``.

A post names files in many places (images, bibliographies, ``{include}``,
``{literalinclude}``, ``{csv-table}`` and ``{raw}`` ``:file:``, ``{download}``,
explorables).  Every one of them is resolved here, symlinks followed, and refused
when it leaves the site folder, so no post can read or publish a file from elsewhere
on the machine that builds the site.  No Sphinx needed.
"""

from __future__ import annotations

import os
from pathlib import Path

#: reasons :func:`resolve_inside` gives for refusing a path
EMPTY, REMOTE, OUTSIDE, INVALID = "empty", "remote", "outside", "invalid"


def is_remote(path: str) -> bool:
    """A URL (``https://``, ``data:``, ``//host``), never a file of the site."""
    text = path.strip()
    return "://" in text or text.startswith(("data:", "//", "javascript:", "file:"))


def resolve_inside(
    site_root: str | os.PathLike[str], base_dir: str | os.PathLike[str], path: str
) -> tuple[Path | None, str]:
    """The real path of ``path`` and ``""``, or ``None`` and why it is refused.

    ``path`` is relative to ``base_dir`` (the post's folder), or to ``site_root`` when it
    starts with ``/`` (Sphinx's convention).  The result has every symlink followed and
    must lie inside ``site_root`` (itself resolved); it need not exist: callers say
    "not found" themselves.  Reasons: :data:`EMPTY`, :data:`REMOTE`, :data:`OUTSIDE`,
    :data:`INVALID` (a NUL byte, or a name the system cannot resolve).
    """
    text = path.strip()
    if not text:
        return None, EMPTY
    if is_remote(text):
        return None, REMOTE
    if "\x00" in text:
        return None, INVALID
    root = Path(os.path.realpath(site_root))
    joined = Path(site_root, text.lstrip("/")) if text.startswith("/") else Path(base_dir, text)
    try:
        real = Path(os.path.realpath(joined))
    except (OSError, ValueError):
        return None, INVALID
    if real != root and not real.is_relative_to(root):
        return None, OUTSIDE
    return real, ""


def site_relative(site_root: str | os.PathLike[str], real: Path) -> str:
    """``real`` (from :func:`resolve_inside`) as a POSIX path relative to the site."""
    return real.relative_to(os.path.realpath(site_root)).as_posix()


def refusal(what: str, path: str, reason: str) -> str:
    """The warning text for a refused path: what is wrong and how to fix it."""
    if reason == EMPTY:
        return f"The {what} path is empty; give a file next to the post."
    if reason == REMOTE:
        return (
            f"The {what} '{path}' is a URL; nothing is fetched at build time. Save the "
            f"file in the post's folder and give its relative path."
        )
    if reason == INVALID:
        return f"The {what} '{path}' is not a usable file name; rename the file."
    return (
        f"The {what} '{path}' is outside the site folder (symlinks followed) and was "
        f"neither read nor published; copy the file into the post's folder and give a "
        f"path relative to the post."
    )

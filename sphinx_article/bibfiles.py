"""A post's bib files: which ones it uses, and what they contain.

No Sphinx needed, so ``sphinx-article check`` can use the same rules as the build:
a listed path must stay inside the site folder (it is never opened otherwise), and
files are read by pybtex's own parser in capture mode, so one malformed entry is a
located problem while the rest of the file is still used.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pybtex.errors
import pybtex.plugin
from pybtex.database import Entry
from pybtex.database.input.bibtex import Parser
from pybtex.exceptions import PybtexError

from .frontmatter import Post
from .paths import resolve_inside

DEFAULT_BIB = "refs.bib"

# pybtex looks up every style, backend and parser plugin through importlib.metadata's
# entry_points(), which rescans all installed distributions on each call (~50 ms):
# thousands of calls per build (``render_as``, sphinxcontrib-bibtex's styles).  The
# installed plugins do not change while Python runs, so the answer is remembered.
if not hasattr(pybtex.plugin.entry_points, "cache_info"):
    pybtex.plugin.entry_points = functools.lru_cache(maxsize=None)(pybtex.plugin.entry_points)


Problems = list[tuple[int, str]]  #: (line, message) pairs


def find_bibfiles(post: Post, post_dir: Path, site_root: Path) -> tuple[list[Path], Problems]:
    """The post's bib files, and (front-matter line, message) for each unusable one.

    Listed paths are relative to the post; one that leaves the site folder (``..``,
    an absolute path, a symlink out) is refused and never opened.
    """
    if not post.bibliography:
        default, _reason = resolve_inside(site_root, post_dir, DEFAULT_BIB)
        return ([default] if default is not None and default.is_file() else []), []
    found, problems = [], []
    for i, name in enumerate(post.bibliography):
        line = post.line(f"bibliography.{i}")
        path, _reason = resolve_inside(site_root, post_dir, name)
        if path is None:
            problems.append((line, f"Bibliography '{name}' is outside the site folder and "
                                   f"was not read; put the .bib file in the post's folder."))
        elif not path.is_file():
            problems.append((line, f"Bibliography file '{name}' not found next to the "
                                   f"post; fix the path or add the file."))
        elif path not in found:
            found.append(path)
    return found, problems


def parse_bibfile(path: Path, encoding: str = "utf-8-sig") -> tuple[dict[str, Entry], Problems]:
    """Entries of one bib file by key, and (line, message) for each syntax error.

    pybtex's own parser in capture mode: a malformed entry is reported and skipped,
    the rest of the file is still read.
    """
    parser = Parser(encoding)
    problems: list[tuple[int, str]] = []
    with pybtex.errors.capture() as captured:
        try:
            parser.parse_file(str(path))
        except (PybtexError, UnicodeDecodeError, OSError) as exc:
            problems.append((getattr(exc, "lineno", None) or 1, str(exc)))
    for error in captured:
        problems.append((getattr(error, "lineno", None) or 1, str(error)))
    return dict(parser.data.entries), problems

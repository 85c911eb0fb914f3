"""``sphinx-article new-site DIR --venue "…"``: a track repository that checks itself.

The files are templates shipped as package data (``templates/new_site/*.in``, filled
with :class:`string.Template`), so an organiser reads them as the files they become.
The venue reaches three languages, each escaped for its own: a Python string literal in
``conf.py`` (``repr``), Markdown text in the pages, and nothing in the CI files (they
name no venue).  The first post comes from ``sphinx-article new`` itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from .. import __version__
from .scaffold import ScaffoldError, scaffold

TEMPLATES = Path(__file__).parent / "templates" / "new_site"
# template file (relative to TEMPLATES) -> the file it becomes in the new site
FILES = {
    "conf.py.in": "conf.py",
    "index.md.in": "index.md",
    "about.md.in": "about.md",
    "README.md.in": "README.md",
    "gitignore.in": ".gitignore",
    "github/workflows/pull-request.yml.in": ".github/workflows/pull-request.yml",
    "github/workflows/publish.yml.in": ".github/workflows/publish.yml",
    "gitlab-ci.yml.in": ".gitlab-ci.yml",
}
FIRST_POST = "posts/welcome"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~$])")


class NewSiteError(Exception):
    """The site cannot be created here (the message says why)."""


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown inline text: one line, every markup character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def fill(template: str, venue: str, url: str) -> str:
    return Template(template).substitute(
        venue_py=repr(" ".join(venue.split())),
        venue_md=markdown_text(venue),
        url_py=repr(url),
        version=__version__,
    )


def new_site(target: Path, venue: str, url: str = "https://example.org/") -> list[Path]:
    """Write the skeleton into ``target``; refuse to touch an existing site."""
    if not venue.strip():
        raise NewSiteError("--venue must name the track, e.g. 'ICLR 2027 Blogposts Track'.")
    if not re.fullmatch(r"https?://[^\s\"'<>]+", url):
        raise NewSiteError(f"--url {url!r} must be an http(s) URL, e.g. https://blog.example.org/.")
    if (target / "conf.py").exists():
        raise NewSiteError(f"{target} already holds a site (conf.py); nothing was written.")
    written: list[Path] = []
    for source, name in FILES.items():
        path = target / name
        if path.exists():
            raise NewSiteError(f"{path} exists; nothing more was written.")
        path.parent.mkdir(parents=True, exist_ok=True)
        text = fill((TEMPLATES / source).read_text(encoding="utf-8"), venue, url)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    try:
        post_files = scaffold(target / FIRST_POST, f"Welcome to the {' '.join(venue.split())}")
    except ScaffoldError as exc:
        raise NewSiteError(str(exc)) from exc
    publish(post_files[0])  # a new site's home page lists its first post
    return written + post_files


def publish(index: Path) -> None:
    """Drop the scaffold's ``draft: true`` line from a post's front matter."""
    lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
    index.write_text(
        "".join(line for line in lines if line.strip() != "draft: true"), encoding="utf-8"
    )

"""Build one post of a track on its own: ``sphinx-article build SITE/posts/<slug>``.

A pull-request preview (or an author who wants to see a post and its PDF) needs one
post with the site's configuration and theme, in a time that does not grow with the
track.  The site is built as it is, with every *other* post excluded through
``exclude_patterns``: Sphinx then neither reads nor writes them, and the listing pages
(home, tags, feed) list just this post.  The output goes to its own folder
(``SITE/_build/post/<slug>/``) so the site's full build is never disturbed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .check import ConfError, find_posts, load_site
from .gitchanges import changed_files, changed_posts


class OnePostError(Exception):
    """The path is not a post of a site (the message says why and what to give)."""


@dataclass(frozen=True)
class PostInSite:
    """A post located in its site: what a one-post build needs to know."""

    site: Path
    docname: str
    others: tuple[str, ...]  # the other posts' docnames, to exclude

    @property
    def slug(self) -> str:
        return self.docname.rsplit("/", 2)[-2] if "/" in self.docname else self.docname

    def exclude_patterns(self, existing: list[str]) -> list[str]:
        """The site's own ``exclude_patterns`` plus every other post's source file."""
        return [*existing, *(f"{doc}.*" for doc in self.others)]


def site_root(path: Path) -> Path:
    """The nearest folder at or above ``path`` holding a ``conf.py``."""
    start = path.resolve()
    for folder in (start, *start.parents):
        if (folder / "conf.py").is_file():
            return folder
    raise OnePostError(
        f"{path}: no conf.py in this folder or above; give a post's folder inside a site."
    )


def locate_post(path: Path) -> PostInSite:
    """Find the site above ``path`` and the post (folder or source file) it names."""
    path = path.resolve()
    root = site_root(path.parent if path.is_file() else path)
    try:
        site = load_site(root)
    except ConfError as exc:
        raise OnePostError(str(exc)) from exc
    posts = find_posts(site)
    chosen = [
        doc for doc, source in posts if source.resolve() == path or source.resolve().parent == path
    ]
    if len(chosen) != 1:
        names = ", ".join(doc for doc, _ in posts[:5]) or "none"
        raise OnePostError(
            f"{path}: not a post of the site {root} (posts match "
            f"article_posts = '{site.posts}'; for example: {names})."
        )
    others = tuple(doc for doc, _ in posts if doc != chosen[0])
    return PostInSite(site=root, docname=chosen[0], others=others)


def changed_posts_in(site_dir: Path, ref: str) -> list[PostInSite]:
    """Every post of the site at ``site_dir`` with a file changed since git ``ref``."""
    root = site_root(site_dir)
    try:
        posts = find_posts(load_site(root))
    except ConfError as exc:
        raise OnePostError(str(exc)) from exc
    changed = changed_posts(posts, changed_files(root, ref))
    return [
        PostInSite(
            site=root, docname=doc, others=tuple(other for other, _ in posts if other != doc)
        )
        for doc, _ in changed
    ]


def site_exclude_patterns(site: Path) -> list[str]:
    """The site's own ``exclude_patterns`` (conf.py), so ours extend rather than replace."""
    try:
        return list(load_site(site).exclude)
    except ConfError:
        return []


def build_post(
    post: PostInSite,
    outdir: Path,
    pdf: bool = False,
    quiet: bool = True,
    extra: dict[str, object] | None = None,
) -> tuple[int, Path]:
    """Build HTML (and the PDF) of one post; return (Sphinx's exit status, output folder)."""
    # Sphinx loads only when a build runs: the CLI's other commands start without it
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    overrides: dict[str, object] = {
        "exclude_patterns": post.exclude_patterns(site_exclude_patterns(post.site)),
        **(extra or {}),
    }
    status = None if quiet else sys.stdout
    outdir.mkdir(parents=True, exist_ok=True)
    builders = ["html", "latex"] if pdf else ["html"]
    if pdf:  # the web page links the PDF when it exists: build the PDF first
        builders = ["latex", "html"]
    for name in builders:
        target = outdir / name
        with patch_docutils(post.site), docutils_namespace():
            app = Sphinx(
                str(post.site),
                str(post.site),
                str(target),
                str(outdir / "doctrees"),
                name,
                confoverrides=overrides,
                status=status,
                warning=sys.stderr,
                freshenv=False,
            )
            app.build()
        if app.statuscode:
            return app.statuscode, outdir
        if name == "latex":
            code = compile_pdfs(target)
            if code:
                return code, outdir
    return 0, outdir


def compile_pdfs(latex_dir: Path) -> int:
    """Run the LaTeX folder's own Makefile (``make all-pdf``), as ``-M latexpdf`` does."""
    make = shutil.which("make")
    if make is None:
        print(
            f"sphinx-article build: 'make' is not installed; the .tex files are in {latex_dir}.",
            file=sys.stderr,
        )
        return 1
    result = subprocess.run(
        [make, "-C", str(latex_dir), "all-pdf"], check=False, stdout=subprocess.DEVNULL
    )
    return result.returncode

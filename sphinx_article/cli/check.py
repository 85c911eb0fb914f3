"""``sphinx-article check``: lint every post of a site without building it.

A track organiser runs it on submissions before (or instead of) a full build.  It uses
the build's own code wherever there is one, so the two agree on what is wrong and on
which line: front matter (:func:`~.frontmatter.parse_post`), the Markdown body
(:func:`~.mdscan.scan`: myst-parser's own tokens, located as MyST locates them), file
paths (:func:`~.paths.resolve_inside`), alt text (:func:`~.mdscan.missing_alt`),
citation targets (:func:`~.mdscan.parse_cite_targets`), bibliographies
(:mod:`~.bibfiles`), colours (:func:`~.eqterms.parse_colors`, :mod:`~.colors`) and
anonymity (:func:`~.anonymity.find_leaks`).  What it checks is listed in
:data:`CHECKED_SUBTYPES`; ``tests/test_check_parity.py`` holds it to the build.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pybtex.database import Entry
from sphinx.util.matching import Matcher, patmatch

from ..config import OPTIONS_BY_KEY
from ..model import mdscan
from ..model.anonymity import find_leaks
from ..model.bibfiles import entry_problems, find_bibfiles, read_bibfile, unknown_key_message
from ..model.colors import BACKGROUNDS, MIN_CONTRAST, contrast
from ..model.eqterms import parse_colors
from ..model.frontmatter import Post, parse_post, split_front_matter
from ..model.imagefiles import file_problems
from ..model.paths import EMPTY, REMOTE, resolve_inside
from ..notebooks.check import check_notebook

SOURCE_SUFFIXES = (".md", ".rst", ".ipynb")
#: Subtypes ``check`` reports for the body of a post without a build, on the lines the
#: build reports them (front-matter subtypes come from the build's own parser).
CHECKED_SUBTYPES = frozenset(
    {"alt", "image", "citation", "color", "contrast", "hero", "notebook", "cell-tag"}
)
ANIMATED = (".gif",)
VIDEO = (".mp4", ".webm")


@dataclass
class Finding:
    """One problem: file (as the user named the site), line, subtype, message."""

    file: str
    line: int
    subtype: str
    message: str

    def text(self) -> str:
        return f"{self.file}:{self.line}: {self.subtype}: {self.message}"


@dataclass
class Site:
    """What check needs from conf.py, read by executing it (no Sphinx application)."""

    root: Path
    display: Path
    posts: str = OPTIONS_BY_KEY["article_posts"].default
    license: str = OPTIONS_BY_KEY["article_license"].default
    image_budget_kb: int = OPTIONS_BY_KEY["article_image_budget_kb"].default
    notebook_output_budget_kb: int = OPTIONS_BY_KEY["article_notebook_output_budget_kb"].default
    raw_html: bool = False
    nb_execution_mode: str = "auto"  #: MyST-NB's default: notebooks missing outputs run
    exclude: list[str] = field(default_factory=list)
    shared_bibfiles: list[Path] = field(default_factory=list)  #: conf.py's bibtex_bibfiles

    def show(self, path: Path) -> str:
        return str(self.display / path.relative_to(self.root))


class ConfError(Exception):
    """conf.py is missing or fails to run: a usage error (exit 2)."""


def load_site(site: Path) -> Site:
    conf = site / "conf.py"
    if not conf.is_file():
        raise ConfError(f"{site}: no conf.py here; give the folder of the site's conf.py.")
    namespace: dict[str, Any] = {"__file__": str(conf.resolve()), "__name__": "conf"}
    cwd = os.getcwd()
    try:
        code = compile(conf.read_bytes(), str(conf), "exec")
        os.chdir(site)
        exec(code, namespace)  # noqa: S102
    except Exception as exc:  # any error in a user's conf.py is reported, not raised
        raise ConfError(f"{conf}: conf.py failed to run ({type(exc).__name__}: {exc}).") from exc
    finally:
        os.chdir(cwd)
    result = Site(root=site.resolve(), display=site)
    for name in ("posts", "license", "image_budget_kb", "notebook_output_budget_kb"):
        value = namespace.get(f"article_{name}")
        if isinstance(value, type(getattr(result, name))) and not isinstance(value, bool):
            setattr(result, name, value)
    result.raw_html = namespace.get("article_raw_html") is True
    if isinstance(namespace.get("nb_execution_mode"), str):
        result.nb_execution_mode = namespace["nb_execution_mode"]
    exclude = namespace.get("exclude_patterns", [])
    result.exclude = [str(p) for p in exclude] if isinstance(exclude, (list, tuple)) else []
    shared = namespace.get("bibtex_bibfiles", [])
    if isinstance(shared, (list, tuple)):
        for name in shared:
            real, _ = resolve_inside(result.root, result.root, str(name))
            if real is not None and real.is_file():
                result.shared_bibfiles.append(real)
    return result


def find_posts(site: Site) -> list[tuple[str, Path]]:
    """(docname, path) of every source file matching ``article_posts``, sorted."""
    excluded = Matcher([*site.exclude, "_build", "**/.*", ".*"])
    found = []
    for folder, dirs, files in os.walk(site.root):
        rel_folder = Path(folder).relative_to(site.root).as_posix()
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith((".", "_build")) and not excluded(f"{rel_folder}/{d}".lstrip("./"))
        )
        for name in files:
            if not name.endswith(SOURCE_SUFFIXES):
                continue
            rel = f"{rel_folder}/{name}".lstrip("./") if rel_folder != "." else name
            docname = rel.rsplit(".", 1)[0]
            if not excluded(rel) and patmatch(docname, site.posts):
                found.append((docname, Path(folder) / name))
    return sorted(found)


class PostChecker:
    """Every check on one post; findings accumulate in ``self.findings``."""

    def __init__(self, site: Site, docname: str, path: Path, review: bool) -> None:
        self.site, self.docname, self.path, self.review = site, docname, path, review
        self.folder = path.parent
        self.findings: list[Finding] = []

    def add(self, line: int, subtype: str, message: str, path: Path | None = None) -> None:
        self.findings.append(Finding(self.site.show(path or self.path), line, subtype, message))

    def run(self) -> list[Finding]:
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            self.add(1, "encoding", f"The post cannot be read ({exc}).")
            return self.findings
        try:
            source = raw.decode("utf-8-sig")  # as the build (Sphinx's source_encoding)
        except UnicodeDecodeError as exc:  # located and worded as ``posts.skip_undecodable``
            self.add(
                raw[: exc.start].count(b"\n") + 1,
                "encoding",
                "The file is not valid "
                f"utf-8-sig (byte 0x{raw[exc.start]:02x} on this line); save it as "
                "UTF-8. It is left out of the build until then.",
            )
            return self.findings
        source = source.replace("\r\n", "\n").replace("\r", "\n")  # universal newlines
        if self.path.suffix == ".ipynb":  # notebook posts: notebook_check.py
            check_notebook(self, source, self.site.notebook_output_budget_kb)
            return self.findings
        post, problems = parse_post(self.docname, source, self.site.license)
        for problem in problems:
            self.add(problem.line, problem.subtype.value, problem.message)
        if self.path.suffix == ".md":
            _, length = split_front_matter(source)
            scanned = mdscan.scan(source, length, raw_html=self.site.raw_html)
            self.images(scanned)
            self.heroes(scanned)
            self.citations(post, scanned)
            self.colours(scanned)
        if self.review:
            leaks, bib = find_leaks(source, post, self.folder, self.site.root)
            for problem in leaks:
                self.add(problem.line, problem.subtype.value, problem.message)
            for bibfile, line, message in bib:
                self.add(line, "anonymity", message, bibfile)
        return self.findings

    # images ------------------------------------------------------------------------------
    def images(self, scanned: mdscan.Scan) -> None:
        for image in scanned.images:
            if image.path.endswith(".*"):  # Sphinx picks the format; not checked here
                continue
            what = (
                f"{image.directive} :{image.option}:"
                if image.option
                else (f"{image.directive} file" if image.directive else "image")
            )
            self.image_file(image.path, image.line, what)
            if not image.option and mdscan.missing_alt(image.alt):
                self.add(image.line, "alt", mdscan.alt_message(image.path, image.directive))
        for directive in scanned.directives:
            suffix = Path(directive.argument).suffix.lower()
            if (
                directive.name in ("figure", "image")
                and suffix in ANIMATED + VIDEO
                and ("poster" not in directive.options)
            ):
                self.add(
                    directive.line,
                    "image",
                    f"The animated {directive.name} "
                    f"'{directive.argument}' has no :poster:; add ':poster: <a still "
                    "image>' for the PDF and for readers who prefer reduced motion.",
                )
            elif directive.name == "video-figure" and "poster" not in directive.options:
                self.add(
                    directive.line,
                    "image",
                    "The video-figure has no :poster:; add "
                    "':poster: <a still image>' (shown before playing, in the PDF and "
                    "under reduced motion).",
                )
            elif directive.name == "interactive-figure" and "fallback" not in directive.options:
                self.add(
                    directive.line,
                    "image",
                    "The interactive-figure has no :fallback:; "
                    "add ':fallback: <a still image>' for the PDF, feeds and readers "
                    "without JavaScript.",
                )

    def image_file(self, target: str, line: int, what: str = "image") -> None:
        target = target.strip()
        file, reason = resolve_inside(self.site.root, self.folder, target)  # the build's rule
        if file is None:
            if reason == EMPTY:
                self.add(
                    line,
                    "image",
                    f"The {what} path is empty; give a file next to the "
                    "post, such as 'figure.png'.",
                )
            elif reason == REMOTE:
                self.add(
                    line,
                    "image",
                    f"The {what} '{target}' is a remote URL; readers' "
                    "browsers would contact another host. Save the file in the post's "
                    "folder and give its relative path.",
                )
            else:
                self.add(
                    line,
                    "image",
                    f"The {what} '{target}' points outside the site "
                    "(symlinks followed); keep the file in the post's folder and give a "
                    "path relative to it.",
                )
            return
        try:
            found = file.is_file()
        except (OSError, ValueError):  # a name too long for the system, a loop: not a file
            found = False
        if not found:
            self.add(
                line,
                "image",
                f"The {what} '{target}' does not exist; give a path "
                "relative to the post's folder (case matters).",
            )
            return
        # the build's rule (imagefiles.py): empty, mislabelled, absurd size, budget
        for problem in file_problems(file, target, self.site.image_budget_kb):
            text = problem.message
            self.add(line, "image", f"The {what} {text}" if text.startswith("'") else text)

    def heroes(self, scanned: mdscan.Scan, notebook: bool = False) -> None:
        """As the build's ``hero.HeroFigure``: a file or (in a notebook) ``:glue:``, alt
        text, a poster for an animation, one hero a post."""
        heroes = [d for d in scanned.directives if d.name == "hero-figure"]
        for hero in heroes:
            glue = hero.options["glue"].strip() if "glue" in hero.options else None
            problem = mdscan.hero_source_problem(hero.argument, glue, notebook)
            if problem:
                self.add(hero.line, "hero", problem)
            if not hero.argument and mdscan.missing_alt(hero.options.get("alt")):
                # (with a file, images() reports it with the file's name)
                self.add(
                    hero.line,
                    "alt",
                    "The hero-figure has no :alt: text; add ':alt: <what the image "
                    "shows>' for readers who cannot see it.",
                )
            if Path(hero.argument).suffix.lower() in ANIMATED + VIDEO and (
                "poster" not in hero.options
            ):
                self.add(
                    hero.line,
                    "hero",
                    f"The hero '{hero.argument}' is animated but has "
                    "no :poster:; add ':poster: <a still PNG or JPEG>'.",
                )
        for extra in heroes[1:]:
            self.add(
                extra.line,
                "hero",
                f"This post already has a hero figure (line "
                f"{heroes[0].line}); a post has at most one. Use a 'figure' directive "
                "here.",
            )

    # citations ---------------------------------------------------------------------------
    def citations(self, post: Post, scanned: mdscan.Scan) -> None:
        """As the build's ``citations.scope_citations``: only ``{cite:*}`` roles, keys
        looked up case-insensitively, each cited entry judged once at its line."""
        cited = [c for c in scanned.citations if not c.role.startswith("footcite")]
        files, problems = find_bibfiles(post, self.folder, self.site.root)  # the build's rules
        for line, message in problems:
            self.add(line, "citation", message)
        for citation in cited:
            for message in citation.problems:
                self.add(citation.line, "citation", message)
        if not any(citation.targets for citation in cited):
            return
        entries: dict[str, tuple[Entry, Path | None, int]] = {}
        for path in files:
            source = read_bibfile(path)
            for line, message in source.problems:
                self.add(line, "citation", message, path)
            for key, entry in source.entries.items():
                entries.setdefault(key.lower(), (entry, path, source.lines.get(key.lower(), 1)))
        for path in self.site.shared_bibfiles:
            for key, entry in read_bibfile(path).entries.items():
                entries.setdefault(key.lower(), (entry, None, 0))
        judged: set[str] = set()
        for citation in cited:
            for target in citation.targets:
                found = entries.get(target.key.lower())
                if found is None:
                    self.add(
                        citation.line,
                        "citation",
                        unknown_key_message(  # the build's
                            target.key, post, files, self.site.root
                        ),
                    )
                    continue
                entry, entry_path, line = found
                if target.key.lower() in judged or entry_path is None:
                    continue
                judged.add(target.key.lower())
                for message in entry_problems(entry)[1]:
                    self.add(line, "citation", message, entry_path)

    # colours -----------------------------------------------------------------------------
    def colours(self, scanned: mdscan.Scan) -> None:
        for directive in scanned.directives:
            if directive.name != "colored-equation" or "colors" not in directive.options:
                continue
            overrides, problems = parse_colors(directive.options["colors"])  # the build's
            for problem in problems:
                self.add(directive.line, "color", f"{problem[0].upper()}{problem[1:]}.")
            for term, colour in overrides.items():
                for mode, background in BACKGROUNDS.items():
                    ratio = contrast(colour, background)
                    if ratio < MIN_CONTRAST:
                        self.add(
                            directive.line,
                            "contrast",
                            f"Colour {colour} of term "
                            f"'{term}' reaches {ratio:.2f}:1 against the {mode} "
                            f"background {background}; pick a colour with at least 3:1.",
                        )


def check_site(site: Site, review: bool = False) -> tuple[int, list[Finding]]:
    """(number of posts, findings sorted by file and line)."""
    posts = find_posts(site)
    findings: list[Finding] = []
    for docname, path in posts:
        findings.extend(PostChecker(site, docname, path, review).run())
    findings.sort(key=lambda f: (f.file, f.line, f.subtype))
    return len(posts), findings


def as_json(count: int, findings: list[Finding]) -> dict[str, Any]:
    return {"posts": count, "problems": [asdict(f) for f in findings]}

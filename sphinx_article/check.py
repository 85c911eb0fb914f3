"""``sphinx-article check``: lint every post of a site without building it.

A track organiser runs it on submissions before (or instead of) a full build.  It uses
the build's own code where there is one (front matter: :func:`~.frontmatter.parse_post`;
colours: :func:`~.eqterms.parse_colors` and :mod:`~.colors`; anonymity:
:func:`~.review.find_leaks`; bibliographies: pybtex, as sphinxcontrib-bibtex does) and
a light line scanner for what only a build would otherwise see: images and their alt
text, citation keys, ``:colors:`` options.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .bibfiles import find_bibfiles, parse_bibfile
from .colors import BACKGROUNDS, MIN_CONTRAST, contrast
from .config import OPTIONS_BY_KEY
from .eqterms import parse_colors
from .frontmatter import Post, parse_post, split_front_matter
from .paths import resolve_inside
from .review import find_leaks

SOURCE_SUFFIXES = (".md", ".rst")
IMAGE_DIRECTIVES = {"figure", "image", "hero-figure", "video-figure"}
MEDIA_DIRECTIVES = IMAGE_DIRECTIVES | {"interactive-figure"}
PATH_OPTIONS = ("dark", "poster", "fallback")
OPAQUE_DIRECTIVES = {"code-block", "code", "sourcecode", "code-cell", "math", "raw",
                     "literalinclude", "mermaid", "colored-equation"}
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}|:{3,})\s*(?:\{([\w:.-]+)\})?\s*(.*?)\s*$")
_OPTION = re.compile(r"^\s*:([\w-]+):\s*(.*?)\s*$")
_ROLE_CITE = re.compile(r"\{(cite(?::[\w]+)?|footcite(?::[\w]+)?)\}`([^`]*)`")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


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
    exclude: list[str] = field(default_factory=list)

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
    for name in ("posts", "license", "image_budget_kb"):
        value = namespace.get(f"article_{name}")
        if isinstance(value, type(getattr(result, name))) and not isinstance(value, bool):
            setattr(result, name, value)
    exclude = namespace.get("exclude_patterns", [])
    result.exclude = [str(p) for p in exclude] if isinstance(exclude, (list, tuple)) else []
    return result


def find_posts(site: Site) -> list[tuple[str, Path]]:
    """(docname, path) of every source file matching ``article_posts``, sorted."""
    from sphinx.util.matching import Matcher, patmatch

    excluded = Matcher([*site.exclude, "_build", "**/.*", ".*"])
    found = []
    for folder, dirs, files in os.walk(site.root):
        rel_folder = Path(folder).relative_to(site.root).as_posix()
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_build"))
                         and not excluded(f"{rel_folder}/{d}".lstrip("./")))
        for name in files:
            if not name.endswith(SOURCE_SUFFIXES):
                continue
            rel = f"{rel_folder}/{name}".lstrip("./") if rel_folder != "." else name
            docname = rel.rsplit(".", 1)[0]
            if not excluded(rel) and patmatch(docname, site.posts):
                found.append((docname, Path(folder) / name))
    return sorted(found)


@dataclass
class Directive:
    name: str
    argument: str
    line: int
    options: dict[str, tuple[str, int]] = field(default_factory=dict)


def scan(source: str, start: int) -> tuple[list[Directive], list[tuple[int, str]]]:
    """Directives (with options) and prose lines outside code, from line ``start`` on."""
    lines = source.splitlines()
    directives: list[Directive] = []
    prose: list[tuple[int, str]] = []
    stack: list[tuple[str, bool]] = []  # (closing fence, opaque)
    reading_options: Directive | None = None
    yaml_block = False
    for index in range(start, len(lines)):
        number, line = index + 1, lines[index]
        if reading_options is not None:
            stripped = line.strip()
            if stripped == "---" and not yaml_block and not reading_options.options:
                yaml_block = True
                continue
            if yaml_block:
                if stripped == "---":
                    yaml_block, reading_options = False, None
                elif ":" in line:
                    key, _, value = line.partition(":")
                    reading_options.options[key.strip()] = (value.strip(), number)
                continue
            option = _OPTION.match(line)
            if option:
                reading_options.options[option.group(1)] = (option.group(2), number)
                continue
            reading_options = None
        if stack and stack[-1][1]:
            if _closes(line, stack[-1][0]):
                stack.pop()
            continue
        if stack and _closes(line, stack[-1][0]):
            stack.pop()
            continue
        fence = _FENCE.match(line)
        if fence and (fence.group(3) or fence.group(2)[0] != ":"):
            marker, name = fence.group(2), fence.group(3)
            if name:
                directive = Directive(name, fence.group(4), number)
                directives.append(directive)
                reading_options = directive
                stack.append((marker, name in OPAQUE_DIRECTIVES))
            else:
                stack.append((marker, True))
            continue
        prose.append((number, line))
    return directives, prose


def _closes(line: str, marker: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and set(stripped) == {marker[0]} and len(stripped) >= len(marker)


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
            source = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.add(1, "encoding", f"The post cannot be read as UTF-8 text ({exc}); save "
                     "it as UTF-8.")
            return self.findings
        post, problems = parse_post(self.docname, source, self.site.license)
        for problem in problems:
            self.add(problem.line, problem.subtype.value, problem.message)
        _, length = split_front_matter(source)
        directives, prose = scan(source, length)
        self.images(directives, prose)
        self.citations(post, prose)
        self.colours(directives)
        if self.review:
            leaks, bib = find_leaks(source, post, self.folder, self.site.root)
            for problem in leaks:
                self.add(problem.line, problem.subtype.value, problem.message)
            for bibfile, line, message in bib:
                self.add(line, "anonymity", message, bibfile)
        return self.findings

    # images ------------------------------------------------------------------------------
    def images(self, directives: list[Directive], prose: list[tuple[int, str]]) -> None:
        for directive in directives:
            if directive.name not in MEDIA_DIRECTIVES:
                continue
            if directive.argument:
                self.image_file(directive.argument, directive.line)
            for key in PATH_OPTIONS:
                if key in directive.options:
                    value, line = directive.options[key]
                    self.image_file(value, line)
            alt = directive.options.get("alt", ("", 0))[0]
            if directive.name in IMAGE_DIRECTIVES and not alt.strip():
                self.add(directive.line, "alt", f"The {directive.name} '{directive.argument}' "
                         "has no alternative text; add ':alt: what the image shows'.")
        for number, line in prose:
            for match in _MD_IMAGE.finditer(line):
                alt, target = match.group(1), match.group(2)
                self.image_file(target, number)
                if not alt.strip():
                    self.add(number, "alt", f"The image '{target}' has no alternative text; "
                             "write it between the brackets: ![what it shows](file).")

    def image_file(self, target: str, line: int) -> None:
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            return
        file, _reason = resolve_inside(self.site.root, self.folder, target)  # the build's rule
        if file is None:
            self.add(line, "image", f"The image '{target}' points outside the site; keep the "
                     "file in the post's folder and give a path relative to it.")
            return
        if not file.is_file():
            self.add(line, "image", f"'{target}' is not found next to the post; check the "
                     "file name (case matters) or add the file.")
            return
        size_kb = file.stat().st_size / 1024
        if size_kb > self.site.image_budget_kb:
            self.add(line, "image", f"'{target}' is {size_kb:.0f} KB, over the image budget "
                     f"of {self.site.image_budget_kb} KB (article_image_budget_kb); compress "
                     "or resize it.")

    # citations ---------------------------------------------------------------------------
    def citations(self, post: Post, prose: list[tuple[int, str]]) -> None:
        cited = [(number, key.strip()) for number, line in prose
                 for match in _ROLE_CITE.finditer(line)
                 for key in match.group(2).split(",") if key.strip()]
        if not cited:
            return
        files, problems = find_bibfiles(post, self.folder, self.site.root)  # the build's rules
        for line, message in problems:
            self.add(line, "citation", message)
        if not files and not problems:
            self.add(cited[0][0], "citation", "The post cites but has no bibliography; add a "
                     "refs.bib next to it or name one with 'bibliography:'.")
            return
        keys: set[str] = set()
        for path in files:
            entries, errors = parse_bibfile(path)
            for line, message in errors:
                self.add(line, "citation", f"The bibliography cannot be parsed ({message}); "
                         "fix the entry there.", path)
            keys |= {key.lower() for key in entries}
        names = ", ".join(path.name for path in files) or "the bibliography"
        for number, key in cited:
            if key.lower() not in keys:
                self.add(number, "citation", f"Citation key '{key}' is not in {names}; check "
                         "the spelling or add the entry.")

    # colours -----------------------------------------------------------------------------
    def colours(self, directives: list[Directive]) -> None:
        for directive in directives:
            if directive.name != "colored-equation" or "colors" not in directive.options:
                continue
            value, line = directive.options["colors"]
            overrides, problems = parse_colors(value)  # the build's own parser
            for problem in problems:
                self.add(line, "color", f"{problem[0].upper()}{problem[1:]}.")
            for term, colour in overrides.items():
                for mode, background in BACKGROUNDS.items():
                    ratio = contrast(colour, background)
                    if ratio < MIN_CONTRAST:
                        self.add(line, "contrast", f"Colour {colour} of term '{term}' "
                                 f"reaches {ratio:.2f}:1 against the {mode} background "
                                 f"{background}; pick a colour with at least 3:1.")


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

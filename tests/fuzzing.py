"""A seeded mutation fuzzer for posts and their ``refs.bib`` (pure: no Sphinx, no pytest).

:func:`make_mutants` turns the example site's posts into ``count`` broken variants, each a
post of its own (``posts/<name>/``) with the mutated ``index.md`` / ``refs.bib`` and the
source post's other files, so a batch of mutants builds as ONE site and every warning
names its mutant by path.  The same seed always gives the same mutants; each mutant
records what was done to it (:attr:`Mutant.steps`), which is enough to reproduce it.

Operators: delete / duplicate / swap lines, truncate, insert unicode and control
characters, unbalanced delimiters, deep nesting, wrong YAML types at every front-matter key (the first
mutants walk every key of every post, then keys are drawn at random), random directive
options, and bib-specific damage (entry types, braces, keys, hostile URLs and DOIs).
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

#: Text an author (or an attacker) might paste anywhere.
UNICODE = [
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x08",
    "\x0b",
    "\x0c",
    "\r",
    "\u0085",
    "\u2028",
    "\u2029",
    "\u202e",
    "\u2066",
    "\u200b",
    "\ufeff",
    "\ufffd",
    "é",
    "e\u0301",
    "ß",
    "ﬁ",
    "İ",
    "\U0001f600",
    "𝔘𝔫𝔦",
    "日本語",
    "עברית",
    "\\ud800",
    '"\\ud800"',
    "\\x00",
    "%s%n",
    "&amp;",
    "<script>alert(1)</script>",
    "${{7*7}}",
    "\\input{/etc/passwd}",
    "\t",
]
#: Openers without closers (and closers without openers).
DELIMITERS = [
    "{",
    "}",
    "`",
    "``",
    "```",
    "````",
    "$",
    "$$",
    "[",
    "]",
    "](",
    "![",
    "(",
    ")",
    ":::",
    "::::",
    "{cite:p}`",
    "{cite:p}`a,",
    "{cite:t}`{see}`",
    "{{",
    "}}",
    "\\begin{equation}",
    "\\end{align}",
    "<!--",
    "-->",
    "---",
    "***",
    "_",
    "*",
    "~~~",
    "|",
    "(label)=",
    "{eq}`",
    "{numref}`",
    "[^1]",
    "[^missing]",
    "\\",
    "{sidenote}`",
    "{margin-note}`",
    "#",
    "> ",
]
#: Values of the wrong type (or shape) for a YAML key.
WRONG_YAML = [
    "[a, b]",
    "{x: 1}",
    "12",
    "-1",
    "3.5",
    "true",
    "null",
    "~",
    '""',
    "'   '",
    "2026-13-45",
    "0000-00-00",
    "[]",
    "{}",
    "[[[]]]",
    "!!binary aGVsbG8=",
    "!!python/object:os.system x",
    "*alias",
    "&anchor x",
    "|\n  block",
    ">-\n  folded",
    '"\\ud800"',
    '"\\x00\\x07"',
    "x" * 300,
    "https://",
    "javascript:alert(1)",
    "- item",
    "? complex",
    "@at",
    "`tick`",
    "1e309",
    "0x1F",
    ".inf",
    "{cite:p}`x`",
    "[1, [2, {3: 4}]]",
]
#: Options a directive might be given, and values for them.
OPTIONS = [
    "alt",
    "width",
    "name",
    "class",
    "dark",
    "poster",
    "fallback",
    "colors",
    "label",
    "credit",
    "aspect-ratio",
    "caption",
    "align",
    "scale",
    "height",
    "target",
    "file",
    "start-after",
    "language",
    "linenos",
    "emphasize-lines",
    "number-lines",
    "figwidth",
    "figclass",
    "loading",
    "nowrap",
    "header-rows",
    "widths",
    "encoding",
    "url",
    "delim",
    "columns",
    "tags",
    "sort",
    "limit",
    "heading",
    "bogus-option",
]
OPTION_VALUES = [
    "",
    " ",
    "page",
    "screen",
    "body",
    "huge",
    "-1",
    "0",
    "1e309",
    "100%",
    "999999999999",
    "../../../secret.txt",
    "/etc/passwd",
    "javascript:alert(1)",
    "data:text/html,x",
    "https://example.com/x.png",
    "x" * 300,
    "#zzz",
    "y=#000000",
    "y=#F0E442, z=red",
    "y=",
    "=#fff",
    "<script>",
    '"',
    "{",
    "é\u202e",
    "missing.png",
    "attention-map.png",
    "a\x00b",
    "16 / 0",
    "0 / 0",
    "1,2,x",
    "true",
    "[a, b]",
]
#: Damage only a .bib file can take.
BIB_TYPES = [
    "@onine",
    "@journal",
    "@report",
    "@software",
    "@online",
    "@dataset",
    "@thesis",
    "@patent",
    "@unpublished",
    "@misc",
    "@ARTICLE",
    "@",
    "@{",
    "@string",
    "@comment",
    "@preamble",
    "@incollection",
    "@mvbook",
]
BIB_FIELDS = [
    "url = {javascript:alert(1)}",
    "url = {data:text/html,<script>x</script>}",
    "note = {\\url{javascript:alert(1)}}",
    "doi = {10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O}",
    "doi = {not a doi}",
    "doi = {10.1/}",
    "author = {family=Ascoli, given=St\\'ephane, prefix=d'}",
    "author = {and and}",
    "author = {, , ,}",
    "title = {}",
    "title = {{{{{{x}}}}}}",
    "year = {-5}",
    "date = {2026-99-99}",
    "eprint = {../../x}",
    "eprinttype = {arxiv}",
    "month = jan",
    "editor = {}",
    "pages = {1--}",
    'title = "unbalanced {"',
    "author = {\\x00}",
    "crossref = {self}",
]

TEXT_FILES = ("index.md", "refs.bib")


@dataclass
class Mutant:
    """One broken post: its name (the folder under ``posts/``), its source post, its
    mutated files, and what was done (enough to reproduce it by hand)."""

    name: str
    source: str
    files: dict[str, str | bytes]
    steps: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return f"{self.name} (from posts/{self.source}): " + "; ".join(self.steps)


# -- operators: each takes (rng, text) and returns (text, what it did) ---------------------


def _lines(text: str) -> list[str]:
    return text.split("\n")


def delete_line(rng: random.Random, text: str) -> tuple[str, str]:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    del lines[i]
    return "\n".join(lines), f"deleted line {i + 1}"


def duplicate_line(rng: random.Random, text: str) -> tuple[str, str]:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return "\n".join(lines), f"duplicated line {i + 1}"


def swap_lines(rng: random.Random, text: str) -> tuple[str, str]:
    lines = _lines(text)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines), f"swapped lines {i + 1} and {j + 1}"


def truncate(rng: random.Random, text: str) -> tuple[str, str]:
    at = rng.randrange(len(text) + 1)
    return text[:at], f"truncated at character {at}"


def insert_unicode(rng: random.Random, text: str) -> tuple[str, str]:
    at = rng.randrange(len(text) + 1)
    piece = rng.choice(UNICODE)
    return text[:at] + piece + text[at:], f"inserted {piece!r} at character {at}"


def unbalance(rng: random.Random, text: str) -> tuple[str, str]:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    piece = rng.choice(DELIMITERS)
    at = rng.randrange(len(lines[i]) + 1)
    lines[i] = lines[i][:at] + piece + lines[i][at:]
    return "\n".join(lines), f"inserted {piece!r} in line {i + 1}"


_KEY = re.compile(r"^(\s*(?:- )?)([\w-]+):(.*)$")


def front_matter_keys(text: str) -> list[int]:
    """Indexes of the lines of the front matter that hold a ``key:``."""
    lines = _lines(text)
    if not lines or lines[0].strip() != "---":
        return []
    out = []
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            break
        if _KEY.match(line):
            out.append(i)
    return out


def wrong_yaml_type(
    rng: random.Random, text: str, index: int | None = None, value: str | None = None
) -> tuple[str, str]:
    """Give one front-matter key (``index``: its line; random if None) a wrong value."""
    keys = front_matter_keys(text)
    if not keys:
        return insert_unicode(rng, text)
    lines = _lines(text)
    i = keys[index % len(keys)] if index is not None else rng.choice(keys)
    match = _KEY.match(lines[i])
    assert match is not None
    value = value if value is not None else rng.choice(WRONG_YAML)
    indent = " " * (len(match.group(1)) + 2)
    shown = value.replace("\n", "\n" + indent)
    lines[i] = f"{match.group(1)}{match.group(2)}: {shown}"
    return "\n".join(lines), f"front-matter key '{match.group(2)}' (line {i + 1}) = {value!r}"


_DIRECTIVE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\{[^}]+\}")


def directive_option(rng: random.Random, text: str) -> tuple[str, str]:
    lines = _lines(text)
    opening = [i for i, line in enumerate(lines) if _DIRECTIVE.match(line)]
    if not opening:
        return unbalance(rng, text)
    i = rng.choice(opening)
    option = f":{rng.choice(OPTIONS)}: {rng.choice(OPTION_VALUES)}".rstrip()
    lines.insert(i + 1, option)
    return "\n".join(lines), f"added option {option!r} after line {i + 1}"


def bib_damage(rng: random.Random, text: str) -> tuple[str, str]:
    lines = _lines(text)
    entries = [i for i, line in enumerate(lines) if line.lstrip().startswith("@")]
    if not entries:
        return unbalance(rng, text)
    i = rng.choice(entries)
    what = rng.randrange(4)
    if what == 0:
        kind = rng.choice(BIB_TYPES)
        lines[i] = re.sub(r"^\s*@\w*", kind, lines[i])
        return "\n".join(lines), f"entry at line {i + 1} typed {kind}"
    if what == 1:
        piece = rng.choice(BIB_FIELDS)
        lines.insert(i + 1, f"  {piece},")
        return "\n".join(lines), f"added field {piece!r} after line {i + 1}"
    if what == 2:
        key = rng.choice(["", "a b", "a,b", "x{y", "ü", "k" * 200, "dup", "vaswani2017"])
        lines[i] = re.sub(r"\{[^,]*,", "{" + key + ",", lines[i], count=1)
        return "\n".join(lines), f"entry at line {i + 1} keyed {key!r}"
    lines[i] = lines[i].replace("{", "", 1)
    return "\n".join(lines), f"removed the opening brace at line {i + 1}"


NESTINGS = [
    ("*", "*"),
    ("_", "_"),
    ("**", "**"),
    ("[", "](x)"),
    ("> ", ""),
    ("- ", ""),
    ("{", "}"),
    ("\\left(", "\\right)"),
    ("```{note}\n", "\n```"),
]


def deep_nesting(rng: random.Random, text: str) -> tuple[str, str]:
    """A paragraph nested 10 to 1,000 levels deep (emphasis, links, quotes, lists...)."""
    opener, closer = rng.choice(NESTINGS)
    depth = rng.choice((10, 100, 1000))
    if opener in ("> ", "- "):
        piece = "".join(
            " " * (2 * i if opener == "- " else 0)
            + opener * (1 if opener == "- " else i + 1)
            + "x\n"
            for i in range(depth)
        )
    else:
        piece = opener * depth + "x" + closer * depth
    lines = _lines(text)
    i = rng.randrange(len(lines) + 1)
    lines[i:i] = ["", piece, ""]
    return "\n".join(lines), f"nested {opener!r} {depth} deep at line {i + 1}"


TEXT_OPERATORS = [
    delete_line,
    duplicate_line,
    swap_lines,
    truncate,
    insert_unicode,
    unbalance,
    wrong_yaml_type,
    directive_option,
    deep_nesting,
]
BIB_OPERATORS = [
    delete_line,
    duplicate_line,
    swap_lines,
    truncate,
    insert_unicode,
    unbalance,
    bib_damage,
    bib_damage,
]


# -- mutants --------------------------------------------------------------------------------


def read_posts(site: Path) -> dict[str, dict[str, str]]:
    """slug -> {"index.md": text, "refs.bib": text} of every Markdown post of ``site``."""
    posts = {}
    for index in sorted((site / "posts").glob("*/index.md")):
        files = {"index.md": index.read_text(encoding="utf-8")}
        bib = index.parent / "refs.bib"
        if bib.is_file():
            files["refs.bib"] = bib.read_text(encoding="utf-8")
        posts[index.parent.name] = files
    return posts


def make_mutants(posts: dict[str, dict[str, str]], count: int, seed: int) -> list[Mutant]:
    """``count`` mutants, the same for the same seed.

    The first ones walk every front-matter key of every post with a wrong-typed value
    (so every key is covered by the default run); the rest apply 1-3 random operators to
    the post or its bibliography.
    """
    rng = random.Random(seed)
    slugs = sorted(posts)
    systematic, seen = [], set()  # (post, key line) for each distinct key, in each position
    for slug in slugs:
        text = posts[slug]["index.md"]
        for number, line in enumerate(front_matter_keys(text)):
            match = _KEY.match(_lines(text)[line])
            name = (bool(match and match.group(1)), match.group(2) if match else "")
            if name not in seen:
                seen.add(name)
                systematic.append((slug, number))
    mutants = []
    for n in range(count):
        if n % 2 == 0 and n // 2 < len(systematic):  # every other early mutant: one key
            slug, key = systematic[n // 2]
            files: dict[str, str | bytes] = dict(posts[slug])
            text, step = wrong_yaml_type(rng, str(files["index.md"]), index=key)
            files["index.md"] = text
            mutants.append(Mutant(f"m{n:04d}-{slug}"[:60], slug, files, [step]))
            continue
        slug = rng.choice(slugs)
        files = dict(posts[slug])
        steps = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            target = "refs.bib" if "refs.bib" in files and rng.random() < 0.3 else "index.md"
            operators = BIB_OPERATORS if target == "refs.bib" else TEXT_OPERATORS
            operator = rng.choice(operators)
            text, step = operator(rng, str(files[target]))
            files[target] = text
            steps.append(f"{target}: {step}")
        if rng.random() < 0.03:  # now and then: bytes that are not UTF-8
            raw = str(files["index.md"]).encode("utf-8")
            at = rng.randrange(len(raw) + 1)
            files["index.md"] = raw[:at] + b"\xff\xfe\xc3" + raw[at:]
            steps.append(f"index.md: invalid UTF-8 bytes at byte {at}")
        mutants.append(Mutant(f"m{n:04d}-{slug}"[:60], slug, files, steps))
    return mutants


def write_site(example: Path, mutants: list[Mutant], dest: Path) -> Path:
    """A site at ``dest``: the example's conf.py and home page, one post per mutant (its
    source post's other files copied beside it)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy2(example / "conf.py", dest / "conf.py")
    (dest / "index.md").write_text("# Fuzz\n\n```{post-index}\n```\n", encoding="utf-8")
    for mutant in mutants:
        folder = dest / "posts" / mutant.name
        shutil.copytree(example / "posts" / mutant.source, folder, symlinks=True)
        for name in TEXT_FILES:
            if name not in mutant.files and (folder / name).exists():
                (folder / name).unlink()
        for name, content in mutant.files.items():
            if isinstance(content, bytes):
                (folder / name).write_bytes(content)
            else:
                (folder / name).write_bytes(content.encode("utf-8", "surrogatepass"))
    return dest

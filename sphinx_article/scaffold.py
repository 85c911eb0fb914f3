"""``sphinx-article new``: a post folder that builds, to copy from.

The front matter has placeholders that pass validation, the body shows each of the
package's directives once with a comment saying what it is for, and the hero image is a
small PNG written here (zlib and struct only), so the new post builds without a warning
before the author has changed anything.  New posts start as drafts.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from datetime import date
from pathlib import Path

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 80


class ScaffoldError(Exception):
    """The post cannot be created; ``usage`` says whether the arguments were wrong."""

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


def check_slug(slug: str) -> None:
    if not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG:
        raise ScaffoldError(
            f"'{slug}' is not a valid post slug: use lowercase letters, digits and single "
            f"hyphens (at most {MAX_SLUG} characters), for example 'attention-revisited'.",
            usage=True,
        )


def png(
    width: int, height: int, top: tuple[int, int, int], bottom: tuple[int, int, int]
) -> bytes:
    """A valid RGB PNG with a vertical gradient (rows compress to almost nothing)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = []
    for y in range(height):
        t = y / max(1, height - 1)
        pixel = bytes(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        rows.append(b"\x00" + pixel * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


REFS_BIB = """\
% The post's own bibliography: cite an entry with {cite:p}`key` or {cite:t}`key`.
@book{tufte2001,
  author    = {Tufte, Edward R.},
  title     = {The Visual Display of Quantitative Information},
  edition   = {2},
  publisher = {Graphics Press},
  year      = {2001},
}
"""

POST = """\
---
# Front matter: every key is documented in the reference ("Front matter").
title: {title}
description: One sentence on what the reader will learn (shown on cards and in feeds).
authors:
  - name: Your Name
    url: https://example.org/your-page
    # Replace with your own ORCID iD (this one is ORCID's example iD).
    orcid: 0000-0002-1825-0097
    email: you@example.org
    affiliations: [lab]
    # CRediT roles, used by the author-contributions directive below.
    roles: [conceptualization, writing-original-draft]
    corresponding: true
affiliations:
  - id: lab
    name: Your Institution
published: {today}
tags: [example]
# Drafts are built but left out of the index, tag pages, feed and sitemap.
# Delete this line when the post is ready.
draft: true
---

% Lines starting with '%' are comments: they are not shown. Delete them as you go.

% The hero figure stands for the post: it is shown under the title, on the post's card
% and in link previews. Replace hero.png and describe your own image in :alt:.
```{{hero-figure}} hero.png
:alt: A placeholder: a plain blue gradient.

A caption for the hero figure.
```

The opening paragraph says what the post is about and why it matters. Cite
a work from refs.bib like this {{cite:p}}`tufte2001`.

## A section

% A margin note sits beside the paragraph it follows on wide screens.
```{{margin-note}}
An aside for the margin, with *markup* if you like.
```

Text with a numbered sidenote.{{sidenote}}`A sidenote is numbered and sits in the margin.`

## An equation with coloured terms

% Each \\eqterm{{name}}{{...}} gets a colour; the lines after the blank line are its legend.
```{{colored-equation}}
:label: {slug}-scaled-input

\\eqterm{{output}}{{y}} = \\eqterm{{scale}}{{a}} \\, x

output: the value the model predicts
scale: how strongly the input is scaled
```

Equation {{eq}}`{slug}-scaled-input` multiplies the input by {{eqterm}}`the scale <scale>`.

% Generated from the authors' CRediT roles; hidden in review builds.
```{{author-contributions}}
```
"""


def scaffold(target: Path, title: str) -> list[Path]:
    """Create ``target/`` with index.md, hero.png and refs.bib; return the files."""
    check_slug(target.name)
    if not title.strip():
        raise ScaffoldError("--title must not be empty.", usage=True)
    if target.exists() and (target.is_file() or any(target.iterdir())):
        raise ScaffoldError(f"{target} already exists; choose another slug or remove it "
                            "first (nothing was changed).")
    target.mkdir(parents=True, exist_ok=True)
    # Labels carry the slug: equation labels are scoped to their post anyway, but a
    # label that names its post stays unique if the text is copied into another.
    text = POST.format(title=json.dumps(" ".join(title.split()), ensure_ascii=False),
                       today=date.today().isoformat(), slug=target.name)
    files = {
        "index.md": text.encode("utf-8"),
        "hero.png": png(640, 360, (214, 228, 245), (150, 180, 220)),
        "refs.bib": REFS_BIB.encode("utf-8"),
    }
    written = []
    for name, content in files.items():
        path = target / name
        path.write_bytes(content)
        written.append(path)
    return written

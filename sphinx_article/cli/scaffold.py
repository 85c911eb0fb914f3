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
from string import Template

#: the new post's files, package data an organiser can read as the files they become
TEMPLATES = Path(__file__).parent / "templates" / "new_post"
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


def png(width: int, height: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> bytes:
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
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def scaffold(target: Path, title: str) -> list[Path]:
    """Create ``target/`` with index.md, hero.png and refs.bib; return the files."""
    check_slug(target.name)
    if not title.strip():
        raise ScaffoldError("--title must not be empty.", usage=True)
    if target.exists() and (target.is_file() or any(target.iterdir())):
        raise ScaffoldError(
            f"{target} already exists; choose another slug or remove it "
            "first (nothing was changed)."
        )
    target.mkdir(parents=True, exist_ok=True)
    # Labels carry the slug: equation labels are scoped to their post anyway, but a
    # label that names its post stays unique if the text is copied into another.
    post = (TEMPLATES / "index.md.in").read_text(encoding="utf-8")
    text = Template(post).substitute(
        title=json.dumps(" ".join(title.split()), ensure_ascii=False),
        today=date.today().isoformat(),
        slug=target.name,
    )
    files = {
        "index.md": text.encode("utf-8"),
        "hero.png": png(640, 360, (214, 228, 245), (150, 180, 220)),
        "refs.bib": (TEMPLATES / "refs.bib").read_bytes(),
    }
    written = []
    for name, content in files.items():
        path = target / name
        path.write_bytes(content)
        written.append(path)
    return written

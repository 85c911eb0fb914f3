"""What an image file must be before a page or a PDF shows it: one rule for the build
(:func:`~.media.check_path`) and ``sphinx-article check``, so both report the same
problems with the same words.

Only headers are read (the first KB, ``imagesize`` for the pixel size, the last bytes of
a PNG), never the whole image: validating the corpus's images this way costs well under
a millisecond each, where decoding them with Pillow would cost milliseconds to seconds
and add a dependency.  No Sphinx needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import imagesize

#: the format each image suffix promises, and how to recognise it from the first bytes
SIGNATURES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".png": ("PNG", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("JPEG", (b"\xff\xd8\xff",)),
    ".jpeg": ("JPEG", (b"\xff\xd8\xff",)),
    ".gif": ("GIF", (b"GIF87a", b"GIF89a")),
    ".webp": ("WebP", (b"RIFF",)),
    ".pdf": ("PDF", (b"%PDF",)),
}
#: the largest side, in pixels, an image may claim (a 2**31 px header is a broken or
#: hostile file; browsers reserve the space, LaTeX runs out of memory)
MAX_SIDE_PX = 20_000


def _sniff(head: bytes) -> str:
    """The format the first bytes of a file show (``""`` when unknown)."""
    for name, prefixes in SIGNATURES.values():
        if head.startswith(prefixes) and (name != "WebP" or head[8:12] == b"WEBP"):
            return name
    if b"<svg" in head[:1024].lower():
        return "SVG"
    return ""


def _pixels(path: Path) -> tuple[int, int] | None:
    """Width and height from the file's header (no decoding)."""
    try:
        width, height = imagesize.get(path)
    except (OSError, ValueError):
        return None
    return (width, height) if width > 0 and height > 0 else None


@dataclass(frozen=True)
class FileProblem:
    """One thing wrong with an author's file, and what it still may be used for."""

    message: str
    #: browsers still show it (another format than its name says, over the budget)
    web_ok: bool = False
    #: LaTeX can still include it (over the budget only)
    print_ok: bool = False


#: the suffix to suggest for a file whose real format is known
SUFFIXES = {
    "PNG": ".png",
    "JPEG": ".jpg",
    "GIF": ".gif",
    "WebP": ".webp",
    "PDF": ".pdf",
    "SVG": ".svg",
}


def file_problems(path: Path, label: str, budget_kb: int) -> list[FileProblem]:
    """What is wrong with the image or media file at ``path`` (which exists), each
    message naming it ``label``; ``[]`` when nothing is.

    A file that is empty, unreadable, truncated or claims an absurd pixel size is left
    out everywhere; one whose content is another image format than its name says is
    shown on the web (browsers sniff the format) but left out of the PDF (LaTeX trusts
    the name); one over ``budget_kb`` is only reported.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(1024)
    except (OSError, ValueError) as exc:
        return [
            FileProblem(
                f"The file '{label}' cannot be read ({getattr(exc, 'strerror', None) or exc}); "
                "rename it with a short, plain name."
            )
        ]
    if size == 0:
        return [FileProblem(f"The file '{label}' is empty (0 bytes); export the image again.")]
    problems: list[FileProblem] = []
    suffix = path.suffix.lower()
    expected = (
        SIGNATURES[suffix][0] if suffix in SIGNATURES else ("SVG" if suffix == ".svg" else "")
    )
    found = _sniff(head)
    if expected and found != expected:
        if not found or found == "PDF" or expected in ("SVG", "PDF"):
            return [
                FileProblem(
                    f"The file '{label}' is named '{suffix}' but is not a "
                    f"{expected} file; export it again as {expected}."
                )
            ]
        problems.append(
            FileProblem(
                f"The file '{label}' is named '{suffix}' but is a {found} file; rename it to "
                f"end in '{SUFFIXES[found]}' (the PDF leaves it out until then).",
                web_ok=True,
            )
        )
    kind = found or expected
    if kind and kind not in ("SVG", "PDF"):
        pixels = _pixels(path)
        if pixels is None:
            return [
                FileProblem(
                    f"The file '{label}' has no readable {kind} header (a "
                    "truncated or damaged file); export the image again."
                )
            ]
        if max(pixels) > MAX_SIDE_PX:
            return [
                FileProblem(
                    f"The file '{label}' claims {pixels[0]} x {pixels[1]} "
                    f"pixels, more than {MAX_SIDE_PX} on a side: a broken or "
                    "hostile file, or far too large; export it again at screen "
                    "size."
                )
            ]
    if kind == "PNG" and not _png_complete(path, size):
        return [
            FileProblem(f"The file '{label}' is a truncated PNG (no end chunk); export it again.")
        ]
    size_kb = size / 1024
    if size_kb > budget_kb:
        problems.append(
            FileProblem(
                f"'{label}' is {size_kb:.0f} KB, over the image budget of {budget_kb} KB "
                "(article_image_budget_kb); compress or resize it.",
                web_ok=True,
                print_ok=True,
            )
        )
    return problems


def shown_on_web(problems: list[FileProblem]) -> bool:
    return all(p.web_ok for p in problems)


def printable(problems: list[FileProblem]) -> bool:
    return all(p.print_ok for p in problems)


def _png_complete(path: Path, size: int) -> bool:
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, size - 12))
            return b"IEND" in handle.read(12)
    except OSError:
        return False

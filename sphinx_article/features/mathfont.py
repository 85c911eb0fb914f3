"""The math font, subset per site to the characters its formulas use.

The theme ships every glyph sphinx-article's renderer can emit in one file
(``theme/components/fonts/source/article-math-full.woff2``, ~290 KB); a page needs only
the handful its formulas draw.  The MathML is rendered while reading (``mathrender``
keeps it on the node), so each document's code points are recorded then, in the
``ArticleDomain`` (purged and merged per document: ``-j`` and incremental builds see
every page's share).  After reading, the site's union is cut out of the full font with
fontTools (its subsetter keeps the OpenType MATH table and the size variants and
assembly parts of stretchy delimiters, radicals and big operators, which have no code
points of their own) and written to ``_static/fonts/article-math.woff2`` -- the URL
``math.css`` names -- before any page is written, so ``html_theme`` can preload it when
small.  The rarer alphabets keep their own file (``article-math-extra.woff2``, loaded
by ``unicode-range``), subset the same way.  Without fontTools (or if subsetting
fails) the two full prebuilt files are copied instead.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import importlib.metadata
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..assets import components_dir
from ..domain import Record, records_of, set_record
from . import mathrender

logger = logging.getLogger(__name__)

#: the code points a document's formulas draw
CODEPOINTS: Record[list[int]] = Record("math_codepoints")
MAIN = "article-math.woff2"
EXTRA = "article-math-extra.woff2"
#: Keep in step with ``unicode-range`` of the second face in ``math.css`` (and EXTRA in
#: ``fonts/subset-math-font.py``): the browser takes these code points from that file.
EXTRA_RANGES = (
    (0x1D4D0, 0x1D537),
    (0x1D56C, 0x1D607),
    (0x1D670, 0x1D6A7),
    (0x1D7CA, 0x1D7CB),
    (0x1D7D8, 0x1D7FF),
)
#: Drawn by the browser without being in the text: the radical of <msqrt>/<mroot>;
#: spaces for layout.
ALWAYS = frozenset({0x20, 0xA0, 0x221A})

_ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.S)
_TAG = re.compile(r"<[^>]*>")
_MI = re.compile(r"<mi\b([^>]*)>([^<]*)</mi>")


def full_font() -> Path:
    return components_dir() / "fonts" / "source" / "article-math-full.woff2"


def _italic_map() -> dict[int, int]:
    """MathML Core's italic mapping: a single-letter <mi> is drawn with these code
    points (text-transform: math-auto), which never appear in the markup."""
    table = {ord("A") + i: 0x1D434 + i for i in range(26)}
    table.update({ord("a") + i: 0x1D44E + i for i in range(26)})
    table[ord("h")] = 0x210E
    table.update({0x131: 0x1D6A4, 0x237: 0x1D6A5})
    table.update({0x391 + i: 0x1D6E2 + i for i in range(25) if 0x391 + i != 0x3A2})
    table.update({0x3F4: 0x1D6F3, 0x2207: 0x1D6FB, 0x2202: 0x1D715})
    table.update({0x3B1 + i: 0x1D6FC + i for i in range(25)})
    table.update(
        {
            0x3F5: 0x1D716,
            0x3D1: 0x1D717,
            0x3F0: 0x1D718,
            0x3D5: 0x1D719,
            0x3F1: 0x1D71A,
            0x3D6: 0x1D71B,
        }
    )
    return table


ITALIC = _italic_map()


def codepoints(mathml: str) -> set[int]:
    """The characters the browser draws for one MathML string (text content, plus the
    italic forms of single-letter identifiers); annotations are not drawn."""
    mathml = _ANNOTATION.sub("", mathml)
    found = {ord(c) for c in html.unescape(_TAG.sub("", mathml)) if not c.isspace()}
    for match in _MI.finditer(mathml):
        text = html.unescape(match.group(2)).strip()
        if len(text) == 1 and 'mathvariant="normal"' not in match.group(1):
            found.add(ITALIC.get(ord(text), ord(text)))
    return found


def in_extra(code: int) -> bool:
    return any(low <= code <= high for low, high in EXTRA_RANGES)


def subset_bytes(source: Path, codes: Iterable[int], cache: Path | None = None) -> bytes:
    """A WOFF2 subset of ``source`` with ``codes``, the MATH table and its variants.
    Deterministic: same font and code points, same bytes (no timestamp is touched).

    Subsetting takes about a second, on every build (the site's code points are known only
    after reading); ``cache`` (the doctree folder's) keeps each result on disk under a key
    of the source and the code points, so a rebuild whose formulas draw the same
    characters (every rebuild but the one that adds a new symbol) costs a file read."""
    stat = source.stat()
    wanted = tuple(sorted(set(codes)))
    if cache is None:
        return _subset_cached(str(source), stat.st_mtime_ns, stat.st_size, wanted)
    stored = cache / cache_name(source, wanted)
    try:
        return stored.read_bytes()
    except OSError:
        pass
    data = _subset_cached(str(source), stat.st_mtime_ns, stat.st_size, wanted)
    with contextlib.suppress(OSError):  # a read-only doctree folder: merely slower
        cache.mkdir(parents=True, exist_ok=True)
        _write(stored, data)
    return data


def cache_name(source: Path, codes: Iterable[int]) -> str:
    """The file a subset is kept under: a digest of the source font and the code points."""
    stat = source.stat()
    key = (
        str(source),
        stat.st_mtime_ns,
        stat.st_size,
        tuple(sorted(set(codes))),
        _fonttools_version(),
    )
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32] + ".woff2"


def prune_cache(cache: Path, keep: set[str]) -> None:
    """Only the subsets of the last build stay: the folder never grows with edits."""
    with contextlib.suppress(OSError):
        for path in cache.glob("*.woff2"):
            if path.name not in keep:
                path.unlink()


def _fonttools_version() -> str:
    """Part of the cache key: another fontTools may cut the same subset differently."""
    try:
        return importlib.metadata.version("fonttools")
    except importlib.metadata.PackageNotFoundError:
        return ""


@functools.lru_cache(maxsize=16)
def _subset_cached(source: str, _mtime: int, _size: int, codes: tuple[int, ...]) -> bytes:
    """Kept per process: a rebuild (preview, tests) with the same formulas costs
    nothing; subsetting takes about a second."""
    # fontTools loads only when a subset is made (a cached one or a site without math never needs it)
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True  # the source has no subroutines left: a no-op guard
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]
    # the source's bounding boxes stand (a superset); recomputing them runs every
    # charstring and costs ~40% of the time
    font = TTFont(source, recalcTimestamp=False, recalcBBoxes=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    if "MATH" not in font:
        raise ValueError("the subset lost its MATH table")
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def _write(target: Path, content: bytes) -> None:
    """Replace ``target`` only when it changes (atomically: -j writers read it)."""
    if target.is_file() and target.read_bytes() == content:
        return
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(content)
    partial.replace(target)


def site_codepoints(env: BuildEnvironment) -> set[int]:
    codes: set[int] = set(ALWAYS)
    for value in records_of(env, CODEPOINTS).values():
        codes.update(value)
    return codes


def write_fonts(fonts: Path, codes: set[int], cache: Path | None = None) -> bool:
    """Subset the full font into ``fonts/`` (through ``cache``, see :func:`subset_bytes`);
    False (and the full files copied) when fontTools is missing or fails."""
    main = sorted(c for c in codes if not in_extra(c))
    extra = sorted(c for c in codes if in_extra(c)) or [0x20]
    try:
        content = {
            MAIN: subset_bytes(full_font(), main, cache),
            EXTRA: subset_bytes(full_font(), extra, cache),
        }
        if cache is not None:
            prune_cache(cache, {cache_name(full_font(), main), cache_name(full_font(), extra)})
    except Exception as error:  # ImportError, no brotli, a broken font: still a site
        logger.info(
            "sphinx-article: the math font is served whole (%s: %s); install "
            "fonttools and brotli to subset it to the site's formulas.",
            type(error).__name__,
            error,
        )
        for name in (MAIN, EXTRA):
            _write(fonts / name, (components_dir() / "fonts" / name).read_bytes())
        return False
    for name, data in content.items():
        _write(fonts / name, data)
    return True


# -- Sphinx ------------------------------------------------------------------------------


def record_codepoints(app: Sphinx, doctree: nodes.document) -> None:
    """On doctree-read, after ``mathrender.check_math``: this document's code points."""
    codes: set[int] = set()
    for node in mathrender._math_nodes(doctree):
        if node.get("article_math_refused"):
            continue
        parts = node.get("article_mathml")
        if parts is None:  # rendered at writing time: render the same parts now
            display = isinstance(node, nodes.math_block)
            latex = node.get("article_latex", node.astext())
            sources = mathrender.formula_parts(node, latex) if display else [latex]
            parts = []
            for part in sources:
                try:
                    parts.append(mathrender.to_mathml(part, display))
                except mathrender.MathRenderError:
                    continue
        for part in parts:
            codes |= codepoints(part)
    if codes:
        set_record(app.env, app.env.docname, CODEPOINTS, sorted(codes))


def subset_site_font(app: Sphinx, env: BuildEnvironment) -> None:
    """On env-updated (all documents read and merged, nothing written yet)."""
    if getattr(app.builder, "format", None) != "html":
        return
    fonts = Path(app.outdir) / "_static" / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    write_fonts(fonts, site_codepoints(env), Path(app.doctreedir) / "article-math-font")


def served_font(app: Sphinx) -> Path:
    """The math font pages load: the site's subset once written, else the shipped one."""
    written = Path(app.outdir) / "_static" / "fonts" / MAIN
    return written if written.is_file() else components_dir() / "fonts" / MAIN


def setup_mathfont(app: Sphinx, **_: Any) -> None:
    app.connect("doctree-read", record_codepoints, priority=460)
    app.connect("env-updated", subset_site_font)

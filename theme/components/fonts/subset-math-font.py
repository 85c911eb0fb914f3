"""Make article-math.woff2: a renamed subset of Latin Modern Math (GUST Font License).

Run once, by hand, when the subset changes (needs fonttools and brotli; Debian's
fonts-lmodern provides the source font):

    python theme/components/fonts/subset-math-font.py \
        /usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf

The GFL asks that a modified font not keep the original name, so the subset is named
"Article Math".  The MATH table (stretchy delimiters, big operators) is kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

# Latin, Greek, operators, arrows, delimiters, and the alphabets most posts use: Temml
# writes \mathbf, \bm, \mathcal, \mathbb... as Unicode code points (MathML Core).
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0131,U+0237,U+02C6-02DC,U+0300-036F,U+0391-03C9,U+03D1,"
    "U+03D5,U+03F0,U+03F1,U+03F5,U+2016,U+2020-2022,U+2026,U+2032-2037,U+2057,U+2061-2064,"
    "U+20D0-20F0,U+2100-214F,U+2190-21FF,U+2200-22FF,U+2308-230B,U+2329-232A,U+23B4-23B5,"
    "U+23DC-23E1,U+25A1,U+25B3,U+25CB,U+27E8-27EF,U+27F5-27FF,U+2A00-2A06,U+2A0C-2A11,"
    "U+2980-2983,U+2A00-2AFF,U+27C0-27E7,"
    # bold, italic, bold italic, script, double-struck; Greek bold, italic (MathML Core
    # draws every single-letter <mi> in italic code points), bold italic; bold digits
    "U+1D400-1D4CF,U+1D538-1D56B,U+1D6A8-1D755,U+1D7CE-1D7D7"
)
# The rarer alphabets (bold script, fraktur, bold fraktur, sans-serif, sans-serif bold,
# monospace, the other digits), in a second file that math.css gives the
# same family with this unicode-range, so a page downloads it only when it uses one.
EXTRA = "U+1D4D0-1D537,U+1D56C-1D607,U+1D670-1D6A7,U+1D7CA-1D7CB,U+1D7D8-1D7FF"
FAMILY = "Article Math"


def main(source: str) -> None:
    write(source, UNICODES, "article-math.woff2")
    write(source, EXTRA, "article-math-extra.woff2")
    # everything, in one file: what sphinx_article/features/mathfont.py subsets per site at build
    # time to the code points the site's formulas use (the two files above are the
    # fallback when fontTools is not installed)
    write(source, f"{UNICODES},{EXTRA}", "source/article-math-full.woff2")


def write(source: str, unicodes: str, name: str) -> None:
    target = Path(__file__).parent / name
    target.parent.mkdir(exist_ok=True)
    options = subset.Options()
    options.layout_features = ["*"]
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True
    options.drop_tables += ["FFTM"]
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(unicodes))
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "")
        elif record.nameID == 3:
            record.string = f"{FAMILY}; subset of Latin Modern Math 1.959"
    font.flavor = "woff2"
    font.save(str(target))
    print(f"{target}: {target.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])

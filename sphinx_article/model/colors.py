"""Colour parsing and WCAG contrast, shared by the palette, equations and ``check``.

Only ``#rrggbb``/``#rgb`` and palette names are accepted anywhere, so an author's
colour never reaches CSS or LaTeX as free text.
"""

from __future__ import annotations

import re

# The page backgrounds of the theme in light and dark mode (theme/components/base.css
# uses the same values): contrast is measured against these.
BACKGROUNDS = {"light": "#ffffff", "dark": "#16181d"}
MIN_CONTRAST = 3.0

NAMED = {
    # Okabe-Ito names, so authors can write ``grad=vermillion``.
    "orange": "#E69F00",
    "sky-blue": "#56B4E9",
    "bluish-green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish-purple": "#CC79A7",
    "black": "#000000",
    # a few common names
    "red": "#D62728",
    "green": "#2CA02C",
    "purple": "#9467BD",
    "brown": "#8C564B",
    "pink": "#E377C2",
    "grey": "#7F7F7F",
    "gray": "#7F7F7F",
    "teal": "#17BECF",
}

_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def parse_hex(value: str) -> str | None:
    """Return ``#RRGGBB`` for a hex colour, or None."""
    match = _HEX.fullmatch(value.strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.upper()


def parse_color(value: str) -> str | None:
    """A hex colour or a colour name, as ``#RRGGBB``; None for anything else."""
    named = NAMED.get(value.strip().lower())
    return named if named else parse_hex(value)


def _rgb(color: str) -> tuple[float, float, float]:
    return tuple(int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02X}" for c in rgb)


def luminance(color: str) -> float:
    """WCAG 2 relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def adjust_for(color: str, mode: str, minimum: float = MIN_CONTRAST) -> str:
    """The colour itself if it reaches ``minimum`` against the mode's background,
    otherwise the nearest shade (darker in light mode, lighter in dark) that does."""
    background = BACKGROUNDS[mode]
    if contrast(color, background) >= minimum:
        return color
    target = (0.0, 0.0, 0.0) if mode == "light" else (1.0, 1.0, 1.0)
    rgb = _rgb(color)
    for step in range(1, 101):
        t = step / 100
        mixed = _hex(tuple(c + (tc - c) * t for c, tc in zip(rgb, target, strict=True)))  # type: ignore[arg-type]
        if contrast(mixed, background) >= minimum:
            return mixed
    return _hex(target)


def variants(color: str) -> dict[str, str]:
    """Light- and dark-mode variants of ``color`` that both reach 3:1."""
    return {mode: adjust_for(color, mode) for mode in BACKGROUNDS}

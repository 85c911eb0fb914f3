"""A glued notebook output as a post's hero (``hero-figure`` with ``:glue: key``).

MyST-NB's ``glue("key", fig, display=False)`` stores an output under a key and its
``{glue:figure} key`` shows it.  :func:`glued_image` renders a glued output's image
the way ``{glue:figure}`` does (``retrieve_glue_data``, then the notebook renderer's
``render_mime_type``, which writes the file under ``jupyter_execute``), so
``features/hero.py`` can make it the hero without importing myst-nb, an optional
dependency: this module imports it only when a notebook post asks.
"""

from __future__ import annotations

import difflib
from typing import Any

from docutils import nodes

#: image types a hero can show, best first when the builder states no preference
IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")


def glue_keys(document: nodes.document) -> list[str]:
    """The keys glued so far in this notebook (all of them unless executed inline)."""
    renderer = document.get("nb_renderer")
    client = getattr(getattr(renderer, "renderer", None), "nb_client", None)
    return sorted(getattr(client, "glue_data", None) or {})


def unknown_key(key: str, known: list[str]) -> str:
    """What to say about a key this notebook never glued."""
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif known:
        hint = "the notebook glues " + ", ".join(f"'{k}'" for k in known) + "."
    else:
        hint = (
            "the notebook glues nothing; call glue('<key>', figure, display=False) in a "
            "code cell (from myst_nb import glue) and run it."
        )
    return f"The hero-figure's ':glue: {key}' names no glued output; {hint} No hero is shown."


def not_an_image(key: str, mimes: list[str]) -> str:
    held = ", ".join(mimes) or "nothing"
    return (
        f"The glued output '{key}' is not an image (it holds {held}); glue a figure "
        f"(glue('{key}', fig, display=False)) or give an image file. No hero is shown."
    )


def glued_image(document: nodes.document, key: str, line: int) -> tuple[str, str]:
    """``(path, '')``: the source-relative image file of the glued output ``key`` (as
    written by MyST-NB); or ``('', message)`` saying what is wrong and how to fix it."""
    # optional dependency: myst-nb is loaded only for a notebook post's :glue:
    from myst_nb.core.render import MimeData, get_mime_priority
    from myst_nb.core.variables import RetrievalError
    from myst_nb.ext.glue.utils import retrieve_glue_data

    try:
        output = retrieve_glue_data(document, key)
    except RetrievalError:
        return "", unknown_key(key, glue_keys(document))
    renderer: Any = output.nb_renderer
    config = renderer.config
    ranked = get_mime_priority(config.builder_name, config.mime_priority_overrides)
    order = [m for m in ranked if m in IMAGE_MIMES] + list(IMAGE_MIMES)
    mime = next((m for m in order if m in output.data), None)
    if mime is None:
        return "", not_an_image(key, sorted(output.data))
    data = MimeData(mime, output.data[mime], output_metadata=output.metadata, line=line)
    image = next(
        iter(nodes.Element("", *renderer.render_mime_type(data)).findall(nodes.image)), None
    )
    if image is None:
        return "", not_an_image(key, [mime])
    return str(image["uri"]).lstrip("/"), ""

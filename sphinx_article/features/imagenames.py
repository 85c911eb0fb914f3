"""Output names of images that are the same for ``-j 1``, ``-j N`` and incremental builds.

Sphinx names a copied image after its file (``_images/reliability.png``) and, when two
source files share that name, numbers the later ones (``reliability1.png``) in the
order documents are *merged* — under ``-j`` the order parallel readers finish in.  A
track is full of such pairs (every post has its ``hero.png``), so the same site got
different pages from one build to the next.  Here a name shared by several files is
replaced, for each of them, by the name plus a short hash of the file's path: a pure
function of the path, whatever the order.  When a new file makes a name shared, the
pages of the images renamed that way are written again (``env-updated`` returns them).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import PurePosixPath

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def stable_name(path: str, shared: bool) -> str:
    """``hero.png`` for a file alone with its name, ``hero-1a2b3c4d.png`` otherwise."""
    name = PurePosixPath(path.replace("\\", "/")).name
    if not shared:
        return name
    digest = hashlib.sha1(path.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    stem, suffix = name.rsplit(".", 1) if "." in name[1:] else (name, "")
    return f"{stem}-{digest}.{suffix}" if suffix else f"{stem}-{digest}"


def stabilise_image_names(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Rename shared image names by path; return the documents whose pages change."""
    images = env.images
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in images:
        by_name[PurePosixPath(path.replace("\\", "/")).name].append(path)
    renamed: set[str] = set()
    existing: set[str] = set()
    for paths in by_name.values():
        for path in paths:
            docnames, old = images[path]
            new = stable_name(path, len(paths) > 1)
            if new != old:
                images[path] = (docnames, new)
                renamed |= docnames
            existing.add(new)
    if hasattr(images, "_existing"):
        images._existing = existing
    return sorted(renamed)


def setup_imagenames(app: Sphinx) -> None:
    app.connect("env-updated", stabilise_image_names, priority=900)

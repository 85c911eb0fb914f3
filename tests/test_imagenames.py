"""Image output names are a function of the file's path, not of the reading order."""

from __future__ import annotations

from sphinx_article.features.imagenames import stable_name


def test_a_name_alone_is_kept_and_a_shared_name_gets_its_path_hash() -> None:
    assert stable_name("posts/a/hero.png", shared=False) == "hero.png"
    one = stable_name("posts/a/hero.png", shared=True)
    two = stable_name("posts/b/hero.png", shared=True)
    assert one != two and one.startswith("hero-") and one.endswith(".png")
    assert stable_name("posts/a/hero.png", shared=True) == one  # the same every build
    assert stable_name("posts/a/README", shared=True).startswith("README-")
    assert stable_name("posts/a/.hidden", shared=True).startswith(".hidden-")

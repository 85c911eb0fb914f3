"""mdscan: one Markdown scan on myst-parser's tokens, located as the build locates things.

The build's side of each line number is held by ``test_check_parity.py`` (real builds);
these are the fast, pure cases.
"""

from __future__ import annotations

import pytest

from sphinx_article.model.mdscan import alt_message, missing_alt, scan

POST = """---
title: T
---

First line of a paragraph
second ![](a.png) and {cite:p}`{see}k1{Sec. 2},k2`
third {cite:t}`k3` line.

```python
![](code.png) {cite:p}`in-code`
```

```{figure} fig.png
---
alt: A figure.
name: fig-one
dark: fig-dark.png
---
Caption citing {cite:p}`k4`.

:::{note}
Nested ![inner](inner.png).
:::
```

::::{hero-figure} hero.gif
:alt:
:poster: still.png
::::

```{hero-figure}x.png
```

(my-label)=
$$ x $$ (eq-label)
"""


@pytest.fixture(scope="module")
def scanned():  # type: ignore[no-untyped-def]
    return scan(POST, front_matter_lines=3)


def test_inline_items_carry_the_line_of_their_block(scanned) -> None:  # type: ignore[no-untyped-def]
    first = scanned.images[0]
    assert (first.path, first.alt, first.line, first.exact_line) == ("a.png", "", 5, 6)
    cites = [(c.text, c.line, c.exact_line) for c in scanned.citations]
    assert cites[:2] == [("{see}k1{Sec. 2},k2", 5, 6), ("k3", 5, 7)]


def test_pre_and_post_notes_are_targets_not_keys(scanned) -> None:  # type: ignore[no-untyped-def]
    targets = scanned.citations[0].targets
    assert [(t.pre, t.key, t.post) for t in targets] == [("see", "k1", "Sec. 2"), ("", "k2", "")]
    assert not scanned.citations[0].problems


def test_code_is_skipped_directive_bodies_are_read(scanned) -> None:  # type: ignore[no-untyped-def]
    paths = [i.path for i in scanned.images]
    assert "code.png" not in paths and "in-code" not in [c.text for c in scanned.citations]
    assert ("k4", 19) in [(c.text, c.line) for c in scanned.citations]  # the caption's line
    assert ("inner.png", 22) in [(i.path, i.line) for i in scanned.images]  # nested note


def test_directives_options_and_files(scanned) -> None:  # type: ignore[no-untyped-def]
    figure = next(d for d in scanned.directives if d.name == "figure")
    assert (figure.argument, figure.line, figure.options["alt"]) == ("fig.png", 13, "A figure.")
    assert figure.option_lines["dark"] == 17
    hero = next(d for d in scanned.directives if d.name == "hero-figure")
    assert (hero.argument, hero.line, hero.options) == (
        "hero.gif",
        26,
        {"alt": "", "poster": "still.png"},
    )
    files = {(i.path, i.option) for i in scanned.images if i.directive}
    assert files == {
        ("fig.png", ""),
        ("fig-dark.png", "dark"),
        ("hero.gif", ""),
        ("still.png", "poster"),
    }
    # '{hero-figure}x.png' is not a directive for MyST: a code block
    assert [d.name for d in scanned.directives].count("hero-figure") == 1


def test_labels(scanned) -> None:  # type: ignore[no-untyped-def]
    labels = {(label.name, label.kind) for label in scanned.labels}
    assert {("fig-one", "name"), ("my-label", "target"), ("eq-label", "equation")} <= labels


@pytest.mark.parametrize(
    "text",
    [
        "*" * 5000 + "x" + "*" * 5000,
        "> " * 3000 + "x",
        "[" * 20000,
        "```{note}\n" * 500,
        ":::{note}\n" * 300,
        "{cite:p}`" * 1000,
        "\x00\x07\x1b\u202e\ud800" * 100,
        "",
        "---\n:::\n---",
        "```{figure}\n---\n[: {\n---\n```",
        "```{figure} x\n:alt: [\n:a:\n```",
    ],
)
def test_hostile_text_never_raises(text: str) -> None:
    scan(text)


@pytest.mark.parametrize(
    "text",
    [
        "{cite:p}`a,`",
        "{cite:p}`a,,b`",
        "{cite:p}`a b`",
        "{cite:p}`,`",
        "{cite:p}`{x}`",
    ],
)
def test_malformed_citations_are_problems(text: str) -> None:
    (citation,) = scan(text).citations
    assert citation.problems


def test_one_alt_rule() -> None:
    assert missing_alt("") and missing_alt("   ") and missing_alt(None)
    assert not missing_alt("A chart.")
    assert "'x.png' has no alternative text" in alt_message("x.png")
    assert "The figure 'x.png'" in alt_message("x.png", "figure")

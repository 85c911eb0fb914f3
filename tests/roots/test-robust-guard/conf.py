"""Fault injection: one of sphinx-article's own handlers (or a helper they call) is made
to raise for one post per processing stage, before the extension registers them.  The
build must go on: every post gets its page, each failure is an article.internal warning
naming its post.  Built in a subprocess (tests/test_robustness.py), so the patches never
leak into other tests."""

import functools

import sphinx_article.features.meta
import sphinx_article.features.notes
import sphinx_article.features.posts
import sphinx_article.features.titleblock

extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Guarded Track"
article_site_url = "https://blog.example.org/"
exclude_patterns = ["_build"]


class InjectedFault(RuntimeError):
    pass


def fail_for(post, original, docname_of):
    @functools.wraps(original)
    def patched(*args, **kwargs):
        if docname_of(*args) == f"posts/{post}/index":
            raise InjectedFault(f"injected fault for {post}")
        return original(*args, **kwargs)

    return patched


# source-read: the front-matter parser raises
sphinx_article.features.posts.parse_post = fail_for(
    "source", sphinx_article.features.posts.parse_post, lambda docname, *rest: docname
)
# doctree-read: the title-block handler raises
sphinx_article.features.titleblock.insert_title_block = fail_for(
    "doctree",
    sphinx_article.features.titleblock.insert_title_block,
    lambda app, doctree: app.env.current_document.docname,
)
# a post-transform raises
sphinx_article.features.notes.NumberNotes.run = fail_for(
    "transform",
    sphinx_article.features.notes.NumberNotes.run,
    lambda self, **kw: self.env.current_document.docname,
)
# an HTML visitor raises half-way, after writing an unclosed element
_visit_title_block = sphinx_article.features.titleblock.visit_title_block_html


@functools.wraps(_visit_title_block)
def _half_written_visit(self, node):
    if self.builder.current_docname == "posts/visitor/index":
        self.body.append('<div class="HALF-WRITTEN"><p>')
        raise InjectedFault("injected fault for visitor")
    return _visit_title_block(self, node)


sphinx_article.features.titleblock.visit_title_block_html = _half_written_visit
# html-page-context raises
sphinx_article.features.meta.add_metadata = fail_for(
    "context", sphinx_article.features.meta.add_metadata, lambda app, pagename, *rest: pagename
)
# a site-wide handler's per-post step (the feed entry) raises for one post
import sphinx_article.site.feed  # noqa: E402

_stamp = sphinx_article.site.feed._stamp


def _failing_stamp(iso):
    if iso == "2020-07-07":
        raise InjectedFault("injected fault for sitewide")
    return _stamp(iso)


sphinx_article.site.feed._stamp = _failing_stamp

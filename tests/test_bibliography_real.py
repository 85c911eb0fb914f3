"""Bibliographies as real authors write them (issue 14): every BibTeX and biblatex entry
type, biblatex fields and names, incomplete entries, links that are not http(s), DOIs by
the DOI handbook's rule, malformed citation keys.  Each case once took the whole site
build down or published wrong output; each is now rendered and, where the author has
something to fix, a located ``article.citation`` warning, the same in ``check``."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from pybtex.database import Entry, Person

from sphinx_article.cli.check import check_site, load_site
from sphinx_article.model import bibfiles
from sphinx_article.model.bibfiles import (
    KNOWN_TYPES,
    ArticlePlainStyle,
    ArticleUnsrtStyle,
    entry_problems,
    normalize_entry,
    parse_cite_targets,
    parse_doi,
    parse_name,
    read_bibfile,
    safe_url,
)

from conftest import (
    ROOTS,
    article_warnings,
    build_root,
    need_latex,
    read_html,
    sphinx_build,
    warning_lines,
)

ROOT = ROOTS / "test-bib-real"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "iclr-2025"
SICI = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O"


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-bib-real", tmp_path_factory.mktemp("bibreal"))


@pytest.fixture(scope="module")
def numeric(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root(
        "test-bib-real",
        tmp_path_factory.mktemp("bibrealnum"),
        confoverrides={"article_citation_style": "numeric"},
    )


@pytest.fixture(scope="module")
def latex_source(tmp_path_factory) -> str:  # type: ignore[no-untyped-def]
    latex = build_root("test-bib-real", tmp_path_factory.mktemp("bibreallatex"), builder="latex")
    return "\n".join(p.read_text(encoding="utf-8") for p in latex.outdir.glob("*.tex"))


def references(built, post: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    page = read_html(built.app, f"posts/{post}/index")
    return {
        li["id"]: li.select_one(".article-reference__text")
        .get_text(" ", strip=True)
        .replace("\xa0", " ")
        for li in page.select("li.article-reference")
    }


def bib_line(post: str, needle: str) -> int:
    """The line of ``needle`` (an ``@type{key``) in a post's refs.bib of the test root."""
    lines = (ROOT / "posts" / post / "refs.bib").read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if text.startswith(needle))


def bib_warnings(built, post: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [w for w in article_warnings(built, "citation") if f"posts/{post}/refs.bib:" in w]


# -- the build never stops --------------------------------------------------------------


def test_no_traceback_and_every_post_has_a_page(built, numeric) -> None:  # type: ignore[no-untyped-def]
    for run in (built, numeric):
        assert "Traceback" not in run.warnings and "Exception" not in run.warnings
        for post in ("types", "hostile"):
            assert (run.outdir / "posts" / post / "index.html").is_file()
        assert not [w for w in warning_lines(run) if "[bibtex." in w], warning_lines(run)


# -- entry types ------------------------------------------------------------------------


def test_every_biblatex_entry_type_renders(built) -> None:  # type: ignore[no-untyped-def]
    refs = references(built, "types")
    expected = {
        "ref-web": [
            "Jane Doe",
            "A web page about things",
            "2023",
            "https://example.org/page",
            "visited on 2024-01-02",
        ],
        "ref-tool": ["Rick Roe", "The tool", "Version 1.2", "2022"],
        "ref-data": ["Dana Dee", "A data set", "Data House", "2021"],
        "ref-report": ["Ron Rapp", "Technical Report 42", "Report Institute", "2020"],
        "ref-thesis": [
            "Theo Thess",
            "A Doctoral Thesis",
            "PhD thesis",
            "University of Theses",
            "2019",
        ],
        "ref-mthesis": ["Mia Mast", "Master's thesis", "Master College", "2018"],
        "ref-patent": ["Paul Pat", "A patented widget", "US 1234567", "2017"],
        "ref-draft": ["Dora Draft", "Manuscript in preparation", "2016"],
        "ref-conf": ["Carl Conn", "In Proceedings of the Conference", "2015"],
        "ref-elec": ["Ella Elle", "https://example.org/electronic", "2014"],
        "ref-coll": ["Eddie Edit, editor", "A Collection", "Collected Press", "2013"],
        "ref-located": ["Lea Loc", "Lyon Press", "Lyon", "2007"],
    }
    for ident, parts in expected.items():
        for part in parts:
            assert part in refs[ident], (ident, part, refs[ident])
    assert "techreport" not in refs["ref-report"] and "phdthesis" not in refs["ref-thesis"]


def test_unknown_type_is_listed_as_misc_with_the_closest_type(built) -> None:  # type: ignore[no-untyped-def]
    refs = references(built, "types")
    assert "Tina Typo" in refs["ref-typo"] and "https://example.org/typo" in refs["ref-typo"]
    assert "Journal of Typos" in refs["ref-jtypo"]  # @misc keeps the venue it was given
    hits = bib_warnings(built, "types")
    onine = f"refs.bib:{bib_line('types', '@onine{typo')}: WARNING: Entry 'typo' has the unknown type @onine"
    journal = f"refs.bib:{bib_line('types', '@journal{jtypo')}: WARNING: Entry 'jtypo' has the unknown type @journal"
    assert any(onine in w and "Did you mean @online?" in w for w in hits), hits
    assert any(journal in w and "Did you mean @article?" in w for w in hits), hits
    assert len(hits) == 2, hits  # every other type is a known one: no warning


@pytest.mark.parametrize("kind", KNOWN_TYPES)
def test_each_known_type_formats_with_both_styles(kind: str) -> None:
    entry = Entry(kind, {"title": "Zebra", "year": "2020"}, {"author": [Person("Doe, Jane")]})
    entry.key = "k"
    normalized, messages = normalize_entry(entry)
    assert not [m for m in messages if "unknown type" in m]
    for style in (ArticlePlainStyle(), ArticleUnsrtStyle()):
        text = style.format_entry("1", normalized).text.render_as("text")
        assert "ebra" in text and "2020" in text and "missing" not in text, (kind, text)
        assert "Jane Doe" in text or normalized.type == "proceedings", (kind, text)


# -- biblatex fields and names ----------------------------------------------------------


def test_biblatex_fields(built) -> None:  # type: ignore[no-untyped-def]
    refs = references(built, "types")
    assert refs["ref-biblatex"].startswith("Bea Bib. Fields from biblatex. Journal of biblatex")
    assert "2010" in refs["ref-biblatex"] and "7:1–10" in refs["ref-biblatex"]
    page = read_html(built.app, "posts/types/index")
    texts = [c.get_text() for c in page.select(".bibtex-citation")]
    assert "(Doe, 2023)" in texts and "Bib (2010)" in texts  # date -> year in the text too
    links = {a.get_text(): a["href"] for a in page.select(".article-reference a")}
    assert links["arXiv:2101.00001 [cs.LG]"] == "https://arxiv.org/abs/2101.00001"
    assert links["PMID:12345678"] == "https://www.ncbi.nlm.nih.gov/pubmed/12345678"
    assert not [t for t in links if t.startswith("arXiv:12345678")]  # pubmed is no arXiv id


def test_biblatex_extended_names(built) -> None:  # type: ignore[no-untyped-def]
    refs = references(built, "types")
    assert refs["ref-names"].startswith("Stéphane d'Ascoli, Anna van der Berg, and John Smith.")
    assert "{" not in refs["ref-names"] and "\\" not in refs["ref-names"]
    page = read_html(built.app, "posts/types/index")
    cites = [c.get_text() for c in page.select(".bibtex-citation")]
    assert "d'Ascoli et al. (2008)" in cites
    meta = [
        m["content"]
        for m in page.select('meta[name="citation_reference"]')
        if "Names in biblatex form" in m["content"]
    ]
    assert (
        meta
        and (
            "citation_author=Stéphane d'Ascoli; citation_author=Anna van der Berg; "
            "citation_author=John Smith"
        )
        in meta[0]
    ), meta
    assert "family=" not in page.decode() and "given=" not in page.decode()


def test_extended_names_read_by_another_parser_are_fixed() -> None:
    """conf.py's ``bibtex_bibfiles`` are read by sphinxcontrib-bibtex, not by bibfiles."""
    entry = Entry(
        "article",
        {"title": "T", "journal": "J", "year": "2020"},
        {"author": [Person("family=Ascoli, given=St\\'ephane")]},
    )
    entry.key = "k"
    normalized, _ = normalize_entry(entry)
    person = normalized.persons["author"][0]
    assert person.last_names == ["Ascoli"] and person.first_names == ["St\\'ephane"]


def test_parse_name_forms() -> None:
    person = parse_name("family=Ascoli, given=St\\'ephane, prefix=d', useprefix=false")
    assert person.last_names == ["d'Ascoli"] and person.first_names == ["St\\'ephane"]
    person = parse_name("family={van der Berg}, given=Anna, suffix=Jr")
    assert " ".join(person.last_names) == "van der Berg" and person.lineage_names == ["Jr"]
    assert parse_name("Knuth, Donald E.").last_names == ["Knuth"]
    assert parse_name("Ada Lovelace").last_names == ["Lovelace"]


# -- incomplete entries -----------------------------------------------------------------


def test_entry_missing_a_field_is_listed_and_located(built) -> None:  # type: ignore[no-untyped-def]
    refs = references(built, "hostile")
    assert refs["ref-nobook"] == "Mo Miss. Without a booktitle. 2019."
    line = bib_line("hostile", "@inproceedings{nobook")
    hits = [w for w in bib_warnings(built, "hostile") if "'nobook'" in w]
    assert (
        len(hits) == 1
        and f"refs.bib:{line}: WARNING: Entry 'nobook' (@inproceedings) lacks booktitle" in hits[0]
    ), hits


def test_no_internal_text_anywhere(built, latex_source) -> None:  # type: ignore[no-untyped-def]
    """pybtex's "missing booktitle in posts/x/index#key" never reaches a reader, and no
    message names the internal post-qualified key."""
    for post in ("types", "hostile"):
        html = (built.outdir / "posts" / post / "index.html").read_text(encoding="utf-8")
        assert "missing booktitle" not in html and "index#" not in html
    assert not [w for w in warning_lines(built) if "index#" in w or "_article_post" in w]
    assert "Without a booktitle" in latex_source and "missing booktitle" not in latex_source


def test_textual_citation_of_entry_without_author_or_title(built, numeric) -> None:  # type: ignore[no-untyped-def]
    for run in (built, numeric):
        page = read_html(run.app, "posts/hostile/index")
        texts = [c.get_text() for c in page.select(".bibtex-citation")]
        assert any(t.startswith("anon") for t in texts), texts
    line = bib_line("hostile", "@misc{anon")
    assert any(
        f"refs.bib:{line}: WARNING: Entry 'anon' (@misc) lacks author, editor or title" in w
        for w in bib_warnings(built, "hostile")
    )


def test_repeated_key_is_located_at_the_repeat(built) -> None:  # type: ignore[no-untyped-def]
    first = bib_line("hostile", "@misc{twice")
    lines = (ROOT / "posts/hostile/refs.bib").read_text(encoding="utf-8").splitlines()
    second = [i for i, t in enumerate(lines, 1) if t.startswith("@misc{twice")][1]
    hits = [w for w in bib_warnings(built, "hostile") if "'twice'" in w]
    assert len(hits) == 1 and f"refs.bib:{second}:" in hits[0] and f"line {first}" in hits[0]
    assert "The first entry" in references(built, "hostile")["ref-twice"]


# -- links ------------------------------------------------------------------------------


def test_only_http_links_in_html(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/hostile/index")
    hrefs = [a["href"] for a in page.select("a[href]")]
    assert not [h for h in hrefs if re.match(r"\s*(javascript|data|vbscript):", h, re.I)], hrefs
    refs = references(built, "hostile")
    assert "javascript" not in refs["ref-jsurl"] and "data:" not in refs["ref-dataurl"]
    assert "https://example.org/ok" in [a["href"] for a in page.select(".article-reference a")]
    assert "alert(1)</script>" not in (built.outdir / "posts/hostile/index.html").read_text(
        encoding="utf-8"
    )
    hits = bib_warnings(built, "hostile")
    for key, what in (
        ("jsurl", "url 'javascript:alert(1)'"),
        ("dataurl", "url 'data:text/html"),
        ("noteurl", "links 'javascript:alert(2)' in its note"),
        ("noteurl", "links 'data:text/html,x' in its note"),
        ("baddoi", "doi 'javascript:alert(3)'"),
    ):
        line = bib_line("hostile", f"@{'article' if key == 'baddoi' else 'misc'}{{{key}")
        assert any(f"refs.bib:{line}:" in w and what in w for w in hits), (key, what, hits)


def test_markup_in_an_entry_is_text(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/hostile/index")
    for script in page.find_all("script"):  # JSON-LD holds the title as inert text
        text = script.get_text()
        assert (
            "<" not in text if script.get("type") == "application/ld+json" else "alert(" not in text
        )
    assert not page.find_all("img", src="x")
    assert not [t for t in page.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    assert "<script>alert(5)</script>" in references(built, "hostile")["ref-markup"]
    for link in page.select(".article-reference a"):
        assert set(link.attrs) <= {"href", "class", "aria-label"}, link.attrs
        assert '"' not in link["href"] and "<" not in link["href"], link["href"]


def test_field_that_is_not_latex_is_shown_without_commands(built) -> None:  # type: ignore[no-untyped-def]
    """A trailing backslash made pybtex's LaTeX codec raise (UnicodeDecodeError) in the
    references and in the in-text citation."""
    assert references(built, "hostile")["ref-backslash"].startswith(
        "Sam Slash. Ends with a backslash"
    )
    page = read_html(built.app, "posts/hostile/index")
    assert "Slash (2013)" in [c.get_text() for c in page.select(".bibtex-citation")]
    line = bib_line("hostile", "@misc{backslash")
    hits = [w for w in bib_warnings(built, "hostile") if "'backslash'" in w]
    assert len(hits) == 2 and all(
        f"refs.bib:{line}:" in w and "not valid LaTeX" in w for w in hits
    ), hits


def test_only_http_links_in_latex(latex_source) -> None:  # type: ignore[no-untyped-def]
    """No ``/URI`` action in the PDF but http(s): every ``\\href``/``\\url`` target."""
    targets = re.findall(r"\\(?:sphinx)?(?:href|url)\{([^}]*)\}", latex_source)
    assert "https://example.org/ok" in targets
    assert not [t for t in targets if "javascript" in t.lower() or t.lower().startswith("data:")]
    assert "doi.org/10.1002/(SICI)1097-4571(199806)49:8\\%3C693" in latex_source


def pdf_links(pdf: Path) -> set[str]:
    """Every ``/URI`` action of a PDF, in plain and compressed objects."""
    data = pdf.read_bytes()
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return {
        uri.decode("latin-1")
        for chunk in chunks
        for uri in re.findall(rb"/URI\s*\(((?:[^()\\]|\\.)*)\)", chunk)
    }


def test_only_http_links_in_the_pdf(tmp_path) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    result = sphinx_build(src, tmp_path / "out", "latexpdf")
    hostile, types = (tmp_path / "out" / "latex" / f"{name}.pdf" for name in ("hostile", "types"))
    assert hostile.is_file() and types.is_file(), result.stdout[-3000:] + result.stderr[-3000:]
    links = pdf_links(hostile) | pdf_links(types)
    assert "https://example.org/ok" in links and "https://arxiv.org/abs/2101.00001" in links
    assert all(link.startswith(("https://", "http://")) for link in links), links
    text = subprocess.run(
        ["pdftotext", str(hostile), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Without a booktitle" in text and "missing booktitle" not in text


def test_sici_doi_is_linked_and_escaped(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/types/index")
    link = next(a for a in page.select(".article-reference a") if "SICI" in a.get_text())
    assert link.get_text() == f"doi:{SICI}"
    assert link["href"] == (
        "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-O"
    )
    short = next(a for a in page.select(".article-reference a") if "10/cmwds4" in a.get_text())
    assert short["href"] == "https://doi.org/10/cmwds4"
    html = (built.outdir / "posts/types/index.html").read_text(encoding="utf-8")
    assert "<693::" not in html  # escaped in text, encoded in the href


@pytest.mark.parametrize(
    "value, doi",
    [
        (SICI, SICI),
        ("https://doi.org/10.1000/xyz123", "10.1000/xyz123"),
        ("doi:10.1038/nphys1170", "10.1038/nphys1170"),
        ("10.1000.10/abc\\_def", "10.1000.10/abc_def"),
        ("10/cmwds4", "10/cmwds4"),
        ("javascript:alert(1)", None),
        ("10.12/abc", None),
        ("10.1000/", None),
        ("10.1000/a b", None),
        ("11.1000/abc", None),
        ("10.1000/a\x00b", None),
    ],
)
def test_doi_rule(value: str, doi: str | None) -> None:
    assert parse_doi(value) == doi


@pytest.mark.parametrize(
    "value, url",
    [
        ("https://example.org/a?b=c#d", "https://example.org/a?b=c#d"),
        ("{https://example.org/x}", "https://example.org/x"),
        ("\\url{https://example.org/x\\_y}", "https://example.org/x_y"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,x", None),
        ("//evil.example/", None),
        ("https:///nohost", None),
        ("http://a b.org", None),
        ("ftp://example.org/", None),
        ("https://exa\x0ample.org/", None),
        ('https://example.org/a"onmouseover="x', "https://example.org/a%22onmouseover=%22x"),
        ("https://example.org/}\\input{x}", "https://example.org/%7D%5Cinput%7Bx%7D"),
    ],
)
def test_url_rule(value: str, url: str | None) -> None:
    assert safe_url(value) == url


def test_link_fields_that_are_not_links_are_left_out() -> None:
    entry = Entry(
        "misc",
        {
            "title": "T",
            "year": "2020",
            "pubmed": "javascript:x",
            "eprint": "../../etc",
            "eprinttype": "arxiv",
        },
    )
    entry.key = "k"
    normalized, messages = normalize_entry(entry)
    assert "pubmed" not in normalized.fields and "eprint" not in normalized.fields
    assert len(messages) == 2 and all(m.startswith("Entry 'k' has the") for m in messages)
    html = ArticleUnsrtStyle().format_entry("1", normalized).text.render_as("html")
    assert "<a " not in html


# -- citation keys ----------------------------------------------------------------------


def test_malformed_cite_keys_are_located_warnings(built) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(built, "citation") if "posts/hostile/index.md" in w]
    assert any("index.md:15:" in w and "'my key' is malformed" in w for w in hits), hits
    assert sum("stray comma" in w for w in hits) == 2, hits  # one per role, not per comma
    page = read_html(built.app, "posts/hostile/index")
    assert "[my key?]" in [m.get_text() for m in page.select(".article-cite-missing")]
    texts = [c.get_text() for c in page.select(".bibtex-citation")]
    assert "(Evil, 2020; Miss, 2019)" in texts  # the good keys of 'jsurl,,nobook' are kept


def test_parse_cite_targets() -> None:
    targets, problems = parse_cite_targets("{see}a{Sec. 2}, b")
    assert targets == [("see", "a", "Sec. 2"), ("", "b", "")] and not problems
    targets, problems = parse_cite_targets("a b,,c,")
    assert [t[1] for t in targets] == ["c"] and len(problems) == 2


# -- check agrees with the build ----------------------------------------------------------


def test_parallel_build_matches(built, tmp_path) -> None:  # type: ignore[no-untyped-def]
    par = build_root("test-bib-real", tmp_path, parallel=2)
    for post in ("types", "hostile"):
        assert references(par, post) == references(built, post)
    assert sorted(article_warnings(par, "citation")) == sorted(
        w.replace(str(built.srcdir), str(par.srcdir)) for w in article_warnings(built, "citation")
    )


def test_check_reports_the_same_bib_problems(built) -> None:  # type: ignore[no-untyped-def]
    _count, findings = check_site(load_site(ROOT))
    checked = {
        (Path(f.file).name, Path(f.file).parent.name, f.line, f.message)
        for f in findings
        if f.subtype == "citation"
    }
    pattern = re.compile(r"(\S+):(\d+): WARNING: (.*) \[article\.citation\]$")
    from_build = set()
    for warning in article_warnings(built, "citation"):
        match = pattern.search(warning)
        assert match, warning
        path = Path(match.group(1))
        from_build.add((path.name, path.parent.name, int(match.group(2)), match.group(3)))
    assert from_build == checked, from_build ^ checked


# -- "Cite this post" -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "title", ["\ud800 lone surrogate", "NUL\x00 ESC\x1b", "\u202eevil", "a}b{c\\input{x}", "   "]
)
def test_cite_this_never_raises(title: str) -> None:
    """A lone surrogate once stopped the whole site build in cite_this (UnicodeEncodeError
    from the LaTeX codec); whatever reaches it, the record is written."""
    from types import SimpleNamespace

    from sphinx_article.features.cite_this import cite_record
    from sphinx_article.model.frontmatter import Author, Post

    config = SimpleNamespace(
        article_review=False,
        article_venue_type="conference",
        article_venue="Venue \udc80",
        article_site_url="https://x.org/",
        html_file_suffix=".html",
    )
    post = Post("posts/a/index", title=title, authors=[Author(name="Ada\u00a0\udc80Lovelace")])
    record = cite_record(config, post, "posts/a/index")  # type: ignore[arg-type]
    for value in record.values():
        value.encode("utf-8")  # no surrogate left
        assert not re.search("[\x00-\x08\x0b-\x1f\u202a-\u202e]", value), value
    assert "Ada Lovelace" in record["bibtex"] or "Lovelace" in record["bibtex"]


# -- the real corpus ------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the ICLR 2025 corpus is not beside the repo")
def test_every_corpus_entry_formats() -> None:
    """All 2,300 entries of the 47 authors' own refs.bib files: read, normalised and
    formatted by both styles without an exception and without pybtex's internal text."""
    count, style, shapes = 0, ArticleUnsrtStyle(), set()  # plain formats as unsrt does
    for path in sorted(CORPUS.glob("posts/*/refs.bib")):
        source = read_bibfile(path)
        for key, entry in source.entries.items():
            count += 1
            normalized, messages = entry_problems(entry)
            shape = (normalized.type, frozenset(normalized.fields), frozenset(entry.persons))
            if shape in shapes and not messages:  # formatting is slow: each shape once
                continue
            shapes.add(shape)
            text = style.format_entry("1", normalized).text.render_as("html")
            assert "missing " not in text or "missing" in str(entry.fields), (path, key)
            assert "javascript:" not in text.lower()
    assert count > 2000
    assert bibfiles.FORMATTING_STYLES  # the styles the build registers

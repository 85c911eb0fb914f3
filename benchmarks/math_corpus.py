"""Every formula of a real corpus, rendered per post with its macros: refused count and
time per formula, for each candidate renderer, in one run.

The formulas are found by myst-parser's own Markdown parser (``$…$``, ``$$…$$``,
top-level ``\\begin{align}``, ``{math}`` fences), in document order, so a post's
``\\newcommand`` holds for its later formulas exactly as in a build. Each renderer sees
the same expanded formulas (``sphinx_article.model.mathmacros``) except ``latex2mathml (as
before)``, which sees the raw formula as the build did before the macro layer::

    python benchmarks/math_corpus.py [CORPUS_DIR] [--show-refused] [--json OUT] [--build]

Default corpus: ``../shared/corpus/iclr-2025`` beside the project. KaTeX is compared
when ``KATEX_JS`` points at ``katex.min.js`` (``npm pack katex``); it is not shipped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sphinx_article.features import mathrender  # noqa: E402
from sphinx_article.model import mathmacros  # noqa: E402
from sphinx_article.model.frontmatter import parse_post  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "iclr-2025"


@dataclass
class Formula:
    post: str
    line: int
    latex: str
    display: bool


def formulas_of(source: str) -> Iterator[tuple[int, str, bool]]:
    """``(line, latex, display)`` of every formula myst-parser finds, in order."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(
        enable_extensions={"dollarmath", "amsmath", "colon_fence"},
        disable_syntax=["html_block", "html_inline"],
    )
    parser = create_md_parser(config, RendererHTML)

    def walk(tokens):  # type: ignore[no-untyped-def]
        for token in tokens:
            line = (token.map[0] + 1) if token.map else 0
            if token.type in ("math_inline", "math_inline_double"):
                yield line, token.content, token.type == "math_inline_double"
            elif (
                token.type in ("math_block", "math_block_label", "amsmath")
                or token.type == "fence"
                and token.info.strip().startswith("{math}")
            ):
                yield line, token.content, True
            elif token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
                # a directive's body (figure captions, notes) is Markdown too
                body = "\n".join(
                    x for x in token.content.split("\n") if not re.match(r"\s*:[\w-]+:", x)
                )
                yield from (
                    (line, latex, display) for _, latex, display in walk(parser.parse(body))
                )
            elif token.type == "myst_role" and "$" in token.content:
                yield from (
                    (line, latex, display)
                    for _, latex, display in walk(parser.parse(token.content))
                )
            if token.children:
                yield from walk(token.children)

    yield from walk(parser.parse(source))


def corpus(root: Path) -> Iterator[tuple[str, dict[str, mathmacros.Macro], list[Formula]]]:
    """Per post: its front-matter macros and its formulas."""
    for path in sorted((root / "posts").glob("*/index.md")):
        text = path.read_text(encoding="utf-8")
        post, _ = parse_post(path.parent.name, text)
        body = text
        if post.length:  # blank the front matter line for line, as the build does
            lines = text.split("\n")
            body = "\n" * post.length + "\n".join(lines[post.length :])
        found = [
            Formula(path.parent.name, line, latex, display)
            for line, latex, display in formulas_of(body)
        ]
        yield path.parent.name, dict(getattr(post, "math_macros", {}) or {}), found


LEGACY_COMMIT = "af70a6a"  # the last commit with the latex2mathml renderer


def legacy_renderer() -> Callable[[str, bool], object] | None:
    """The latex2mathml renderer (allow-list + post-processing + serialiser) as it was
    before Temml, loaded from git history so both run in one process."""
    import subprocess
    import types

    try:
        source = subprocess.run(
            ["git", "show", f"{LEGACY_COMMIT}:sphinx_article/mathrender.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("sphinx_article._legacy_mathrender")
    module.__package__ = "sphinx_article"
    exec(compile(source, "legacy_mathrender.py", "exec"), module.__dict__)  # noqa: S102

    def render(latex: str, display: bool) -> object:
        problem = module.check_latex(latex)
        if problem:
            raise ValueError(problem)
        return module.to_mathml(latex, display)

    return render


def renderers() -> dict[str, tuple[Callable[[str, bool], object], bool]]:
    """name -> (render(latex, display), sees expanded macros)."""
    from latex2mathml.converter import convert

    found: dict[str, tuple[Callable[[str, bool], object], bool]] = {
        "temml (shipped: macros + allow-list + sanitiser)": (mathrender.render_checked, True),
    }
    for label, uses_macros in (("", False), (" + macro layer", True)):
        legacy = legacy_renderer()  # a fresh module each: no cache shared between runs
        if legacy:
            found[f"latex2mathml (the renderer before){label}"] = (legacy, uses_macros)
    found["latex2mathml raw (no checks)"] = (
        lambda s, d: convert(s, display="block" if d else "inline"),
        True,
    )
    katex = os.environ.get("KATEX_JS")
    if katex:
        import quickjs

        context = quickjs.Context()
        context.eval(Path(katex).read_text(encoding="utf-8"))
        call = context.eval(
            "(function(s,d){return [katex.renderToString(s,{displayMode:d,"
            "output:'mathml',throwOnError:true,trust:false,strict:false})]"
            ".join('');})"
        )
        found["KaTeX 0.19 MathML (quickjs), same preparation"] = (
            lambda s, d: call(mathrender.prepare(s, d), d),
            True,
        )
    return found


def run(root: Path, show: bool) -> dict[str, dict[str, object]]:
    posts = list(corpus(root))
    site = mathmacros.MacroState()
    total = sum(len(f) for _, _, f in posts)
    results: dict[str, dict[str, object]] = {}
    # expand once per post, in order (the macro layer's own time is measured too)
    expanded: list[tuple[Formula, str | None, str | None]] = []
    start = time.perf_counter()
    for _, macros, found in posts:
        state = site.copy()
        state.macros.update(macros)
        for formula in found:
            try:
                expanded.append((formula, mathmacros.expand(formula.latex, state), None))
            except mathmacros.MacroError as error:
                expanded.append((formula, None, str(error)))
    macro_ms = (time.perf_counter() - start) * 1000 / max(total, 1)
    for name, (render, uses_macros) in renderers().items():
        refused: list[tuple[Formula, str]] = []
        start = time.perf_counter()
        for formula, latex, problem in expanded:
            if uses_macros and problem:
                refused.append((formula, problem))
                continue
            source = latex if uses_macros else formula.latex
            # a display block is split at blank lines, as the build does
            parts = (
                mathrender.join_open_environments(source).split("\n\n")
                if formula.display
                else [source]
            )
            try:
                for part in parts:
                    if part.strip():
                        render(part, formula.display)
            except Exception as error:  # noqa: BLE001 -- every refusal counts
                refused.append((formula, str(error).strip().split("\n")[0][:160]))
        seconds = time.perf_counter() - start
        results[name] = {
            "formulas": total,
            "refused": len(refused),
            "refused_share": round(100 * len(refused) / max(total, 1), 2),
            "ms_per_formula": round(seconds * 1000 / max(total, 1), 3),
            "refused_list": [
                f"{f.post}:{f.line}: {why}  <<{f.latex.strip()[:120]}>>" for f, why in refused
            ],
        }
        print(
            f"{name}: {len(refused)}/{total} refused ({results[name]['refused_share']}%), "
            f"{results[name]['ms_per_formula']} ms/formula"
            + (f" (+ {macro_ms:.3f} ms macro layer)" if uses_macros else "")
        )
        if show:
            for line in results[name]["refused_list"]:  # type: ignore[attr-defined]
                print("   ", line)
    return results


def time_build(root: Path) -> dict[str, object]:
    """Wall and CPU time of ``sphinx-build -b html`` on the corpus, and its refusals."""
    import resource
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "html", "-q", "--keep-going", str(root), out],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    refused = result.stderr.count("[article.math]")
    print(
        f"corpus HTML build: {wall:.1f} s wall, {cpu:.1f} s CPU, {refused} formulas "
        f"refused (exit {result.returncode})"
    )
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "refused": refused}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show-refused", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--build", action="store_true", help="also time a whole HTML build of the corpus (-j 1)"
    )
    args = parser.parse_args()
    results = run(args.corpus, args.show_refused)
    if args.build:
        results["corpus_build"] = time_build(args.corpus)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

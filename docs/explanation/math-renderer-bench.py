"""Compare build-time math renderers: coverage, output size and speed for 600 equations.

Not part of the build: the figures in math-renderer.md come from running it, by hand,
in a virtual environment with sphinx-article, docutils and (for KaTeX) ``mini-racer``
plus ``katex.min.js`` from the npm package ``katex`` (``KATEX_JS=path``):

    python docs/explanation/math-renderer-bench.py
"""

from __future__ import annotations

import gzip
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

FORMULAS = {
    "mathbb": r"X_i \in \mathbb{R}^d",
    "operatorname": r"\operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}",
    "left-right": r"\left\| \nabla_{X_i} f_c(X_{1:n}) \odot X_i \right\|_2",
    "underbrace": r"\underbrace{a+b}_{\text{sum}}",
    "aligned": r"\begin{aligned} a &= b + c \\ d &= e \end{aligned}",
    "cases": r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}",
    "text": r"\text{loss} = \mathcal{L}(\theta)",
    "taylor": r"f_c(X_{1:n}) \approx f_c(0) + \sum_{i=1}^{n} \nabla_{X_i} f_c(X_{1:n})^\top X_i",
    "attention": r"\operatorname{Attention}(Q,K,V) = \operatorname{softmax}\left("
                 r"\frac{QK^\top}{\sqrt{d_k}}\right)V",
    "integrated-gradients": r"\mathrm{IG}_i = \left( X_i - X'_i \right) \odot \int_{0}^{1} "
                            r"\nabla_{X_i} f_c\big(X' + \alpha (X - X')\big) \, d\alpha",
    "kl": r"D_{\mathrm{KL}}(p \,\|\, q) = \mathbb{E}_{x\sim p}\left[\log \frac{p(x)}{q(x)}\right]",
    "argmax": r"\hat{y} = \arg\max_{c} \; \boldsymbol{w}_c^\top \mathbf{h}",
    "matrix": r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
    "accents": r"\overset{\text{def}}{=} \quad \tilde{x} \quad \bar{x} \quad \hat{\theta}",
    "dots": r"\lVert x \rVert_2 \leq \epsilon, \quad \forall i \in \{1,\dots,n\}",
    "align": r"\begin{align} a &= b \\ c &= d \end{align}",
    "bold": r"\mathbf{x}\cdot\mathbf{y}",
    "limits": r"\lim_{n\to\infty} \prod_{k=1}^n a_k",
    "grad-sum": r"\nabla_\theta \mathcal{L} = \frac{1}{N}\sum_{n} \nabla_\theta \ell(y_n, \hat y_n)",
    "ig-sum": r"\sum_{i} \mathrm{IG}_i = f_c(X) - f_c(X')",
}


def renderers() -> dict[str, Callable[[str], str]]:
    from docutils.utils.math import latex2mathml as docutils_math

    from sphinx_article.mathrender import to_mathml

    found: dict[str, Callable[[str], str]] = {
        "sphinx-article (latex2mathml + allow-list + serialiser)": lambda s: to_mathml(s, True),
        "docutils.utils.math.latex2mathml": lambda s: docutils_math.tex2mathml(s, as_block=True),
    }
    katex = os.environ.get("KATEX_JS")
    if katex:
        from py_mini_racer import MiniRacer

        context = MiniRacer()
        context.eval(Path(katex).read_text(encoding="utf-8"))
        for output in ("mathml", "htmlAndMathml"):
            found[f"KaTeX {output} (mini-racer)"] = lambda s, o=output: context.call(
                "katex.renderToString", s,
                {"displayMode": True, "output": o, "throwOnError": True, "trust": False})
    return found


def main() -> None:
    formulas = list(FORMULAS.values())
    for name, render in renderers().items():
        failed = []
        for key, latex in FORMULAS.items():
            try:
                out = re.sub(r"(?s)<annotation.*?</annotation>", "", render(latex))
                if re.search(r">\\[A-Za-z]", out):  # an unknown command passed through
                    failed.append(key)
            except Exception:
                failed.append(key)
        good = [f for k, f in FORMULAS.items() if k not in failed]
        batch = [f"{latex} + {i}" for i in range(600 // len(good) + 1) for latex in good][:600]
        if hasattr(render, "cache_clear"):
            render.cache_clear()
        start = time.perf_counter()
        outputs = [render(latex) for latex in batch]
        seconds = time.perf_counter() - start
        raw = sum(len(o.encode()) for o in outputs) / len(outputs)
        distinct = "".join(render(latex) for latex in good)
        packed = len(gzip.compress(distinct.encode())) / len(good)
        print(f"{name}: {len(good)}/{len(formulas)} rendered (failed: {', '.join(failed) or '-'}); "
              f"600 equations in {seconds:.2f} s; {raw:.0f} B/equation, {packed:.0f} B gzipped")


if __name__ == "__main__":
    main()

"""Generate N realistic posts in two dialects that carry the same content.

* ``sphinx-article``: ``posts/<slug>/index.md`` with YAML front matter, ``{cite:p}``
  keys resolved against the post's own ``refs.bib`` (no bibliography listing in
  conf.py, no bibliography directive), ``{margin-note}``, ``{colored-equation}`` and
  ``{eqterm}``; ``extensions = ["sphinx_article"]``, ``html_theme = "sphinx_article"``.
* ``plain``: Sphinx + myst-parser + sphinxcontrib-bibtex on the same text: a ``#``
  title and a byline paragraph instead of front matter, citation keys prefixed per
  post (``p017-vaswani2017``), one ``{bibliography} refs.bib`` per post (restricted
  to that post's file: the fast wiring, see README), margin notes as ``{note}``
  admonitions, coloured equations as plain ``$$`` math with the legend as a list,
  ``bibtex_bibfiles`` listing every file, a toctree of all posts, ``alabaster``.

Everything is derived from ``random.Random(seed + post number)``, so a given
``(n, seed)`` always yields byte-identical sources. Usage::

    python benchmarks/generate.py OUTDIR --posts 100 [--dialect sphinx-article|plain|both]
"""

from __future__ import annotations

import argparse
import random
import shutil
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

DIALECTS = ("sphinx-article", "plain")
SEED = 2026
#: Every post contains this sentence once; ``run.py`` edits it for the incremental run.
EDIT_SENTENCE = "The code for this post is available from the authors on request."
MYST_EXTENSIONS = [
    "amsmath",
    "attrs_block",
    "attrs_inline",
    "colon_fence",
    "deflist",
    "dollarmath",
    "replacements",
    "smartquotes",
]

# --------------------------------------------------------------------------- vocabulary

SURNAMES = [
    "Vaswani",
    "Devlin",
    "Radford",
    "Brown",
    "Kingma",
    "Goodfellow",
    "He",
    "Hochreiter",
    "Ho",
    "Song",
    "Sohl-Dickstein",
    "Guo",
    "Niculescu-Mizil",
    "Simonyan",
    "Shrikumar",
    "Sundararajan",
    "Ancona",
    "Lundberg",
    "Ribeiro",
    "Bahdanau",
    "Sutskever",
    "Mikolov",
    "Pennington",
    "Srivastava",
    "Ioffe",
    "Ba",
    "Loshchilov",
    "Smith",
    "Zhang",
    "Wang",
    "Chen",
    "Liu",
    "Li",
    "Kaplan",
    "Hoffmann",
    "Touvron",
    "Raffel",
    "Lewis",
    "Clark",
    "Dosovitskiy",
    "Tolstikhin",
    "Ramesh",
    "Rombach",
    "Dhariwal",
    "Nichol",
    "Karras",
    "Lipman",
    "Chung",
    "Wei",
    "Ouyang",
    "Christiano",
    "Schulman",
    "Mnih",
    "Silver",
    "Olah",
    "Elhage",
    "Bricken",
    "Nanda",
    "Geva",
    "Meng",
    "Tenney",
    "Hewitt",
    "Belinkov",
    "Doshi-Velez",
    "Kim",
    "Adebayo",
    "Hooker",
    "Kindermans",
    "Jain",
    "Wiegreffe",
]
GIVEN = [
    "Ada",
    "Alan",
    "Grace",
    "Ashish",
    "Noam",
    "Niki",
    "Jakob",
    "Llion",
    "Aidan",
    "Lukasz",
    "Illia",
    "Diederik",
    "Max",
    "Ian",
    "Kaiming",
    "Sepp",
    "Jürgen",
    "Yang",
    "Chuan",
    "Geoff",
    "Karen",
    "Andrea",
    "Mukund",
    "Marco",
    "Scott",
    "Marco Tulio",
    "Ilya",
    "Tomas",
    "Jeffrey",
    "Nitish",
    "Sergey",
    "Jimmy",
    "Ilya",
    "Leslie",
    "Jared",
    "Jordan",
    "Hugo",
    "Colin",
    "Mike",
    "Kevin",
    "Alexey",
    "Aditya",
    "Robin",
    "Prafulla",
    "Tero",
    "Yaron",
    "Jason",
    "Long",
    "Paul",
    "John",
    "Volodymyr",
    "David",
    "Chris",
    "Nelson",
    "Trenton",
    "Neel",
    "Mor",
    "Kevin",
    "Ian",
    "John",
    "Yonatan",
    "Finale",
    "Been",
    "Julius",
    "Sara",
    "Pieter-Jan",
    "Sarthak",
    "Sarah",
    "Émilie",
    "Zoë",
]
AFFILIATIONS = [
    "University of Cambridge",
    "ETH Zürich",
    "Mila",
    "University of Tokyo",
    "Analytical Engine Society",
    "Max Planck Institute for Intelligent Systems",
    "University of Edinburgh",
    "Stanford University",
    "Universidad de Chile",
]
VENUES = [
    ("inproceedings", "booktitle", "Advances in Neural Information Processing Systems"),
    ("inproceedings", "booktitle", "International Conference on Learning Representations"),
    (
        "inproceedings",
        "booktitle",
        "Proceedings of the International Conference on Machine Learning",
    ),
    (
        "inproceedings",
        "booktitle",
        "Proceedings of the Annual Meeting of the Association for Computational Linguistics",
    ),
    ("article", "journal", "Journal of Machine Learning Research"),
    ("article", "journal", "Transactions on Machine Learning Research"),
    ("article", "journal", "Distill"),
    ("misc", "howpublished", "arXiv preprint"),
]
TITLE_WORDS = [
    "Attention",
    "Transformers",
    "Calibration",
    "Diffusion",
    "Saliency",
    "Gradients",
    "Sparse",
    "Probing",
    "Representations",
    "Scaling",
    "Laws",
    "Language",
    "Models",
    "Networks",
    "Convolutional",
    "Recurrent",
    "Denoising",
    "Score",
    "Matching",
    "Features",
    "Attribution",
    "Interpretability",
    "Circuits",
    "Superposition",
    "Optimization",
    "Adaptive",
    "Stochastic",
    "Generalization",
    "Robustness",
    "Contrastive",
    "Learning",
    "Pretraining",
    "Alignment",
    "Reward",
    "Policies",
    "Uncertainty",
    "Bayesian",
    "Variational",
    "Inference",
    "Normalizing",
    "Flows",
]
TOPICS = [
    "attention",
    "calibration",
    "diffusion",
    "saliency",
    "probing",
    "scaling",
    "superposition",
    "optimizers",
    "tokenization",
    "distillation",
    "pruning",
    "retrieval",
    "alignment",
    "uncertainty",
    "augmentation",
    "memorization",
]
TAGS = [
    "interpretability",
    "optimization",
    "generative-models",
    "nlp",
    "vision",
    "evaluation",
    "theory",
    "reproducibility",
    "fairness",
    "efficiency",
]
SECTIONS = [
    "Introduction",
    "Background",
    "The method",
    "A worked example",
    "Experiments",
    "What the results do not show",
    "Discussion",
    "Conclusion",
]

SUBJECTS = [
    "the model",
    "our variant",
    "the baseline",
    "a linear probe",
    "the encoder",
    "each attention head",
    "the optimizer",
    "the calibrated classifier",
    "the diffusion sampler",
    "this estimator",
    "the residual stream",
    "a two-layer network",
    "the reward model",
    "the tokenizer",
    "the decoder",
    "the ensemble",
    "a sparse autoencoder",
    "the learning-rate schedule",
    "the temperature parameter",
    "the saliency map",
]
VERBS = [
    "reduces",
    "overestimates",
    "captures",
    "ignores",
    "amplifies",
    "stabilises",
    "recovers",
    "predicts",
    "compresses",
    "separates",
    "smooths",
    "distorts",
    "explains",
    "underweights",
    "preserves",
    "reshapes",
    "tracks",
    "saturates",
]
OBJECTS = [
    "the variance of the gradient",
    "long-range dependencies",
    "the token embeddings",
    "the confidence of wrong answers",
    "rare classes",
    "the loss landscape",
    "most of the signal",
    "the positional information",
    "the noise schedule",
    "the contribution of each feature",
    "out-of-distribution inputs",
    "the norm of the activations",
    "the ranking of the tokens",
    "the effect of the prompt",
    "the curvature of the objective",
    "the spurious correlations in the data",
    "the calibration error",
]
MODIFIERS = [
    "in practice",
    "on held-out data",
    "at larger scales",
    "without extra supervision",
    "for short sequences",
    "after a few thousand steps",
    "on every benchmark we tried",
    "only at initialisation",
    "when the batch is small",
    "under distribution shift",
    "in the first layers",
    "once the model is fine-tuned",
    "at low temperature",
]
CONNECTORS = [
    "However,",
    "In contrast,",
    "Moreover,",
    "As a result,",
    "Surprisingly,",
    "In our experiments,",
    "At first sight,",
    "Put differently,",
    "Crucially,",
    "In hindsight,",
    "For this reason,",
    "Taken together,",
]
DATASETS = [
    "ImageNet",
    "CIFAR-10",
    "SST-2",
    "MNLI",
    "WikiText-103",
    "C4",
    "LAION",
    "MS MARCO",
    "GSM8K",
    "OpenWebText",
]
SYMBOLS = [
    "x_i",
    r"\theta",
    r"\eta",
    r"\lambda",
    r"h_t",
    r"\sigma(z)",
    r"W_Q",
    r"\beta_t",
    r"p_\theta(y \mid x)",
    r"\mathbb{E}[X]",
    r"\|w\|_2",
    r"d_k",
]

EQUATIONS = [
    r"\mathrm{Attention}(Q, K, V) = \operatorname{softmax}\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V",
    r"\mathcal{L}(\theta) = -\frac{1}{N} \sum_{i=1}^{N} \log p_\theta(y_i \mid x_i)",
    r"\theta_{t+1} = \theta_t - \eta \, \nabla_\theta \mathcal{L}(\theta_t)",
    r"\mathrm{ECE} = \sum_{m=1}^{M} \frac{|B_m|}{n} \left| \mathrm{acc}(B_m) - \mathrm{conf}(B_m) \right|",
    r"q(x_t \mid x_{t-1}) = \mathcal{N}\left(x_t; \sqrt{1-\beta_t}\, x_{t-1}, \beta_t \mathbf{I}\right)",
    "\\begin{aligned}\n  h_t &= \\tanh(W_h h_{t-1} + W_x x_t + b) \\\\\n  y_t &= \\operatorname{softmax}(W_y h_t)\n\\end{aligned}",
    r"\mathrm{KL}(p \,\|\, q) = \int p(x) \log \frac{p(x)}{q(x)} \, dx",
    r"\log p(x) \geq \underbrace{\mathbb{E}_{q}[\log p(x \mid z)]}_{\text{reconstruction}} - \underbrace{\mathrm{KL}(q(z \mid x) \,\|\, p(z))}_{\text{regularizer}}",
    r"\hat{y} = \operatorname*{arg\,max}_{c \in \mathcal{C}} \; \mathbb{P}(y = c \mid x)",
]

#: Coloured equations: (LaTeX with ``\eqterm{name}{body}``, legend, (prose text, name)).
COLORED = [
    (
        r"s_i = \left\| \eqterm{grad}{\nabla_{X_i} f_c(X_{1:n})} \odot \eqterm{input}{X_i} \right\|_2",
        [
            ("grad", "gradient of the class score with respect to token *i*"),
            ("input", "embedding vector of token *i*"),
        ],
        ("the gradient", "grad"),
    ),
    (
        r"\eqterm{loss}{\mathcal{L}(\theta)} = \eqterm{recon}{\mathbb{E}_{q}[\log p(x \mid z)]} - \eqterm{reg}{\mathrm{KL}(q \,\|\, p)}",
        [
            ("loss", "the objective we minimise"),
            ("recon", "how well the decoder reconstructs *x*"),
            ("reg", "how far the posterior drifts from the prior"),
        ],
        ("the reconstruction term", "recon"),
    ),
    (
        r"\operatorname{softmax}\left(\frac{\eqterm{query}{Q} \eqterm{key}{K}^\top}{\eqterm{scale}{\sqrt{d_k}}}\right) V",
        [
            ("query", "what each token is looking for"),
            ("key", "what each token offers"),
            ("scale", "keeps the logits in a range where the softmax is not saturated"),
        ],
        ("the keys", "key"),
    ),
    (
        r"x_{t-1} = \eqterm{mean}{\frac{1}{\sqrt{\alpha_t}}\left(x_t - \frac{\beta_t}{\sqrt{1-\bar\alpha_t}} \epsilon_\theta(x_t, t)\right)} + \eqterm{noise}{\sigma_t z}",
        [
            ("mean", "the denoised estimate of the previous step"),
            ("noise", "fresh Gaussian noise, scaled by the schedule"),
        ],
        ("the fresh noise", "noise"),
    ),
]

CODE = '''import torch


def gradient_times_input(model, embeddings, target):
    """Score each token by the norm of gradient times input."""
    embeddings = embeddings.detach().requires_grad_(True)
    score = model(inputs_embeds=embeddings).logits[0, target]
    (grad,) = torch.autograd.grad(score, embeddings)
    return (grad * embeddings).norm(dim=-1)


scores = gradient_times_input(model, embed(tokens), target=1)
print(scores.topk(5))
'''

# --------------------------------------------------------------------------- model


@dataclass
class Ref:
    key: str
    entry: str  # BibTeX body after the key


@dataclass
class Post:
    number: int
    slug: str
    title: str
    description: str
    authors: list[tuple[str, str]]  # (name, affiliation)
    published: str
    tags: list[str]
    refs: list[Ref]
    blocks: list[tuple] = field(default_factory=list)
    footnotes: list[tuple[str, str]] = field(default_factory=list)
    figures: list[tuple[str, bytes]] = field(default_factory=list)


def png(width: int, height: int, rng: random.Random) -> bytes:
    """A small gradient PNG (RGB, 8 bit), written with zlib and struct only."""
    r0, g0, b0 = (rng.randrange(256) for _ in range(3))
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row += bytes(((r0 + 3 * x) % 256, (g0 + 4 * y) % 256, (b0 + x + y) % 256))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def title_case(words: list[str]) -> str:
    return " ".join(words)


def make_refs(rng: random.Random) -> list[Ref]:
    refs: list[Ref] = []
    used: set[str] = set()
    while len(refs) < 12:
        first = rng.choice(SURNAMES)
        year = rng.randrange(2012, 2026)
        key = f"{first.lower().replace('-', '')}{year}"
        if key in used:
            continue
        used.add(key)
        authors = [f"{first}, {rng.choice(GIVEN)}"]
        authors += [
            f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}" for _ in range(rng.randrange(0, 4))
        ]
        title = title_case(rng.sample(TITLE_WORDS, rng.randrange(4, 9)))
        kind, field_name, venue = rng.choice(VENUES)
        lines = [
            f"  title = {{{title}}}",
            f"  author = {{{' and '.join(authors)}}}",
            f"  {field_name} = {{{venue}}}",
            f"  year = {{{year}}}",
        ]
        if kind != "misc":
            start = rng.randrange(1, 9000)
            lines.append(f"  pages = {{{start}--{start + rng.randrange(8, 20)}}}")
        if rng.random() < 0.5:
            lines.append(
                f"  doi = {{10.{rng.randrange(1000, 9999)}/{key}.{rng.randrange(100, 999)}}}"
            )
        else:
            lines.append(f"  url = {{https://example.org/papers/{key}}}")
        refs.append(Ref(key, f"@{kind}{{KEY,\n" + ",\n".join(lines) + "\n}\n"))
    return refs


class Prose:
    """Sentences with inline markup placeholders, rendered per dialect later.

    Placeholders: ``@p:KEY1,KEY2@`` / ``@t:KEY@`` (citations), ``@fn:ID@`` (footnote
    reference), ``@eqt:TEXT|NAME@`` (prose term of a coloured equation), ``@eq:LABEL@``.
    """

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self) -> str:
        r = self.rng
        kind = r.randrange(9)
        s, v, o, m = r.choice(SUBJECTS), r.choice(VERBS), r.choice(OBJECTS), r.choice(MODIFIERS)
        if kind == 0:
            text = f"{r.choice(CONNECTORS)} {s} {v} {o} {m}."
        elif kind == 1:
            text = f"When {r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)}, {s} {v} {o}."
        elif kind == 2:
            text = f"We find that {s} {v} {o}, which {r.choice(VERBS)} {r.choice(OBJECTS)} {m}."
        elif kind == 3:
            text = f"This matters because {s} {v} {o} {m}."
        elif kind == 4:
            text = (
                f"On {r.choice(DATASETS)}, the gap is about {r.randrange(1, 19)}.{r.randrange(10)} "
                f"percentage points -- small, but consistent across {r.randrange(3, 11)} seeds."
            )
        elif kind == 5:
            text = f"Here ${r.choice(SYMBOLS)}$ denotes how strongly {s} {v} {o}."
        elif kind == 6:
            text = f'Practitioners often call this "{r.choice(TITLE_WORDS).lower()} drift", and {s} *{v}* it {m}.'
        elif kind == 7:
            text = f"With ${r.choice(SYMBOLS)} = {r.randrange(1, 9)} \\times 10^{{-{r.randrange(2, 6)}}}$, {s} {v} {o}."
        else:
            text = f"{r.choice(CONNECTORS)} the `{r.choice(['torch.no_grad', 'model.eval', 'fit', 'sample'])}()` call {v} {o}."
        return text[0].upper() + text[1:]

    def paragraph(self, n: int) -> list[str]:
        return [self.sentence() for _ in range(n)]


def lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def make_post(number: int, seed: int) -> Post:
    rng = random.Random(seed * 100_003 + number)
    topic = rng.choice(TOPICS)
    slug = f"{number:03d}-{topic}-{rng.choice(['revisited', 'illustrated', 'explained', 'in-practice', 'at-scale'])}"
    title = (
        f"{topic.capitalize()} {rng.choice(['revisited', 'illustrated', 'explained', 'in practice', 'at scale'])}: "
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    )
    description = (
        f"A close reading of how {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, "
        f"with {rng.randrange(3, 7)} experiments and the code to reproduce them."
    )
    authors = [
        (f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}", rng.choice(AFFILIATIONS))
        for _ in range(rng.randrange(1, 4))
    ]
    published = f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    post = Post(
        number,
        slug,
        title,
        description,
        authors,
        published,
        sorted(rng.sample(TAGS, rng.randrange(1, 4))),
        make_refs(rng),
    )
    prose = Prose(rng)
    keys = [ref.key for ref in post.refs]
    cite_order = keys[:]  # every key cited at least once, in this order
    equations = rng.sample(EQUATIONS, 4)
    colored = rng.sample(COLORED, 2)
    # Where things go: one section each, spread over the post.
    eq_at = {1: [0], 2: [1, 2], 4: [3]}
    ceq_at = {2: 0, 3: 1}
    fig_at = {0: 0, 3: 1, 4: 2, 6: 3}
    note_at = {0, 2, 5}
    fn_at = {1, 4, 6}
    blocks: list[tuple] = []
    fig_n = 0
    for s_index, section in enumerate(SECTIONS):
        blocks.append(("h2", section))
        n_paragraphs = 3 if s_index not in (0, 7) else 2
        for p_index in range(n_paragraphs):
            sentences = prose.paragraph(rng.randrange(6, 9))
            if cite_order and rng.random() < 0.8:
                key = cite_order.pop(0)
                if rng.random() < 0.3 and cite_order:
                    at = rng.randrange(len(sentences))
                    sentences[at] = sentences[at][:-1] + f" @p:{key},{cite_order.pop(0)}@."
                elif rng.random() < 0.3:
                    sentences.insert(0, f"@t:{key}@ {rng.choice(VERBS)} {rng.choice(OBJECTS)}.")
                else:
                    at = rng.randrange(len(sentences))
                    sentences[at] = sentences[at][:-1] + f" @p:{key}@."
            elif rng.random() < 0.4:
                sentences.append(f"See also @p:{rng.choice(keys)}@.")
            if p_index == 0 and s_index in fn_at:
                fid = f"fn{len(post.footnotes) + 1}"
                sentences[0] += f"@fn:{fid}@"
                post.footnotes.append((fid, " ".join(prose.paragraph(2))))
            if s_index == 0 and p_index == 0:
                sentences.append(EDIT_SENTENCE)
            blocks.append(("p", " ".join(sentences)))
            if p_index == 0 and s_index in note_at:
                note = " ".join(prose.paragraph(2))
                if s_index == 2:
                    note += f" @p:{rng.choice(keys)}@"
                blocks.append(("note", note))
            if p_index == 0 and s_index in eq_at:
                for e in eq_at[s_index]:
                    label = f"eq-{number:03d}-{e + 1}"
                    blocks.append(("eq", equations[e], label))
                    blocks.append(("p", f"In @eq:{label}@, " + lower_first(prose.sentence())))
            if p_index == 1 and s_index in ceq_at:
                latex, legend, (text, name) = colored[ceq_at[s_index]]
                label = f"ceq-{number:03d}-{ceq_at[s_index] + 1}"
                blocks.append(("ceq", latex, legend, label))
                blocks.append(
                    (
                        "p",
                        f"Equation @eq:{label}@ separates @eqt:{text}|{name}@ from the rest. "
                        + " ".join(prose.paragraph(3)),
                    )
                )
            if p_index == 1 and s_index in fig_at:
                fig_n += 1
                name = f"fig-{number:03d}-{fig_n}"
                # No citation inside the caption: plain Sphinx's LaTeX writer breaks on a
                # \\hyperlink in \\caption ("Argument of \\Hy@tempa has an extra }").
                caption = " ".join(prose.paragraph(1))
                blocks.append(
                    (
                        "fig",
                        f"figure-{fig_n}.png",
                        f"Plot {fig_n}: {rng.choice(OBJECTS)} against training steps",
                        caption,
                        name,
                    )
                )
                post.figures.append((f"figure-{fig_n}.png", png(48 + 8 * fig_n, 32, rng)))
                blocks.append(
                    (
                        "p",
                        f"As {{ref}}`{name}` shows, "
                        + lower_first(prose.sentence())[:-1]
                        + f", after @p:{rng.choice(keys)}@.",
                    )
                )
            if s_index == 4 and p_index == 2:
                rows = [
                    (
                        d,
                        f"{rng.uniform(60, 95):.1f}",
                        f"{rng.uniform(60, 95):.1f}",
                        f"{rng.uniform(0.01, 0.2):.3f}",
                    )
                    for d in rng.sample(DATASETS, 5)
                ]
                blocks.append(("table", rows))
            if s_index == 3 and p_index == 2:
                blocks.append(("code", CODE))
    post.blocks = blocks
    return post


# --------------------------------------------------------------------------- rendering


def render_inline(text: str, dialect: str, post: Post) -> str:
    prefix = f"p{post.number:03d}-" if dialect == "plain" else ""
    out = []
    for i, part in enumerate(text.split("@")):
        if i % 2 == 0:
            out.append(part)
            continue
        kind, _, value = part.partition(":")
        if kind in ("p", "t"):
            keys = ",".join(prefix + key for key in value.split(","))
            out.append(f"{{cite:{kind}}}`{keys}`")
        elif kind == "fn":
            out.append(f"[^{value}]")
        elif kind == "eq":
            out.append(f"{{eq}}`{value}`")
        elif kind == "eqt":
            words, _, name = value.partition("|")
            out.append(
                f"{{eqterm}}`{words} <{name}>`" if dialect == "sphinx-article" else f"*{words}*"
            )
        else:  # pragma: no cover - generator bug
            raise ValueError(part)
    return "".join(out)


def strip_eqterms(latex: str) -> str:
    """``\\eqterm{name}{body}`` -> ``body`` (braces balanced)."""
    out, i = [], 0
    while (j := latex.find(r"\eqterm{", i)) >= 0:
        out.append(latex[i:j])
        k = latex.index("}", j) + 1  # end of {name}
        depth, m = 0, k
        while True:
            depth += {"{": 1, "}": -1}.get(latex[m], 0)
            m += 1
            if depth == 0:
                break
        out.append("{" + latex[k + 1 : m - 1] + "}")
        i = m
    out.append(latex[i:])
    return "".join(out)


def render_post(post: Post, dialect: str) -> str:
    sa = dialect == "sphinx-article"
    lines: list[str] = []
    if sa:
        lines += [
            "---",
            f"title: {post.title!r}".replace("'", '"'),
            f"description: {post.description!r}".replace("'", '"'),
            "authors:",
        ]
        for name, affiliation in post.authors:
            lines += [f"  - name: {name}", f"    affiliations: [{affiliation}]"]
        lines += [f"published: {post.published}", f"tags: [{', '.join(post.tags)}]", "---", ""]
    else:
        byline = ", ".join(f"{name} ({affiliation})" for name, affiliation in post.authors)
        lines += [
            f"# {post.title}",
            "",
            f"*{post.description}*",
            "",
            f"By {byline}. Published {post.published}. Tags: {', '.join(post.tags)}.",
            "",
        ]
    fence = "```"
    for block in post.blocks:
        kind = block[0]
        if kind == "h2":
            lines += [f"## {block[1]}", ""]
        elif kind == "p":
            lines += [render_inline(block[1], dialect, post), ""]
        elif kind == "note":
            lines += [
                f"{fence}{{{'margin-note' if sa else 'note'}}}",
                render_inline(block[1], dialect, post),
                fence,
                "",
            ]
        elif kind == "eq":
            lines += ["$$", block[1], f"$$ ({block[2]})", ""]
        elif kind == "ceq":
            _, latex, legend, label = block
            if sa:
                lines += [f"{fence}{{colored-equation}}", f":label: {label}", latex, ""]
                lines += [f"{name}: {text}" for name, text in legend]
                lines += [fence, ""]
            else:
                lines += ["$$", strip_eqterms(latex), f"$$ ({label})", ""]
                lines += [f"- **{name}**: {text}" for name, text in legend] + [""]
        elif kind == "fig":
            _, filename, alt, caption, name = block
            lines += [
                f"{fence}{{figure}} {filename}",
                f":alt: {alt}",
                f":name: {name}",
                "",
                render_inline(caption, dialect, post),
                fence,
                "",
            ]
        elif kind == "table":
            lines += ["| Dataset | Baseline (%) | Ours (%) | ECE |", "|---|---:|---:|---:|"]
            lines += [f"| {' | '.join(row)} |" for row in block[1]] + [""]
        elif kind == "code":
            lines += [f"{fence}python", block[1].rstrip("\n"), fence, ""]
    for fid, text in post.footnotes:
        lines += [f"[^{fid}]: {render_inline(text, dialect, post)}", ""]
    if not sa:
        lines += ["## References", "", f"{fence}{{bibliography}} refs.bib", fence, ""]
    return "\n".join(lines)


def render_bib(post: Post, dialect: str) -> str:
    prefix = f"p{post.number:03d}-" if dialect == "plain" else ""
    return "\n".join(ref.entry.replace("KEY", prefix + ref.key, 1) for ref in post.refs)


def conf_py(dialect: str, posts: list[Post], pdf: bool) -> str:
    head = (
        'project = "Benchmark Track"\nauthor = "The benchmark"\n'
        'copyright = "2026, the authors of each post"\nexclude_patterns = ["_build"]\n'
    )
    if dialect == "sphinx-article":
        return head + (
            'extensions = ["sphinx_article"]\nhtml_theme = "sphinx_article"\n'
            'article_venue = "Benchmark Track 2026"\n'
            'article_site_url = "https://bench.example.org/"\n'
        )
    bibs = ",\n    ".join(f'"posts/{post.slug}/refs.bib"' for post in posts)
    text = head + (
        'extensions = ["myst_parser", "sphinxcontrib.bibtex"]\n'
        f"myst_enable_extensions = {MYST_EXTENSIONS!r}\n"
        f"bibtex_bibfiles = [\n    {bibs},\n]\n"
        'html_theme = "alabaster"\n'
    )
    if pdf:
        entries = ",\n    ".join(
            f'("posts/{p.slug}/index", "{p.slug}.tex", {p.title!r}, '
            f'{", ".join(a for a, _ in p.authors)!r}, "howto")'
            for p in posts
        )
        text += f"latex_documents = [\n    {entries},\n]\n"
    return text


def index_md(dialect: str, posts: list[Post]) -> str:
    text = (
        "# Benchmark Track 2026\n\nThe accepted posts of a generated blog-post track, "
        "used to time builds.\n\n"
    )
    if dialect == "sphinx-article":
        return text + "```{post-index}\n```\n"
    entries = "\n".join(f"posts/{post.slug}/index" for post in posts)
    return text + f"```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n"


def generate(outdir: Path, n: int, dialect: str, seed: int = SEED, pdf: bool = False) -> list[Post]:
    """Write an ``n``-post site in ``dialect`` to ``outdir`` (replacing it)."""
    if outdir.exists():
        shutil.rmtree(outdir)
    posts = [make_post(i, seed) for i in range(n)]
    for post in posts:
        folder = outdir / "posts" / post.slug
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(render_post(post, dialect), encoding="utf-8")
        (folder / "refs.bib").write_text(render_bib(post, dialect), encoding="utf-8")
        for filename, data in post.figures:
            (folder / filename).write_bytes(data)
    (outdir / "conf.py").write_text(conf_py(dialect, posts, pdf), encoding="utf-8")
    (outdir / "index.md").write_text(index_md(dialect, posts), encoding="utf-8")
    return posts


def word_count(post: Post) -> int:
    text = " ".join(b[1] for b in post.blocks if b[0] in ("p", "note"))
    text += " ".join(t for _, t in post.footnotes)
    return len(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--dialect", choices=(*DIALECTS, "both"), default="both")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--pdf", action="store_true", help="plain: add latex_documents")
    args = parser.parse_args()
    for dialect in DIALECTS if args.dialect == "both" else (args.dialect,):
        target = args.outdir / dialect if args.dialect == "both" else args.outdir
        posts = generate(target, args.posts, dialect, args.seed, args.pdf)
        words = sum(word_count(p) for p in posts) // len(posts)
        print(f"{target}: {len(posts)} posts, about {words} words each")


if __name__ == "__main__":
    main()

"""Regenerate the example site's figures (a developer tool: needs matplotlib, numpy and
Pillow, which sphinx-article itself does not).  Run: python scripts/make_example_figures.py"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

POSTS = Path(__file__).resolve().parent.parent / "example_site" / "posts"
LIGHT = {"bg": "#ffffff", "fg": "#1d1f23"}
DARK = {"bg": "#16181d", "fg": "#e6e7ea"}


def style(ax, colors):  # type: ignore[no-untyped-def]
    ax.set_facecolor(colors["bg"])
    for spine in ax.spines.values():
        spine.set_color(colors["fg"])
    ax.tick_params(colors=colors["fg"])
    ax.xaxis.label.set_color(colors["fg"])
    ax.yaxis.label.set_color(colors["fg"])
    ax.title.set_color(colors["fg"])


def saliency(colors, path: Path) -> None:
    tokens = ["the", "film", "was", "not", "bad", "at", "all", ";", "superb", "acting"]
    scores = np.array([0.21, 1.02, 0.13, 1.9, 1.4, 0.1, 0.3, 0.05, 4.87, 2.2])
    fig, ax = plt.subplots(figsize=(8, 2.2), dpi=110, facecolor=colors["bg"])
    ax.bar(range(len(tokens)), scores, color="#0072B2")
    ax.set_xticks(range(len(tokens)), tokens)
    ax.set_ylabel("saliency $s_i$")
    style(ax, colors)
    fig.tight_layout()
    fig.savefig(path, facecolor=colors["bg"])
    plt.close(fig)


def attention(path: Path) -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(8, 8)) + np.eye(8) * 2.5
    weights = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    fig, ax = plt.subplots(figsize=(4, 3.6), dpi=110)
    im = ax.imshow(weights, cmap="viridis")
    ax.set_xlabel("key position")
    ax.set_ylabel("query position")
    fig.colorbar(im, ax=ax, fraction=0.046)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def diffusion(gif: Path, poster: Path) -> None:
    rng = np.random.default_rng(1)
    t = np.linspace(0, 2 * np.pi, 400)
    data = np.stack(
        [np.cos(t) * (1 + 0.3 * np.cos(5 * t)), np.sin(t) * (1 + 0.3 * np.cos(5 * t))], 1
    )
    noise = rng.normal(size=data.shape)
    frames = []
    for k, a in enumerate(np.linspace(0.02, 1.0, 12)):
        x = np.sqrt(a) * data + np.sqrt(1 - a) * noise
        fig, ax = plt.subplots(figsize=(4, 2.5), dpi=80)
        ax.scatter(x[:, 0], x[:, 1], s=4, color="#D55E00")
        ax.set_xlim(-3, 3)
        ax.set_ylim(-2.2, 2.2)
        ax.set_axis_off()
        ax.set_title(f"step {12 - k} of 12", fontsize=9)
        fig.tight_layout()
        fig.canvas.draw()
        frame = Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba())
        frames.append(frame.convert("RGB").convert("P", palette=Image.ADAPTIVE, colors=32))
        if k == 11:
            fig.savefig(poster)
        plt.close(fig)
    frames[0].save(
        gif, save_all=True, append_images=frames[1:], duration=250, loop=0, optimize=True
    )


def reliability(path: Path) -> None:
    conf = np.array([0.55, 0.65, 0.75, 0.85, 0.95])
    acc = np.array([0.56, 0.63, 0.71, 0.79, 0.86])
    fig, ax = plt.subplots(figsize=(4, 3.4), dpi=110)
    ax.plot([0.5, 1], [0.5, 1], "--", color="#555B65", label="perfect calibration")
    ax.plot(conf, acc, "o-", color="#0072B2", label="model (equal-mass bins)")
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


if __name__ == "__main__":
    saliency(LIGHT, POSTS / "gradient-times-input" / "saliency.png")
    saliency(DARK, POSTS / "gradient-times-input" / "saliency-dark.png")
    attention(POSTS / "attention-revisited" / "attention-map.png")
    diffusion(
        POSTS / "diffusion-in-motion" / "denoising.gif",
        POSTS / "diffusion-in-motion" / "denoising-poster.png",
    )
    reliability(POSTS / "calibration-correction" / "reliability.png")

// @ts-check
// sphinx-article figures: a keyboard-operable zoom for figure images, muted looping
// videos that play only when visible and when the reader allows motion, and a pause
// button for looping GIFs.  Everything here is optional: without script, figures are
// plain images, videos show their poster and controls, GIFs follow the system setting.
(() => {
  "use strict";
  const reduce = window.matchMedia("(prefers-reduced-motion: reduce)");
  const ZOOM_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" ' +
    'stroke="currentColor" stroke-width="2" stroke-linecap="round"><circle cx="10.5" cy="10.5" r="6.5"/>' +
    '<path d="M15.5 15.5 21 21M10.5 7.5v6M7.5 10.5h6"/></svg>';

  /** @type {HTMLDialogElement | null} */
  let dialog = null;
  /** @type {HTMLElement | null} */
  let opener = null;

  /** @param {Element} el */
  const shown = (el) => el instanceof HTMLElement && el.getClientRects().length > 0;

  const zoomDialog = () => {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "article-zoom-dialog";
    dialog.setAttribute("aria-label", "Enlarged figure");
    dialog.addEventListener("close", () => {
      if (opener) opener.focus();
      opener = null;
    });
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog || (event.target instanceof HTMLImageElement)) dialog?.close();
    });
    document.body.appendChild(dialog);
    return dialog;
  };

  /** @param {HTMLElement} figure @param {HTMLElement} trigger */
  const openZoom = (figure, trigger) => {
    const img = Array.from(figure.querySelectorAll("img")).find(shown);
    if (!(img instanceof HTMLImageElement)) return;
    const box = zoomDialog();
    box.replaceChildren();
    const close = document.createElement("button");
    close.type = "button";
    close.className = "article-zoom-close";
    close.setAttribute("aria-label", "Close enlarged figure");
    close.textContent = "\u00d7";
    close.addEventListener("click", () => box.close());
    const big = document.createElement("img");
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    // Fill the window (never capped at the file's own size); CSS keeps the ratio.
    if (img.naturalWidth && img.naturalHeight) big.style.setProperty("--zoom-ratio", String(img.naturalWidth / img.naturalHeight));
    box.append(close, big);
    const caption = figure.querySelector("figcaption");
    if (caption && caption.textContent) {
      const copy = /** @type {HTMLElement} */ (caption.cloneNode(true));
      copy.querySelectorAll(".headerlink, .article-hero__credit").forEach((link) => link.remove());
      const text = document.createElement("p");
      text.textContent = (copy.textContent || "").trim();
      box.append(text);
    }
    opener = trigger;
    box.showModal();
    close.focus();
  };

  const setUpZoom = () => {
    document.querySelectorAll("figure").forEach((node) => {
      const figure = /** @type {HTMLElement} */ (node);
      if (figure.closest(".article-interactive, .article-video-figure, .article-plotly")) return;
      const img = figure.querySelector("img:not(.article-interactive__fallback)");
      if (!img || img.closest("a")) return;
      figure.classList.add("article-zoomable");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "article-zoom-button";
      button.setAttribute("aria-label", `Enlarge figure${img.getAttribute("alt") ? ": " + img.getAttribute("alt") : ""}`);
      button.innerHTML = ZOOM_ICON;
      button.addEventListener("click", () => openZoom(figure, button));
      figure.querySelectorAll("img").forEach((image) => {
        image.addEventListener("click", () => openZoom(figure, button));
      });
      // Off the image: at the start of the caption (or under the image without one).
      const caption = figure.querySelector(":scope > figcaption");
      if (caption) caption.prepend(button);
      else figure.append(button);
    });
  };

  const setUpVideos = () => {
    const videos = /** @type {HTMLVideoElement[]} */ (Array.from(document.querySelectorAll("video[data-article-autoplay]")));
    if (!videos.length) return;
    /** @param {HTMLVideoElement} video */
    const pauseQuietly = (video) => {
      if (video.paused) return;
      video.dataset.articleAuto = "pause";
      video.pause();
    };
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const video = /** @type {HTMLVideoElement} */ (entry.target);
        if (entry.isIntersecting && !reduce.matches && !video.dataset.articleUserPaused) {
          video.play().catch(() => { /* not playable here: the poster stays */ });
        } else if (!entry.isIntersecting) {
          pauseQuietly(video);
        }
      }
    }, { threshold: 0.25 });
    for (const video of videos) {
      video.muted = true;
      video.addEventListener("pause", () => {
        if (video.dataset.articleAuto === "pause") delete video.dataset.articleAuto;
        else video.dataset.articleUserPaused = "1";
      });
      video.addEventListener("play", () => { delete video.dataset.articleUserPaused; });
      observer.observe(video);
    }
    reduce.addEventListener("change", () => { if (reduce.matches) videos.forEach(pauseQuietly); });
  };

  const setUpAnimations = () => {
    document.querySelectorAll("picture.article-animation").forEach((picture) => {
      const source = picture.querySelector("source");
      if (!source) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "article-motion-toggle";
      let paused = reduce.matches;
      const render = () => {
        button.textContent = paused ? "Play animation" : "Pause animation";
      };
      button.addEventListener("click", () => {
        paused = !paused;
        source.media = paused ? "all" : "not all";
        render();
      });
      render();
      picture.append(button);
    });
  };

  const init = () => {
    setUpZoom();
    setUpVideos();
    setUpAnimations();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

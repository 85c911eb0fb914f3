// @ts-check
// sphinx-article: the dark-mode toggle.  It flips the scheme the reader currently sees
// (the system's, until they choose) and remembers the choice in localStorage; the
// theme's <head> applies a stored choice before first paint, so nothing flashes.
(() => {
  "use strict";
  const KEY = "sphinx-article-theme";
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const effective = () => document.documentElement.dataset.theme || (media.matches ? "dark" : "light");
  /** Tell embedded explorables the resolved theme: {type: "sphinx-article:theme",
   * theme: "light" | "dark"} (sandboxed frames have an opaque origin, hence "*";
   * the message carries nothing but the theme's name). @param {HTMLIFrameElement} frame */
  const tell = (frame) => {
    try {
      frame.contentWindow?.postMessage({ type: "sphinx-article:theme", theme: effective() }, "*");
    } catch (e) { /* a frame that is gone */ }
  };
  const sync = () => {
    const dark = effective() === "dark";
    document.querySelectorAll("[data-theme-toggle]").forEach((button) => {
      button.setAttribute("aria-pressed", String(dark));
      button.setAttribute("aria-label", "Dark mode");
    });
    document.querySelectorAll("iframe").forEach((frame) => tell(/** @type {HTMLIFrameElement} */ (frame)));
  };
  // A region that scrolls sideways (a wide table, code, a long formula) must be
  // reachable by keyboard to be scrolled: make exactly those focusable (WCAG 2.1.1).
  let count = 0;
  const focusScrollables = () => {
    const main = document.querySelector("main") || document.body;
    main.querySelectorAll("pre, table, div, figure").forEach((el) => {
      if (el.scrollWidth <= el.clientWidth + 1 || el.hasAttribute("tabindex")) return;
      const overflow = getComputedStyle(el).overflowX;
      if (overflow !== "auto" && overflow !== "scroll") return;
      el.setAttribute("tabindex", "0");
      if (!el.hasAttribute("role") && el.tagName !== "TABLE") el.setAttribute("role", "region");
      count += 1;  // region landmarks need distinct names
      if (!el.hasAttribute("aria-label") && !el.hasAttribute("aria-labelledby")) el.setAttribute("aria-label", `Scrollable content ${count}`);
    });
  };
  const init = () => {
    sync();
    focusScrollables();
    // Widths change when the math font arrives, images load or the window turns.
    if (document.fonts) document.fonts.ready.then(focusScrollables);
    window.addEventListener("load", focusScrollables);
    let resizing = 0;
    window.addEventListener("resize", () => {
      window.clearTimeout(resizing);
      resizing = window.setTimeout(focusScrollables, 150);
    }, { passive: true });
    media.addEventListener("change", sync);
    document.querySelectorAll("iframe").forEach((node) => {
      const frame = /** @type {HTMLIFrameElement} */ (node);
      frame.addEventListener("load", () => tell(frame));
    });
    document.querySelectorAll("[data-theme-toggle]").forEach((button) => {
      button.addEventListener("click", () => {
        const next = effective() === "dark" ? "light" : "dark";
        document.documentElement.dataset.theme = next;
        try {
          localStorage.setItem(KEY, next);
        } catch (e) { /* storage disabled: the choice lasts for this page only */ }
        sync();
      });
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

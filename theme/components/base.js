// @ts-check
// sphinx-article: the colour-scheme toggle (auto -> light -> dark), remembered in
// localStorage.  The stored choice is applied before first paint by the theme's head.
(() => {
  "use strict";
  const KEY = "sphinx-article-theme";
  const LABELS = { auto: "follow system", light: "light", dark: "dark" };
  /** @param {string} mode */
  const apply = (mode) => {
    if (mode === "auto") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = mode;
    document.querySelectorAll("[data-theme-toggle]").forEach((button) => {
      button.setAttribute("aria-label", `Colour scheme: ${LABELS[mode]}`);
      button.setAttribute("data-mode", mode);
    });
  };
  const current = () => document.documentElement.dataset.theme || "auto";
  const init = () => {
    apply(current());
    document.querySelectorAll("[data-theme-toggle]").forEach((button) => {
      button.addEventListener("click", () => {
        const order = ["auto", "light", "dark"];
        const next = order[(order.indexOf(current()) + 1) % order.length];
        try {
          if (next === "auto") localStorage.removeItem(KEY);
          else localStorage.setItem(KEY, next);
        } catch (e) { /* storage may be disabled: the toggle still works for this page */ }
        apply(next);
      });
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// @ts-check
// sphinx-article: the dark-mode toggle.  It flips the scheme the reader currently sees
// (the system's, until they choose) and remembers the choice in localStorage; the
// theme's <head> applies a stored choice before first paint, so nothing flashes.
(() => {
  "use strict";
  const KEY = "sphinx-article-theme";
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const effective = () => document.documentElement.dataset.theme || (media.matches ? "dark" : "light");
  const sync = () => {
    const dark = effective() === "dark";
    document.querySelectorAll("[data-theme-toggle]").forEach((button) => {
      button.setAttribute("aria-pressed", String(dark));
      button.setAttribute("aria-label", "Dark mode");
    });
  };
  const init = () => {
    sync();
    media.addEventListener("change", sync);
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

// @ts-check
// sphinx-article: linked highlighting of equation terms.  Hovering or focusing a
// legend entry, a prose term or a term in an equation marks every element of the
// same term on the page (class "eqterm-active").  Without this script the colours
// and legend are unchanged; only the linking is lost.
(() => {
  "use strict";
  const ACTIVE = "eqterm-active";
  /** @param {string | null} term @param {boolean} on */
  const mark = (term, on) => {
    if (!term) return;
    const selector = `.eqterm[data-term="${CSS.escape(term)}"]`;
    document.querySelectorAll(selector).forEach((el) => el.classList.toggle(ACTIVE, on));
  };
  /** @param {Element} trigger @param {string | null} term */
  const bind = (trigger, term) => {
    trigger.addEventListener("mouseenter", () => mark(term, true));
    trigger.addEventListener("mouseleave", () => mark(term, false));
    trigger.addEventListener("focusin", () => mark(term, true));
    trigger.addEventListener("focusout", () => mark(term, false));
  };
  const init = () => {
    document.querySelectorAll(".eqterm[data-term]").forEach((el) => {
      const item = el.classList.contains("eqterm-key") ? el.closest(".eqterm-legend-item") : null;
      bind(item || el, el.getAttribute("data-term"));
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

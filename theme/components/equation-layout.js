// @ts-check
// sphinx-article: a display equation wider than its column scrolls in its own row
// (equation-layout.css draws the edge shadows without script).  This script makes
// such a row reachable by keyboard: tabindex 0, role "group" and a name from the
// equation's number ("Equation (3), scrolls sideways"), so arrow keys scroll it.
// Rows that fit get none of this, and lose it again when the window grows.
(() => {
  "use strict";
  const CLASS = "article-scrolls";
  /** @param {HTMLElement} row */
  const update = (row) => {
    const scrolls = row.scrollWidth > row.clientWidth + 1;
    if (scrolls === row.classList.contains(CLASS)) return;
    row.classList.toggle(CLASS, scrolls);
    if (scrolls) {
      const block = row.closest(".math-display");
      const number = block ? block.querySelector(".eqno") : null;
      const text = number ? (number.textContent || "").replace(/[^\w().,:-]+/g, " ").trim() : "";
      row.setAttribute("tabindex", "0");
      row.setAttribute("role", "group");
      row.setAttribute("aria-label", `Equation${text ? " " + text : ""}, scrolls sideways`);
    } else {
      row.removeAttribute("tabindex");
      row.removeAttribute("role");
      row.removeAttribute("aria-label");
    }
  };
  const init = () => {
    /** @type {HTMLElement[]} */
    const rows = Array.from(document.querySelectorAll(".math-display > .math-rows"));
    if (!rows.length) return;
    rows.forEach(update);
    if ("ResizeObserver" in window) {
      const observer = new ResizeObserver((entries) => {
        entries.forEach((entry) => update(/** @type {HTMLElement} */ (entry.target)));
      });
      rows.forEach((row) => observer.observe(row));
    }
    // web fonts change widths once they load
    if (document.fonts) document.fonts.ready.then(() => rows.forEach(update));
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

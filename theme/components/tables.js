// @ts-check
// sphinx-article: tables.  Columns whose cells are all numbers are right-aligned (class
// "article-num", so digits line up), and a table wider than its column gets a shadow at
// the edge that scrolls (class "article-scrolls"), a cue that there is more.  Without
// script, tables are left-aligned and scroll as they are.
(() => {
  "use strict";
  const NUMBER = /^[-+\u2212\u00b1~\u2248<>]?\s*[$\u20ac\u00a3]?\s*\d[\d.,\u202f\u2009 ]*(\s*(\u00b1|\+\/-)\s*\d[\d.,]*)?\s*(%|\u00d7|x|k|M|B|s|ms)?\*?$/;

  /** @param {HTMLTableElement} table */
  const alignNumbers = (table) => {
    const rows = Array.from(table.tBodies).flatMap((body) => Array.from(body.rows));
    if (!rows.length) return;
    const columns = Math.max(...rows.map((row) => row.cells.length));
    for (let col = 0; col < columns; col += 1) {
      const cells = rows.map((row) => row.cells[col]).filter((cell) => cell && cell.colSpan === 1);
      const filled = cells.filter((cell) => (cell.textContent || "").trim() !== "" && (cell.textContent || "").trim() !== "\u2014");
      if (!filled.length || !filled.every((cell) => NUMBER.test((cell.textContent || "").trim()))) continue;
      cells.forEach((cell) => cell.classList.add("article-num"));
      if (table.tHead) {
        for (const row of Array.from(table.tHead.rows)) {
          const head = row.cells[col];
          if (head && head.colSpan === 1) head.classList.add("article-num");
        }
      }
    }
  };

  const markOverflow = () => {
    document.querySelectorAll("main table").forEach((node) => {
      const table = /** @type {HTMLTableElement} */ (node);
      table.classList.toggle("article-scrolls", table.scrollWidth > table.clientWidth + 1);
    });
  };

  const init = () => {
    document.querySelectorAll("main table").forEach((table) => alignNumbers(/** @type {HTMLTableElement} */ (table)));
    markOverflow();
    window.addEventListener("resize", markOverflow, { passive: true });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// @ts-check
// sphinx-article: the "Copy BibTeX" button of the appendix.  The button is hidden in
// the HTML and shown only here, so readers without script see the text and the
// ".bib" download link, never a dead button.
(() => {
  "use strict";
  /** @param {string} text @returns {Promise<void>} */
  const copy = async (text) => {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    if (!ok) throw new Error("copy refused");
  };

  const init = () => {
    document.querySelectorAll("button.article-copy[data-copy-target]").forEach((node) => {
      const button = /** @type {HTMLButtonElement} */ (node);
      const source = document.getElementById(button.dataset.copyTarget || "");
      if (!source) return;
      const status = button.parentElement && button.parentElement.querySelector(".article-copy__status");
      button.hidden = false;
      button.addEventListener("click", () => {
        copy(source.textContent || "").then(
          () => { if (status) status.textContent = button.dataset.copied || "Copied."; },
          () => { if (status) status.textContent = button.dataset.failed || "Copy failed."; },
        );
        window.setTimeout(() => { if (status) status.textContent = ""; }, 4000);
      });
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// @ts-check
// sphinx-article: the toggles of margin notes and sidenotes on narrow screens.  One
// delegated listener; the button's aria-expanded is the state and CSS shows the note.
(() => {
  "use strict";
  document.addEventListener("click", (event) => {
    const target = /** @type {Element | null} */ (event.target instanceof Element ? event.target : null);
    const button = target ? target.closest(".article-note__toggle") : null;
    if (!button) return;
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
  });
})();

// @ts-check
// sphinx-article: the table of contents while reading.  The section being read is
// marked (aria-current) in the sticky contents beside the text and, on narrow screens,
// in a floating "Contents" button's panel, shown once the inline contents at the top
// have scrolled away.  Without script the contents are an ordinary list of links.
(() => {
  "use strict";
  const wide = window.matchMedia("(min-width: 80rem)");

  const init = () => {
    const nav = document.querySelector("nav.article-toc");
    const list = nav && nav.querySelector("ul");
    if (!nav || !list) return;
    const details = nav.querySelector("details");
    wide.addEventListener("change", () => { if (details) details.open = wide.matches; });

    const panel = document.createElement("div");
    panel.id = "article-toc-panel";
    panel.className = "article-toc-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "Contents");
    panel.hidden = true;
    panel.append(list.cloneNode(true));
    const fab = document.createElement("button");
    fab.type = "button";
    fab.className = "article-toc-fab";
    fab.hidden = true;
    fab.setAttribute("aria-expanded", "false");
    fab.setAttribute("aria-controls", panel.id);
    fab.innerHTML = '<svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" ' +
      'stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M4 6h16M4 12h16M4 18h10"/></svg>';
    const label = document.createElement("span");
    label.textContent = (nav.querySelector("summary")?.textContent || "Contents").trim();
    fab.append(label);
    document.body.append(panel, fab);

    /** @param {boolean} open */
    const setOpen = (open) => {
      panel.hidden = !open;
      fab.setAttribute("aria-expanded", String(open));
    };
    fab.addEventListener("click", () => {
      setOpen(panel.hidden);
      if (!panel.hidden) (panel.querySelector('[aria-current="true"]') || panel.querySelector("a"))?.focus();
    });
    panel.addEventListener("click", (event) => {
      if (event.target instanceof Element && event.target.closest("a")) setOpen(false);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !panel.hidden) { setOpen(false); fab.focus(); }
    });
    document.addEventListener("click", (event) => {
      if (!panel.hidden && event.target instanceof Node && !panel.contains(event.target) && !fab.contains(event.target)) setOpen(false);
    });
    // The button appears when the inline contents are out of sight (narrow screens).
    new IntersectionObserver(([entry]) => {
      const show = !wide.matches && !entry.isIntersecting && entry.boundingClientRect.top < 0;
      fab.hidden = !show;
      if (!show) setOpen(false);
    }).observe(nav);

    // The current section: the last heading above a line 30% down the window.
    const links = /** @type {HTMLAnchorElement[]} */ (Array.from(document.querySelectorAll(
      'nav.article-toc a[href^="#"], #article-toc-panel a[href^="#"]')));
    const idOf = (/** @type {HTMLAnchorElement} */ link) => decodeURIComponent((link.getAttribute("href") || "").slice(1));
    /** @type {[string, Element][]} */
    const ordered = [];
    for (const link of links) {
      const id = idOf(link);
      const target = id ? document.getElementById(id) : null;
      if (target && !ordered.some(([known]) => known === id)) {
        ordered.push([id, target.querySelector("h1, h2, h3, h4, h5, h6") || target]);
      }
    }
    let current = "";
    let queued = false;
    const update = () => {
      queued = false;
      const line = window.innerHeight * 0.3;
      let found = "";
      for (const [id, heading] of ordered) {
        if (heading.getBoundingClientRect().top <= line) found = id;
      }
      if (found === current) return;
      current = found;
      for (const link of links) {
        if (found && idOf(link) === found) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
      }
    };
    const queue = () => {
      if (!queued) { queued = true; window.requestAnimationFrame(update); }
    };
    window.addEventListener("scroll", queue, { passive: true });
    window.addEventListener("resize", queue, { passive: true });
    update();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

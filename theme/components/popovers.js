// @ts-check
// sphinx-article: previews of citations, footnotes and numbered figures, tables and
// equations.  A popover opens on hover (after a short delay) and on keyboard focus,
// stays while the pointer is over the link or the popover itself, and closes when both
// are left, when focus moves on, or on Escape (WCAG 1.4.13: hoverable, persistent,
// dismissible).  On touch screens the first tap opens it and a second tap follows the
// link.  Without script every trigger is still an ordinary link to its target.
(() => {
  "use strict";
  const OPEN_DELAY = 120;
  const CLOSE_DELAY = 350;
  const TRIGGERS = [
    "a.article-cite",
    "a.footnote-reference",
    'a.reference.internal[href^="#"]',
  ].join(",");
  const FIGURE_TARGETS = 'figure, table, .figure, div.math, .math-wrapper, [id^="equation-"]';

  /** @type {HTMLElement | null} */
  let popover = null;
  /** @type {HTMLAnchorElement | null} */
  let owner = null;
  /** @type {number | undefined} */
  let openTimer;
  /** @type {number | undefined} */
  let closeTimer;
  let lastPointer = "mouse";
  let counter = 0;
  /** The link whose popover the reader dismissed with Escape: it stays closed until
   * the pointer or focus leaves that link. @type {HTMLAnchorElement | null} */
  let dismissed = null;
  /** Whose popover was open when the current tap began. @type {HTMLAnchorElement | null} */
  let ownerAtTap = null;

  /** @param {HTMLAnchorElement} link @returns {Element | null} */
  const targetOf = (link) => {
    const hash = link.getAttribute("href") || "";
    if (!hash.startsWith("#") || hash.length < 2) return null;
    return document.getElementById(decodeURIComponent(hash.slice(1)));
  };

  /** What the popover shows for a link, or null when the link gets no popover.
   * @param {HTMLAnchorElement} link @returns {{kind: string, content: Node} | null} */
  const contentFor = (link) => {
    const target = targetOf(link);
    if (!target || target.contains(link) || link.closest(".article-toc, .article-popover")) return null;
    /** @type {Element | null} */
    let source = null;
    let kind = "";
    if (link.classList.contains("article-cite")) {
      source = target.querySelector(".article-reference__text") || target;
      kind = "citation";
    } else if (link.classList.contains("footnote-reference")) {
      if (target.closest(".sidenote, .margin-note")) return null;
      source = target;
      kind = "footnote";
    } else if (target.matches(FIGURE_TARGETS) || target.querySelector(":scope > table")) {
      source = target;
      kind = "figure";
    } else {
      return null;
    }
    const clone = /** @type {Element} */ (source.cloneNode(true));
    clone.removeAttribute("id");
    clone.querySelectorAll("[id]").forEach((el) => el.removeAttribute("id"));
    clone.querySelectorAll(".label, .headerlink, .article-reference__backrefs, [role='doc-backlink'], button")
      .forEach((el) => el.remove());
    return { kind, content: clone };
  };

  /** @param {HTMLAnchorElement} link */
  const place = (link) => {
    if (!popover) return;
    const rect = link.getBoundingClientRect();
    const width = Math.min(popover.offsetWidth, document.documentElement.clientWidth - 16);
    let left = rect.left + window.scrollX + rect.width / 2 - width / 2;
    left = Math.max(window.scrollX + 8, Math.min(left, window.scrollX + document.documentElement.clientWidth - width - 8));
    const below = window.innerHeight - rect.bottom > popover.offsetHeight + 12 || rect.top < popover.offsetHeight + 12;
    const top = below ? rect.bottom + window.scrollY + 6 : rect.top + window.scrollY - popover.offsetHeight - 6;
    popover.style.left = `${Math.round(left)}px`;
    popover.style.top = `${Math.round(top)}px`;
    popover.dataset.side = below ? "below" : "above";
  };

  const close = () => {
    window.clearTimeout(openTimer);
    window.clearTimeout(closeTimer);
    if (owner) owner.removeAttribute("aria-describedby");
    if (popover) popover.remove();
    popover = null;
    owner = null;
  };

  /** @param {HTMLAnchorElement} link */
  const open = (link) => {
    window.clearTimeout(closeTimer);
    if (owner === link || dismissed === link) return;
    close();
    const found = contentFor(link);
    if (!found) return;
    counter += 1;
    const box = document.createElement("div");
    box.className = `article-popover article-popover--${found.kind}`;
    box.id = `article-popover-${counter}`;
    box.setAttribute("role", "tooltip");
    box.appendChild(found.content);
    box.addEventListener("pointerenter", () => window.clearTimeout(closeTimer));
    box.addEventListener("pointerleave", (event) => {
      if (/** @type {PointerEvent} */ (event).pointerType !== "touch") scheduleClose();
    });
    document.body.appendChild(box);
    popover = box;
    owner = link;
    link.setAttribute("aria-describedby", box.id);
    place(link);
  };

  const scheduleClose = () => {
    window.clearTimeout(openTimer);
    window.clearTimeout(closeTimer);
    closeTimer = window.setTimeout(() => {
      if (owner && owner === document.activeElement && owner.matches(":focus-visible")) return;
      if (popover && popover.contains(document.activeElement)) return; // the reader tabbed in
      close();
    }, CLOSE_DELAY);
  };

  /** The links of an open popover (DOI, URL) are in the tab order right after its
   * trigger: Tab from the trigger enters the popover, Tab past its last link goes on
   * to what follows the trigger, Shift+Tab from its first link returns to the trigger.
   * @param {KeyboardEvent} event */
  const keyboardIntoPopover = (event) => {
    if (!popover || !owner) return;
    const links = /** @type {HTMLElement[]} */ (Array.from(popover.querySelectorAll("a[href]")));
    const active = document.activeElement;
    if (!links.length) return;
    if (active === owner && !event.shiftKey) {
      event.preventDefault();
      links[0].focus();
    } else if (active === links[0] && event.shiftKey) {
      event.preventDefault();
      owner.focus();
    } else if (active === links[links.length - 1] && !event.shiftKey) {
      event.preventDefault();
      const from = owner;
      const all = /** @type {HTMLElement[]} */ (Array.from(document.querySelectorAll(
        'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')))
        .filter((el) => !popover?.contains(el) && el.getClientRects().length > 0 && el.tabIndex >= 0);
      const next = all[all.indexOf(from) + 1];
      dismissed = from;
      close();
      if (next) next.focus();
      else from.focus();
    }
  };

  /** @param {EventTarget | null} target @returns {HTMLAnchorElement | null} */
  const triggerFrom = (target) => {
    if (!(target instanceof Element)) return null;
    const link = target.closest(TRIGGERS);
    return link instanceof HTMLAnchorElement && !link.closest(".article-popover") ? link : null;
  };

  const init = () => {
    document.addEventListener("pointerover", (event) => {
      lastPointer = event.pointerType || "mouse";
      if (lastPointer === "touch") return;
      const link = triggerFrom(event.target);
      if (!link) return;
      const from = /** @type {Node | null} */ (event.relatedTarget);
      if (link === dismissed && from && link.contains(from)) return; // moved within the link
      if (link === dismissed) dismissed = null; // a new hover
      window.clearTimeout(closeTimer);
      window.clearTimeout(openTimer);
      openTimer = window.setTimeout(() => open(link), OPEN_DELAY);
    });
    document.addEventListener("pointerout", (event) => {
      if (event.pointerType === "touch") return;
      const link = triggerFrom(event.target);
      if (!link) return;
      window.clearTimeout(openTimer);
      if (dismissed === link && !link.contains(/** @type {Node | null} */ (event.relatedTarget))) dismissed = null;
      if (owner === link) scheduleClose();
    });
    document.addEventListener("pointerdown", (event) => {
      lastPointer = event.pointerType || "mouse";
      ownerAtTap = owner;
      if (popover && event.target instanceof Node && !popover.contains(event.target) && !triggerFrom(event.target)) close();
    });
    document.addEventListener("focusin", (event) => {
      const link = triggerFrom(event.target);
      if (link) open(link);
      else if (!(popover && event.target instanceof Node && popover.contains(event.target))) close();
    });
    document.addEventListener("focusout", (event) => {
      const link = triggerFrom(event.target);
      if (link && link === dismissed) dismissed = null;
      if (link && link === owner) scheduleClose();
    });
    document.addEventListener("click", (event) => {
      if (lastPointer !== "touch") return;
      const link = triggerFrom(event.target);
      if (!link || ownerAtTap === link) return; // second tap: follow the link
      if (contentFor(link)) {
        event.preventDefault();
        open(link);
      }
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && popover) {
        const back = popover.contains(document.activeElement) ? owner : null;
        dismissed = owner;
        close();
        if (back) back.focus();
        event.stopPropagation();
      } else if (event.key === "Tab" && popover && owner) {
        keyboardIntoPopover(event);
      }
    });
    window.addEventListener("resize", () => owner && place(owner));
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

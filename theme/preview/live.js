// @ts-check
// sphinx-article preview: reload the page when a rebuild has finished, and show the
// rebuild's warnings in a banner.  Served only by `sphinx-article preview`; never part
// of a built site.  Long-polls /__preview__/wait (no framework, no websocket).
(() => {
  "use strict";
  const script = /** @type {HTMLScriptElement} */ (document.currentScript);
  let version = Number(script.dataset.version || "0");
  const SCROLL = "sphinx-article-preview-scroll";
  const saved = sessionStorage.getItem(SCROLL);
  if (saved !== null) {
    sessionStorage.removeItem(SCROLL);
    const [path, y] = JSON.parse(saved);
    if (path === location.pathname) window.scrollTo(0, Number(y));
  }

  /** @param {{warnings: string[], error: string, seconds: number}} status */
  const banner = (status) => {
    document.getElementById("article-preview-banner")?.remove();
    const lines = status.error ? [status.error] : status.warnings;
    if (!lines.length) return;
    const box = document.createElement("div");
    box.id = "article-preview-banner";
    box.setAttribute("role", "status");
    Object.assign(box.style, {
      position: "fixed", insetInline: "0", bottom: "0", zIndex: "1000", maxHeight: "40vh",
      overflow: "auto", padding: "0.6rem 1rem", font: "0.85rem/1.4 ui-monospace, monospace",
      background: status.error ? "#7a1212" : "#5c4300", color: "#fff",
      boxShadow: "0 -2px 8px rgb(0 0 0 / 0.3)",
    });
    const title = document.createElement("strong");
    title.textContent = status.error
      ? "Preview: the build failed"
      : `Preview: ${lines.length} warning${lines.length === 1 ? "" : "s"} in the last rebuild`;
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.style.marginInlineStart = "1rem";
    close.addEventListener("click", () => box.remove());
    const list = document.createElement("pre");
    list.style.margin = "0.4rem 0 0";
    list.style.whiteSpace = "pre-wrap";
    list.textContent = lines.join("\n");  // text, never markup
    box.append(title, close, list);
    document.body.append(box);
  };

  const sleep = (/** @type {number} */ ms) => new Promise((done) => setTimeout(done, ms));

  const loop = async () => {
    try {
      const first = await (await fetch("/__preview__/status", { cache: "no-store" })).json();
      if (first.version !== version) {
        location.reload();
        return;
      }
      banner(first);
    } catch { /* the server restarts: the loop below retries */ }
    for (;;) {
      try {
        const response = await fetch(`/__preview__/wait?since=${version}`, { cache: "no-store" });
        const status = await response.json();
        if (status.version !== version) {
          version = status.version;
          sessionStorage.setItem(SCROLL, JSON.stringify([location.pathname, window.scrollY]));
          location.reload();
          return;
        }
      } catch {
        await sleep(1000);
      }
    }
  };
  loop();
})();

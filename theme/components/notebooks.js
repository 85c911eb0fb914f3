// @ts-check
// sphinx-article: interactive Plotly and Vega-Lite outputs of notebook posts.  Each
// chart's figure is inert JSON in the page; its library (served from the site's _static/,
// named by the figure's data-article-scripts) is fetched only when a chart comes within
// a screen of the viewport, so the page's first load never pays for megabytes of script
// the reader may not scroll to.  The library draws into a box already as tall as the
// chart, then the static image beside it is hidden.  Without script, or when the library
// is missing, the image stays.  Colours follow the page's light/dark theme.
(() => {
  "use strict";
  /** @returns {{paper: string, text: string, grid: string}} */
  const colours = () => {
    const style = getComputedStyle(document.documentElement);
    const read = (/** @type {string} */ name, /** @type {string} */ fallback) =>
      style.getPropertyValue(name).trim() || fallback;
    return {
      paper: read("--article-bg", "#ffffff"),
      text: read("--article-text", "#1d1f23"),
      grid: read("--article-rule", "#e1e4e8"),
    };
  };
  /** @param {any} layout */
  const themed = (layout) => {
    const c = colours();
    const axis = { gridcolor: c.grid, zerolinecolor: c.grid, linecolor: c.grid };
    return Object.assign({}, layout, {
      paper_bgcolor: c.paper, plot_bgcolor: c.paper, font: Object.assign({}, layout.font, { color: c.text }),
      xaxis: Object.assign({}, layout.xaxis, axis), yaxis: Object.assign({}, layout.yaxis, axis),
      template: undefined, autosize: true,
    });
  };
  const init = () => {
    // @ts-ignore -- plotly.js defines window.Plotly
    const Plotly = window.Plotly;
    const figures = document.querySelectorAll("[data-article-plotly]");
    if (!Plotly || !figures.length) return;
    /** @type {Array<{chart: HTMLElement, layout: any}>} */
    const drawn = [];
    figures.forEach((figure) => {
      const chart = /** @type {HTMLElement | null} */ (figure.querySelector(".article-plotly-chart"));
      const data = figure.querySelector(".article-plotly-data");
      if (!chart || !data) return;
      let spec;
      try {
        spec = JSON.parse(data.textContent || "{}");
      } catch (e) {
        return;  // the static image stays
      }
      const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      // shown before drawing, so plotly.js measures the column's width (not 0)
      figure.classList.add("is-interactive");
      Plotly.newPlot(chart, spec.data || [], themed(spec.layout || {}), {
        responsive: true, displaylogo: false,
        modeBarButtonsToRemove: ["sendDataToCloud"], ...(reduce ? { transition: { duration: 0 } } : {}),
      }).then(() => drawn.push({ chart, layout: spec.layout || {} }),
        () => figure.classList.remove("is-interactive"));  // the static image comes back
    });
    const retheme = () => drawn.forEach(({ chart, layout }) => Plotly.relayout(chart, themed(layout)));
    new MutationObserver(retheme).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", retheme);
  };
  /** Vega-Lite (Altair) charts: compiled with theme colours, redrawn when the theme changes. */
  const initVega = () => {
    // @ts-ignore -- vega.min.js and vega-lite.min.js define window.vega and window.vegaLite
    const vega = window.vega, vegaLite = window.vegaLite;
    const figures = document.querySelectorAll("[data-article-vega]");
    if (!vega || !vegaLite || !figures.length) return;
    // Data and images come inline with the spec: a URL (another host, or this one) is
    // refused, so a chart never makes the reader's browser contact anyone.
    const refuse = () => Promise.reject(new Error("sphinx-article: charts load no URLs"));
    const loader = Object.assign(Object.create(vega.loader()), { load: refuse, sanitize: refuse });
    /** @type {Array<() => void>} */
    const redraws = [];
    figures.forEach((figure) => {
      const chart = /** @type {HTMLElement | null} */ (figure.querySelector(".article-vega-chart"));
      const data = figure.querySelector(".article-vega-data");
      if (!chart || !data) return;
      let spec;
      try {
        spec = JSON.parse(data.textContent || "{}");
      } catch (e) {
        return;
      }
      /** @type {any} */
      let view = null;
      const draw = () => {
        const c = colours();
        const axis = { labelColor: c.text, titleColor: c.text, gridColor: c.grid, domainColor: c.grid, tickColor: c.grid };
        const config = { background: c.paper, axis, legend: { labelColor: c.text, titleColor: c.text },
          title: { color: c.text }, view: { stroke: c.grid } };
        try {
          const compiled = vegaLite.compile(Object.assign({}, spec, { config: Object.assign({}, spec.config, config) })).spec;
          if (view) view.finalize();
          figure.classList.add("is-interactive");
          view = new vega.View(vega.parse(compiled), { renderer: "svg", container: chart, hover: true, loader });
          view.runAsync().catch(() => figure.classList.remove("is-interactive"));
        } catch (e) {
          figure.classList.remove("is-interactive");  // the static image stays
        }
      };
      draw();
      redraws.push(draw);
    });
    const redraw = () => redraws.forEach((draw) => draw());
    new MutationObserver(redraw).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redraw);
  };
  /** Print shows every folded code cell whole: a closed <details> hides its content in
   * every browser and only a ::details-content rule (not everywhere) reaches it, so the
   * folds are opened for print and closed again after. */
  const printFolds = () => {
    /** @type {HTMLDetailsElement[] | null} */
    let opened = null;
    const open = () => {
      if (opened) return;  // beforeprint and the print media query both announce it
      opened = /** @type {HTMLDetailsElement[]} */ ([...document.querySelectorAll("details.article-nb-fold")])
        .filter((fold) => !fold.open);
      opened.forEach((fold) => { fold.open = true; });
    };
    const close = () => {
      (opened || []).forEach((fold) => { fold.open = false; });
      opened = null;
    };
    window.addEventListener("beforeprint", open);
    window.addEventListener("afterprint", close);
    window.matchMedia("print").addEventListener("change", (event) => (event.matches ? open() : close()));
  };
  /** @type {Map<string, Promise<unknown>>} */
  const scripts = new Map();
  /** @param {string} src */
  const loadScript = (src) => {
    let promise = scripts.get(src);
    if (!promise) {
      promise = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = src;
        script.async = false;
        script.onload = resolve;
        script.onerror = reject;
        document.head.append(script);
      });
      scripts.set(src, promise);
    }
    return promise;
  };
  /** Draw the charts of one kind once its scripts are in, fetched when a chart is near.
   * @param {string} selector @param {() => boolean} ready @param {() => void} draw */
  const whenNear = (selector, ready, draw) => {
    const figures = [...document.querySelectorAll(selector)];
    if (!figures.length) return;
    if (ready()) { draw(); return; }
    const sources = (figures[0].getAttribute("data-article-scripts") || "").split(" ").filter(Boolean);
    if (!sources.length) return;
    const load = () => sources.reduce((done, src) => done.then(() => loadScript(src)), Promise.resolve())
      .then(draw, () => undefined);  // a missing library: the static images stay
    if (!("IntersectionObserver" in window)) { load(); return; }
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      load();
    }, { rootMargin: "100% 0px" });
    figures.forEach((figure) => observer.observe(figure));
  };
  const start = () => {
    printFolds();
    // @ts-ignore -- the libraries define window.Plotly, window.vega and window.vegaLite
    whenNear("[data-article-plotly]", () => !!window.Plotly, init);
    // @ts-ignore
    whenNear("[data-article-vega]", () => !!(window.vega && window.vegaLite), initVega);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// @ts-check
// sphinx-article: interactive Plotly outputs of notebook posts.  Each chart's figure is
// inert JSON in the page; plotly.js (served from the site's _static/, added only to pages
// with a chart) draws it into a box already as tall as the chart, then the static image
// beside it is hidden.  Without script, or when plotly.js is missing, the image stays.
// Colours follow the page's light/dark theme and change with it.
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
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

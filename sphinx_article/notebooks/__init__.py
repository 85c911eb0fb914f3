"""Notebook posts over MyST-NB: the notebook JSON rules (``source``, ``tags``; no
Sphinx), the build's side (``mystnb``), outputs, tables, Plotly and Vega-Lite charts,
the kernel and ``check`` on notebooks."""

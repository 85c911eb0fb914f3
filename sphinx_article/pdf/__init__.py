"""The PDF: one LaTeX document per post, escaping, formulas rewritten for pdflatex,
compilation with a formula-level fallback, and the proceedings volume."""

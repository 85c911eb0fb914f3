# The two front-door commands (see README):
#   make example   install everything, build the example site: HTML and one PDF per post
#   make test      install everything the tests need, run the whole suite
SPHINXBUILD = .venv/bin/sphinx-build
OUT = example_site/_build

.PHONY: example test setup docs bench clean

example:
	scripts/setup.sh
	$(SPHINXBUILD) -M latexpdf example_site $(OUT) -W --keep-going -q
	$(SPHINXBUILD) -M html example_site $(OUT) -W --keep-going -q
	@echo "HTML: $(OUT)/html/index.html   PDFs: $(OUT)/latex/*.pdf"

test:
	scripts/setup.sh --test
	.venv/bin/python -m pytest -n 2 --dist loadgroup -p no:cacheprovider

docs:
	scripts/setup.sh
	$(SPHINXBUILD) -M html docs docs/_build -W --keep-going -q

bench:
	scripts/setup.sh
	.venv/bin/python benchmarks/run.py

clean:
	rm -rf $(OUT) docs/_build tests/artifacts benchmarks/_work

"""``python -m sphinx_article.cli``: the ``sphinx-article`` command."""

import sys

from .main import main

sys.exit(main())

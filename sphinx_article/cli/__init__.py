"""The ``sphinx-article`` command: ``check``, ``new``, ``new-site``, ``build`` (one post)
and ``preview``.  Templates for new posts and sites are package data (``templates/``)."""

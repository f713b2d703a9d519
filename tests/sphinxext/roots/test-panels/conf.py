"""Pages written with `panels` next to the same content hand-written for sphinx-design."""

project = "Essai panels"
language = "fr"
extensions = ["sphinx_design", "sphinxext.panels"]

"""Malformed panels: every mistake a writer can make, each a `datis.panels` warning."""

project = "Essai panels"
language = "fr"
extensions = ["sphinx_design", "sphinxext.panels"]

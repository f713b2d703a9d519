"""Malformed panels: every mistake a writer can make, each a `panels.panels` warning."""

project = "Essai panels"
language = "fr"
extensions = ["sphinx_design", "sphinxext.panels"]

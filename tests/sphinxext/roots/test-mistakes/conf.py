"""A small DATIS docs project; the tests set the datis_* values through confoverrides or -D."""

project = "Essai DATIS"
language = "fr"
extensions = ["sphinxext"]

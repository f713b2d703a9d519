"""A small DATIS docs project; the tests set the datis_* values through confoverrides or -D."""

project = "Essai DATIS"
language = "fr"
extensions = ["sphinxext"]
# Each client's own settings compared too, as a CI job that checks them sets it.
datis_client_overrides = True

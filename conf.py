"""Sphinx configuration of the DATIS documentation (build: sphinx-build -c . docs <out>)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "DATIS"
author = "Inspeere"
copyright = "2026, Inspeere"
language = "fr"

extensions = [
    "sphinx_design",
    "sphinxext",
]

html_theme = "sphinx_rtd_theme"
html_title = "Documentation DATIS"
exclude_patterns = ["_build"]

# The reference appliance whose live settings the docs show next to the documented defaults.
datis_appliance = os.environ.get("DATIS_URL", "")
datis_user = os.environ.get("DATIS_USER", "admin")
datis_password_env = "DATIS_PASSWORD"
datis_ca_bundle = os.environ.get("DATIS_CA_BUNDLE", "")

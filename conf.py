"""Sphinx configuration of the DATIS documentation (build: sphinx-build -c . docs <out>).

The reference appliance comes from the environment: DATIS_URL or DATIS_ID (read live, the
password in the variable named by datis_password_env), DATIS_SNAPSHOT (a snapshot written by
`datis-audit snapshot`), DATIS_MODE (live, snapshot or documented), DATIS_COMPLIANCE_PAGE (a
page written by `datis-audit --format rst`), DATIS_HISTORY (a folder filled by `datis-audit
--history`), DATIS_REQUIRE_APPLIANCE (1: a build that compares nothing fails),
DATIS_CLIENT_OVERRIDES (1: each client's own settings compared too). Paths given in the
environment are relative to the current directory.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from checks import __version__


def _path(variable: str) -> str:
    value = os.environ.get(variable, "").strip()
    return str(Path(value).resolve()) if value else ""


project = "DATIS"
author = "Inspeere"
copyright = "2026, Inspeere"
language = "fr"
# The toolkit's version: the EPUB needs one (-b epub -W fails without it), LaTeX shows it.
version = release = __version__

extensions = [
    "sphinx_design",
    "sphinxext",
]

html_theme = "sphinx_rtd_theme"
html_title = "Documentation DATIS"
exclude_patterns = ["_build", "snippets", "_static"]
# Beside this file, whichever configuration folder (-c) the build names.
html_static_path = [str(Path(__file__).parent / "docs" / "_static")]
html_css_files = ["docs.css"]
# Figures are numbered (« Figure 1 », « Figure 2 ») and referenced by number in the text.
numfig = True
numfig_format = {"figure": "Figure %s", "table": "Tableau %s", "code-block": "Exemple %s"}

# The reference appliance whose live settings the docs show next to the documented defaults.
datis_appliance = os.environ.get("DATIS_URL", "") or os.environ.get("DATIS_ID", "")
datis_user = os.environ.get("DATIS_USER", "admin")
datis_password_env = "DATIS_PASSWORD"
datis_snapshot = _path("DATIS_SNAPSHOT")
datis_ca_bundle = _path("DATIS_CA_BUNDLE")
datis_compliance_page = _path("DATIS_COMPLIANCE_PAGE")
datis_history = _path("DATIS_HISTORY")
datis_mode = os.environ.get("DATIS_MODE", "") or (
    "live" if datis_appliance else "snapshot" if datis_snapshot else "documented"
)
datis_timeout = os.environ.get("DATIS_TIMEOUT", "10")  # seconds; checked by the extension
# 1 (CI): a build that compares nothing (no appliance, no snapshot read) fails.
datis_require_appliance = os.environ.get("DATIS_REQUIRE_APPLIANCE", "")
# 1: each client's own settings compared too (one request per client in live mode).
datis_client_overrides = os.environ.get("DATIS_CLIENT_OVERRIDES", "")
datis_domain = "inspee.re"

# An appliance's interface answers only on the local network the DATIS is connected to (see
# docs/interface.rst): the addresses the docs give (`:datis-url:`, https://backup.1a2b.inspee.re)
# are examples a link checker can never reach. Every other link is checked.
linkcheck_ignore = [rf"^https://backup\.[0-9A-Fa-f]{{4}}\.{re.escape(datis_domain)}(?:[/:?#]|$)"]

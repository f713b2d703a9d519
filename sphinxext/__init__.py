"""The DATIS Sphinx extension: a thin Sphinx face over `checks`.

It renders the documented defaults of the baseline, shows a reference appliance's live
UrBackup settings beside them and warns (type `urbackup`) where they differ.

Markup: `.. datis-reglages:: SECTION` (table.py), `:datis-doc:`, `:datis-reel:` and
`:datis-url:` (roles.py), `.. datis-conformite:: [PAGE]` (compliance.py),
`.. datis-historique::` (history.py), `.. datis-non-documentes:: ONGLET` (undocumented.py),
and `panels` for pages written for sphinx-panels
(sphinxext/panels/, its own extension). The values come from source.py (one read per build),
the per-page record from domain.py, which also reports on every build each drift (drift.py)
the pages show. epub.py keeps Sphinx's build cache out of an EPUB.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from checks import __version__

STATIC = Path(__file__).parent / "static"


def setup(app: Sphinx) -> dict[str, Any]:
    # Imported here rather than above: a project that loads only `sphinxext.panels` (this
    # package's other extension) must not pay for the appliance client and its HTTP stack,
    # a quarter of a second at every build.
    from sphinxext.compliance import setup_compliance
    from sphinxext.config import setup_config
    from sphinxext.domain import setup_domain
    from sphinxext.epub import setup_epub
    from sphinxext.history import setup_history
    from sphinxext.roles import setup_roles
    from sphinxext.table import setup_table
    from sphinxext.undocumented import setup_undocumented

    app.setup_extension("sphinxext.panels")
    setup_config(app)
    setup_domain(app)
    setup_table(app)
    setup_undocumented(app)
    setup_roles(app)
    setup_compliance(app)
    setup_history(app)
    setup_epub(app)
    app.connect("builder-inited", _static)
    app.add_css_file("datis.css")
    return {"version": __version__, "env_version": 3,
            "parallel_read_safe": True, "parallel_write_safe": True}


def _static(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))

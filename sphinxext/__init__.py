"""The DATIS Sphinx extension: a thin Sphinx face over `checks`.

It renders the documented defaults of the baseline, shows a reference appliance's live
UrBackup settings beside them and warns (type `urbackup`) where they differ.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from checks import __version__


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("datis_appliance", "", "env", types=frozenset({str}))
    app.add_config_value("datis_user", "admin", "env", types=frozenset({str}))
    app.add_config_value("datis_password_env", "DATIS_PASSWORD", "env", types=frozenset({str}))
    app.add_config_value("datis_ca_bundle", "", "env", types=frozenset({str}))
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}

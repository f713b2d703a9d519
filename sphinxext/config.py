"""The extension's typed configuration values (set in conf.py, usually from the environment).

None of them forces a full rebuild: their effect reaches the pages through the values they
show, which the domain fingerprints (see domain.py), so only the pages concerned are re-read.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

MODES = ("live", "snapshot", "documented")

_STR = frozenset({str})


def setup_config(app: Sphinx) -> None:
    app.add_config_value("datis_appliance", "", "", types=_STR)
    app.add_config_value("datis_user", "admin", "", types=_STR)
    app.add_config_value("datis_password_env", "DATIS_PASSWORD", "", types=_STR)
    app.add_config_value("datis_snapshot", "", "", types=_STR)
    app.add_config_value("datis_mode", "documented", "", types=_STR)
    app.add_config_value("datis_timeout", 10.0, "", types=frozenset({float, int}))
    app.add_config_value("datis_ca_bundle", "", "", types=_STR)
    app.add_config_value("datis_baseline", "", "", types=_STR)
    app.add_config_value("datis_compliance_page", "", "", types=_STR)
    app.add_config_value("datis_domain", "inspee.re", "", types=_STR)
    app.connect("config-inited", _check)


def _check(app: Sphinx, config: Config) -> None:
    """A wrong value stops the build with one French message (no traceback)."""
    if config.datis_mode not in MODES:
        raise ConfigError(f"datis_mode : « {config.datis_mode} » inconnu "
                          "(attendu : live, snapshot ou documented).")
    if config.datis_mode == "live" and not config.datis_appliance.strip():
        raise ConfigError("datis_mode = « live » demande une appliance : datis_appliance "
                          "(variable DATIS_URL ou DATIS_ID).")
    try:
        timeout = float(config.datis_timeout)
    except (TypeError, ValueError):
        timeout = 0.0
    if timeout <= 0:
        raise ConfigError("datis_timeout doit être un nombre de secondes positif.")
    if "=" in config.datis_password_env or " " in config.datis_password_env:
        raise ConfigError("datis_password_env est le NOM d'une variable d'environnement "
                          "(par exemple DATIS_PASSWORD), jamais le mot de passe lui-même.")

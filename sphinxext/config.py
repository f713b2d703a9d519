"""The extension's typed configuration values (set in conf.py, usually from the environment).

A wrong value never stops the build with a traceback: it is a warning and a safe fallback.

None of them forces a full rebuild: their effect reaches the pages through the values they
show, which the domain fingerprints (see domain.py), so only the pages concerned are re-read.
"""

from __future__ import annotations

import math

from sphinx.application import Sphinx
from sphinx.config import Config

from sphinxext.warnings import warn

MODES = ("live", "snapshot", "documented")
DEFAULT_TIMEOUT = 10.0
YES = frozenset({"1", "true", "yes", "oui", "o", "vrai"})
NO = frozenset({"", "0", "false", "no", "non", "n", "faux"})

_STR = frozenset({str})


def setup_config(app: Sphinx) -> None:
    app.add_config_value("datis_appliance", "", "", types=_STR)
    app.add_config_value("datis_user", "admin", "", types=_STR)
    app.add_config_value("datis_password_env", "DATIS_PASSWORD", "", types=_STR)
    app.add_config_value("datis_snapshot", "", "", types=_STR)
    app.add_config_value("datis_mode", "documented", "", types=_STR)
    app.add_config_value("datis_timeout", DEFAULT_TIMEOUT, "", types=frozenset({float, int, str}))
    app.add_config_value("datis_ca_bundle", "", "", types=_STR)
    app.add_config_value("datis_baseline", "", "", types=_STR)
    app.add_config_value("datis_compliance_page", "", "", types=_STR)
    app.add_config_value("datis_history", "", "", types=_STR)
    app.add_config_value("datis_domain", "inspee.re", "", types=_STR)
    # True: a build that compares nothing (no appliance, no snapshot read) fails (for CI).
    app.add_config_value("datis_require_appliance", False, "", types=frozenset({bool, str}))
    app.add_config_value("datis_client_overrides", False, "", types=frozenset({bool, str}))
    app.connect("config-inited", _check)


def _check(app: Sphinx, config: Config) -> None:
    """A wrong value is one French warning (urbackup.config) and a safe fallback."""
    if config.datis_mode not in MODES:
        warn(f"datis_mode : « {config.datis_mode} » inconnu (attendu : live, snapshot ou "
             "documented). Seules les valeurs documentées sont affichées.", "config")
        config.datis_mode = "documented"
    if config.datis_mode == "live" and not config.datis_appliance.strip():
        warn("datis_mode = « live » demande une appliance : datis_appliance (variable "
             "DATIS_URL ou DATIS_ID). Repli sur l'instantané.", "config")
        config.datis_mode = "snapshot"
    try:
        timeout = float(config.datis_timeout)
    except (TypeError, ValueError):
        timeout = 0.0
    if not (math.isfinite(timeout) and timeout > 0):
        warn(f"datis_timeout : « {config.datis_timeout} » n'est pas un nombre de secondes "
             f"positif ; {DEFAULT_TIMEOUT} secondes sont utilisées.", "config")
        timeout = DEFAULT_TIMEOUT
    config.datis_timeout = timeout
    config.datis_require_appliance = _flag("datis_require_appliance",
                                           config.datis_require_appliance)
    config.datis_client_overrides = _flag("datis_client_overrides",
                                          config.datis_client_overrides)


def _flag(name: str, value: bool | str) -> bool:
    """A yes/no value, from conf.py or an environment variable; when unreadable, yes.

    Yes is the safe side: a CI job that asked for the check, misspelt, still gets it.
    """
    if isinstance(value, bool):
        return value
    word = value.strip().lower()
    if word in YES or word in NO:
        return word in YES
    warn(f"{name} : « {value} » n'est ni oui ni non (attendu : 1 ou 0, true ou false, oui ou "
         "non) ; « oui » est retenu.", "config")
    return True

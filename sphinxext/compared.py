"""What a build that compares nothing says: one line, or an error when CI requires it.

Without an appliance or a snapshot (none configured, or none could be read) the tables show
the documented values only and no drift can be found: a `-W` build would pass without having
checked anything. So every such build says it in one line; with `datis_require_appliance =
True` (DATIS_REQUIRE_APPLIANCE=1 in conf.py) that line is an error and the build fails, so
that a CI job that lost its DATIS_URL secret goes red instead of green. A build none of whose
pages shows a setting reads nothing and has nothing to compare: it says nothing.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.util import logging

from checks.french.typography import typeset
from sphinxext.source import Values
from sphinxext.warnings import error

logger = logging.getLogger("sphinxext")

NOTHING_COMPARED = ("Rien n'a été comparé : ni appliance ni instantané n'a été lu, les tableaux "
                    "montrent les valeurs documentées seulement.")
REQUIRED = (" datis_require_appliance (variable DATIS_REQUIRE_APPLIANCE) exige une "
            "comparaison : donnez DATIS_URL ou DATIS_ID et DATIS_PASSWORD, ou DATIS_SNAPSHOT.")


def report_nothing_compared(app: Sphinx, current: Values) -> None:
    """Say so when `current` holds no live values; fail the build when one is required."""
    if current.live is not None:
        return
    if app.config.datis_require_appliance:
        error(NOTHING_COMPARED + REQUIRED, "nothing_compared")
        app.statuscode = 1
    else:
        logger.info(typeset(NOTHING_COMPARED))

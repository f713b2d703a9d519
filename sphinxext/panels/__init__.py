"""sphinx-panels 0.6, complete, rendered by sphinx-design: pages written for it build as is.

sphinx-panels is no longer maintained; sphinx-design replaced it. This extension gives
every directive, role, option and configuration value of sphinx-panels 0.6 the meaning it
had, building sphinx-design's own nodes: `panels` (panels.py, layout.py), `dropdown`
(dropdown.py), `link-button`, `badge`, `link-badge` (buttons.py), `tabbed` (tabs.py), `div`
(div.py), `opticon`, `fa` (icons.py), `panels_*` values (config.py). Bootstrap classes become
sphinx-design ones (bootstrap.py). Every message is a French `panels` warning (messages.py).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from checks import __version__
from sphinxext.panels.buttons import BadgeRole, LinkBadgeRole, LinkButtonDirective
from sphinxext.panels.config import setup_config
from sphinxext.panels.div import DivDirective
from sphinxext.panels.dropdown import DropdownDirective
from sphinxext.panels.icons import FontawesomeRole, OpticonRole
from sphinxext.panels.messages import error
from sphinxext.panels.panels import PanelsDirective
from sphinxext.panels.tabs import GroupTabbed, TabbedDirective

SPHINX_PANELS = "sphinx_panels"
REFUSAL = (
    "L'extension sphinxext.panels ne peut pas être chargée avec sphinx-panels : les deux "
    "définissent la directive « panels ». sphinxext.panels la remplace et affiche les panneaux "
    "avec sphinx-design ; retirez « sphinx_panels » de la liste extensions de conf.py."
)


def setup(app: Sphinx) -> dict[str, Any]:
    _refuse_sphinx_panels(app, app.config)
    app.setup_extension("sphinx_design")
    setup_config(app)
    app.add_directive("panels", PanelsDirective)
    app.add_directive("dropdown", DropdownDirective, override=True)
    app.add_directive("div", DivDirective, override=True)
    app.add_directive("link-button", LinkButtonDirective)
    app.add_directive("tabbed", TabbedDirective)
    app.add_transform(GroupTabbed)
    app.add_role("badge", BadgeRole())
    app.add_role("link-badge", LinkBadgeRole())
    app.add_role("opticon", OpticonRole())
    app.add_role("fa", FontawesomeRole(), override=True)
    app.connect("config-inited", _refuse_sphinx_panels)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}


def _refuse_sphinx_panels(app: Sphinx, config: Config) -> None:
    """Both define `panels`: whichever loads second would silently win, so refuse.

    A conf.py mistake, not a crash: one French line and exit code 2, without the crash report
    (traceback, "please open an issue") that Sphinx 9 prints for any ExtensionError.
    """
    if SPHINX_PANELS in app.extensions or SPHINX_PANELS in config.extensions:
        error(REFUSAL, "extension")
        raise SystemExit(2)

"""Inline roles: `:datis-doc:` (documented value), `:datis-reel:` (live value), `:datis-url:`.

`:datis-url:`1A2B`` links to https://backup.1a2b.inspee.re; `:datis-url:`XXXX`` shows the
pattern itself, unlinked, so that the docs can explain the placeholder.
"""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import Node, system_message
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

from checks.settings import catalogue
from sphinxext import source
from sphinxext.domain import domain_of
from sphinxext.drift import drifts_at
from sphinxext.french import french
from sphinxext.table import known, warn_secret
from sphinxext.warnings import warn


class _SettingRole(SphinxRole):
    live = False

    @french
    def run(self) -> tuple[list[Node], list[system_message]]:
        key = self.text.strip()
        location = self.get_location()
        current = source.values_of(self.env)
        if catalogue.is_secret(key):
            warn_secret(key, location)
        elif not known(key, current, location, documented=not self.live):
            return [nodes.literal(text=key, classes=["datis-inconnu"])], []
        shown = source.show(current, key)
        domain = domain_of(self.env)
        domain.note(self.env.docname, f"reglage:{key}")
        if self.live:
            for drift in drifts_at(self.env, shown, *self.get_source_info()):
                domain.note_drift(self.env.docname, drift)
            return [nodes.inline(text=shown.live, classes=["datis-reel"])], []
        return [nodes.inline(text=shown.documented, classes=["datis-doc"])], []


class DatisDoc(_SettingRole):
    live = False


class DatisReel(_SettingRole):
    live = True


class DatisUrl(SphinxRole):
    @french
    def run(self) -> tuple[list[Node], list[system_message]]:
        identifier = self.text.strip()
        domain = self.config.datis_domain
        if identifier.upper() == "XXXX":
            domain_of(self.env).note(self.env.docname, "domaine")
            return [nodes.literal(text=f"https://backup.XXXX.{domain}")], []
        domain_of(self.env).note(self.env.docname, f"url:{identifier}")
        url = source.url_text(identifier, domain)
        if url is None:
            warn(f"Identifiant DATIS invalide « {identifier} » : il faut 4 chiffres "
                 "hexadécimaux (0-9, A-F), par exemple 1A2B, ou XXXX pour le modèle.",
                 "identifier", self.get_location())
            return [nodes.literal(text=identifier)], []
        return [nodes.reference(url, url, refuri=url)], []


def setup_roles(app: Sphinx) -> None:
    app.add_role("datis-doc", DatisDoc())
    app.add_role("datis-reel", DatisReel())
    app.add_role("datis-url", DatisUrl())

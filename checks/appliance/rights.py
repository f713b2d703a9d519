"""The rights an audit needs from its UrBackup account, named as the French screens name them.

A real server never says "access denied" (recordings H06-H22, L02-L04): `settings` without
its right answers like an expired session, a settings page without its sub-right answers the
menu alone, and `status` without its right answers an empty client list, which an audit would
take for an appliance without clients. So the rights are checked, not inferred: the two the
login answer lists (`status`, `settings`) right after the login, the settings pages' own
rights (which the login answer does not list) on the first answer that lacks its page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from checks import errors
from checks.appliance.model import LoginInfo

AT_LOGIN = ("status", "settings")
"""Rights of the login answer an audit needs in full ("all"), checked in this order."""
PAGE_RIGHTS = {"general": "general_settings", "mail": "mail_settings",
               "clientsettings": "client_settings", "listusers": "usermod"}
"""The right each settings page an audit reads needs, besides `settings`."""
_MENUS = {
    "status": ("Etats",),
    "settings": ("Réglages",),
    "general_settings": ("Réglages", "Général"),
    "mail_settings": ("Réglages", "Email"),
    "client_settings": ("Réglages", "Clients"),
    "usermod": ("Réglages", "Utilisateurs"),
}
"""Where each right shows in the French web interface: a top menu, then a tab or list."""


@cache
def _displayed() -> frozenset[str]:
    """The menu, tab and list names the real French interface displays (checks/data/ui-fr.json)."""
    text = resources.files("checks").joinpath("data/ui-fr.json").read_text("utf-8")
    menus: dict[str, Any] = json.loads(text)["navigation"]
    entries = [*menus["top"], *menus["settings_tabs"], menus["clients_dropdown"]]
    return frozenset(str(entry["fr"]) for entry in entries)


def menu(right: str) -> str:
    """The French menu path of a right, as on screen (« Réglages › Email »); a name the
    interface does not display is refused (KeyError), never shown to a technician."""
    parts = _MENUS[right]
    missing = [part for part in parts if part not in _displayed()]
    if missing:
        raise KeyError(missing[0])
    return " › ".join(parts)


PURPOSE = "l'audit"
"""What the reading is for, as the refusal names it (« dont l'audit a besoin »): each command
that reads an appliance names itself (the snapshot, the correction, a docs build)."""


class PageRefused(errors.AccessDenied):
    """One settings page refused for lack of its right: the reading gathers these, so that an
    account is told every right it lacks at once (see `refused`)."""

    def __init__(self, right: str, username: str, shown: str, purpose: str) -> None:
        super().__init__(refused([right], username, shown, purpose).message)
        self.right = right


def refused(missing: Sequence[str], username: str, shown: str,
            purpose: str = PURPOSE) -> errors.AccessDenied:
    """Every right the account lacks, named as on screen, in the order of the screens."""
    order = [*AT_LOGIN, *PAGE_RIGHTS.values()]
    named = [f"« {menu(right)} »" for right in sorted(set(missing), key=order.index)]
    if len(named) == 1:
        lacks, fix = f"le droit {named[0]}", "ce droit"
    else:
        lacks, fix = f"les droits {', '.join(named[:-1])} et {named[-1]}", "ces droits"
    return errors.AccessDenied(
        f"Le compte « {username} » n'a pas {lacks} sur {shown}, dont {purpose} a besoin. "
        f"Donnez-lui {fix} dans UrBackup ({menu('usermod')}) ou utilisez le compte admin."
    )


def check_login(info: LoginInfo, username: str, shown: str, purpose: str = PURPOSE) -> None:
    """Refuse, before any read, an account whose login answer lacks a right the audit needs.

    A right the answer does not mention is not judged here (an open appliance's session has
    every right); a client list ("1,2") is not enough: the audit must see every client. The
    settings pages' own rights are not in the answer: the reading names those it lacks.
    """
    missing = [right for right in AT_LOGIN
               if info.rights.get(right) is not None and info.rights.get(right) != "all"]
    if missing:
        raise refused(missing, username, shown, purpose)

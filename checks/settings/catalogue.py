"""The settings catalogue: every setting of UrBackup 2.5, and how to show it, from data.

`checks/data/settings.json` holds the facts (store, kind, unit, built-in default, secrecy),
written by `scripts/settings_catalogue.py` from UrBackup's settings reference and our own
French names (`scripts/settings_names.toml`). Nothing about a key is typed here: a writer
documents any setting of the file with one baseline entry. Where our name and the label the
UrBackup screen displays differ (checks.settings.screens), both are shown, so that a reader
can find the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from importlib import resources
from typing import Any

from checks.settings import screens


class Kind(Enum):
    SECONDS = "durée"           # stored in seconds, shown as « 5 heures »
    COUNT = "nombre"
    BOOL = "booléen"
    TEXT = "texte"
    WINDOW = "fenêtre"          # backup window: "1-7/0-24"
    ADDRESSES = "adresses"      # ';' or ',' separated mail addresses, as UrBackup splits them
    MAILBOX = "adresse"         # one mail address, possibly « Nom <adresse> »
    HOST = "hôte"               # a host name or an IP address
    VOLUMES = "volumes"         # ';' separated volumes, or ALL / ALL_NONUSB
    PORT = "port"
    CHOICE = "choix"
    SPEED = "débit"             # stored in bytes/s, shown in bit/s as the screen: « 10 MBit/s »


class Store(Enum):
    """Where the server keeps a key, and so which API call reads and writes it."""

    GENERAL = "general"    # sa=general / general_save: server-only keys
    CLIENT = "client"      # per-client keys: global value in sa=general, overridable per client
    MAIL = "mail"          # sa=mail / mail_save, all strings
    LDAP = "ldap"          # sa=ldap / ldap_save


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    kind: Kind
    store: Store
    secret: bool = False
    help: str = ""
    default: Any = None
    """The built-in default, as the API gives it (None for a secret, or a random one)."""
    unit: str = ""
    """The stored unit as the reference says it (« seconds », « bytes/s »), when it has one."""
    choices: tuple[str, ...] = field(default=())
    """The values a choice may take (a drop-down list on the screen)."""

    @property
    def screen_label(self) -> str | None:
        """The label the French UrBackup screen displays for this key, if it shows one."""
        spot = screens.field(self.key)
        return spot.label if spot else None

    @property
    def tab(self) -> str:
        """The settings tab that shows this key (screens.tabs), LDAP keys on theirs."""
        shown = screens.tab(self.key)
        if shown is not None:
            return shown
        return screens.LDAP_TAB if self.store is Store.LDAP else screens.OFF_SCREEN

    @property
    def label_with_screen(self) -> str:
        """« Our name (écran : « screen label ») », or our name alone when they agree."""
        shown = self.screen_label
        if shown is None or shown.casefold() == self.label.casefold():
            return self.label
        return f"{self.label} (écran : « {shown} »)"


SECRET_WORDS = ("password", "passwd", "authkey", "_pw", "pw_", "key", "secret", "token")
"""A key whose name holds one of these is secret unless the data says otherwise."""


@cache
def _data() -> dict[str, Any]:
    text = resources.files("checks").joinpath("data/settings.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _setting(key: str, entry: Mapping[str, Any]) -> Setting:
    spot = screens.field(key)
    # Our name, else the screen's, else the key said as such (never a bare `tmpdir`).
    label = entry.get("name") or (spot.label if spot else "") or f"Clé UrBackup « {key} »"
    return Setting(key, label, Kind(entry["kind"]), Store(entry["store"]),
                   secret=bool(entry["secret"]), help=entry.get("help", ""),
                   default=entry.get("default"), unit=entry.get("unit", ""),
                   choices=tuple(entry.get("choices", ())))


SETTINGS: dict[str, Setting] = {key: _setting(key, entry)
                                for key, entry in _data()["settings"].items()}

SECRET_KEYS = frozenset(k for k, s in SETTINGS.items() if s.secret)
"""Keys whose values never leave the tool: docs, reports, snapshots, logs."""

MAIL_KEYS = tuple(k for k, s in SETTINGS.items() if s.store is Store.MAIL)


def setting(key: str) -> Setting | None:
    return SETTINGS.get(key)


def is_secret(key: str) -> bool:
    """Secret by the catalogue's data, or by its name (passwords, keys) for a key it lacks."""
    known = SETTINGS.get(key)
    if known is not None:
        return known.secret
    lowered = key.lower()
    return any(word in lowered for word in SECRET_WORDS)

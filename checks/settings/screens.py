"""The words of the UrBackup screens: where a technician finds each setting, as displayed.

`checks/data/ui-fr.json` holds what the French web interface of UrBackup 2.5.33 displays
(menus, tabs, labels, units, options), read from the real interface. Every action a report
gives names a setting through this module, so that the technician looks for a label that
is on the screen (« Réglages », never « Paramètres »).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from checks.french.numbers import decimal

SEP = " › "
SAVE = "Enregistrer"
"""The button under every settings tab."""
INHERIT_BUTTON = ("remettre le bouton à droite du champ sur le cadenas "
                  "(bulle « Using setting from group »)")
"""How a client's setting goes back to the group's value (the tooltip is left in English)."""
_UNIT_SECONDS = {"heures": 3600, "jours": 86400, "minutes": 60, "secondes": 1}
_SPEED_UNITS = {"KBit/s": 128, "MBit/s": 131072}
"""Bytes/s of the units a speed field shows (UrBackup's KBit/s is 1024 bits/s)."""


@dataclass(frozen=True)
class Field:
    """One setting's field on the general page and, when it has one, on a client's page."""

    key: str
    label: str
    path: tuple[str, ...]
    control: str | None
    unit: str | None
    options: tuple[tuple[str, str], ...]
    disable_box: str | None
    shown_after: str | None
    client_path: tuple[str, ...] | None
    client_label: str | None

    @property
    def where(self) -> str:
        """« Réglages › Général › Sauvegardes de fichiers › Intervalle pour la … »."""
        return SEP.join((*self.path, self.label))

    def where_for_client(self, client: str) -> str:
        """The same field on one client's page (« Réglages › Clients : PC-1 › … › label »)."""
        path = self.client_path or self.path
        label = self.client_label or self.label
        return SEP.join((*(part.replace("<poste>", client) for part in path), label))


@cache
def _data() -> dict[str, Any]:
    text = resources.files("checks").joinpath("data/ui-fr.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _path(text: str | None) -> tuple[str, ...]:
    return tuple(text.split(SEP)) if text else ()


def field(key: str) -> Field | None:
    """The field of a settings key, or None for a key the interface does not show."""
    entry = _data()["settings"].get(key)
    if entry is None or not entry.get("label_fr") or not entry.get("path_fr"):
        return None
    own = entry.get("per_client") or {}
    return Field(
        key=key,
        label=entry["label_fr"],
        path=_path(entry["path_fr"]),
        control=entry.get("control"),
        unit=entry.get("unit_fr"),
        options=tuple((o["value"], o["fr"]) for o in entry.get("options", ())),
        disable_box=entry.get("disable_checkbox_fr"),
        shown_after=entry.get("combined_field_fr"),
        client_path=_path(own.get("path_fr")) or None,
        client_label=own.get("label_fr"),
    )


def menu(name: str) -> str:
    """A top menu item as displayed; refuses a name the interface does not show."""
    shown = [item["fr"] for item in _data()["navigation"]["top"]]
    if name not in shown:
        raise KeyError(name)
    return name


def settings_tab(name: str) -> str:
    """« Réglages › Utilisateurs »: a tab of the settings page, checked against the screen."""
    tabs = [item["fr"] for item in _data()["navigation"]["settings_tabs"]]
    if name not in tabs:
        raise KeyError(name)
    return SEP.join((menu("Réglages"), name))


def status_column(name: str) -> str:
    """A column of the « Etats » page as displayed (« En ligne », « Dernière … »)."""
    if name not in _data()["navigation"]["status_page"]["columns_fr"]:
        raise KeyError(name)
    return name


def status_row_action(name: str) -> str:
    """An entry of a computer's drop-down on « Etats » (« Sauvegarde de fichiers complète »)."""
    if name not in _data()["navigation"]["status_page"]["row_menu_fr"]:
        raise KeyError(name)
    return name


def _number(value: float) -> str:
    """A figure to type into a field: a decimal comma, its digits not grouped."""
    return decimal(value, grouped=False)


def entry(key: str, value: Any, *, seconds: bool = False) -> str:
    """What to do in the field to give it a normalized value: « saisir 5 (Heures) ».

    `seconds`: the value is a duration in seconds, which the screen shows in its own unit.
    """
    spot = field(key)
    if isinstance(value, bool) or (spot is not None and spot.control == "checkbox"):
        return "cocher la case" if value else "décocher la case"
    if spot is not None and spot.options:
        shown = dict(spot.options).get(str(value))
        if shown is not None:
            return f"choisir « {shown} »"
    speed = _SPEED_UNITS.get(spot.unit or "") if spot is not None else None
    if speed is not None and isinstance(value, int) and value > 0:
        return f"saisir {_number(value / speed)} ({spot.unit if spot else ''})"
    if seconds and spot is not None and spot.unit:
        size = _UNIT_SECONDS.get(spot.unit.lower())
        if size is not None:
            text = f"saisir {_number(int(value) / size)} ({spot.unit})"
            return text + (f" sans cocher « {spot.disable_box} »" if spot.disable_box else "")
    return f"saisir {value}"


def _tab_of(key: str, *, client: str | None = None) -> str:
    """The tab of a key the screen shows without one label of its own (alert parameters, the
    LDAP settings, whose labels ui-fr.json does not hold)."""
    entry = _data()["settings"].get(key) or {}
    own = (entry.get("per_client") or {}) if client is not None else {}
    tab = settings_tab("Annuaire LDAP/AD") if key.startswith("ldap_") else menu("Réglages")
    path = own.get("path_fr") or entry.get("path_fr") or tab
    return f"« {path.replace('<poste>', client or '<poste>')} »"


def reach(key: str) -> str:
    """« Réglages › … › label », plus how to show a field hidden behind « Plus de détails »."""
    spot = field(key)
    if spot is None:
        return _tab_of(key)
    hint = (f" (affiché après « {_data()['navigation']['buttons']['show_details_fr']} » "
            f"dans le champ « {spot.shown_after} »)") if spot.shown_after else ""
    return f"« {spot.where} »{hint}"


def reach_for_client(key: str, client: str) -> str:
    spot = field(key)
    if spot is None:
        return _tab_of(key, client=client)
    return f"« {spot.where_for_client(client)} »"


LDAP_TAB = "Annuaire LDAP/AD"
OFF_SCREEN = "Hors écran"
"""The group of the settings no screen of the French interface shows (`tmpdir` on Linux)."""


def tabs() -> tuple[str, ...]:
    """The tabs settings are grouped by, in the screen's order: the general page's tabs, then
    « Email », « Annuaire LDAP/AD », and the settings no screen shows."""
    navigation = _data()["navigation"]
    general = tuple(item["fr"] for item in navigation["general_subtabs"])
    return (*general, "Email", LDAP_TAB, OFF_SCREEN)


def tab(key: str) -> str | None:
    """The settings tab that shows a key: a client's own field counts as its general tab's
    (« Internet / client actif » is « Internet/active clients »); None when no screen shows
    the key (an LDAP key, whose fields ui-fr.json does not hold, or `tmpdir`)."""
    entry = _data()["settings"].get(key) or {}
    ids: dict[str, str] = {item["id"]: item["fr"]
                           for item in _data()["navigation"]["general_subtabs"]}
    if entry.get("tab_id") in ids:
        return ids[entry["tab_id"]]
    path = _path(entry.get("path_fr"))
    if len(path) >= 2 and path[1] in (t["fr"] for t in _data()["navigation"]["settings_tabs"]):
        return path[1]
    return None


def find_tab(name: str) -> str | None:
    """The tab a writer named, as displayed or by its id (`internet`, `ldap`), whatever the
    case."""
    wanted = " ".join(name.split()).casefold()
    ids: dict[str, str] = {item["id"]: item["fr"]
                           for item in _data()["navigation"]["general_subtabs"]}
    for shown in tabs():
        if shown.casefold() == wanted:
            return shown
    aliases = {"ldap": LDAP_TAB, "mail": "Email"}
    return ids.get(wanted) or aliases.get(wanted)

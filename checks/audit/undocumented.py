"""What is left to document: the settings of a screen tab that the baseline does not document.

Writers choose what to document next from this list (the Sphinx directive
`datis-non-documentes` and `datis-audit undocumented` both lay it out): each setting with the
label and path the UrBackup screen shows, and its value on the reference appliance (read live,
from a snapshot, or UrBackup's built-in default when neither). A secret shows only whether it
is set, never a value.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from checks.appliance.model import is_set
from checks.appliance.reading import ApplianceReading
from checks.settings import catalogue, screens, values
from checks.settings.catalogue import Store

SET = "renseigné"
UNSET = "non renseigné"
ABSENT = "(absent)"
NOT_READ = "(non lu : l'audit ne lit pas l'annuaire LDAP/AD)"
OFF_SCREEN = "non affiché par l'interface"
DEFAULTS = "valeurs par défaut d'UrBackup 2.5 (ni appliance ni instantané lu)"
"""Where the values come from when no appliance was read."""


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    """The label the screen shows, else our French name."""
    where: str
    """The tab's path on the screen: « Réglages › Général › Serveur »."""
    value: str
    """The value in French; « renseigné » / « non renseigné » for a secret."""


def global_values(reading: ApplianceReading) -> dict[str, Any]:
    """Every setting's global value that the reading holds."""
    return {key: reading.value(key) for key in catalogue.SETTINGS if reading.has(key)}


def shown_value(key: str, live: Mapping[str, Any] | None) -> str:
    """A setting's value as the list shows it; `live` None: UrBackup's built-in default."""
    spec = catalogue.SETTINGS[key]
    if live is not None and spec.store is Store.LDAP:
        return NOT_READ
    if live is not None and key not in live:
        return ABSENT
    raw = spec.default if live is None else live[key]
    if spec.secret:
        return SET if is_set(raw) else UNSET
    return values.display_raw(spec.kind, raw)


def rows(tab: str, documented: Collection[str], live: Mapping[str, Any] | None) -> list[Row]:
    """The settings of `tab` (screens.tabs) not in `documented`, in key order."""
    found = []
    for key, spec in sorted(catalogue.SETTINGS.items()):
        if spec.tab != tab or key in documented:
            continue
        spot = screens.field(key)
        if spot is not None:
            where = screens.SEP.join(spot.path)
        elif tab == screens.OFF_SCREEN:
            where = OFF_SCREEN
        else:  # a field the screen shows without a label of its own: its tab
            where = screens.reach(key).removeprefix("« ").removesuffix(" »")
        found.append(Row(key, spot.label if spot else spec.label, where,
                         shown_value(key, live)))
    return found

"""Snapshots: an appliance's settings as JSON, secrets removed, for builds that cannot reach it.

`datis-audit snapshot --output FILE` writes one; the Sphinx extension reads it when the
appliance is out of reach. The schema is versioned; a snapshot records what it was taken
from (identifier, URL, server identity, version) and when.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from checks.appliance.model import ClientSettings
from checks.appliance.reading import (
    ApplianceReading,
    ClientReading,
    client_setting_from_json,
    client_setting_to_json,
    redact_settings,
    restore_settings,
)
from checks.errors import UsageError
from checks.files import oserrors

SCHEMA = "datis-snapshot/1"
_FAMILY = "datis-snapshot/"


class SnapshotError(UsageError):
    """A snapshot file that cannot be read back."""


def to_json(reading: ApplianceReading) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "identifiant": reading.identifier,
        "url": reading.url,
        "date": reading.taken_at.isoformat(),
        "serveur": {"identite": reading.server_identity, "version": reading.version,
                    "acces_ouvert": reading.open_access},
        "reglages": redact_settings(
            {k: v for k, v in reading.general.items() if k not in ("alert_scripts",)}),
        "messagerie": redact_settings(reading.mail),
        "etat": {k: v for k, v in reading.status.items() if k != "status"},
        "clients": [
            {
                "id": c.id,
                "nom": c.name,
                "etat": dict(c.status),
                "groupe": c.settings.group_id if c.settings else 0,
                "reglages": {k: client_setting_to_json(s)
                             for k, s in (c.settings.settings.items() if c.settings else [])},
            }
            for c in reading.clients
        ],
        "utilisateurs_web": [
            {"nom": u.get("name"), "droits": u.get("rights", [])} for u in reading.web_users
        ],
    }


def from_json(data: Any, name: str) -> ApplianceReading:
    schema = data.get("schema") if isinstance(data, dict) else None
    if isinstance(schema, str) and schema.startswith(_FAMILY) and schema != SCHEMA:
        raise SnapshotError(f"Instantané {name} au schéma {schema} : cette version de "
                            f"datis-audit ne lit que le schéma {SCHEMA}.")
    if schema != SCHEMA:
        raise SnapshotError(f"{name} n'est pas un instantané DATIS ({SCHEMA} attendu).")
    try:
        server = data["serveur"]
        clients = []
        for entry in data["clients"]:
            settings = ClientSettings(
                clientid=int(entry["id"]),
                clientname=str(entry["nom"]),
                group_id=int(entry.get("groupe", 0)),
                settings={k: client_setting_from_json(k, v)
                          for k, v in entry.get("reglages", {}).items()},
            )
            clients.append(ClientReading(int(entry["id"]), str(entry["nom"]),
                                         dict(entry.get("etat", {})), settings))
        return ApplianceReading(
            url=str(data["url"]),
            taken_at=datetime.fromisoformat(str(data["date"])),
            open_access=bool(server.get("acces_ouvert", False)),
            server_identity=str(server.get("identite", "")),
            version=_optional_text(server.get("version")),
            general=restore_settings(data["reglages"]),
            mail=restore_settings(data["messagerie"]),
            status={**data.get("etat", {}), "status": [c.status for c in clients]},
            clients=tuple(clients),
            web_users=tuple({"name": u.get("nom"), "rights": u.get("droits", [])}
                            for u in data.get("utilisateurs_web", [])),
            identifier=_optional_text(data.get("identifiant")),
        )
    except KeyError as exc:
        raise SnapshotError(f"Instantané {name} incomplet : le champ « {exc.args[0]} » "
                            "manque.") from None
    except (TypeError, ValueError, AttributeError):  # Python's own words never reach a writer
        raise SnapshotError(f"Instantané {name} altéré : une valeur n'a pas le type "
                            "attendu.") from None


def _optional_text(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError("texte attendu")
    return value


def load(path: str | Path) -> ApplianceReading:
    source = Path(path)
    try:
        data = json.loads(source.read_text("utf-8"))
    except OSError as exc:
        raise SnapshotError(f"Instantané illisible : {source} ({oserrors.reason(exc)}).") from None
    except (ValueError, RecursionError):
        raise SnapshotError(f"Instantané {source} : JSON invalide (fichier tronqué ou "
                            "altéré).") from None
    return from_json(data, str(source))


def redacted(reading: ApplianceReading) -> ApplianceReading:
    """The reading as a snapshot keeps it: every secret replaced by whether it is set (what a
    docs build keeps, and what a diff compares, so that a live reading and a snapshot match)."""
    return from_json(to_json(reading), reading.url)


def dumps(reading: ApplianceReading) -> str:
    return json.dumps(to_json(reading), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

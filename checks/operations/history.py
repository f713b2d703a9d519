"""An appliance's audits over time: each audit's JSON result kept in a history folder.

Layout: `DIR/<appliance>/<date>.json`, one folder per appliance (its DATIS identifier, or its
address made a file name), one file per audit, written whole by the JSON report writer. Reading
a history refuses anything else in it (one French line naming the file): a history that mixes
in foreign files would draw a false picture. Hidden files (`.name`) are left alone.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from checks.audit.findings import Audit
from checks.audit.timeline import SEVERITIES, ApplianceHistory, Check, Point
from checks.errors import UsageError
from checks.files import atomic, oserrors
from checks.reports import json_report

_STAMP = "%Y-%m-%dT%H-%M-%S-%fZ"
_FILE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{6}Z(-\d+)?\.json")


class HistoryError(UsageError):
    """A history folder that cannot be read or written as a whole."""


def slug(identifier: str | None, url: str) -> str:
    """The folder name of an appliance: its identifier, else its address as a file name."""
    raw = identifier.upper() if identifier else re.sub(r"^https?://", "", url)
    return re.sub(r"[^A-Za-z0-9._-]+", "_", raw).strip("._") or "appliance"


def prepare(folder: str | Path) -> Path:
    """The history folder, created if needed, checked before an audit spends time."""
    root = Path(folder)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HistoryError(f"Dossier d'historique impossible : {root} "
                           f"({oserrors.reason(exc)}).") from None
    return root


def append(folder: Path, audit: Audit) -> Path:
    """Add one audit's JSON result to the history; never overwrites an earlier one."""
    place = folder / slug(audit.identifier, audit.url)
    stamp = audit.date.astimezone(UTC).strftime(_STAMP)
    try:
        place.mkdir(exist_ok=True)
        target = place / f"{stamp}.json"
        number = 2
        while target.exists():
            target = place / f"{stamp}-{number}.json"
            number += 1
        atomic.write_text(target, json_report.JsonWriter().render(audit))
    except OSError as exc:
        raise HistoryError(f"Impossible d'ajouter l'audit à l'historique {folder} "
                           f"({oserrors.reason(exc)}).") from None
    return target


def load(folder: str | Path) -> list[ApplianceHistory]:
    """Every appliance of a history, its audits in date order; refuses foreign files."""
    root = Path(folder)
    if not root.is_dir():
        raise HistoryError(f"Dossier d'historique introuvable : {root}.")
    histories = []
    try:
        places = sorted(p for p in root.iterdir() if not p.name.startswith("."))
        for place in places:
            if not place.is_dir():
                raise _foreign(root, place, "seuls des dossiers d'appliance y sont attendus")
            histories.append(_appliance(root, place))
    except OSError as exc:
        raise HistoryError(f"Historique {root} illisible ({oserrors.reason(exc)}).") from None
    if not any(h.points for h in histories):
        raise HistoryError(f"Historique {root} vide : aucun audit (ajoutez-en avec "
                           "« datis-audit --history DOSSIER »).")
    return [h for h in histories if h.points]


def _foreign(root: Path, path: Path, why: str) -> HistoryError:
    return HistoryError(f"Historique {root} : fichier étranger « {path.relative_to(root)} » "
                        f"({why}).")


def _appliance(root: Path, place: Path) -> ApplianceHistory:
    points = []
    identity: tuple[str | None, str] | None = None
    for path in sorted(p for p in place.iterdir() if not p.name.startswith(".")):
        if not path.is_file() or not _FILE.fullmatch(path.name):
            raise _foreign(root, path, "seuls les résultats JSON de datis-audit y sont "
                                       "attendus")
        data = _read(root, path)
        try:
            point, who = _point(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise HistoryError(f"Historique {root} : « {path.relative_to(root)} » est altéré "
                               "(un champ manque ou n'a pas le type attendu).") from None
        if slug(*who) != place.name:
            raise _foreign(root, path, "résultat d'une autre appliance que celle du dossier")
        identity = identity or who
        points.append(point)
    points.sort(key=lambda p: p.date)
    identifier, url = identity or (None, place.name)
    return ApplianceHistory(place.name, identifier, url, tuple(points))


def _read(root: Path, path: Path) -> dict[str, Any]:
    shown = path.relative_to(root)
    try:
        data = json.loads(path.read_text("utf-8"))
    except (ValueError, RecursionError):
        raise HistoryError(f"Historique {root} : « {shown} » est tronqué ou n'est pas du "
                           "JSON.") from None
    if not isinstance(data, dict) or data.get("schema") != json_report.SCHEMA:
        schema = data.get("schema") if isinstance(data, dict) else None
        why = (f"schéma {schema} ; cette version lit {json_report.SCHEMA}"
               if isinstance(schema, str) and schema.startswith("datis-audit/")
               else "ce n'est pas un résultat d'audit de datis-audit")
        raise _foreign(root, path, why)
    return data


def _point(data: dict[str, Any]) -> tuple[Point, tuple[str | None, str]]:
    appliance = data["appliance"]
    identifier = appliance["identifiant"]
    if identifier is not None and not isinstance(identifier, str):
        raise TypeError("identifiant")
    checks = {
        str(c["id"]): Check(str(c["section"]), str(c["libelle"]), str(c["gravite"]),
                            c["resultat"] == "écart", str(c["observe"]))
        for c in data["constats"]
    }
    counts = {s: int(data["ecarts"][s]) for s in SEVERITIES}
    date = datetime.fromisoformat(str(data["date"]))
    if date.tzinfo is None:
        raise ValueError("date sans fuseau")
    return (Point(date, str(data["verdict"]), counts, checks),
            (identifier, str(appliance["url"])))

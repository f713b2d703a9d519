"""Scenario files: the state an emulated appliance starts in, written as TOML.

A scenario gives the global settings, the mail settings, groups, clients (with their own
setting rows, as the web interface or the client itself left them) and their backups, whose
ages are relative to the moment the emulator starts. See `scenarios/datis-conforme.toml`.

Settings are literal values, as a real server answers them: a scenario never computes them
from the baseline, so the audit of a scenario checks the baseline and the value code instead
of repeating them. `base = "datis-conforme"` starts from another bundled scenario's general
and mail settings (« referentiel », the older name, is that one).

`[server] pbkdf2_rounds` is the round count web users' passwords are hashed with, which
`salt` tells the client (10000 as a 2.5.33 server; 0: md5 only, as older servers). A client
may say `image_not_supported = true` (an agent that cannot make images, as M01's) and `uid`.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from checks.emulator.records import CLIENT_DEFAULTS, Backup, Client, random_token
from checks.emulator.state import ApplianceState

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdj]?)\s*$")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "j": 86400}
_SIZES = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_BASE_ALIASES = {"referentiel": "datis-conforme"}
"""The documented settings: once computed from the baseline, now datis-conforme's literals."""


class ScenarioError(ValueError):
    """A scenario file that cannot be loaded (named in the message)."""


def scenario_names() -> list[str]:
    folder = resources.files("checks.emulator").joinpath("scenarios")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir()
                  if p.name.endswith(".toml"))


def read_scenario(name_or_path: str) -> dict[str, Any]:
    """A bundled scenario by name, or a TOML file by path."""
    path = Path(name_or_path)
    try:
        if path.suffix == ".toml" and path.exists():
            text = path.read_text("utf-8")
        else:
            resource = resources.files("checks.emulator").joinpath(f"scenarios/{name_or_path}.toml")
            if not resource.is_file():
                raise ScenarioError(
                    f"Scénario inconnu : « {name_or_path} ». "
                    f"Scénarios fournis : {', '.join(scenario_names())}."
                )
            text = resource.read_text("utf-8")
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"Scénario « {name_or_path} » illisible : {exc}") from None


def duration(raw: Any) -> int:
    """Seconds from 90, "90s", "30m", "6h" or "2d" (or "2j")."""
    return _measure(raw, _DURATION, _UNITS, "Durée")


def size(raw: Any) -> int:
    """Bytes from 1024, "512M", "2G" or "1TiB"."""
    return _measure(raw, _SIZE, _SIZES, "Taille")


def _measure(raw: Any, pattern: re.Pattern[str], units: dict[str, int], what: str) -> int:
    """A number as it is, or a number and a unit the pattern reads (case-insensitive units)."""
    if isinstance(raw, (int, float)):
        return int(raw)
    match = pattern.match(str(raw))
    if not match:
        raise ScenarioError(f"{what} invalide dans le scénario : {raw!r}")
    unit = match.group(2)
    return int(float(match.group(1)) * (units[unit] if unit in units else units[unit.upper()]))


def settings_of(scenario: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The general and mail settings a scenario gives, after those of its `base`."""
    general: dict[str, Any] = {}
    mail: dict[str, Any] = {}
    base = scenario.get("base")
    if base is not None:
        name = _BASE_ALIASES.get(str(base), str(base))
        if name not in scenario_names():
            raise ScenarioError(f"« base » inconnue : {base!r} (scénarios fournis : "
                                f"{', '.join(scenario_names())}).")
        general, mail = settings_of(read_scenario(name))
    general.update(scenario.get("general", {}))
    mail.update(scenario.get("mail", {}))
    return general, mail


def build_state(scenario: dict[str, Any], *, admin_password: str) -> ApplianceState:
    """An ApplianceState set up as the scenario says; web users get `admin_password`."""
    state = ApplianceState()
    now = int(state.started)
    server = scenario.get("server", {})
    if "identity" in server:
        state.server_identity = str(server["identity"])
    if "version" in server:
        major, minor, patch = (int(x) for x in str(server["version"]).split("."))
        state.version_number = major * 1_000_000_000 + minor * 1_000_000 + patch * 100
    state.status_flags = dict(scenario.get("status_flags", {}))
    state.network = bool(server.get("network", True))
    state.pbkdf2_rounds = _rounds(server.get("pbkdf2_rounds", state.pbkdf2_rounds))

    general, mail = settings_of(scenario)
    state.save_general({k: _form(v) for k, v in general.items()})
    state.save_mail({k: _form(v) for k, v in mail.items()})

    for group in scenario.get("groups", []):
        gid = int(group["id"])
        state.add_group(gid, str(group["name"]))
        form: dict[str, str] = {}
        for key, value in group.get("settings", {}).items():
            form[key] = _form(value)
            form[f"{key}.use"] = "2"
        state.save_client_settings(-gid, form)

    backup_id = 0
    for entry in _expanded(scenario.get("clients", [])):
        version = str(entry.get("client_version", "2.5.25"))
        client = Client(
            id=int(entry["id"]),
            name=str(entry["name"]),
            group=int(entry.get("group", 0)),
            online=bool(entry.get("online", False)),
            ip=str(entry.get("ip", "-")),
            lastseen=now - duration(entry.get("lastseen", "10m")),
            os_simple=str(entry.get("os_simple", "windows")),
            os_version_string=str(entry.get("os", "")),
            client_version_string=version,
            file_ok=entry.get("file_ok"),
            image_ok=entry.get("image_ok"),
            last_filebackup_issues=int(entry.get("last_filebackup_issues", 0)),
            # A client whose agent connected has a uid (M01); one never connected has none.
            uid=str(entry.get("uid", random_token(16) if version else "")),
            image_not_supported=_flag(entry, "image_not_supported"),
            override=bool(entry.get("override", True)),
        )
        state.add_client(client)
        for key, spec in entry.get("settings", {}).items():
            if key not in CLIENT_DEFAULTS:
                raise ScenarioError(f"Réglage client inconnu dans le scénario : {key}")
            if isinstance(spec, dict):
                state.set_client_row(client.id, key, spec.get("value", ""), int(spec.get("use", 2)),
                                     spec.get("value_client"))
            else:
                state.set_client_row(client.id, key, spec, 2)
        for b in entry.get("backups", []):
            backup_id += 1
            kind = str(b.get("type", "file"))
            if kind not in ("file", "image"):
                raise ScenarioError(f"Type de sauvegarde inconnu : {kind!r}")
            client.backups.append(Backup(
                id=backup_id,
                clientid=client.id,
                image=kind == "image",
                backuptime=now - duration(b.get("age", "1h")),
                incremental=bool(b.get("incremental", True)),
                size_bytes=size(b.get("size", "1G")),
                letter=str(b.get("letter", "C:")),
                duration=duration(b.get("duration", "10m")),
            ))

    for user in scenario.get("web_users", []):
        rights = user.get("rights", {"all": "all"})
        state.add_web_user(
            str(user["name"]),
            str(user.get("password", admin_password)),
            [{"domain": str(d), "right": str(r)} for d, r in rights.items()],
        )
    return state


def _expanded(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Clients as listed; an entry with `count = N` stands for N alike clients.

    Their ids follow the entry's `id`, and `{n}` (1 to N, `{n:03}` for 001) in `name` and
    `ip` numbers them: a hundred workstations take one entry, not a hundred.
    """
    out: list[dict[str, Any]] = []
    for entry in entries:
        count = entry.get("count")
        if count is None:
            out.append(entry)
            continue
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 10_000:
            raise ScenarioError(f"« count » doit être un entier de 1 à 10000 : {count!r}")
        for n in range(1, count + 1):
            alike = {k: v for k, v in entry.items() if k != "count"}
            alike["id"] = int(entry["id"]) + n - 1
            for key in ("name", "ip"):
                if key in entry:
                    alike[key] = _numbered(str(entry[key]), n)
            out.append(alike)
    return out


def _numbered(pattern: str, n: int) -> str:
    try:
        return pattern.format(n=n)
    except (KeyError, IndexError, ValueError, AttributeError):
        raise ScenarioError(f"Motif de numérotation invalide : {pattern!r} "
                            "(seul {n} est permis, par exemple « PC-{n:03} »).") from None


def load(name_or_path: str, *, admin_password: str) -> ApplianceState:
    scenario = read_scenario(name_or_path)
    try:
        return build_state(scenario, admin_password=admin_password)
    except ScenarioError:
        raise
    except KeyError as exc:
        raise ScenarioError(
            f"Scénario « {name_or_path} » incomplet : la clé {exc} manque.") from None
    except (TypeError, ValueError, AttributeError):
        raise ScenarioError(
            f"Scénario « {name_or_path} » invalide : une valeur n'a pas le type attendu."
        ) from None


def _rounds(raw: Any) -> int:
    """`[server] pbkdf2_rounds`: 0 (md5 only, as older servers) or more."""
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise ScenarioError(f"« pbkdf2_rounds » doit être un entier positif ou nul : {raw!r}")
    return raw


def _flag(entry: dict[str, Any], key: str) -> bool:
    raw = entry.get(key, False)
    if not isinstance(raw, bool):
        raise ScenarioError(f"« {key} » doit valoir true ou false : {raw!r}")
    return raw


def _form(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

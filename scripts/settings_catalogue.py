"""Write checks/data/settings.json: every UrBackup 2.5 setting, from data only.

Inputs: UrBackup's settings reference (`tests/fixtures/urbackup/SETTINGS.md`, a copy of the
reference derived from the server's source and checked against the running server: store,
stored type, built-in default, flags), the screen's words (`checks/data/ui-fr.json`: password
fields) and our own French names (`scripts/settings_names.toml`: names, a kind the reference
says too loosely, a secrecy decision). Run `.venv/bin/python scripts/settings_catalogue.py`
after changing one of them; tests/audit/test_catalogue_data.py checks the file is what this
script writes.

Secrecy is safe by default: a key whose name says secret (password, authkey, pw, key,
secret, token) or whose screen field is a password is secret unless the names file says
`secret = false`.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "fixtures" / "urbackup" / "SETTINGS.md"
UI = ROOT / "checks" / "data" / "ui-fr.json"
NAMES = ROOT / "scripts" / "settings_names.toml"
OUTPUT = ROOT / "checks" / "data" / "settings.json"

SECRET_WORDS = ("password", "passwd", "authkey", "_pw", "pw_", "key", "secret", "token")
"""Words that make a key secret unless the data says otherwise (checks.settings.catalogue
uses the same list for a key it does not know)."""

_STORES = {"## 2.": "general", "## 3.": "client", "## 4.": "mail", "## 5.": "ldap"}
_ROW = re.compile(r"^\| `(?P<key>\w+)` \| (?P<cells>.*)\|\s*$")
_LDAP = re.compile(r"`(?P<key>ldap_\w+)`\s*\((?P<default>(?:\"(?:[^\"\\]|\\.)*\"|[^)]*))\)")


def name_says_secret(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in SECRET_WORDS)


def _default(text: str) -> Any:
    """A reference cell as the API's value: `"18000"` a string, 100 a number, true a bool."""
    text = text.strip()
    quoted = re.match(r'^`?"((?:[^"\\]|\\.)*)"`?', text)
    if quoted:
        return quoted.group(1).replace("\\\\", "\\")
    ticked = re.match(r"^`([^`]*)`", text)
    if ticked:
        return ticked.group(1)
    if text.startswith(("true", "false")):
        return text.startswith("true")
    number = re.match(r"^-?\d+$", text)
    if number:
        return int(text)
    return None  # « random 10 chars »: no fixed default


def _kind(key: str, stored: str, choices: list[str]) -> str:
    """The value kind the reference's stored type implies (French, as checks.settings.Kind)."""
    if stored.startswith("bool"):
        return "booléen"
    if "seconds" in stored or key.startswith("update_freq_"):
        return "durée"
    if "window" in key:
        return "fenêtre"
    if "bytes/s" in stored:
        return "débit"
    if choices:
        return "choix"
    if stored.startswith("int"):
        return "nombre"
    return "texte"


def _unit(stored: str) -> str:
    parts = [p.strip() for p in stored.split(",", 1)]
    return parts[1] if len(parts) > 1 else ""


def parse_reference(text: str) -> dict[str, dict[str, Any]]:
    """Every key of the reference's sections 2 to 5, with its store and its facts."""
    found: dict[str, dict[str, Any]] = {}
    store: str | None = None
    ldap: list[str] = []
    for line in text.splitlines():
        for prefix, name in _STORES.items():
            if line.startswith(prefix):
                store = name
        if line.startswith("## 6.") or store is None:
            store = None if line.startswith("## 6.") else store
            continue
        if store == "ldap":
            ldap.append(line)
            continue
        row = _ROW.match(line)
        if row is None:
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row.group("cells"))]
        key = row.group("key")
        if store == "mail":
            found[key] = {"store": store, "kind": "texte", "default": _default(cells[0]),
                          "type": "string", "unit": "", "screen_unit": "", "flags": "",
                          "choices": []}
            continue
        stored = cells[1]
        choice = re.match(r"^string: ([\w|-]+)", stored)
        choices = choice.group(1).split("|") if choice else []
        flags = cells[3] if store == "client" else ""
        found[key] = {"store": store, "kind": _kind(key, stored, choices),
                      "default": _default(cells[0]), "type": stored.split(",")[0].strip(),
                      "unit": _unit(stored), "screen_unit": cells[2],
                      "flags": flags.strip("-").strip(), "choices": choices}
    for match in _LDAP.finditer("\n".join(ldap)):
        default = _default(match.group("default"))
        kind = "booléen" if isinstance(default, bool) else \
            "nombre" if isinstance(default, int) else "texte"
        found[match.group("key")] = {"store": "ldap", "kind": kind, "default": default,
                                     "type": "", "unit": "", "screen_unit": "", "flags": "",
                                     "choices": []}
    return found


def build(reference: str, ui: dict[str, Any], names: dict[str, Any]) -> dict[str, Any]:
    """The catalogue's data: the reference's facts, our names, secrecy decided safely."""
    facts = parse_reference(reference)
    unknown = sorted(set(names) - set(facts))
    if unknown:
        raise SystemExit(f"{NAMES.name} : réglage absent de la référence : {unknown[0]}")
    settings: dict[str, Any] = {}
    for key in sorted(facts):
        entry = dict(facts[key])
        own = names.get(key, {})
        screen = ui["settings"].get(key) or {}
        if "nature" in own:
            entry["kind"] = own["nature"]
        says = name_says_secret(key) or screen.get("control") == "password"
        entry["secret"] = bool(own.get("secret", says))
        if entry["secret"]:
            entry["default"] = None  # a secret's value is never written anywhere
        entry["name"] = own.get("nom", "")
        entry["help"] = own.get("aide", "")
        settings[key] = entry
    return {"_source": "scripts/settings_catalogue.py, from tests/fixtures/urbackup/SETTINGS.md "
                       "(UrBackup 2.5.33), checks/data/ui-fr.json and scripts/settings_names.toml",
            "settings": settings}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def generated() -> str:
    return render(build(REFERENCE.read_text("utf-8"),
                        json.loads(UI.read_text("utf-8")),
                        tomllib.loads(NAMES.read_text("utf-8"))))


def main() -> int:
    OUTPUT.write_text(generated(), "utf-8")
    print(f"écrit : {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""TOML files that people edit (baseline, waivers): decoding, and where a problem sits.

tomllib reports syntax errors with a line; for errors in the content we find the line of the
table or field ourselves, so that every refusal says « fichier, ligne N : raison ».
"""

from __future__ import annotations

import re
import tomllib
from typing import Any


def decode(data: bytes, name: str) -> tuple[dict[str, Any], str]:
    """The document and its text; a French ValueError naming the line for bad bytes or syntax."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(f"{name}, ligne {line} : le fichier n'est pas en UTF-8.") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{name} : syntaxe TOML invalide ({_french(str(exc), text)}).") \
            from None
    except RecursionError:
        raise ValueError(f"{name} : syntaxe TOML invalide (tableaux ou tables imbriqués trop "
                         "profondément).") from None


_REASONS = (
    ("Unterminated string", "chaîne non terminée"),
    ("Expected \"'\"", "chaîne non terminée"),
    ("Cannot overwrite a value", "valeur définie deux fois"),
    ("Cannot declare", "table déclarée deux fois"),
    ("Invalid value", "valeur invalide"),
    ("Invalid statement", "ligne invalide"),
    ("Unclosed array", "tableau non fermé"),
    ("Unclosed inline table", "table en ligne non fermée"),
    ("Expected newline or end of document", "fin de ligne attendue après la valeur"),
    ("Expected '=' after a key", "« = » attendu après la clé"),
    ("Expected ']' at the end of a table", "« ] » attendu à la fin de l'en-tête de table"),
    ("Unescaped '\\'", "barre oblique inverse non échappée"),
    ("Illegal character", "caractère interdit"),
    ("Invalid initial character for a key part", "clé invalide"),
    ("Invalid date or datetime", "date invalide"),
    ("Expected ']]' at the end of an array declaration", "« ]] » attendu à la fin de l'en-tête"),
)


def _french(message: str, text: str) -> str:
    """tomllib's English message as « ligne N, colonne C : raison » in French."""
    reason = re.sub(r"\s*\(at .*\)$", "", message)
    reason = next((fr for en, fr in _REASONS if reason.startswith(en)),
                  f"erreur de syntaxe : {reason}")
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match:
        return f"ligne {match.group(1)}, colonne {match.group(2)} : {reason}"
    if "end of document" in message:
        return f"ligne {text.count(chr(10)) + 1}, fin du fichier : {reason}"
    return reason


class Locator:
    """Finds the line of a table, an array-of-tables item or a field in a TOML text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def _field(self, start: int, field_name: str | None) -> int:
        if field_name is None:
            return start + 1
        pattern = re.compile(rf"^\s*{re.escape(field_name)}\s*=")
        for i in range(start + 1, len(self.lines)):
            if self.lines[i].lstrip().startswith("["):
                break
            if pattern.match(self.lines[i]):
                return i + 1
        return start + 1

    def table(self, name: str, field_name: str | None = None) -> int:
        header = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
        start = next((i for i, line in enumerate(self.lines) if header.match(line)), None)
        if start is None:
            return self.top(name.rpartition(".")[2]) if "." in name else 1
        return self._field(start, field_name)

    def item(self, name: str, index: int, field_name: str | None = None) -> int:
        """The `index`-th `[[name]]` block (0-based)."""
        header = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
        starts = [i for i, line in enumerate(self.lines) if header.match(line)]
        if not starts:
            return self.top(name)
        return 1 if index >= len(starts) else self._field(starts[index], field_name)

    def top(self, key: str) -> int:
        pattern = re.compile(rf"^\s*(\[+\s*)?{re.escape(key)}\b")
        return next((i + 1 for i, line in enumerate(self.lines) if pattern.match(line)), 1)

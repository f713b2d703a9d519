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
        raise ValueError(f"{name} : syntaxe TOML invalide ({_french(str(exc))}).") from None


def _french(message: str) -> str:
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    reason = re.sub(r"\s*\(at .*\)$", "", message)
    if match:
        return f"ligne {match.group(1)}, colonne {match.group(2)} : {reason}"
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
        return 1 if start is None else self._field(start, field_name)

    def item(self, name: str, index: int, field_name: str | None = None) -> int:
        """The `index`-th `[[name]]` block (0-based)."""
        header = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
        starts = [i for i, line in enumerate(self.lines) if header.match(line)]
        return 1 if index >= len(starts) else self._field(starts[index], field_name)

    def top(self, key: str) -> int:
        pattern = re.compile(rf"^\s*(\[+\s*)?{re.escape(key)}\b")
        return next((i + 1 for i, line in enumerate(self.lines) if pattern.match(line)), 1)

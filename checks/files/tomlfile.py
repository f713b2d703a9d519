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


Path = tuple[str | int, ...]
"""Where a value sits in a document: keys, and indices into arrays (of tables or inline)."""

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\n#]")


class Locator:
    """The line on which each key of a valid TOML text is written, in every form TOML allows.

    Tables (`[a."b.c"]`), arrays of tables (`[[a]]`, nested ones included), dotted keys
    (`a.b = 1`), quoted keys and inline tables, also inside arrays, each give their keys'
    paths, as tomllib would nest them. The text is one tomllib already accepted: a refusal
    found in its content is then reported on the right line.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._at = 0
        self._lines: dict[Path, int] = {}
        self._arrays: dict[Path, int] = {}
        self._scan()

    def line(self, *path: str | int) -> int:
        """The line of `path`, else of its longest prefix that is written; 1 if none is."""
        for end in range(len(path), 0, -1):
            found = self._lines.get(path[:end])
            if found is not None:
                return found
        return 1

    # --- scanning ---------------------------------------------------------------------------

    def _line_here(self) -> int:
        return self._text.count("\n", 0, self._at) + 1

    def _note(self, path: Path, line: int) -> None:
        for end in range(1, len(path) + 1):
            self._lines.setdefault(path[:end], line)

    def _peek(self, size: int = 1) -> str:
        return self._text[self._at : self._at + size]

    def _skip_blank(self, *, newlines: bool) -> None:
        """Spaces, tabs and comments; newlines too inside arrays and between statements."""
        text = self._text
        while self._at < len(text):
            char = text[self._at]
            if char in " \t\r" or (newlines and char == "\n"):
                self._at += 1
            elif char == "#":
                end = text.find("\n", self._at)
                self._at = len(text) if end < 0 else end
            else:
                return

    def _scan(self) -> None:
        table: Path = ()
        while True:
            self._skip_blank(newlines=True)
            if self._at >= len(self._text):
                return
            line = self._line_here()
            if self._peek(2) == "[[":
                self._at += 2
                table = self._resolve(self._key())
                index = self._arrays.get(table, 0)
                self._arrays[table] = index + 1
                table = (*table, index)
                self._at += 2
                self._note(table, line)
            elif self._peek() == "[":
                self._at += 1
                table = self._resolve(self._key())
                self._at += 1
                self._note(table, line)
            else:
                self._key_value(table)

    def _resolve(self, key: tuple[str, ...]) -> Path:
        """A header's keys as a path: through the last element of each array of tables."""
        path: Path = ()
        for depth, part in enumerate(key, 1):
            path = (*path, part)
            if path in self._arrays and depth < len(key):
                path = (*path, self._arrays[path] - 1)
        return path

    def _key(self) -> tuple[str, ...]:
        """A key, dotted or not, bare or quoted; the position ends after it and its blanks."""
        parts: list[str] = []
        while True:
            self._skip_blank(newlines=False)
            quote = self._peek()
            if quote in "\"'":
                end = self._string_end(quote)
                parts.append(tomllib.loads(f"k = {self._text[self._at : end]}")["k"])
                self._at = end
            else:
                match = _BARE_KEY.match(self._text, self._at)
                if match is None:
                    raise ValueError("not a TOML text tomllib accepted")
                parts.append(match.group())
                self._at = match.end()
            self._skip_blank(newlines=False)
            if self._peek() != ".":
                return tuple(parts)
            self._at += 1

    def _key_value(self, base: Path) -> None:
        line = self._line_here()
        path = (*base, *self._key())
        self._note(path, line)
        self._at += 1  # "="
        self._skip_blank(newlines=False)
        self._value(path)

    def _value(self, path: Path) -> None:
        char = self._peek()
        if char == "{":
            self._at += 1
            self._skip_blank(newlines=False)
            while self._peek() != "}":
                self._key_value(path)
                self._skip_blank(newlines=False)
                if self._peek() == ",":
                    self._at += 1
                    self._skip_blank(newlines=False)
            self._at += 1
        elif char == "[":
            self._at += 1
            index = 0
            self._skip_blank(newlines=True)
            while self._peek() != "]":
                self._note((*path, index), self._line_here())
                self._value((*path, index))
                index += 1
                self._skip_blank(newlines=True)
                if self._peek() == ",":
                    self._at += 1
                    self._skip_blank(newlines=True)
            self._at += 1
        elif char in "\"'":
            self._at = self._string_end(char)
        else:
            match = _SCALAR_END.search(self._text, self._at)
            self._at = len(self._text) if match is None else match.start()

    def _string_end(self, quote: str) -> int:
        """Where the string that starts here ends (just after its closing quotes)."""
        text, start = self._text, self._at
        triple = quote * 3
        if text.startswith(triple, start):
            end = text.find(triple, start + 3)
            while quote == '"' and _escaped(text, end):
                end = text.find(triple, end + 1)
            while text.startswith(quote, end + 3):  # up to two quotes may end the content
                end += 1
            return end + 3
        end = text.find(quote, start + 1)
        while quote == '"' and _escaped(text, end):
            end = text.find(quote, end + 1)
        return end + 1


def _escaped(text: str, at: int) -> bool:
    """Whether the character at `at` follows an odd number of backslashes."""
    count = 0
    while at - count - 1 >= 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1

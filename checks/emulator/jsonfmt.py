"""UrBackup's own JSON layout, byte for byte.

The server's JSON writer puts every member on its own line, sorts keys (they come from a
std::map), closes each object with a newline and separates array items with a bare comma.
Answering in the same layout lets the conformance tests compare whole recorded bodies.
Built with one list of parts and the C string encoder: answers for a hundred clients are
written often, and naive concatenation made the emulator the bottleneck of benchmarks.
"""

from __future__ import annotations

import json
from typing import Any

_encode_string = json.JSONEncoder(ensure_ascii=False).encode


def dumps(value: Any) -> str:
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: Any, parts: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            parts.append("{\n}\n")
            return
        parts.append("{\n")
        first = True
        for key in sorted(value):
            if not first:
                parts.append(",\n")
            first = False
            parts.append(_encode_string(str(key)))
            parts.append(": ")
            _write(value[key], parts)
        parts.append("\n}\n")
    elif isinstance(value, (list, tuple)):
        parts.append("[")
        for i, item in enumerate(value):
            if i:
                parts.append(",")
            _write(item, parts)
        parts.append("]")
    elif isinstance(value, str):
        parts.append(_encode_string(value))
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif value is None:
        parts.append("null")
    elif isinstance(value, int):
        parts.append(str(value))
    else:
        parts.append(json.dumps(value, ensure_ascii=False))

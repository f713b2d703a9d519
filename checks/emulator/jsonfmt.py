"""UrBackup's own JSON layout, byte for byte.

The server's JSON writer puts every member on its own line, sorts keys (they come from a
std::map), closes each object with a newline and separates array items with a bare comma.
Answering in the same layout lets the conformance tests compare whole recorded bodies.
"""

from __future__ import annotations

import json
from typing import Any


def dumps(value: Any) -> str:
    if isinstance(value, dict):
        if not value:
            return "{\n}\n"
        members = ",\n".join(
            f"{_scalar(str(key))}: {dumps(value[key])}" for key in sorted(value)
        )
        return "{\n" + members + "\n}\n"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(item) for item in value) + "]"
    return _scalar(value)


def _scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)

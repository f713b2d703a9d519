"""UrBackup's own JSON layout, byte for byte.

The server's JSON writer puts every member on its own line, sorts keys (they come from a
std::map), closes each object with a newline and separates array items with a bare comma.
Answering in the same layout lets the conformance tests compare whole recorded bodies.

Answers for a hundred clients are written often: each value is written by a lookup on its
exact type (strings by the C string encoder), each object and array by one join, and a part
that many answers share (the navigation list of every client) can be written once, as
`Written`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_encode_string: Callable[[str], str] = getattr(
    json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring


class Written(dict[str, Any]):
    """An object that carries its own text, written once and reused as long as it is kept.

    It is a plain dict to every other reader; it must not be changed once made.
    """

    def __init__(self, value: dict[str, Any]) -> None:
        super().__init__(value)
        self.text = _object(value)


def dumps(value: Any) -> str:
    return _text(value)


def _object(value: dict[Any, Any]) -> str:
    if not value:
        return "{\n}\n"
    members = []
    for key in sorted(value):
        item = value[key]
        writer = _WRITERS.get(type(item), _other)
        members.append(f"{_encode_string(str(key))}: {writer(item)}")
    return "{\n" + ",\n".join(members) + "\n}\n"


def _array(value: list[Any] | tuple[Any, ...]) -> str:
    return "[" + ",".join([_WRITERS.get(type(item), _other)(item) for item in value]) + "]"


def _text(value: Any) -> str:
    return _WRITERS.get(type(value), _other)(value)


def _other(value: Any) -> str:
    """Any type not written by exact lookup (subclasses, floats)."""
    if isinstance(value, dict):
        return _object(value)
    if isinstance(value, (list, tuple)):
        return _array(value)
    if isinstance(value, str):
        return _encode_string(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


_WRITERS: dict[type, Callable[[Any], str]] = {
    Written: lambda value: value.text,
    dict: _object,
    list: _array,
    tuple: _array,
    str: _encode_string,
    bool: lambda value: "true" if value else "false",
    int: int.__repr__,
    type(None): lambda value: "null",
}

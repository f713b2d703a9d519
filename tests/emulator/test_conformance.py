"""The emulator answers every recorded request as the real UrBackup 2.5.33 server did.

Each recorded exchange is replayed over HTTP against an emulator put in the recorded server's
situation (see tests/emulator/replay.py). The answers must agree on the status line, the
content type, the JSON keys and value types at every depth, and on the values that are part
of the protocol (error codes, success flags, `use` bits, ...). Values that depend on the
appliance (names, times, ids, session ids, salts) are compared by type only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator.replay import (
    NOT_REPLAYED,
    Recording,
    Replayer,
    recording_names,
    start,
)

REPLAYED = [name for name in recording_names() if name not in NOT_REPLAYED]

PROTOCOL_KEYS = frozenset({
    "ONLY_WIN32_BEGIN", "ONLY_WIN32_END", "admin_only", "api_version", "error", "lang",
    "pbkdf2_rounds", "sa", "saved_ok", "saved_part", "success", "use", "start_ok", "mail_test",
    "browse_backups", "graph", "logs", "progress", "settings", "status",
})
"""Keys whose value is part of the protocol, compared as values wherever they appear."""


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    return "object"


def differences(recorded: Any, emulated: Any, where: str = "$") -> Iterator[str]:
    """How `emulated` differs in shape from `recorded` (empty when they agree)."""
    if json_type(recorded) != json_type(emulated):
        yield f"{where}: {json_type(emulated)} au lieu de {json_type(recorded)}"
        return
    if isinstance(recorded, dict):
        for key in sorted(recorded.keys() - emulated.keys()):
            yield f"{where}.{key}: absent"
        for key in sorted(emulated.keys() - recorded.keys()):
            yield f"{where}.{key}: en trop"
        for key in sorted(recorded.keys() & emulated.keys()):
            inner = f"{where}.{key}"
            if key in PROTOCOL_KEYS and not isinstance(recorded[key], (dict, list)):
                if recorded[key] != emulated[key]:
                    yield f"{inner}: {emulated[key]!r} au lieu de {recorded[key]!r}"
                continue
            yield from differences(recorded[key], emulated[key], inner)
    elif isinstance(recorded, list):
        if bool(recorded) != bool(emulated):
            yield f"{where}: {len(emulated)} éléments au lieu de {len(recorded)}"
            return
        for index, item in enumerate(emulated):
            # Each emulated item must have the shape of one of the recorded items.
            if all(any(True for _ in differences(r, item)) for r in recorded):
                yield from (f"{d} (élément {index})" for d in differences(recorded[0], item,
                                                                           f"{where}[{index}]"))


@pytest.mark.parametrize("name", REPLAYED)
def test_emulator_answers_as_the_recorded_server(name: str) -> None:
    recording = Recording.load(name)
    emulator = start(recording)
    try:
        replayer = Replayer(emulator)
        replayer.prepare(recording)
        answer = replayer.replay(recording)
    finally:
        emulator.stop()

    assert f"HTTP/1.1 {answer.status} {answer.reason}" == recording.status_line
    assert answer.header("Content-Type") == recording.response_header("Content-Type")
    for header in ("Cache-Control", "X-Frame-Options"):
        assert answer.header(header) == recording.response_header(header), header
    assert answer.header("Content-Length") is None, "UrBackup n'envoie pas de longueur"

    if not recording.response_body:
        assert answer.body == b"", "une session jamais connectée reçoit un corps vide"
        return
    if recording.response_header("Content-Type") != "application/json":
        assert answer.body == recording.response_body
        return
    recorded = json.loads(recording.response_body)
    emulated = answer.json()
    found = list(differences(recorded, emulated))
    assert not found, "\n".join(found)
    if _only_protocol(recorded):
        assert answer.body == recording.response_body, "même mise en forme JSON, octet pour octet"


def _only_protocol(value: Any) -> bool:
    """An answer made of protocol values only: its bytes can be compared as they are."""
    return isinstance(value, dict) and all(
        key in PROTOCOL_KEYS and not isinstance(v, (dict, list)) for key, v in value.items())


def test_every_recording_is_replayed_or_its_exclusion_explained() -> None:
    names = set(recording_names())
    assert set(NOT_REPLAYED) <= names, "exclusion d'un enregistrement qui n'existe plus"
    assert len(REPLAYED) >= 100
    for reason in NOT_REPLAYED.values():
        assert "non émulé" in reason


def test_the_comparison_sees_a_changed_type_a_missing_key_and_a_wrong_error_code() -> None:
    recorded = {"error": 1, "settings": {"a": {"use": 1, "value_group": 5}}, "list": [{"x": 1}]}
    assert not list(differences(recorded, json.loads(json.dumps(recorded))))
    assert list(differences(recorded, {**recorded, "error": 2}))
    assert list(differences(recorded, {**recorded, "settings": {"a": {"use": 1}}}))
    assert list(differences(recorded, {**recorded, "settings": {"a": {"use": 1,
                                                                       "value_group": "5"}}}))
    assert list(differences(recorded, {**recorded, "list": [{"x": "1"}]}))
    assert list(differences(recorded, {**recorded, "list": []}))
    assert list(differences(recorded, {**recorded, "extra": True}))

"""An emulator stops when told, whatever state it is in, and then no longer answers."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
import requests

from checks.emulator import Emulator


def _port(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


def test_a_stopped_emulator_no_longer_answers() -> None:
    emulator = Emulator("datis-conforme")
    url = emulator.start()
    assert requests.post(f"{url}/x?a=salt", data={"username": "admin"}, timeout=5).ok
    emulator.stop()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(
            ("127.0.0.1", _port(url)), timeout=5):
        pass


def test_stop_returns_before_any_start_and_when_repeated() -> None:
    never_started = Emulator("datis-conforme")
    never_started.stop()
    emulator = Emulator("datis-conforme")
    emulator.start()
    emulator.stop()
    emulator.stop()

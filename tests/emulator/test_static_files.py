"""Static files and API answers on the wire, header by header, against recordings M03 and M04.

A real UrBackup 2.5.33 keeps the connection open after a static file (M03: `Connection:
Keep-Alive`, `Keep-Alive: timeout=15, max=95`, a Content-Length) and closes it after an API
answer (M04: neither a length nor a Connection header). Read here from a raw socket, so that
the names, their case, their order and the connection's fate are seen as the server sent them.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from checks.emulator import Emulator
from tests.conftest import RECORDINGS


def recorded(name: str) -> tuple[str, list[tuple[str, str]]]:
    response = json.loads((RECORDINGS / f"{name}.exchange.json").read_text("utf-8"))["response"]
    return response["status_line"], [(k, v) for k, v in response["headers"]]


@contextmanager
def connected(emulator: Emulator) -> Iterator[socket.socket]:
    url = urlsplit(emulator.url)
    with socket.create_connection((url.hostname or "", url.port or 0), timeout=5) as sock:
        yield sock


class Wire:
    """What came back on one socket: answers read one at a time, bytes kept as sent."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.pending = b""

    def send(self, method: str, path: str, body: bytes = b"") -> None:
        head = f"{method} {path} HTTP/1.1\r\nHost: datis\r\n"
        if body:
            head += ("Content-Type: application/x-www-form-urlencoded\r\n"
                     f"Content-Length: {len(body)}\r\n")
        self.sock.sendall(head.encode() + b"\r\n" + body)

    def _more(self) -> bytes:
        chunk = self.sock.recv(65536)
        self.pending += chunk
        return chunk

    def head(self) -> tuple[str, list[tuple[str, str]]]:
        while b"\r\n\r\n" not in self.pending:
            assert self._more(), "connexion fermée avant la fin des en-têtes"
        raw, self.pending = self.pending.split(b"\r\n\r\n", 1)
        status, *lines = raw.decode("latin-1").split("\r\n")
        return status, [(k, v) for k, _, v in (line.partition(": ") for line in lines)]

    def body(self, length: int) -> bytes:
        while len(self.pending) < length:
            assert self._more(), "connexion fermée avant la fin du corps"
        body, self.pending = self.pending[:length], self.pending[length:]
        return body

    def rest_until_closed(self) -> bytes:
        while self._more():
            pass
        rest, self.pending = self.pending, b""
        return rest


def test_a_static_file_comes_with_the_recorded_headers_and_keeps_the_connection(
    emulator: Emulator,
) -> None:
    status_line, headers = recorded("M03_static_file_headers")
    with connected(emulator) as sock:
        wire = Wire(sock)
        wire.send("GET", "/js/urbackup.js")
        status, got = wire.head()
        length = int(dict(got)["Content-Length"])
        script = wire.body(length)
        assert b"g.current_version=2005003300;" in script
        assert status == status_line
        # Same names, same case, same order, same values; only the length is this file's.
        assert got == [(k, str(length) if k == "Content-Length" else v) for k, v in headers]
        wire.send("GET", "/js/urbackup.js")
        again, _ = wire.head()
        assert again == status_line, "la connexion sert une deuxième requête"
    assert emulator.served("/js/urbackup.js") == 2


def test_the_start_page_is_a_static_file_too(emulator: Emulator) -> None:
    with connected(emulator) as sock:
        wire = Wire(sock)
        wire.send("GET", "/")
        _, got = wire.head()
        assert dict(got)["Connection"] == "Keep-Alive"
        assert wire.body(int(dict(got)["Content-Length"])).startswith(b"<!DOCTYPE html>")


def test_an_api_answer_comes_with_the_recorded_headers_and_closes_the_connection(
    emulator: Emulator,
) -> None:
    status_line, headers = recorded("M04_api_answer_headers")
    with connected(emulator) as sock:
        wire = Wire(sock)
        wire.send("POST", "/x?a=salt", b"username=admin")
        status, got = wire.head()
        body = wire.rest_until_closed()
    assert (status, got) == (status_line, headers)
    assert set(json.loads(body)) == set(json.loads(
        (RECORDINGS / "M04_api_answer_headers.json").read_text("utf-8")))


def test_after_a_static_file_an_api_call_on_the_same_connection_is_answered(
    emulator: Emulator,
) -> None:
    """Without the `reused` fault a kept connection serves an API call, then closes."""
    with connected(emulator) as sock:
        wire = Wire(sock)
        wire.send("GET", "/js/urbackup.js")
        _, got = wire.head()
        wire.body(int(dict(got)["Content-Length"]))
        wire.send("POST", "/x?a=status")
        status, got = wire.head()
        assert (status, dict(got).get("Content-Length")) == ("HTTP/1.1 200 ok", None)
        assert json.loads(wire.rest_until_closed()) == {"error": 1}

"""The emulator's HTTP server: real sockets, UrBackup's transport habits, optional TLS.

Like the built-in server of UrBackup 2.5, it answers API calls `HTTP/1.1 200 ok` with no
Content-Length and no Connection header, and closes the connection after each answer
(recording M04); static files (`/js/urbackup.js`, `/`) come with a length and the connection
kept open (`Connection: Keep-Alive`, `Keep-Alive: timeout=15, max=95`, recording M03), so a
client that pools connections may send an API call on a connection opened for a static file.
`keep_alive=True` answers API calls the way the reverse proxy in front of a DATIS does
instead (lengths, persistent connections).
"""

from __future__ import annotations

import contextlib
import queue
import selectors
import socket
import ssl
import struct
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlsplit

from checks.emulator import jsonfmt
from checks.emulator.api import Api
from checks.emulator.cost import ServerCost
from checks.emulator.faults import Fault, FaultPlan
from checks.emulator.scenarios import load
from checks.emulator.state import ApplianceState

_PROXY_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
_PORTAL = b"<!DOCTYPE html><html><head><title>Connexion</title></head><body>Portail</body></html>"
KEEP_ALIVE_SECONDS = 15
"""How long a connection kept open after a static file waits for the next request (M03)."""
_STATIC_KEEP_ALIVE = [("Connection", "Keep-Alive"),
                      ("Keep-Alive", f"timeout={KEEP_ALIVE_SECONDS}, max=95")]


def parse_form(body: bytes) -> dict[str, str]:
    """UrBackup's body parser: pairs split on '&' and on a raw '$', first key wins."""
    form: dict[str, str] = {}
    text = body.decode("utf-8", "replace")
    for pair in text.replace("$", "&").split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        key = unquote_plus(key)
        if key not in form:
            form[key] = unquote_plus(value)
    return form


def urbackup_js(version_number: int) -> bytes:
    lines = [
        "if(!window.g) g={};",
        "g.lang='en';",
        "g.loading=false;",
        "g.session='';",
        "g.title='UrBackup - Server';",
        "g.data_f={};",
        "g.nav_pos=0;",
        f"g.current_version={version_number};",
        "function startup(){}",
    ]
    return ("\n".join(lines) + "\n").encode()


class Handler(BaseHTTPRequestHandler):
    """One connection: its requests in turn, for as long as the answers keep it open."""

    server: EmulatorServer
    server_version = "UrBackup"
    timeout = KEEP_ALIVE_SECONDS
    """A connection idle this long is closed, as the real server announces (M03)."""

    def setup(self) -> None:
        super().setup()
        self.served_here = 0

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the emulator's stdout is for its URL only."""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        emulator = self.server
        reused = self.served_here > 0
        self.served_here += 1
        url = urlsplit(self.path)
        action = dict(parse_qsl(url.query)).get("a", "")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        form = parse_form(body) if url.path == "/x" else {}
        page = form.get("sa", "") if action == "settings" else ""
        emulator.count_request(page or action or url.path)
        if emulator.faults.latency_ms:
            time.sleep(emulator.faults.latency_ms / 1000)
        if emulator.cost is not None:
            emulator.cost.spend()
        fault = emulator.faults.pick(action or url.path, page=page, reused=reused)
        if fault is not None and self._fault_before(fault):
            return

        if url.path == "/x":
            address = self.headers.get("X-Forwarded-For") or self.client_address[0]
            if not emulator.api.known(action):
                message = f"Error: Unknown action [{action}]".encode()
                self._send(message, "text/html; charset=UTF-8", frame=False, fault=fault)
                return
            headers = {name.lower(): value for name, value in self.headers.items()}
            answer = emulator.api.answer(action, form, address, headers)
            if answer is None:
                self._send(b"", None, fault=fault)
                return
            if fault is not None and fault.kind == "wrong_types":
                answer = {k: (str(v) if isinstance(v, (list, dict)) else [v])
                          for k, v in answer.items()}
            if fault is not None and fault.kind == "error":
                answer = {"error": fault.code}
            # A name held as surrogate escapes (`"PC-\udce9"`) goes out as its raw bytes: the
            # invalid UTF-8 a real server sends for a name stored in another encoding.
            body = jsonfmt.dumps(answer).encode("utf-8", "surrogateescape")
            self._send(body, "application/json", fault=fault)
        elif url.path == "/js/urbackup.js":
            js = urbackup_js(emulator.state.version_number)
            self._send_static(js, "text/javascript", fault)
        elif url.path in ("/", "/index.htm"):
            html = b"<!DOCTYPE html><html><head><title>UrBackup - Server</title></head></html>"
            self._send_static(html, "text/html", fault)
        else:
            self._raw(b"HTTP/1.1 404 Not Found\r\n", b"Not found", "text/html")

    # --- faults ---------------------------------------------------------------------------

    def _fault_before(self, fault: Fault) -> bool:
        """Faults that replace the answer; True when the request is fully handled."""
        if fault.kind == "stall":
            time.sleep(fault.seconds)
            return False
        if fault.kind in ("drop", "reused"):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return True
        if fault.kind == "reset":
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            return True
        if fault.kind == "html":
            self._raw(b"HTTP/1.1 502 Bad Gateway\r\n", _PROXY_502, "text/html")
            return True
        if fault.kind == "http500":
            self._raw(b"HTTP/1.1 500 Internal Server Error\r\n", b"", None)
            return True
        if fault.kind == "html200":
            self._raw(b"HTTP/1.1 200 OK\r\n", _PORTAL, "text/html; charset=UTF-8")
            return True
        if fault.kind == "empty":
            self._send(b"", None)
            return True
        if fault.kind == "body":
            self._send(fault.body, "application/json")
            return True
        if fault.kind == "redirect":
            self._raw(b"HTTP/1.1 302 Found\r\n", b"", None,
                      extra=[("Location", "https://autre-hote.invalid/x")])
            return True
        if fault.kind == "huge":
            self._send_huge(fault.size_mb)
            return True
        return False

    def _send_huge(self, size_mb: int) -> None:
        self.close_connection = True
        self.wfile.write(b"HTTP/1.1 200 ok\r\nContent-type: application/json\r\n\r\n")
        chunk = b'"' + b"A" * 65534 + b'",'
        try:
            self.wfile.write(b"[")
            for _ in range(size_mb * 16):
                self.wfile.write(chunk)
            self.wfile.write(b"0]")
        except OSError:
            pass

    # --- writing --------------------------------------------------------------------------

    def _send(self, body: bytes, content_type: str | None, *, frame: bool = True,
              fault: Fault | None = None) -> None:
        """An API answer: M04's headers, closed after it (unless `keep_alive`)."""
        headers = [("Cache-Control", "max-age=0")]
        if content_type:
            headers.append(("Content-type", content_type))
        if frame:
            headers.append(("X-Frame-Options", "DENY"))
        self._answer(headers, body, fault, keep_alive=self.server.keep_alive)

    def _send_static(self, body: bytes, content_type: str, fault: Fault | None) -> None:
        """A static file: M03's headers, the connection kept open for the next request."""
        headers = [("Server", "CS"), ("Content-Type", content_type),
                   ("Cache-Control", "no-cache"), *_STATIC_KEEP_ALIVE]
        self._answer(headers, body, fault, keep_alive=True)

    def _answer(self, headers: list[tuple[str, str]], body: bytes, fault: Fault | None, *,
                keep_alive: bool) -> None:
        if fault is not None and fault.kind == "truncate":
            # With a length announced, the cut is seen as one (the connection closes before
            # the announced end); without one, the half body is all there is to read.
            announced = len(body)
            body = body[: max(1, len(body) // 2)]
            self._write(b"HTTP/1.1 200 ok\r\n", headers, body, keep_alive=keep_alive,
                        length=announced)
            self.close_connection = True
            return
        if fault is not None and fault.kind == "slow":
            self._write(b"HTTP/1.1 200 ok\r\n", headers, b"", keep_alive=False)
            delay = fault.seconds / max(1, len(body))
            for i in range(len(body)):
                self.wfile.write(body[i : i + 1])
                self.wfile.flush()
                time.sleep(delay)
            self.close_connection = True
            return
        self._write(b"HTTP/1.1 200 ok\r\n", headers, body, keep_alive=keep_alive)

    def _raw(self, status: bytes, body: bytes, content_type: str | None,
             extra: list[tuple[str, str]] | None = None) -> None:
        headers = list(extra or [])
        if content_type:
            headers.append(("Content-Type", content_type))
        self._write(status, headers, body, keep_alive=self.server.keep_alive)

    def _write(self, status: bytes, headers: list[tuple[str, str]], body: bytes, *,
               keep_alive: bool, length: int | None = None) -> None:
        """Kept alive: a Content-Length (`length`, else the body's). Otherwise neither a
        length nor a Connection header, and the connection closed after the body (M04)."""
        lines = [status]
        lines += [f"{k}: {v}\r\n".encode() for k, v in headers]
        if keep_alive:
            lines.append(f"Content-Length: {len(body) if length is None else length}\r\n"
                         .encode())
        else:
            self.close_connection = True
        lines.append(b"\r\n")
        try:
            self.wfile.write(b"".join(lines) + body)
        except OSError:
            self.close_connection = True


class EmulatorServer(ThreadingHTTPServer):
    """One thread per connection, as ThreadingHTTPServer, but threads are kept and reused.

    Starting a thread costs little alone, but a hundred connections arriving together made
    the accept loop wait for each new thread in turn; idle threads now take the next
    connection, and a new one starts only when every thread is busy (stalled faults included).
    """

    daemon_threads = True
    request_queue_size = 256
    timeout = 0.0
    """handle_request() accepts what `serve` saw arrive, and never waits for more."""

    def __init__(self, address: tuple[str, int], state: ApplianceState, faults: FaultPlan, *,
                 keep_alive: bool, tls: ssl.SSLContext | None,
                 cost: ServerCost | None = None) -> None:
        self.state = state
        self.api = Api(state)
        self.faults = faults
        self.cost = cost
        self.keep_alive = keep_alive
        self.tls = tls
        self.requests_served = 0
        self.served: Counter[str] = Counter()
        """Requests by settings page (`sa`), else by action, else by path."""
        self._count_lock = threading.Lock()
        self._connections: queue.SimpleQueue[tuple[Any, Any] | None] = queue.SimpleQueue()
        self._idle = 0
        self._workers = 0
        self._wake = socket.socketpair()
        Handler.protocol_version = "HTTP/1.1"
        super().__init__(address, Handler)

    def serve(self) -> None:
        """Accept connections until `stop_serving()`, which wakes this loop at once.

        socketserver's serve_forever polls for its shutdown flag: every stop waited up to a
        poll interval (a test suite stops an emulator per test), and hundreds of idle
        emulators in one process woke for nothing.
        """
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake[0], selectors.EVENT_READ)
            while not any(key.fileobj is self._wake[0] for key, _ in selector.select()):
                self.handle_request()

    def stop_serving(self) -> None:
        with contextlib.suppress(OSError):  # already stopped and closed
            self._wake[1].send(b"!")

    def count_request(self, target: str) -> None:
        with self._count_lock:
            self.requests_served += 1
            self.served[target] += 1

    def served_count(self, target: str) -> int:
        with self._count_lock:
            return self.served[target]

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._count_lock:
            spawn = self._idle == 0
            if spawn:
                self._workers += 1
            else:
                self._idle -= 1
        self._connections.put((request, client_address))
        if spawn:
            threading.Thread(target=self._serve_connections, daemon=True).start()

    def _serve_connections(self) -> None:
        while (job := self._connections.get()) is not None:
            self.process_request_thread(*job)
            with self._count_lock:
                self._idle += 1

    def server_close(self) -> None:
        super().server_close()
        for end in self._wake:
            end.close()
        with self._count_lock:
            workers, self._workers = self._workers, 0
        for _ in range(workers):
            self._connections.put(None)

    def finish_request(self, request: Any, client_address: Any) -> None:
        """TLS handshakes happen here, in the request's thread, not in the accept loop."""
        if self.tls is not None:
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that goes away mid-answer is normal here (timeouts, fault tests)."""


class Emulator:
    """An emulated UrBackup server on a real socket; `with Emulator(...) as url:` runs it.

    The object stays usable inside the block: `state` (the appliance), `faults` (latency and
    faults, changeable at any time), `ca_path` (the CA to trust when `tls=True`).
    `cost=ServerCost()` makes each request cost what it costs a real UrBackup server (see
    checks.emulator.cost); by default the emulator answers as fast as it can.
    """

    def __init__(
        self,
        scenario: str = "datis-conforme",
        *,
        admin_password: str = "secret",
        host: str = "127.0.0.1",
        port: int = 0,
        tls: bool = False,
        tls_names: tuple[str, ...] = (),
        certfile: str | None = None,
        keyfile: str | None = None,
        keep_alive: bool = False,
        latency_ms: float = 0.0,
        faults: list[Fault] | None = None,
        state: ApplianceState | None = None,
        cost: ServerCost | None = None,
    ) -> None:
        self.state = state if state is not None else load(scenario, admin_password=admin_password)
        self.faults = FaultPlan(latency_ms, faults)
        self.ca_path: Path | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        context = self._tls_context(tls, host, tls_names, certfile, keyfile)
        self.server = EmulatorServer((host, port), self.state, self.faults,
                                     keep_alive=keep_alive, tls=context, cost=cost)
        self._thread: threading.Thread | None = None
        scheme = "https" if context else "http"
        shown = f"[{host}]" if ":" in host else host
        self.url = f"{scheme}://{shown}:{self.server.server_address[1]}"

    def _tls_context(self, tls: bool, host: str, names: tuple[str, ...], certfile: str | None,
                     keyfile: str | None) -> ssl.SSLContext | None:
        if not tls and certfile is None:
            return None
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if certfile is not None:
            context.load_cert_chain(certfile, keyfile)
            return context
        import trustme

        ca = trustme.CA(organization_name="Emulateur UrBackup DATIS")
        identities = dict.fromkeys(["localhost", "127.0.0.1", "::1", host, *names])
        ca.issue_cert(*identities).configure_cert(context)
        self._tmp = tempfile.TemporaryDirectory(prefix="urbackup-emulator-")
        self.ca_path = Path(self._tmp.name) / "ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_path))
        return context

    @property
    def requests_served(self) -> int:
        return self.server.requests_served

    def served(self, target: str) -> int:
        """Requests received for a settings page (`general_save`), an action (`login`) or a
        path (`/js/urbackup.js`), answered or not (faults included)."""
        return self.server.served_count(target)

    def start(self) -> str:
        """Serve from a thread until `stop()`."""
        self._thread = threading.Thread(target=self.server.serve, daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        self.server.stop_serving()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.server.server_close()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

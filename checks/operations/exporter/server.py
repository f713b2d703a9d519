"""The exporter's HTTP face: `/probe?target=ID`, `/metrics`, `/`, on the standard library.

Statuses: 200 with the metrics (an appliance that cannot be audited is `datis_audit_up 0`,
still 200, as blackbox_exporter does), 400 for a target outside the inventory, 503 at once when
every audit slot is taken, 401 without the right credentials when basic authentication is on.
"""

from __future__ import annotations

import base64
import hmac
import logging
import math
import socket
import ssl
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from checks.operations.exporter.prober import Prober, Saturated, UnknownTarget

log = logging.getLogger(__name__)

DEFAULT_BUDGET = 10.0
"""Seconds a probe may wait without Prometheus's header (Prometheus's own default timeout)."""
MARGIN = 0.5
"""Seconds kept from Prometheus's timeout to write the answer (as blackbox_exporter)."""
TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds"

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Exportateur DATIS</title></head>
<body><h1>Exportateur Prometheus des appliances DATIS</h1>
<p>Prometheus interroge <code>/probe?target=IDENTIFIANT</code> : l'appliance de l'inventaire
ainsi désignée est auditée (au plus une connexion par audit, jamais retentée) et ses
métriques sont renvoyées. Seules les appliances de l'inventaire sont acceptées.</p>
<p><a href="/metrics">/metrics</a> : les métriques de l'exportateur lui-même.</p>
<p>Mise en place : page « Supervision avec Prometheus » de la documentation DATIS.</p>
</body></html>
"""


def budget(header: str | None) -> float:
    """Seconds a probe may wait: Prometheus's scrape timeout less MARGIN, else the default."""
    try:
        given = float(header) if header is not None else math.nan
    except ValueError:
        given = math.nan
    if not math.isfinite(given) or given <= 0:
        return DEFAULT_BUDGET
    return max(given - MARGIN, 0.1)


class ExporterServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], prober: Prober, *,
                 credentials: tuple[str, str] | None = None,
                 tls: ssl.SSLContext | None = None) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.prober = prober
        self.credentials = credentials
        super().__init__(address, Handler)
        if tls is not None:  # the handshake happens in each request's thread, not in accept
            self.socket = tls.wrap_socket(self.socket, server_side=True,
                                          do_handshake_on_connect=False)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("requête interrompue", exc_info=True)


class Handler(BaseHTTPRequestHandler):
    server: ExporterServer
    server_version = "datis-audit-exporter"
    protocol_version = "HTTP/1.1"
    timeout = 60

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        if not self._authorized():
            self._send(401, "Authentification requise.\n", "text/plain; charset=utf-8",
                       [("WWW-Authenticate", 'Basic realm="datis", charset="UTF-8"')])
            return
        parts = urlsplit(self.path)
        if parts.path == "/probe":
            self._probe(parse_qs(parts.query).get("target", []))
        elif parts.path == "/metrics":
            self._send(200, generate_latest(self.server.prober.metrics.registry).decode("utf-8"),
                       CONTENT_TYPE_LATEST)
        elif parts.path == "/":
            self._send(200, PAGE, "text/html; charset=utf-8")
        else:
            self._send(404, "Page inconnue : /, /probe?target=IDENTIFIANT ou /metrics.\n",
                       "text/plain; charset=utf-8")

    def _probe(self, targets: list[str]) -> None:
        if len(targets) != 1 or not targets[0]:
            self._send(400, "Indiquez une appliance : /probe?target=IDENTIFIANT.\n",
                       "text/plain; charset=utf-8")
            return
        try:
            answer = self.server.prober.probe(targets[0], budget(self.headers[TIMEOUT_HEADER]))
        except UnknownTarget:
            self._send(400, "Appliance absente de l'inventaire : seules les appliances de "
                            "l'inventaire sont auditées.\n", "text/plain; charset=utf-8")
            return
        except Saturated:
            self._send(503, "Trop d'audits en cours : sonde refusée, réessayez au prochain "
                            "intervalle.\n", "text/plain; charset=utf-8", [("Retry-After", "5")])
            return
        self._send(200, answer.body, CONTENT_TYPE_LATEST)

    def _authorized(self) -> bool:
        expected = self.server.credentials
        if expected is None:
            return True
        given = self.headers.get("Authorization", "")
        scheme, _, encoded = given.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        same_user = hmac.compare_digest(user.encode(), expected[0].encode())
        same_password = hmac.compare_digest(password.encode(), expected[1].encode())
        return same_user and same_password

    def _send(self, status: int, text: str, content_type: str,
              headers: list[tuple[str, str]] | None = None) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers or []:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

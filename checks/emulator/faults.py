"""Fault injection: how an emulated appliance misbehaves, for tests and benchmarks.

A plan holds a latency added to every request and a list of faults, each aimed at some
actions (or all) for a number of requests (or for ever). The server asks the plan, request by
request, which fault applies. A fault aims at an action (`status`, `settings`), a settings
page (`general`, `clientsettings`, `general_save`) or a static file (`/js/urbackup.js`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

FAULT_KINDS = {
    "slow": "répond, mais octet par octet sur `seconds` secondes",
    "stall": "ne répond qu'après `seconds` secondes",
    "drop": "ferme la connexion sans répondre",
    "reused": "ferme sans répondre une connexion qui a déjà servi une requête (gardée ouverte "
              "après un fichier statique), comme un vrai serveur chargé",
    "reset": "coupe la connexion (TCP RST)",
    "html": "page d'erreur HTML d'un proxy (HTTP 502)",
    "html200": "page HTML avec HTTP 200 (portail, mauvais service)",
    "truncate": "JSON coupé au milieu",
    "empty": "corps vide",
    "redirect": "redirection vers un autre hôte",
    "huge": "corps de `size_mb` Mio",
    "wrong_types": "JSON valide mais types inattendus",
    "error": "erreur UrBackup en bande (`code`)",
    "http500": "HTTP 500",
    "body": "ce corps (`body`, des octets quelconques) avec HTTP 200, comme du JSON",
}


@dataclass
class Fault:
    kind: str
    actions: frozenset[str] | None = None
    times: int | None = None
    seconds: float = 5.0
    code: int = 1
    size_mb: int = 80
    body: bytes = b""

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"Panne inconnue : {self.kind!r} ({', '.join(sorted(FAULT_KINDS))})")

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """`KIND[:action,action][@times]`, e.g. `truncate:status@1` or `html`."""
        times: int | None = None
        if "@" in spec:
            spec, count = spec.rsplit("@", 1)
            if not count.isdigit():
                raise ValueError(f"Nombre de requêtes invalide après « @ » : {count!r} "
                                 "(attendu : un entier, par exemple truncate:status@1)")
            times = int(count)
        kind, _, actions = spec.partition(":")
        chosen = frozenset(a for a in actions.split(",") if a) or None
        return cls(kind=kind, actions=chosen, times=times)


class FaultPlan:
    def __init__(self, latency_ms: float = 0.0, faults: list[Fault] | None = None) -> None:
        self.latency_ms = latency_ms
        self._faults = list(faults or [])
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.latency_ms = 0.0

    def pick(self, action: str, *, page: str = "", reused: bool = False) -> Fault | None:
        """The fault for this request, if any; a counted fault is used up by it.

        `page` is the settings page (`sa`) of a `settings` request; `reused` says that the
        request came on a connection that already served one, the only kind `reused` hits.
        """
        with self._lock:
            for fault in self._faults:
                if fault.actions is not None and not fault.actions & {action, page}:
                    continue
                if fault.kind == "reused" and not reused:
                    continue
                if fault.times is not None:
                    if fault.times <= 0:
                        continue
                    fault.times -= 1
                return fault
        return None

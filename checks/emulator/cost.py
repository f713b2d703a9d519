"""What a request costs the server: a real UrBackup takes its time, and only so many at once.

The emulator answers in well under a millisecond; a real UrBackup 2.5.33 took about 20 ms per
request even on loopback, one request at a time, and served about 330 requests per second at
best, with 16 in flight, on two cores. A benchmark against a free server flatters any client
that sends many requests; this model makes them cost what they would.

Each request holds one of `concurrency` slots for `ms` milliseconds: alone it takes `ms`, and
at best the server answers `concurrency / ms` requests per millisecond, however many are in
flight. `ServerCost()` is the real server: 21 ms, 7 at once, so 21 ms alone and 333 requests
per second at best (measured: about 20 ms and 330 per second).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

REAL_MS = 21.0
REAL_CONCURRENCY = 7


@dataclass(frozen=True)
class ServerCost:
    ms: float = REAL_MS
    concurrency: int = REAL_CONCURRENCY
    _slots: threading.BoundedSemaphore = field(init=False, repr=False, compare=False)
    _count: threading.Lock = field(init=False, repr=False, compare=False)
    _busy: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not (self.ms >= 0 and self.concurrency >= 1):
            raise ValueError("Coût du serveur invalide : une durée positive ou nulle et au "
                             "moins une requête à la fois sont attendues.")
        object.__setattr__(self, "_slots", threading.BoundedSemaphore(self.concurrency))
        object.__setattr__(self, "_count", threading.Lock())
        object.__setattr__(self, "_busy", [0, 0])  # now, most ever

    @property
    def best_rate(self) -> float:
        """Requests per second when enough are in flight to fill every slot."""
        return self.concurrency * 1000 / self.ms if self.ms else float("inf")

    @property
    def peak(self) -> int:
        """The most requests ever served at once: whether a client filled the server."""
        return self._busy[1]

    def spend(self) -> None:
        """Wait for a free slot, then take the request's time in it."""
        with self._slots:
            with self._count:
                self._busy[0] += 1
                self._busy[1] = max(self._busy)
            try:
                time.sleep(self.ms / 1000)
            finally:
                with self._count:
                    self._busy[0] -= 1

"""The exporter and a real Prometheus, each in its own process, for the tests of issue #22.

The exporter runs as `python -m checks exporter` in a child process: it is a long-running
server stopped by a signal, whose port is read from its first line. Prometheus and promtool
are Debian's (scripts/test.sh installs them); without them these tests fail, never skip.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from checks.emulator import Emulator
from tests.cli_run import environment
from tests.conftest import ROOT

CONTRIB = ROOT / "contrib" / "prometheus"
DASHBOARD = ROOT / "contrib" / "grafana" / "datis-appliances.json"
SHIPPED_EXPORTER = "127.0.0.1:9678"
SHIPPED_SECOND = "127.0.0.1:9679"
HOUR = 3600
DAY = 86400
WAIT = 60.0
"""Seconds a test waits for something that takes a second or two (a slow, shared machine)."""

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))

T = TypeVar("T")


def need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"{tool} absent\u00a0: bash scripts/test.sh l'installe (paquet Debian "
                    "prometheus)",
                    pytrace=False)
    return found


@dataclass
class Reply:
    status: int
    body: str
    headers: Mapping[str, str] = field(default_factory=dict)


def get(url: str, headers: Mapping[str, str] | None = None, *, context: Any = None) -> Reply:
    """One GET without any proxy; an HTTP error status is a Reply too."""
    request = urllib.request.Request(url, headers=dict(headers or {}))
    opener = _NO_PROXY if context is None else urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context))
    try:
        with opener.open(request, timeout=WAIT) as answer:
            return Reply(answer.status, answer.read().decode("utf-8"), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read().decode("utf-8"), dict(error.headers))


def loaded_at(emulator: Emulator, client: int, age: int) -> int:
    """When the emulator loaded its scenario, whose backup ages count from then: the newest
    file backup of `client`, which the scenario says is `age` seconds old."""
    return max(b.backuptime for b in emulator.state.clients[client].backups if not b.image) + age


def dashboard_queries() -> list[str]:
    """Every PromQL query of the shipped Grafana dashboard."""
    board = json.loads(DASHBOARD.read_text("utf-8"))
    return [t["expr"] for panel in board["panels"] for t in panel["targets"]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_fleet(folder: Path, passwords: Mapping[str, str]) -> tuple[Path, Path]:
    """An inventory of appliances by address (no password in it) and their passwords file."""
    inventory = folder / "flotte.toml"
    blocks = ["schema = 1"] + [f'[[appliance]]\nurl = "{url}"' for url in passwords]
    inventory.write_text("\n\n".join(blocks) + "\n", "utf-8")
    secrets = folder / "mots-de-passe.toml"
    secrets.write_text("".join(f'"{u}" = "{p}"\n' for u, p in passwords.items()), "utf-8")
    return inventory, secrets


@dataclass
class Exporter:
    url: str
    process: subprocess.Popen[str]
    log: Path

    @property
    def address(self) -> str:
        return self.url.split("://", 1)[1].rstrip("/")

    def probe(self, target: str, timeout: float | None = None, **kwargs: Any) -> Reply:
        headers = dict(kwargs.pop("headers", {}))
        if timeout is not None:
            headers["X-Prometheus-Scrape-Timeout-Seconds"] = str(timeout)
        query = urllib.parse.urlencode({"target": target})
        return get(f"{self.url}probe?{query}", headers, **kwargs)

    def counter(self, name: str, **labels: str) -> float:
        """One sample of the exporter's own /metrics."""
        wanted = name + ("{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}"
                         if labels else "")
        for line in get(f"{self.url}metrics").body.splitlines():
            if line.startswith(wanted + " "):
                return float(line.split()[-1])
        raise AssertionError(f"{wanted} absent de /metrics")


@contextmanager
def exporter(inventory: Path, passwords: Path, *options: str,
             scheme: str = "http") -> Iterator[Exporter]:
    """`datis-audit exporter` on a free port; stopped by SIGTERM, its exit code checked."""
    log = Path(tempfile.mkstemp(prefix="datis-exporter-", suffix=".log")[1])
    with log.open("w", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "checks", "exporter", "--inventory", str(inventory),
             "--passwords", str(passwords), "--listen", "127.0.0.1:0", "-vv", *options],
            stdout=subprocess.PIPE, stderr=errors, text=True, env=environment(None), cwd=ROOT)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        if not first.startswith("Exportateur DATIS\u00a0: "):
            raise AssertionError(f"l'exportateur n'a pas démarré\u00a0: {first!r} "
                                 f"{log.read_text('utf-8')[-2000:]}")
        url = first.split("\u00a0: ", 1)[1].split(" ", 1)[0]
        assert url.startswith(f"{scheme}://"), url
        yield Exporter(url, process, log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
        finally:
            if process.stdout is not None:
                process.stdout.close()
    assert code == 0, log.read_text("utf-8")[-2000:]


def until(what: str, check: Callable[[], T | None], deadline: float = WAIT) -> T:
    """Poll `check` until it gives something other than None; fail after `deadline` seconds."""
    end = time.monotonic() + deadline
    last: T | None = None
    while time.monotonic() < end:
        last = check()
        if last is not None:
            return last
        time.sleep(0.2)
    raise AssertionError(f"{what}\u00a0: rien après {deadline:.0f} s")


def promtool(*args: str, stdin: str | None = None, cwd: Path | None = None) \
        -> subprocess.CompletedProcess[str]:
    return subprocess.run([need("promtool"), *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=WAIT, check=False)


def adapted(text: str, exporters: Sequence[str], *, interval: str = "1s") -> str:
    """A shipped file, adapted to a test: the exporters' addresses, short intervals, `for: 0s`.

    Nothing else is changed: the relabelling, the jobs and the rules are the shipped ones.
    """
    shipped = [SHIPPED_EXPORTER, SHIPPED_SECOND]
    for mine, theirs in zip(exporters, shipped, strict=False):
        text = text.replace(theirs, mine)
    for key in ("scrape_interval", "evaluation_interval", "scrape_timeout"):
        text = _set(text, key, interval)
    return _set(text, "for", "0s")


def _set(text: str, key: str, value: str) -> str:
    import re

    return re.sub(rf"(^\s*{key}: )\S+", rf"\g<1>{value}", text, flags=re.MULTILINE)


@dataclass
class Prometheus:
    url: str

    def api(self, path: str, **params: str) -> Any:
        query = urllib.parse.urlencode(params)
        reply = get(f"{self.url}/api/v1/{path}" + (f"?{query}" if query else ""))
        assert reply.status == 200, reply.body
        answer = json.loads(reply.body)
        assert answer["status"] == "success", answer
        return answer["data"]

    def query(self, expression: str) -> dict[str, float]:
        """An instant vector, by instance."""
        result = self.api("query", query=expression)["result"]
        return {r["metric"].get("instance", ""): float(r["value"][1]) for r in result}

    def firing(self) -> set[tuple[str, str]]:
        return {(a["labels"]["alertname"], a["labels"].get("instance", ""))
                for a in self.api("alerts")["alerts"] if a["state"] == "firing"}


@contextmanager
def prometheus(config: str, folder: Path, targets: Sequence[str]) -> Iterator[Prometheus]:
    """A real Prometheus from a shipped configuration (see `adapted`), rules beside it and
    the targets in cibles/; killed at the end, its storage in `folder`."""
    binary = need("prometheus")
    (folder / "cibles").mkdir(exist_ok=True)
    (folder / "cibles" / "test.yml").write_text(
        "- targets:\n" + "".join(f"    - {json.dumps(t)}\n" for t in targets), "utf-8")
    port = free_port()
    log = folder / "prometheus.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [binary, f"--config.file={folder / config}", f"--storage.tsdb.path={folder / 'tsdb'}",
             f"--web.listen-address=127.0.0.1:{port}"],
            stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    server = Prometheus(f"http://127.0.0.1:{port}")
    try:
        until("Prometheus prêt", lambda: True if _ready(server.url) else None)
        yield server
    finally:
        process.kill()
        process.wait()


def _ready(url: str) -> bool:
    try:
        return get(f"{url}/-/ready").status == 200
    except OSError:
        return False

"""The real-cost emulator: a request takes the server's time, and only so many at once."""

from __future__ import annotations

import http.client
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from checks.emulator import Emulator, ServerCost
from checks.emulator.cost import REAL_CONCURRENCY, REAL_MS
from tests.conftest import PASSWORD
from tests.emulator.test_cli import emulator_command, read_lines, refused


def _get(url: str) -> int:
    where = urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=30)
    try:
        connection.request("GET", "/js/urbackup.js")
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_default_is_the_measured_real_server() -> None:
    cost = ServerCost()
    assert (cost.ms, cost.concurrency) == (REAL_MS, REAL_CONCURRENCY)
    assert 19 <= cost.ms <= 22  # about 20 ms alone
    assert 320 <= cost.best_rate <= 345  # about 330 requests per second at best


def test_requests_one_at_a_time_each_take_the_cost(
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator(cost=ServerCost(ms=50, concurrency=4))
    started = time.perf_counter()
    assert [_get(emulator.url) for _ in range(4)] == [200] * 4
    assert time.perf_counter() - started >= 4 * 0.050
    assert emulator.server.cost is not None and emulator.server.cost.peak == 1


def test_no_more_than_the_limit_at_once(start_emulator: Callable[..., Emulator]) -> None:
    cost = ServerCost(ms=150, concurrency=3)
    emulator = start_emulator(cost=cost)
    started = time.perf_counter()
    with ThreadPoolExecutor(12) as pool:
        assert list(pool.map(_get, [emulator.url] * 12)) == [200] * 12
    assert time.perf_counter() - started >= 4 * 0.150  # 12 requests, 3 at a time
    assert cost.peak == 3


def test_without_cost_the_emulator_does_not_wait(emulator: Emulator) -> None:
    assert emulator.server.cost is None


@pytest.mark.parametrize(("options", "shown"), [
    (["--real-cost"], f"{REAL_MS:g} ms, {REAL_CONCURRENCY} à la fois"),
    (["--cost-ms", "5"], f"5 ms, {REAL_CONCURRENCY} à la fois"),
    (["--concurrency", "2"], f"{REAL_MS:g} ms, 2 à la fois"),
])
def test_the_command_line_sets_the_cost(options: list[str], shown: str) -> None:
    process = subprocess.Popen(emulator_command(*options, "--admin-password", PASSWORD),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url, cost = read_lines(process, 2)
        assert cost == f"coût du serveur : {shown}"
        assert _get(url) == 200
    finally:
        process.kill()
        process.communicate(timeout=15)


@pytest.mark.parametrize("options", [["--cost-ms", "-1"], ["--concurrency", "0"]])
def test_a_bad_cost_is_a_usage_error(options: list[str]) -> None:
    done = refused(*options)
    assert done.code == 3, done.stderr
    assert "Coût du serveur invalide" in done.stderr

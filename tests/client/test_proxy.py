"""The proxy of the environment carries an audit's exchanges, as a browser's would; NO_PROXY
(address ranges included) sends them straight to the appliance.

The proxy is a second emulator: it serves any request whose target is a full URL, as a
forward proxy receives them, so the appliance that answered tells which way they went.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from checks.appliance.client import UrBackupClient
from checks.emulator import Emulator
from tests.conftest import PASSWORD


@pytest.fixture
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    return monkeypatch


def _read_status(url: str) -> None:
    with UrBackupClient(url, password=PASSWORD) as client:
        client.login()
        client.status()


def test_the_environment_proxy_carries_the_exchanges(
        start_emulator: Callable[..., Emulator], no_proxy_settings: pytest.MonkeyPatch) -> None:
    appliance, proxy = start_emulator(), start_emulator()
    no_proxy_settings.setenv("http_proxy", proxy.url)
    _read_status(appliance.url)
    assert (appliance.requests_served, proxy.requests_served) == (0, 3)


def test_no_proxy_ranges_go_straight_to_the_appliance(
        start_emulator: Callable[..., Emulator], no_proxy_settings: pytest.MonkeyPatch) -> None:
    appliance, proxy = start_emulator(), start_emulator()
    no_proxy_settings.setenv("http_proxy", proxy.url)
    no_proxy_settings.setenv("no_proxy", "127.0.0.0/8")
    _read_status(appliance.url)
    assert (appliance.requests_served, proxy.requests_served) == (3, 0)

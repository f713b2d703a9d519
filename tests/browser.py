"""Headless Chromium for the tests that open pages as a person would (Debian's package)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
HEADLESS = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
"""The start of every command line: no window, no sandbox (root), no first-run dialogs."""


@pytest.fixture
def chromium() -> Path:
    """In CI (`CI` set, as .ci/run does) a missing browser fails the test; elsewhere it skips."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium absent ({CHROMIUM}) : .ci/run doit l'installer.")
        pytest.skip(f"Chromium absent ({CHROMIUM}) : apt-get install chromium")
    return CHROMIUM

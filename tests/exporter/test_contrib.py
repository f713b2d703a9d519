"""promtool accepts every shipped monitoring file, and the alert rules pass their unit tests
(delays and thresholds included: the real Prometheus of test_prometheus.py runs with `for: 0s`).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.exporter.running import CONTRIB, promtool


@pytest.mark.parametrize("config", ["prometheus.yml", "prometheus-deux-exportateurs.yml"])
def test_promtool_checks_the_shipped_configuration(config: str) -> None:
    checked = promtool("check", "config", config, cwd=CONTRIB)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 7 rules found" in checked.stdout


def test_promtool_checks_the_rules_and_their_unit_tests_pass() -> None:
    rules = promtool("check", "rules", "datis-alertes.yml", cwd=CONTRIB)
    assert (rules.returncode, rules.stdout.split("\n")[1]) == (0, "  SUCCESS: 7 rules found")
    tested = promtool("test", "rules", "datis-alertes.test.yml", cwd=CONTRIB)
    assert (tested.returncode, tested.stdout.split()[-1]) == (0, "SUCCESS"), \
        tested.stdout + tested.stderr


def test_the_unit_tests_catch_a_wrong_delay(tmp_path: Path) -> None:
    """A rule with a shorter `for:` fires too early: its unit test says so."""
    for name in ("datis-alertes.yml", "datis-alertes.test.yml"):
        shutil.copy(CONTRIB / name, tmp_path / name)
    rules = tmp_path / "datis-alertes.yml"
    rules.write_text(re.sub(r"for: 1h", "for: 30m", rules.read_text("utf-8")), "utf-8")
    tested = promtool("test", "rules", "datis-alertes.test.yml", cwd=tmp_path)
    assert tested.returncode == 1
    assert "alertname: DatisApplianceNonConforme, time: 59m" in tested.stdout + tested.stderr


def test_every_alert_has_a_runbook_in_the_docs() -> None:
    """Each runbook_url points at an anchor of docs/supervision.rst."""
    page = (CONTRIB.parent.parent / "docs" / "supervision.rst").read_text("utf-8")
    anchors = set(re.findall(r"^\.\. _([a-z-]+):$", page, flags=re.MULTILINE))
    text = (CONTRIB / "datis-alertes.yml").read_text("utf-8")
    links = re.findall(r"runbook_url: https://docs\.datis\.example/supervision\.html#(\S+)",
                       text)
    assert len(links) == text.count("- alert:") == 7
    assert set(links) <= anchors, set(links) - anchors

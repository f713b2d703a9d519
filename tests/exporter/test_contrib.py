"""promtool accepts every shipped monitoring file, and the alert rules pass their unit tests
(delays and thresholds included: the real Prometheus of test_prometheus.py runs with `for: 0s`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.exporter.running import CONTRIB, promtool
from tests.sphinx_run import sphinx_build

SHIPPED_DOCS = "https://docs.datis.example"
"""The docs' address the shipped rules carry: docs/supervision.rst says how to change it."""


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


def _runbooks(text: str) -> list[str]:
    return re.findall(r"runbook_url: \"?([^\s\"]+)", text)


def test_every_runbook_link_lands_on_a_section_of_the_built_docs(tmp_path: Path) -> None:
    """Each alert's runbook_url is the shipped base, the built page, an id Sphinx wrote."""
    build = sphinx_build(ROOT / "docs", tmp_path / "html", "-W", "--keep-going", confdir=ROOT)
    assert (build.code, build.warnings()) == (0, []), build.stderr
    ids = set(re.findall(r'\bid="([^"]+)"', build.html("supervision")))
    rules = (CONTRIB / "datis-alertes.yml").read_text("utf-8")
    links = _runbooks(rules)
    assert len(links) == rules.count("- alert:") == 7
    prefix = f"{SHIPPED_DOCS}/supervision.html#"
    assert [link for link in links if not link.startswith(prefix)] == []
    assert {link.removeprefix(prefix) for link in links} - ids == set()


def test_the_documented_command_sets_the_docs_address_in_one_go(tmp_path: Path) -> None:
    """The `sed` of docs/supervision.rst, run as written: every link of the rules and of
    their tests moves to the new address, and promtool's unit tests still pass."""
    page = (ROOT / "docs" / "supervision.rst").read_text("utf-8")
    [command] = re.findall(r"^   \$ (sed -i .*)$", page, flags=re.MULTILINE)
    new = re.findall(r"\|([^|]+)\|g'", command)[0]
    for name in ("datis-alertes.yml", "datis-alertes.test.yml"):
        shutil.copy(CONTRIB / name, tmp_path / name)
    done = subprocess.run(["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    texts = [(tmp_path / n).read_text("utf-8") for n in ("datis-alertes.yml",
                                                          "datis-alertes.test.yml")]
    assert [SHIPPED_DOCS in text for text in texts] == [False, False]
    links = [link for text in texts for link in _runbooks(text)]
    assert len(links) == 14
    assert {link.split("#")[0] for link in links} == {f"{new}/supervision.html"}
    tested = promtool("test", "rules", "datis-alertes.test.yml", cwd=tmp_path)
    assert (tested.returncode, tested.stdout.split()[-1]) == (0, "SUCCESS"), \
        tested.stdout + tested.stderr

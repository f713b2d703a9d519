"""The docs build given bad inputs: a French warning and documented values, never a traceback.

Snapshots that are not JSON, nested past any sane depth or altered; an unreachable or
malformed appliance address; a compliance page that is not UTF-8; a timeout that is no number.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.hardening.conftest import HOSTILE
from tests.sphinx_run import Build, sphinx_build

ALTERED = '{"schema": "datis-snapshot/1", "serveur": [], "clients": 3, "url": "x"}'
CASES: dict[str, tuple[dict[str, str], bytes | None, str]] = {
    "instantane-pas-json": ({"DATIS_SNAPSHOT": "{fichier}"}, b"\xff\xfe{[", "JSON invalide"),
    "instantane-profond": ({"DATIS_SNAPSHOT": "{fichier}"}, b"[" * 5000 + b"]" * 5000,
                           "JSON invalide"),
    "instantane-altere": ({"DATIS_SNAPSHOT": "{fichier}"}, ALTERED.encode(), "altéré"),
    "appliance-injoignable": ({"DATIS_URL": "http://127.0.0.1:9", "DATIS_PASSWORD": "x"}, None,
                              "Connexion refusée"),
    "adresse-javascript": ({"DATIS_URL": "javascript:alert(1)", "DATIS_PASSWORD": "x"}, None,
                           "Adresse invalide"),
    "page-pas-utf8": ({"DATIS_COMPLIANCE_PAGE": "{fichier}"}, b"\xff\xfe", "non UTF-8"),
    "delai-texte": ({"DATIS_TIMEOUT": "abc"}, None, "datis_timeout"),
}


def _build(env: dict[str, str], out: Path) -> Build:
    return sphinx_build(HOSTILE / "docs", out, "-E", confdir=ROOT, env=env)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_docs_input_is_a_french_warning(case: str, tmp_path: Path) -> None:
    env, content, expected = CASES[case]
    given = tmp_path / "entree"
    if content is not None:
        given.write_bytes(content)
    done = _build({k: v.replace("{fichier}", str(given)) for k, v in env.items()},
                  tmp_path / "html")
    assert done.code == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "Exception" not in done.stderr
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line
                and "urbackup.secret" not in line]
    assert any(expected in line for line in warnings), warnings
    assert (tmp_path / "html" / "reglages.html").exists()


@pytest.mark.parametrize("timeout", ["nan", "inf", "-inf"])
def test_a_timeout_that_is_not_finite_is_a_french_warning(tmp_path: Path, timeout: str) -> None:
    done = _build({"DATIS_TIMEOUT": timeout, "DATIS_URL": "http://127.0.0.1:9"}, tmp_path / "html")
    assert done.code == 0, done.stderr[-2000:]
    assert "datis_timeout" in done.stderr

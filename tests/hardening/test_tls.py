"""TLS: a certificate the tool must refuse is refused, with a French reason and exit 2.

Certificates are made at test time by trustme: an unknown authority, a self-signed
certificate, an expired one, one for another host name; and a private authority given with
--ca-bundle, which must then work. Verification is never turned off.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import trustme

from checks.emulator import Emulator
from tests.cli_run import run_cli, run_cli_process
from tests.hardening.conftest import Guarded, assert_one_french_error


def _serve(watched: Callable[..., Any], folder: Path, cert: trustme.LeafCert | None = None,
           ca: trustme.CA | None = None) -> tuple[Emulator, Any]:
    """An emulator whose certificate is `cert` (or, without it, the CA's own: self-signed)."""
    chain = folder / "serveur.pem"
    key = folder / "serveur.key"
    if cert is not None:
        cert.cert_chain_pems[0].write_to_path(str(chain))
        cert.private_key_pem.write_to_path(str(key))
    else:
        assert ca is not None
        ca.cert_pem.write_to_path(str(chain))
        ca.private_key_pem.write_to_path(str(key))
    return watched(certfile=str(chain), keyfile=str(key))  # type: ignore[no-any-return]


def _ca_file(ca: trustme.CA, folder: Path, name: str = "ca.pem") -> str:
    path = folder / name
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def _long_ago(days: int) -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)


CASES = {
    "autorite-inconnue": "n'est pas émis par une autorité reconnue",
    "auto-signe": "auto-signé",
    "expire": "a expiré",
    "mauvais-nom": "ne correspond pas au nom",
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("with_bundle", [False, True], ids=["sans-ca", "avec-ca"])
def test_bad_certificate_is_refused(case: str, with_bundle: bool, watched: Callable[..., Any],
                                    tmp_path: Path, guarded: Guarded) -> None:
    ca = trustme.CA(organization_name="Autorité de test DATIS")
    if case == "autorite-inconnue":
        emulator, watch = _serve(watched, tmp_path, ca.issue_cert("127.0.0.1", "localhost"))
        trusted = trustme.CA()  # the bundle names another authority
    elif case == "auto-signe":
        emulator, watch = _serve(watched, tmp_path, ca=ca)
        trusted = trustme.CA()
    elif case == "expire":
        emulator, watch = _serve(watched, tmp_path, ca.issue_cert(
            "127.0.0.1", "localhost", not_before=_long_ago(60), not_after=_long_ago(1)))
        trusted = ca
    else:
        emulator, watch = _serve(watched, tmp_path, ca.issue_cert("backup.9f9f.inspee.re"))
        trusted = ca
    bundle = ["--ca-bundle", _ca_file(trusted, tmp_path)] if with_bundle else []
    run = run_cli("--url", emulator.url, *bundle, "--format", "html",
                  "--output", str(guarded.path))
    assert_one_french_error(run, 2)
    expected = CASES[case]
    if not with_bundle and case in ("expire", "mauvais-nom"):
        expected = "n'est pas émis par une autorité reconnue"  # the chain fails first
    assert expected in run.stderr, run
    assert "--ca-bundle" in run.stderr
    assert watch.calls == [], "aucune requête ne doit passer un certificat refusé"
    guarded.assert_untouched()


def test_private_authority_with_ca_bundle_is_trusted(watched: Callable[..., Any], tmp_path: Path,
                                                     guarded: Guarded) -> None:
    ca = trustme.CA(organization_name="Autorité privée DATIS")
    emulator, watch = _serve(watched, tmp_path, ca.issue_cert("127.0.0.1", "localhost"))
    run = run_cli("--url", emulator.url, "--ca-bundle", _ca_file(ca, tmp_path),
                  "--format", "json", "--output", str(guarded.path))
    assert run.code == 0, run
    assert guarded.path.read_text(encoding="utf-8").startswith("{")
    assert emulator.url.startswith("https://")
    watch.assert_untouched()


def test_refused_certificate_through_the_installed_command(watched: Callable[..., Any],
                                                            tmp_path: Path,
                                                            guarded: Guarded) -> None:
    ca = trustme.CA()
    emulator, watch = _serve(watched, tmp_path, ca.issue_cert(
        "127.0.0.1", not_before=_long_ago(30), not_after=_long_ago(2)))
    # the installed command end to end: a fresh interpreter, its exit code through sys.exit
    run = run_cli_process("--url", emulator.url, "--ca-bundle", _ca_file(ca, tmp_path),
                          "--output", str(guarded.path))
    assert_one_french_error(run, 2)
    assert "a expiré" in run.stderr
    guarded.assert_untouched()
    assert watch.calls == []


def test_https_to_a_plain_http_server_is_refused(watched: Callable[..., Any],
                                                 guarded: Guarded) -> None:
    emulator, watch = watched()
    url = emulator.url.replace("http://", "https://")
    run = run_cli("--url", url, "--output", str(guarded.path))
    assert_one_french_error(run, 2)
    assert f"{url} ne parle pas HTTPS sur ce port" in run.stderr
    guarded.assert_untouched()
    assert watch.calls == []


def test_plain_http_to_a_tls_server_fails_cleanly(watched: Callable[..., Any],
                                                  guarded: Guarded) -> None:
    emulator, watch = watched(tls=True)
    url = emulator.url.replace("https://", "http://")
    run = run_cli("--url", url, "--timeout", "2", "--output", str(guarded.path))
    assert_one_french_error(run, 2)
    guarded.assert_untouched()
    assert watch.calls == []


BAD_PEM = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"


@pytest.mark.parametrize("content", [b"", b"pas un certificat\n", b"\xff\xfe\x00garbage", BAD_PEM])
def test_unreadable_ca_bundle_is_a_usage_error(content: bytes, watched: Callable[..., Any],
                                               tmp_path: Path, guarded: Guarded) -> None:
    emulator, watch = watched(tls=True)
    bundle = tmp_path / "ca-illisible.pem"
    bundle.write_bytes(content)
    run = run_cli("--url", emulator.url, "--ca-bundle", str(bundle),
                  "--output", str(guarded.path))
    assert_one_french_error(run, 3)
    assert "autorité de certification" in run.stderr.lower()
    guarded.assert_untouched()
    assert watch.calls == []

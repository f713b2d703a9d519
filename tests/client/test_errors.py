"""Each failure of an exchange is its own typed error with a French message, and none of them
leaks the password or the session id (message, repr, the client's repr, DEBUG log lines).

The failures are real: faults injected into the emulator, a closed port, a name under
`.invalid`, a certificate from an authority the client does not know.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator

import pytest

from checks import errors
from checks.appliance.client import UrBackupClient
from checks.appliance.transport import NoAnswer
from checks.emulator import Emulator, Fault
from tests.cli_run import run_cli

SECRET = "Sesame-7f3a-Ouvre-Toi"
StartEmulator = Callable[..., Emulator]


def on_status(kind: str, **options: float | int) -> Fault:
    return Fault(kind, frozenset({"status"}), **options)  # type: ignore[arg-type]


FAULTS = [
    pytest.param(on_status("empty"), errors.EmptyAnswer, "réponse vide", id="corps-vide"),
    pytest.param(on_status("html"), errors.HttpStatusError, "HTTP 502", id="page-html-502"),
    pytest.param(on_status("html200"), errors.NotJsonAnswer, "page HTML", id="page-html-200"),
    pytest.param(on_status("truncate"), errors.NotJsonAnswer, "tronqué", id="json-tronque"),
    pytest.param(on_status("http500"), errors.HttpStatusError, "HTTP 500", id="http-500"),
    pytest.param(on_status("redirect"), errors.RedirectRefused, "autre-hote.invalid",
                 id="redirection"),
    pytest.param(on_status("drop"), NoAnswer, "coupée avant toute réponse",
                 id="connexion-fermee"),
    pytest.param(on_status("reset"), NoAnswer, "coupée avant toute réponse", id="connexion-rst"),
    pytest.param(on_status("wrong_types"), errors.UnexpectedAnswer, "« status »",
                 id="types-inattendus"),
    pytest.param(on_status("error", code=1), errors.SessionExpired, "a expiré",
                 id="erreur-1"),
    pytest.param(on_status("error", code=2), errors.AccessDenied, "n'a pas le droit",
                 id="erreur-2"),
    pytest.param(on_status("error", code=3), errors.AddressBanned, "banni", id="erreur-3"),
    pytest.param(on_status("error", code=9), errors.UnexpectedAnswer, "erreur UrBackup 9",
                 id="erreur-inconnue"),
    pytest.param(on_status("stall", seconds=1.5), errors.RequestTimeout, "délai de lecture",
                 id="delai-depasse"),
    pytest.param(on_status("huge", size_mb=2), errors.AnswerTooLarge, "trop volumineuse",
                 id="reponse-enorme"),
]


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.DEBUG):
        yield caplog


def assert_no_secret(emulator: Emulator | None, exc: BaseException, client: UrBackupClient,
                     caplog: pytest.LogCaptureFixture) -> None:
    secrets = [SECRET]
    if emulator is not None:
        secrets += list(emulator.state.sessions)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for shown in (str(exc), repr(exc), repr(client), logged):
        for secret in secrets:
            assert secret not in shown


def logged_in_client(emulator: Emulator, **options: float | int) -> UrBackupClient:
    client = UrBackupClient(emulator.url, password=SECRET, **options)  # type: ignore[arg-type]
    client.login()
    return client


@pytest.mark.parametrize(("fault", "expected", "fragment"), FAULTS)
def test_each_fault_is_its_own_typed_error(
    start_emulator: StartEmulator, debug_log: pytest.LogCaptureFixture, fault: Fault,
    expected: type[errors.DatisError], fragment: str,
) -> None:
    emulator = start_emulator(admin_password=SECRET, faults=[fault])
    client = logged_in_client(emulator, read_timeout=0.3, max_answer_bytes=1024 * 1024)
    with client, pytest.raises(expected) as raised:
        client.status()
    exc = raised.value
    assert type(exc) is expected, f"{type(exc).__name__} au lieu de {expected.__name__}"
    assert fragment in str(exc)
    assert exc.exit_code == errors.ExitCode.CANNOT_AUDIT
    assert exc.__cause__ is None, "pas de trace technique"
    assert exc.__suppress_context__ or exc.__context__ is None, "pas de trace technique"
    assert_no_secret(emulator, exc, client, debug_log)
    assert any("status" in r.getMessage() for r in debug_log.records) or expected in (
        NoAnswer, errors.RequestTimeout), "l'échange est journalisé"


def test_the_text_answer_to_an_unknown_action_is_not_json(
    emulator: Emulator, debug_log: pytest.LogCaptureFixture
) -> None:
    # Recording F35: `Error: Unknown action [...]` in text/html, HTTP 200.
    with UrBackupClient(emulator.url, password="secret") as client:
        client.login()
        with pytest.raises(errors.NotJsonAnswer) as raised:
            client._call("doesnotexist")
        assert "au lieu de JSON" in str(raised.value)
        assert_no_secret(emulator, raised.value, client, debug_log)


def test_a_session_never_logged_in_gets_an_empty_body(
    emulator: Emulator, debug_log: pytest.LogCaptureFixture
) -> None:
    with UrBackupClient(emulator.url, password="pas-le-bon") as client:
        with pytest.raises(errors.WrongPassword):
            client.login()
        # The salt's session exists on the server but never logged in (recording B08).
        client._ses = next(iter(emulator.state.sessions))
        with pytest.raises(errors.EmptyAnswer) as raised:
            client.status()
        assert "la session n'est pas authentifiée" in str(raised.value)
        assert_no_secret(emulator, raised.value, client, debug_log)


def test_a_faulty_login_answer_is_reported_too(
    start_emulator: StartEmulator, debug_log: pytest.LogCaptureFixture
) -> None:
    emulator = start_emulator(admin_password=SECRET,
                              faults=[Fault("truncate", frozenset({"login"}))])
    client = UrBackupClient(emulator.url, password=SECRET)
    with client, pytest.raises(errors.NotJsonAnswer) as raised:
        client.login()
    assert "« login »" in str(raised.value)
    with pytest.raises(errors.SessionExpired, match="Aucune session"):
        client.status()
    assert_no_secret(emulator, raised.value, client, debug_log)
    assert emulator.requests_served == 2, "jamais de nouvelle tentative"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_refused_connection(debug_log: pytest.LogCaptureFixture) -> None:
    client = UrBackupClient(f"http://127.0.0.1:{closed_port()}", password=SECRET)
    with client, pytest.raises(errors.ConnectionRefused) as raised:
        client.login()
    assert "Connexion refusée" in str(raised.value)
    assert_no_secret(None, raised.value, client, debug_log)


def test_a_dns_failure(debug_log: pytest.LogCaptureFixture) -> None:
    client = UrBackupClient("https://datis-0000.invalid", password=SECRET)
    with client, pytest.raises(errors.DnsFailure) as raised:
        client.login()
    assert "Nom d'hôte introuvable pour https://datis-0000.invalid" in str(raised.value)
    assert_no_secret(None, raised.value, client, debug_log)


def test_a_connect_timeout(debug_log: pytest.LogCaptureFixture) -> None:
    # A listening socket whose backlog is full never completes the TCP handshake.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        fillers = []
        try:
            for _ in range(8):
                filler = socket.socket()
                filler.setblocking(False)
                filler.connect_ex(("127.0.0.1", port))
                fillers.append(filler)
            client = UrBackupClient(f"http://127.0.0.1:{port}", password=SECRET,
                                    connect_timeout=0.2, read_timeout=0.2)
            with client, pytest.raises(errors.RequestTimeout) as raised:
                client.login()
        finally:
            for filler in fillers:
                filler.close()
    assert "ne répond pas" in str(raised.value) or "délai" in str(raised.value)
    assert_no_secret(None, raised.value, client, debug_log)


def test_an_unknown_certificate_authority_is_a_tls_failure(
    start_emulator: StartEmulator, debug_log: pytest.LogCaptureFixture
) -> None:
    emulator = start_emulator(admin_password=SECRET, tls=True)
    assert emulator.url.startswith("https://")
    client = UrBackupClient(emulator.url, password=SECRET)
    with client, pytest.raises(errors.TlsFailure) as raised:
        client.login()
    assert "Certificat TLS refusé" in str(raised.value)
    assert "--ca-bundle" in str(raised.value)
    assert_no_secret(emulator, raised.value, client, debug_log)


def test_https_to_a_plain_http_port_says_so(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(admin_password=SECRET)
    address = emulator.url.removeprefix("http://")
    run = run_cli("--url", f"https://{address}", password=SECRET)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (
        f"datis-audit\u00a0: erreur\u00a0: https://{address} ne parle pas HTTPS sur ce "
        "port\u00a0: il y "
        f"répond sans chiffrement (en HTTP simple). Vérifiez le port, ou essayez "
        f"http://{address}.\n")


def test_the_emulator_authority_makes_tls_work(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(admin_password=SECRET, tls=True)
    assert emulator.ca_path is not None
    with UrBackupClient(emulator.url, password=SECRET, verify=str(emulator.ca_path)) as client:
        client.login()
        assert client.status()["status"]


def test_a_name_missing_from_the_certificate_is_a_tls_failure(
    start_emulator: StartEmulator,
) -> None:
    emulator = start_emulator(admin_password=SECRET, tls=True, host="0.0.0.0")
    port = emulator.url.rsplit(":", 1)[1]
    # 127.0.0.2 is a loopback address (on Linux) that the certificate does not name.
    other = f"https://127.0.0.2:{port}"
    probe = socket.socket()
    try:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.2", int(port))) != 0:
            pytest.skip("127.0.0.2 n'atteint pas l'émulateur sur cette machine")
    finally:
        probe.close()
    client = UrBackupClient(other, password=SECRET, verify=str(emulator.ca_path))
    with client, pytest.raises(errors.TlsFailure) as raised:
        client.login()
    assert "ne correspond pas au nom" in str(raised.value)


def test_credentials_in_the_url_never_show(debug_log: pytest.LogCaptureFixture) -> None:
    client = UrBackupClient(f"http://admin:{SECRET}@127.0.0.1:{closed_port()}",
                            password=SECRET)
    assert SECRET not in repr(client) and "admin:" not in client.base_url
    with client, pytest.raises(errors.ConnectionRefused) as raised:
        client.login()
    assert_no_secret(None, raised.value, client, debug_log)


@pytest.mark.parametrize("url", ["ftp://appliance", "appliance-sans-schema", "https://"])
def test_an_invalid_address_is_a_usage_error(url: str) -> None:
    with pytest.raises(errors.UsageError) as raised:
        UrBackupClient(url)
    assert "Adresse d'appliance invalide" in str(raised.value)
    assert raised.value.exit_code == errors.ExitCode.USAGE


def test_a_logged_in_client_does_not_show_its_session(
    emulator: Emulator, debug_log: pytest.LogCaptureFixture
) -> None:
    with UrBackupClient(emulator.url, password="secret") as client:
        client.login()
        client.status()
        client.general_settings()
        (session,) = [s for s in emulator.state.sessions.values() if s.logged_in]
        assert "connecté" in repr(client)
        assert session.id not in repr(client)
        assert session.id not in debug_log.text
        assert "secret" not in debug_log.text
        assert any("status" in r.getMessage() for r in debug_log.records)


@pytest.mark.parametrize(("scenario", "username", "password", "expected"), [
    ("datis-conforme", "admin", "Mauvais-" + SECRET, errors.WrongPassword),
    ("datis-conforme", "fantome", SECRET, errors.UnknownUser),
    ("sans-admin", "admin", SECRET, errors.OpenAppliance),
    ("banni", "admin", SECRET, errors.AddressBanned),
])
def test_login_failures_show_no_secret(
    start_emulator: StartEmulator, debug_log: pytest.LogCaptureFixture, scenario: str,
    username: str, password: str, expected: type[errors.DatisError],
) -> None:
    emulator = start_emulator("datis-conforme" if scenario == "banni" else scenario,
                              admin_password=SECRET)
    if scenario == "banni":
        for _ in range(11):
            emulator.state.record_failure("127.0.0.1")
    client = UrBackupClient(emulator.url, username=username, password=password)
    with client, pytest.raises(expected) as raised:
        client.login()
    assert_no_secret(emulator, raised.value, client, debug_log)
    shown = "\n".join([str(raised.value), repr(raised.value), repr(client), debug_log.text])
    assert password not in shown


def test_an_expired_session_shows_no_session_id(
    emulator: Emulator, debug_log: pytest.LogCaptureFixture
) -> None:
    client = UrBackupClient(emulator.url, password="secret")
    client.login()
    sessions = list(emulator.state.sessions)
    emulator.state.expire_sessions()
    with client, pytest.raises(errors.SessionExpired) as raised:
        client.status()
    shown = "\n".join([str(raised.value), repr(raised.value), repr(client), debug_log.text])
    assert sessions and not any(ses in shown for ses in sessions)

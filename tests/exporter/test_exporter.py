"""`datis-audit exporter` over real HTTP, in front of emulated appliances: what it contacts,
how often it logs in, what it answers, and that promtool accepts every exposition."""

from __future__ import annotations

import base64
import ssl
from collections.abc import Callable
from pathlib import Path

import trustme

from checks.emulator import Emulator
from tests.cli_run import run_cli
from tests.conftest import PASSWORD
from tests.exporter.running import exporter, get, promtool, until, write_fleet

UNREACHABLE = "http://127.0.0.1:1"


def _up(body: str) -> str:
    return next(line for line in body.splitlines() if line.startswith("datis_audit_up{"))


def _reason(body: str) -> str | None:
    line = next((x for x in body.splitlines() if x.startswith("datis_audit_failure{")), None)
    return None if line is None else line.split('raison="', 1)[1].split('"', 1)[0]


def test_a_target_outside_the_inventory_contacts_nothing(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    listed = start_emulator("datis-conforme")
    other = start_emulator("datis-conforme")
    inventory, passwords = write_fleet(tmp_path, {listed.url: PASSWORD})
    with exporter(inventory, passwords) as running:
        answers = [running.probe(target) for target in (other.url, UNREACHABLE, "1A2B", "")]
        bare = get(f"{running.url}probe")
        unknown = running.counter("datis_exporter_probes_total", resultat="cible_inconnue")
    assert [a.status for a in answers] == [400, 400, 400, 400]
    assert answers[0].body == ("Appliance absente de l'inventaire : seules les appliances de "
                               "l'inventaire sont auditées.\n")
    assert bare.status == 400
    assert (listed.requests_served, other.requests_served) == (0, 0)
    assert unknown == 3


def test_a_refused_password_is_tried_once_then_not_for_ten_minutes(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    refusing = start_emulator("datis-conforme", admin_password="un-autre")
    inventory, passwords = write_fleet(tmp_path, {refusing.url: PASSWORD})
    with exporter(inventory, passwords, "--min-interval", "0") as running:
        answers = [running.probe(refusing.url) for _ in range(4)]
        served = refusing.requests_served
        paused = running.counter("datis_exporter_probes_total", resultat="connexion_suspendue")
    assert [a.status for a in answers] == [200] * 4
    assert {_up(a.body) for a in answers} == {
        f'datis_audit_up{{appliance="{refusing.url.removeprefix("http://")}",'
        f'url="{refusing.url}"}} 0.0'}
    assert {_reason(a.body) for a in answers} == {"mot_de_passe_refuse"}
    assert len(refusing.state.failures["127.0.0.1"]) == 1
    assert served == 2  # salt and login, once
    assert paused == 3


def test_a_result_is_served_again_for_min_interval(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    appliance = start_emulator("datis-derive")
    inventory, passwords = write_fleet(tmp_path, {appliance.url: PASSWORD})
    with exporter(inventory, passwords, "--min-interval", "300") as running:
        first = running.probe(appliance.url)
        after_first = appliance.requests_served
        second = running.probe(appliance.url)
        cached = running.counter("datis_exporter_probes_total", resultat="cache")
    assert first.status == second.status == 200
    assert second.body == first.body
    host = appliance.url.removeprefix("http://")
    assert f'datis_audit_compliant{{appliance="{host}",url="{appliance.url}"}} 0.0' in first.body
    assert appliance.requests_served == after_first
    assert cached == 1


def test_a_slow_audit_is_bounded_by_the_scrape_timeout_and_holds_its_slot(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    slow = start_emulator("datis-conforme", latency_ms=400)
    fast = start_emulator("datis-conforme")
    inventory, passwords = write_fleet(tmp_path, {slow.url: PASSWORD, fast.url: PASSWORD})
    with exporter(inventory, passwords, "--max-in-flight", "1") as running:
        late = running.probe(slow.url, timeout=0.6)
        again = running.probe(slow.url, timeout=0.6)
        refused = running.probe(fast.url)
        until("fin de l'audit lent", lambda: True if running.counter(
            "datis_exporter_audits_in_flight") == 0 else None)
        kept = running.probe(slow.url)
        audited = running.counter("datis_exporter_probes_total", resultat="cache")
        fast_now = running.probe(fast.url)
    assert (late.status, _reason(late.body)) == (200, "delai_depasse")
    assert (again.status, _reason(again.body)) == (200, "delai_depasse")
    assert refused.status == 503
    assert refused.body.startswith("Trop d'audits en cours")
    assert fast.requests_served > 0  # audited once the slot was free, not before
    assert _up(kept.body).endswith(" 1.0")  # the audit that outlived its probe, kept
    assert audited == 1
    assert _up(fast_now.body).endswith(" 1.0")
    assert slow.requests_served == fast.requests_served  # one audit each: no overlap


def test_a_late_answer_gives_the_seconds_it_waited(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """The probe waits Prometheus's scrape timeout less half a second (0.61234 s: 0.11234 s),
    and says so to the millisecond beside why it has no audit to show."""
    slow = start_emulator("datis-conforme", latency_ms=400)
    inventory, passwords = write_fleet(tmp_path, {slow.url: PASSWORD})
    with exporter(inventory, passwords) as running:
        late = running.probe(slow.url, timeout=0.61234)
        until("fin de l'audit lent", lambda: True if running.counter(
            "datis_exporter_audits_in_flight") == 0 else None)
    host = slow.url.removeprefix("http://")
    labels = f'appliance="{host}",url="{slow.url}"'
    lines = late.body.splitlines()
    assert lines.pop(-4).startswith(f"datis_audit_timestamp_seconds{{{labels}}} ")
    assert (late.status, lines) == (200, [
        "# HELP datis_audit_up 1 si l'audit a pu être mené, 0 s'il a échoué.",
        "# TYPE datis_audit_up gauge",
        f"datis_audit_up{{{labels}}} 0.0",
        "# HELP datis_audit_failure 1 pour la raison de l'échec de l'audit.",
        "# TYPE datis_audit_failure gauge",
        f'datis_audit_failure{{appliance="{host}",raison="delai_depasse",url="{slow.url}"}} 1.0',
        "# HELP datis_audit_timestamp_seconds Date de l'audit (secondes Unix).",
        "# TYPE datis_audit_timestamp_seconds gauge",
        "# HELP datis_audit_duration_seconds Durée de l'audit (secondes).",
        "# TYPE datis_audit_duration_seconds gauge",
        f"datis_audit_duration_seconds{{{labels}}} 0.112"])


def test_an_audit_s_duration_is_its_seconds_to_the_millisecond(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """Each audit's datis_audit_duration_seconds is the time the exporter's own histogram
    observed for it, rounded to the millisecond: three audits, three durations."""
    appliance = start_emulator("datis-conforme")
    inventory, passwords = write_fleet(tmp_path, {appliance.url: PASSWORD})
    labels = f'appliance="{appliance.url.removeprefix("http://")}",url="{appliance.url}"'
    shown, observed = [], []
    with exporter(inventory, passwords, "--min-interval", "0") as running:
        for _ in range(3):
            lines = running.probe(appliance.url).body.splitlines()
            shown.append(lines[lines.index("# TYPE datis_audit_duration_seconds gauge") - 1:])
            observed.append(running.counter("datis_exporter_audit_duration_seconds_sum"))
    seconds = [after - before for before, after in zip([0.0, *observed[:-1]], observed,
                                                       strict=True)]
    assert shown == [[
        "# HELP datis_audit_duration_seconds Durée de l'audit (secondes).",
        "# TYPE datis_audit_duration_seconds gauge",
        f"datis_audit_duration_seconds{{{labels}}} {round(s, 3)}"] for s in seconds]


def test_no_secret_in_any_answer_or_log_line(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    secret, wrong = "Mdp-tres-secret-4217", "Mauvais-mdp-9931"
    good = start_emulator("datis-derive", admin_password=secret)
    refusing = start_emulator("datis-conforme", admin_password=secret)
    inventory, passwords = write_fleet(tmp_path, {good.url: secret, refusing.url: wrong,
                                                  UNREACHABLE: secret})
    with exporter(inventory, passwords, "--min-interval", "0") as running:
        bodies = [running.probe(t).body for t in (good.url, refusing.url, UNREACHABLE)]
        bodies += [get(running.url + path).body for path in ("metrics", "")]
    text = "\n".join([*bodies, running.log.read_text("utf-8")])
    assert "audit impossible (mot_de_passe_refuse)" in text  # the log was written (-vv)
    for leaked in (secret, wrong, base64.b64encode(secret.encode()).decode()):
        assert leaked not in text


def test_promtool_accepts_every_exposition(start_emulator: Callable[..., Emulator],
                                           tmp_path: Path) -> None:
    appliances = [start_emulator(s).url for s in ("datis-conforme", "datis-derive",
                                                  "sauvegardes-en-retard", "hostile")]
    refusing = start_emulator("datis-conforme", admin_password="un-autre").url
    slow = start_emulator("datis-conforme", latency_ms=400).url
    inventory, passwords = write_fleet(tmp_path, dict.fromkeys(
        [*appliances, refusing, slow, UNREACHABLE], PASSWORD))
    with exporter(inventory, passwords) as running:
        bodies = {t: running.probe(t).body for t in [*appliances, refusing, UNREACHABLE]}
        bodies["délai dépassé"] = running.probe(slow, timeout=0.6).body
        bodies["/metrics"] = get(f"{running.url}metrics").body
    textfile = tmp_path / "datis.prom"
    for name, url in (("fichier texte", appliances[1]), ("fichier texte, échec", UNREACHABLE)):
        run_cli("--url", url, "--format", "prometheus", "--output", str(textfile))
        bodies[name] = textfile.read_text("utf-8")
    assert _reason(bodies["fichier texte, échec"]) == "injoignable"
    for name, body in bodies.items():
        checked = promtool("check", "metrics", stdin=body)
        assert (checked.returncode, checked.stdout + checked.stderr) == (0, ""), name
        assert "# HELP datis_" in body, name


def test_tls_and_basic_authentication(start_emulator: Callable[..., Emulator],
                                      tmp_path: Path) -> None:
    appliance = start_emulator("datis-conforme")
    inventory, passwords = write_fleet(tmp_path, {appliance.url: PASSWORD})
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert.private_key_pem.write_to_path(str(tmp_path / "cle.pem"))
    cert.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
    (tmp_path / "acces").write_text("prometheus:Acces-9517\n", "utf-8")
    trusted = ssl.create_default_context()
    ca.configure_trust(trusted)
    token = base64.b64encode(b"prometheus:Acces-9517").decode()
    wrong = base64.b64encode(b"prometheus:autre").decode()
    with exporter(inventory, passwords, "--tls-cert", str(tmp_path / "cert.pem"),
                  "--tls-key", str(tmp_path / "cle.pem"), "--basic-auth-file",
                  str(tmp_path / "acces"), scheme="https") as running:
        anonymous = running.probe(appliance.url, context=trusted)
        mistaken = running.probe(appliance.url, context=trusted,
                                 headers={"Authorization": f"Basic {wrong}"})
        served_before = appliance.requests_served
        allowed = running.probe(appliance.url, context=trusted,
                                headers={"Authorization": f"Basic {token}"})
    assert (anonymous.status, mistaken.status, allowed.status) == (401, 401, 200)
    assert anonymous.headers["WWW-Authenticate"] == 'Basic realm="datis", charset="UTF-8"'
    assert served_before == 0
    assert _up(allowed.body).endswith(" 1.0")


def test_usage_errors_are_refused_before_listening(tmp_path: Path) -> None:
    inventory, _ = write_fleet(tmp_path, {UNREACHABLE: PASSWORD})
    listen = run_cli("exporter", "--inventory", str(inventory), "--listen", "partout")
    tls = run_cli("exporter", "--inventory", str(inventory), "--tls-cert", str(inventory))
    assert (listen.code, listen.stderr) == (3, "datis-audit\u00a0: erreur\u00a0: --listen attend "
                                                "ADRESSE:PORT, par exemple 127.0.0.1:9678 "
                                                "(reçu\u00a0: «\u00a0partout\u00a0»).\n")
    assert (tls.code, tls.stderr) == (3, "datis-audit\u00a0: erreur\u00a0: --tls-cert et --tls-key "
                                         "vont ensemble.\n")

"""What a supervision server reads: the Nagios state and exit code for each kind of écart,
and every Prometheus value, asserted exactly, through the real CLI against the emulator."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.audit import baseline
from checks.emulator import Emulator
from tests.cli_run import run_cli

MINOR = ("max_file_incr", "50")      # « égal à 100 », gravité mineure
MAJOR = ("update_freq_incr", "43200")  # « au plus 5 heures », gravité majeure
CRITICAL = ("no_file_backups", "true")  # « égal à non », gravité critique
CHECKS = 42
"""Findings of datis-conforme: 31 rules, 6 security and server ones, 2 backups of 3 clients
(without file backups, 3 fewer)."""


def _appliance(start_emulator: Callable[..., Emulator], *changes: tuple[str, str]) -> str:
    """A conforming appliance with these global settings changed, as the web interface saves."""
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general(dict(changes))
    return emulator.url


@pytest.mark.parametrize(("changes", "code", "state", "counts"), [
    ((), 0, "OK", (0, 0, 0, CHECKS)),
    ((MINOR,), 1, "WARNING", (0, 0, 1, CHECKS)),
    ((MAJOR,), 2, "CRITICAL", (0, 1, 0, CHECKS)),
    ((CRITICAL,), 2, "CRITICAL", (1, 0, 0, CHECKS - 3)),
    ((MINOR, MAJOR), 2, "CRITICAL", (0, 1, 1, CHECKS)),
])
def test_the_nagios_state_follows_the_worst_gravity(
        start_emulator: Callable[..., Emulator], changes: tuple[tuple[str, str], ...],
        code: int, state: str, counts: tuple[int, int, int, int]) -> None:
    url = _appliance(start_emulator, *changes)
    run = run_cli("--url", url, "--format", "nagios")
    assert run.code == code, run.stdout + run.stderr
    assert run.stdout.startswith(f"DATIS {state} - {url} : ")
    critical, major, minor, checks = counts
    assert run.stdout.endswith(
        f" | critiques={critical};;1;0 majeurs={major};;1;0 mineurs={minor};1;;0 "
        f"derogations=0;;;0 controles={checks};;;0\n")


def test_the_nagios_line_names_the_worst_ecarts_first(
        start_emulator: Callable[..., Emulator]) -> None:
    url = _appliance(start_emulator, MINOR, MAJOR, CRITICAL)
    run = run_cli("--url", url, "--format", "nagios")
    status = run.stdout.split(" | ")[0]
    assert status.startswith(f"DATIS CRITICAL - {url} : non conforme : Sauvegardes de fichiers "
                             "désactivées sur tout le serveur : oui, attendu : non. Les "
                             "sauvegardes de fichiers ne doivent ja… ; ")
    worst = status.split(" : ", 2)[2].split(" ; ")
    assert [part.split(" : ")[0] for part in worst] == [
        "Sauvegardes de fichiers désactivées sur tout le serveur",
        "Intervalle des sauvegardes incrémentielles de fichiers",
        "Nombre maximal de sauvegardes incrémentielles de fichiers conservées"]


def test_an_audit_that_cannot_be_made_is_unknown() -> None:
    run = run_cli("--url", "http://127.0.0.1:1", "--format", "nagios")
    assert run.code == 3
    assert run.stdout.startswith("DATIS UNKNOWN - http://127.0.0.1:1 : Connexion refusée")


def _metrics(url: str, tmp_path: Path) -> tuple[int, dict[str, str]]:
    target = tmp_path / "datis.prom"
    run = run_cli("--url", url, "--format", "prometheus", "--output", str(target))
    samples = {}
    for line in target.read_text("utf-8").splitlines():
        if not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = value
    return run.code, samples


@pytest.mark.parametrize(("changes", "code", "compliant", "counts"), [
    ((), 0, "1", ("0", "0", "0", str(CHECKS))),
    ((MINOR,), 1, "0", ("0", "0", "1", str(CHECKS))),
    ((MINOR, MAJOR, CRITICAL), 1, "0", ("1", "1", "1", str(CHECKS - 3))),
])
def test_prometheus_values_are_the_audit_s(
        start_emulator: Callable[..., Emulator], tmp_path: Path,
        changes: tuple[tuple[str, str], ...], code: int, compliant: str,
        counts: tuple[str, str, str, str]) -> None:
    url = _appliance(start_emulator, *changes)
    run_code, samples = _metrics(url, tmp_path)
    assert run_code == code
    labels = f'appliance="",url="{url}"'
    stamp = samples.pop(f"datis_audit_timestamp_seconds{{{labels}}}")
    assert stamp.isdigit()
    assert samples == {
        f"datis_audit_up{{{labels}}}": "1",
        f"datis_audit_compliant{{{labels}}}": compliant,
        f'datis_audit_gaps{{{labels},gravite="critique"}}': counts[0],
        f'datis_audit_gaps{{{labels},gravite="majeure"}}': counts[1],
        f'datis_audit_gaps{{{labels},gravite="mineure"}}': counts[2],
        f"datis_audit_waived{{{labels}}}": "0",
        f"datis_audit_checks{{{labels}}}": counts[3],
    }


def _stamped(text: str) -> tuple[str, int]:
    """The metrics with the audit's date replaced by STAMP, and that date."""
    lines = text.split("\n")
    name, _, stamp = lines[-2].rpartition(" ")
    assert name.startswith("datis_audit_timestamp_seconds{")
    lines[-2] = f"{name} STAMP"
    return "\n".join(lines), int(stamp)


def test_the_prometheus_file_whole(start_emulator: Callable[..., Emulator],
                                   tmp_path: Path) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general(dict([MINOR, MAJOR]))
    url = emulator.url
    target = tmp_path / "datis.prom"
    started = int(time.time())
    run_cli("--url", url, "--format", "prometheus", "--output", str(target))
    text, stamp = _stamped(target.read_text("utf-8"))
    assert started - 1 <= stamp <= time.time()
    labels = f'appliance="",url="{url}"'
    assert text == (
        "# HELP datis_audit_up 1 si l'audit a pu être mené, 0 s'il a échoué.\n"
        "# TYPE datis_audit_up gauge\n"
        f"datis_audit_up{{{labels}}} 1\n"
        "# HELP datis_audit_compliant 1 si l'appliance est conforme au référentiel.\n"
        "# TYPE datis_audit_compliant gauge\n"
        f"datis_audit_compliant{{{labels}}} 0\n"
        "# HELP datis_audit_gaps Écarts constatés, par gravité.\n"
        "# TYPE datis_audit_gaps gauge\n"
        f'datis_audit_gaps{{{labels},gravite="critique"}} 0\n'
        f'datis_audit_gaps{{{labels},gravite="majeure"}} 1\n'
        f'datis_audit_gaps{{{labels},gravite="mineure"}} 1\n'
        "# HELP datis_audit_waived Écarts acceptés par dérogation.\n"
        "# TYPE datis_audit_waived gauge\n"
        f"datis_audit_waived{{{labels}}} 0\n"
        "# HELP datis_audit_checks Contrôles effectués.\n"
        "# TYPE datis_audit_checks gauge\n"
        f"datis_audit_checks{{{labels}}} {CHECKS}\n"
        "# HELP datis_audit_timestamp_seconds Date de l'audit (secondes Unix).\n"
        "# TYPE datis_audit_timestamp_seconds gauge\n"
        f"datis_audit_timestamp_seconds{{{labels}}} STAMP\n")


def test_the_prometheus_file_of_an_audit_that_failed_whole(tmp_path: Path) -> None:
    """Quotes and backslashes of a label escaped, a long one cut at 200 characters."""
    url = 'http://127.0.0.1:1/a"b\\c/' + "x" * 200
    target = tmp_path / "datis.prom"
    started = int(time.time())
    run = run_cli("--url", url, "--format", "prometheus", "--output", str(target))
    assert run.code == 2
    text, stamp = _stamped(target.read_text("utf-8"))
    assert started <= stamp <= time.time()
    shown = 'http://127.0.0.1:1/a\\"b\\\\c/' + "x" * 174 + "…"
    labels = f'appliance="",url="{shown}"'
    assert text == (
        "# HELP datis_audit_up 1 si l'audit a pu être mené, 0 s'il a échoué.\n"
        "# TYPE datis_audit_up gauge\n"
        f"datis_audit_up{{{labels}}} 0\n"
        "# HELP datis_audit_timestamp_seconds Date de l'audit (secondes Unix).\n"
        "# TYPE datis_audit_timestamp_seconds gauge\n"
        f"datis_audit_timestamp_seconds{{{labels}}} STAMP\n")


def test_the_nagios_line_whole_with_waivers_and_a_pipe(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """A `|` of a value would start the performance data: it is shown as `/`."""
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general(dict([MINOR, MAJOR]))
    emulator.state.save_mail({"mail_servername": "smtp|inspee.re"})
    waivers = tmp_path / "derogations.toml"
    waivers.write_text(
        'schema = 1\n\n[[derogation]]\nconstat = "reglage.m*_file_incr"\n'
        'justification = "Demandé par le client le 3 mars."\nauteur = "C. Tech"\n'
        "expire = 2099-12-31\n", "utf-8")
    run = run_cli("--url", emulator.url, "--format", "nagios", "--waivers", str(waivers))
    assert run.code == 2
    assert run.stdout == (
        f"DATIS CRITICAL - {emulator.url} : non conforme : Serveur SMTP : smtp/inspee.re (ni "
        "un nom d'hôte ni une adresse IP), attendu : un nom d'hôte ou une adresse IP. Sans "
        "ser… ; Intervalle des sauvegardes incrémentielles de "
        "fichiers : 12 heures, attendu : au plus 5 heures. Une sauvegarde incrémen… "
        "(une dérogation) | critiques=0;;1;0 majeurs=2;;1;0 mineurs=0;1;;0 "
        f"derogations=1;;;0 controles={CHECKS};;;0\n")


def test_the_nagios_line_ends_each_message_without_its_full_stop(
        start_emulator: Callable[..., Emulator]) -> None:
    url = start_emulator("sauvegardes-en-retard").url
    run = run_cli("--url", url, "--format", "nagios")
    assert run.code == 2
    assert run.stdout.split(" | ")[0] == (
        f"DATIS CRITICAL - {url} : non conforme : Stockage saturé : des sauvegardes sont "
        "bloquées faute de place ; « PC-ATELIER » : UrBackup signale la sauvegarde de fichiers "
        "comme non à jour (3 problèmes à la dernière sauvegarde) ; « PC-DIRECTION » : dernière "
        "sauvegarde de fichiers il y a 4 jours, au-delà de 2 intervalles")


def test_a_long_address_is_cut_in_the_nagios_line(start_emulator: Callable[..., Emulator]) -> None:
    """The emulator stands as the proxy of a long host name (an audit over plain HTTP)."""
    emulator = start_emulator("datis-conforme")
    host = "sauvegardes-du-cabinet-de-radiologie.de-la-vallee-et-des-environs.exemple.test"
    url = f"http://{host}:{emulator.url.rsplit(':', 1)[1]}"
    proxy = {"http_proxy": emulator.url, "HTTP_PROXY": emulator.url, "no_proxy": "",
             "NO_PROXY": ""}
    run = run_cli("--url", url, "--format", "nagios", env=proxy)
    assert run.code == 2
    message = (f"L'interface de {host} a été atteinte sans chiffrement : le mot de passe admin "
               "circule en clair")
    assert run.stdout.startswith(
        f"DATIS CRITICAL - {url[:79]}… : non conforme : {message[:119]}… | ")


def test_an_audit_that_cannot_be_made_cuts_its_long_words() -> None:
    url = "http://127.0.0.1:1/" + "x" * 150
    run = run_cli("--url", url, "--format", "nagios")
    assert run.code == 3
    message = f"Connexion refusée par {url} : l'appliance"
    assert run.stdout == f"DATIS UNKNOWN - {url[:79]}… : {message[:199]}…\n"


def test_only_the_full_stop_is_taken_off_a_message(start_emulator: Callable[..., Emulator],
                                                   tmp_path: Path) -> None:
    """A reason ending with « X. » keeps its X."""
    rules = tmp_path / "referentiel.toml"
    text = baseline.default_path().read_text("utf-8")
    reason = 'raison = "La rétention maximale dimensionne l\'espace disque de l\'appliance."'
    assert reason in text
    rules.write_text(text.replace(reason, 'raison = "Voir le modèle X."'), "utf-8")
    url = _appliance(start_emulator, MINOR)
    run = run_cli("--url", url, "--format", "nagios", "--baseline", str(rules))
    assert run.stdout.split(" | ")[0] == (
        f"DATIS WARNING - {url} : non conforme : Nombre maximal de sauvegardes incrémentielles "
        "de fichiers conservées : 50, attendu : 100. Voir le modèle X")

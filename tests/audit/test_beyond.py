"""Waivers, repair to the documented defaults, and supervision outputs, end to end."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import subprocess
import sys
import termios
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from checks.emulator import Emulator
from tests.audit.conftest import flat
from tests.cli_run import run_cli
from tests.conftest import PASSWORD, ROOT


def _failed(run_stdout: str) -> set[str]:
    return {c["id"] for c in json.loads(run_stdout)["constats"] if c["resultat"] == "écart"}


def test_fix_brings_a_drifted_appliance_back(start_emulator: Callable[..., Emulator],
                                             tmp_path: Path) -> None:
    emulator = start_emulator("datis-derive")
    before_mail = dict(emulator.state.mail)
    dry = run_cli("fix", "--url", emulator.url)
    assert dry.code == 1
    assert ("Intervalle des sauvegardes incrémentielles de fichiers, «\u00a0Réglages › Général › "
            "Sauvegardes de fichiers › Intervalle pour la sauvegarde incrémentielle de "
            "fichiers\u00a0»\u00a0: 12 heures → 5 heures") in flat(dry.stdout)
    assert ("«\u00a0Réglages › Clients\u00a0: SRV-COMPTA › Sauvegardes de fichiers ›"
            in flat(dry.stdout))
    assert "Simulation\u00a0: rien n'a été modifié" in dry.stdout
    assert emulator.state.mail == before_mail
    assert _failed(run_cli("--url", emulator.url, "--format", "json").stdout)

    backup = tmp_path / "avant.json"
    applied = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(backup))
    assert applied.code == 0, applied.stdout + applied.stderr
    assert "7 modifications appliquées et vérifiées" in applied.stdout
    saved = json.loads(backup.read_text("utf-8"))
    assert saved["reglages"]["update_freq_incr"] == {"value": "43200"}
    assert "Relais-SMTP-demo-7731" not in backup.read_text("utf-8")

    after = run_cli("--url", emulator.url, "--format", "json")
    assert after.code == 0, _failed(after.stdout)
    assert run_cli("fix", "--url", emulator.url).code == 0


def _fix_answering(url: str, answer: str, backup: Path, *, secret: str | None = None,
                   env: dict[str, str] | None = None) -> tuple[int, str]:
    """`datis-audit fix` at a terminal (a pseudo-terminal, its own: /dev/tty), the technician
    typing `answer`, then `secret` once the password prompt shows."""
    controller, terminal = pty.openpty()
    environment = {**os.environ, "DATIS_PASSWORD": PASSWORD, "NO_COLOR": "1", **(env or {})}

    def own_terminal() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    # a subprocess: its stdin must be a real terminal for fix to ask
    with subprocess.Popen([sys.executable, "-m", "checks", "fix", "--url", url,
                           "--backup", str(backup)], stdin=terminal, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, env=environment, cwd=ROOT,
                          start_new_session=True, preexec_fn=own_terminal) as process:
        os.close(terminal)
        try:
            _answer(process, controller, answer, secret)
        finally:  # a failure must not leave fix waiting for input (Popen's exit waits)
            if process.poll() is None:
                process.kill()
        output = process.stdout.read() if process.stdout else b""
    os.close(controller)
    return process.returncode, output.decode()


def _answer(process: subprocess.Popen[bytes], controller: int, answer: str,
            secret: str | None) -> None:
    """Type `answer`, then `secret` once asked for it, and wait for the end (its output is
    short: the pipe never fills)."""
    os.write(controller, answer.encode() + b"\n")
    if secret is not None:  # typed once asked: the prompt drops what was typed before
        shown = b""
        while "(mail_password)\u00a0: ".encode() not in shown:
            assert select.select([controller], [], [], 60)[0], shown
            chunk = os.read(controller, 1024)
            assert chunk, shown  # the command ended without asking
            shown += chunk
        os.write(controller, secret.encode() + b"\n")
    process.wait(timeout=120)


@pytest.mark.parametrize(("answer", "applied"), [
    ("n", False), ("", False), ("non", False), ("o", True), ("oui", True), (" Oui ", True),
    ("y", True), ("yes", True),
])
def test_fix_asks_before_applying_at_a_terminal(start_emulator: Callable[..., Emulator],
                                                tmp_path: Path, answer: str,
                                                applied: bool) -> None:
    emulator = start_emulator("datis-derive")
    backup = tmp_path / "avant.json"
    code, output = _fix_answering(emulator.url, answer, backup)
    asked = "Appliquer ces 7 modifications\u202f? [o/N] "
    if applied:
        assert code == 0, output
        assert flat(f"{asked}Réglages d'avant correction enregistrés\u00a0: "
                    f"{backup}") in flat(output)
        assert output.endswith("7 modifications appliquées et vérifiées.\n")
        assert backup.exists()
        assert run_cli("--url", emulator.url).code == 0
    else:
        assert code == 1, output
        assert output.endswith(f"{asked}Rien n'a été modifié.\n")
        assert not backup.exists()
        assert run_cli("--url", emulator.url).code == 1


def test_fix_asks_for_one_change_in_the_singular(start_emulator: Callable[..., Emulator],
                                                 tmp_path: Path) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general({"max_file_incr": "50"})
    code, output = _fix_answering(emulator.url, "o", tmp_path / "avant.json")
    assert code == 0, output
    assert "Appliquer cette modification\u202f? [o/N] " in output
    assert output.endswith("Une modification appliquée et vérifiée.\n")


def test_fix_asks_for_a_secret_at_a_terminal(start_emulator: Callable[..., Emulator],
                                             tmp_path: Path) -> None:
    """Typed, not echoed nor shown; a DATIS_MAIL_PASSWORD already given is not asked again."""
    emulator = start_emulator("messagerie-absente")
    code, output = _fix_answering(emulator.url, "o", tmp_path / "a.json",
                                  secret="Tape-Au-Terminal-42")
    assert code == 0, output
    assert emulator.state.mail["mail_password"] == "Tape-Au-Terminal-42"
    assert "Tape-Au-Terminal-42" not in output
    emulator.state.save_mail({"mail_password": ""})
    code, output = _fix_answering(emulator.url, "o", tmp_path / "b.json",
                                  env={"DATIS_MAIL_PASSWORD": "Donne-Par-Variable-7"})
    assert code == 0, output
    assert emulator.state.mail["mail_password"] == "Donne-Par-Variable-7"


def test_fix_never_invents_a_secret(start_emulator: Callable[..., Emulator],
                                    tmp_path: Path) -> None:
    emulator = start_emulator("messagerie-absente")
    run = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(tmp_path / "a.json"))
    assert run.code == 1
    assert "Non appliqué\u00a0: Mot de passe SMTP" in run.stdout
    assert emulator.state.mail["mail_password"] == ""
    assert emulator.state.mail["mail_servername"] == "smtp.inspee.re"
    given = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(tmp_path / "b.json"),
                    env={"DATIS_MAIL_PASSWORD": "Saisi-par-le-technicien"})
    assert given.code == 0, given.stdout
    assert emulator.state.mail["mail_password"] == "Saisi-par-le-technicien"
    assert "Saisi-par-le-technicien" not in given.stdout + given.stderr


@pytest.mark.parametrize("yes", [False, True])
def test_fix_lists_what_it_cannot_correct_on_an_open_appliance(
        start_emulator: Callable[..., Emulator], tmp_path: Path, yes: bool) -> None:
    emulator = start_emulator("sans-admin")
    backup = tmp_path / "avant.json"
    run = run_cli("fix", "--url", emulator.url, "--backup", str(backup),
                  *(["--yes"] if yes else []), password=None)
    assert run.code == 1, run.stdout + run.stderr
    assert "rien à corriger" not in run.stdout
    assert ("Un écart que «\u00a0datis-audit fix\u00a0» ne corrige pas, à traiter à la "
            "main\u00a0:") in run.stdout
    assert "[écart critique] Compte administrateur" in run.stdout
    assert ("→ Dans «\u00a0Réglages › Utilisateurs\u00a0», créer immédiatement le compte "
            "«\u00a0admin\u00a0»") in flat(run.stdout)
    assert not backup.exists()
    assert emulator.state.users == []


def test_fix_lists_backup_health_with_what_to_do(start_emulator: Callable[..., Emulator],
                                                 tmp_path: Path) -> None:
    emulator = start_emulator("sauvegardes-en-retard")
    audit = run_cli("--url", emulator.url, "--format", "json")
    expected = _failed(audit.stdout)
    run = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(tmp_path / "a.json"))
    assert run.code == 1
    assert "aucun réglage à ramener aux valeurs documentées" in run.stdout
    assert f"{len(expected)} écarts que «\u00a0datis-audit fix\u00a0» ne corrige pas" in run.stdout
    listed = [line for line in run.stdout.splitlines() if line.startswith("  [écart ")]
    assert len(listed) == len(expected) == 9
    assert "[écart critique] Stockage et base de données\u00a0: Stockage saturé" in run.stdout
    assert ("→ Dans «\u00a0Journaux\u00a0», lire les journaux de «\u00a0PC-DIRECTION\u00a0»"
            in run.stdout)
    assert not (tmp_path / "a.json").exists()


def test_test_mail_only_on_request(emulator: Emulator) -> None:
    assert run_cli("fix", "--url", emulator.url).code == 0
    assert emulator.state.mail_log == []
    run = run_cli("fix", "--url", emulator.url, "--send-test-mail", "tech@exemple.fr")
    assert run.code == 0
    assert emulator.state.mail_log == ["tech@exemple.fr"]
    assert "le serveur a répondu «\u00a0ok\u00a0»" in run.stdout
    assert run_cli("fix", "--url", emulator.url, "--send-test-mail", "pas-une-adresse").code == 3


def _waivers(tmp_path: Path, expiry: date, pattern: str = "client.2.*") -> Path:
    path = tmp_path / "derogations.toml"
    path.write_text(
        "schema = 1\n\n[[derogation]]\n"
        f'constat = "{pattern}"\n'
        'justification = "Le client a demandé une sauvegarde quotidienne de son serveur."\n'
        'auteur = "Camille Technicienne"\n'
        f"expire = {expiry.isoformat()}\n", "utf-8")
    return path


def test_waivers_are_honoured_then_expire(start_emulator: Callable[..., Emulator],
                                          tmp_path: Path) -> None:
    emulator = start_emulator("datis-derive")
    live = _waivers(tmp_path, date.today() + timedelta(days=30))
    run = run_cli("--url", emulator.url, "--format", "json", "--waivers", str(live))
    report = json.loads(run.stdout)
    waived = {c["id"]: c for c in report["constats"] if c["resultat"] == "dérogation"}
    assert set(waived) == {"client.2.update_freq_incr", "client.2.max_file_incr"}
    assert waived["client.2.max_file_incr"]["derogation"]["auteur"] == "Camille Technicienne"
    assert report["derogations"] == 2
    assert "client.2.update_freq_incr" not in _failed(run.stdout)
    html = run_cli("--url", emulator.url, "--format", "html", "--waivers", str(live)).stdout
    assert "Dérogation de Camille Technicienne" in html

    expired = _waivers(tmp_path, date.today() - timedelta(days=1))
    run = run_cli("--url", emulator.url, "--format", "json", "--waivers", str(expired))
    failed = _failed(run.stdout)
    assert {"client.2.update_freq_incr", "derogation.client.2.*"} <= failed
    assert run.code == 1
    report = json.loads(run.stdout)
    gone = next(c for c in report["constats"] if c["id"] == "derogation.client.2.*")
    ended = (date.today() - timedelta(days=1)).strftime("%d/%m/%Y")
    assert (gone["section"], gone["derogation"], gone["attendu"], gone["observe"]) == (
        "derogations", None, "date d'expiration à venir", f"expirée le {ended}")
    assert report["sections"][-1] == {"id": "derogations", "titre": "Dérogations expirées",
                                      "doc": "audit#derogations"}
    text = run_cli("--url", emulator.url, "--waivers", str(expired)).stdout
    assert "\nDérogations expirées\n" in text and "≈" not in text


def test_a_waiver_that_matches_no_finding_is_named_with_its_line(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emulator = start_emulator("datis-derive")
    typo = _waivers(tmp_path, date.today() + timedelta(days=30), "client.2.update_freq_inc")
    run = run_cli("--url", emulator.url, "--waivers", str(typo))
    assert run.code == 1
    assert run.stderr == (
        f"datis-audit\u00a0: attention\u00a0: {typo}, ligne 3\u00a0: la dérogation "
        "«\u00a0client.2.update_freq_inc\u00a0» "
        "ne correspond à aucun constat de l'audit (le plus proche\u00a0: "
        "«\u00a0client.2.update_freq_incr\u00a0»)\u00a0: elle est sans effet.\n")
    matching = _waivers(tmp_path, date.today() + timedelta(days=30))
    assert run_cli("--url", emulator.url, "--waivers", str(matching)).stderr == ""


def test_waivers_make_a_compliant_verdict_when_they_cover_everything(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emulator = start_emulator("datis-derive")
    everything = _waivers(tmp_path, date.today() + timedelta(days=3), pattern="*")
    assert run_cli("--url", emulator.url, "--waivers", str(everything)).code == 0


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("schema = 1\n[[derogation]]\nconstat = \"x\"\nauteur = \"A\"\nexpire = 2030-01-01\n",
         2, "justification"),
        ("schema = 1\n\n[[derogation]]\nconstat = \"x\"\njustification = \"assez longue ici\"\n"
         "auteur = \"A\"\nexpire = \"bientôt\"\n", 7, "date"),
        ("schema = 1\n[[derogation]]\nconstat = \"x\"\njustification = \"assez longue ici\"\n"
         "auteur = \"A\"\nexpire = 2030-01-01\ncouleur = \"bleu\"\n", 7, "champ inconnu"),
        ("schema = 1\n[[derogation]\n", 2, "syntaxe TOML"),
        ("schema = 2\n", 1, "schema = 1"),
    ],
)
def test_malformed_waivers_are_refused_with_line(emulator: Emulator, tmp_path: Path,
                                                 content: str, line: int,
                                                 fragment: str) -> None:
    path = tmp_path / "derogations.toml"
    path.write_text(content, "utf-8")
    run = run_cli("--url", emulator.url, "--waivers", str(path))
    assert run.code == 3
    assert f"ligne {line}" in run.stderr, run.stderr
    assert fragment in run.stderr


def test_nagios_status_line_and_codes(start_emulator: Callable[..., Emulator]) -> None:
    url = start_emulator("datis-conforme").url
    clean = run_cli("--url", url, "--format", "nagios")
    assert clean.code == 0
    assert clean.stdout == (f"DATIS OK - {url} : conforme, 44 contrôles | critiques=0;;1;0 "
                            "majeurs=0;;1;0 mineurs=0;1;;0 derogations=0;;;0 controles=44;;;0\n")
    url = start_emulator("datis-derive").url
    drifted = run_cli("--url", url, "--format", "nagios")
    assert drifted.code == 2
    assert drifted.stdout.splitlines() == [
        f"DATIS CRITICAL - {url} : 7 écarts (5 majeurs, 2 mineurs) | critiques=0;;1;0 "
        "majeurs=5;;1;0 mineurs=2;1;;0 derogations=0;;;0 controles=42;;;0",
        "majeur : Vérification du certificat du serveur SMTP : non, attendu : oui",
        "majeur : Intervalle des sauvegardes incrémentielles de fichiers : 12 heures, attendu : "
        "au plus 5 heures",
        "majeur : Nombre minimal de sauvegardes complètes d'images conservées : 1, attendu : au "
        "moins 2",
        "majeur : Volumes sauvegardés en image : C, attendu : tous les volumes sauf USB",
        "majeur : Le client « SRV-COMPTA » a son propre réglage « Intervalle des sauvegardes "
        "incrémentielles de fichiers » (défini pour ce client dans l'interface) : 1 jour, "
        "attendu : au plus 5 heures",
        "mineur : Nombre maximal de sauvegardes complètes de fichiers conservées : 3, attendu : "
        "10",
        "mineur : Le client « SRV-COMPTA » a son propre réglage « Nombre maximal de sauvegardes "
        "incrémentielles de fichiers conservées » (imposé depuis l'agent du poste) : 20, "
        "attendu : 100"]


def test_nagios_long_output_is_bounded_and_says_what_it_leaves_out(
        start_emulator: Callable[..., Emulator]) -> None:
    url = start_emulator("cent-postes-sans-sauvegarde").url
    run = run_cli("--url", url, "--format", "nagios")
    assert run.code == 2
    assert run.stdout.splitlines() == [
        f"DATIS CRITICAL - {url} : 200 écarts majeurs | critiques=0;;1;0 majeurs=200;;1;0 "
        "mineurs=0;1;;0 derogations=0;;;0 controles=240;;;0",
        "majeur : 100 postes jamais sauvegardés (fichiers) : PC-001, PC-002, PC-003, PC-004, "
        "PC-005 et 95 autres",
        "majeur : 100 postes jamais sauvegardés (image) : PC-001, PC-002, PC-003, PC-004, "
        "PC-005 et 95 autres"]


def test_nagios_unknown_line() -> None:
    down = run_cli("--url", "http://127.0.0.1:1", "--format", "nagios")
    assert down.code == 3
    assert down.stdout.startswith("DATIS UNKNOWN - http://127.0.0.1:1 : Connexion refusée")


def test_prometheus_textfile(emulator: Emulator, tmp_path: Path) -> None:
    target = tmp_path / "datis.prom"
    run = run_cli("--url", emulator.url, "--format", "prometheus", "--output", str(target))
    assert run.code == 0
    metrics = target.read_text("utf-8")
    host = emulator.url.removeprefix("http://")  # named by its address: its host and port
    assert f'datis_audit_compliant{{appliance="{host}",url="{emulator.url}"}} 1' in metrics
    assert f'datis_audit_up{{appliance="{host}",url="{emulator.url}"}} 1' in metrics
    assert f'datis_audit_gaps{{appliance="{host}",gravite="critique",url="' in metrics
    assert 'appliance=""' not in metrics
    assert "# TYPE datis_audit_compliant gauge" in metrics

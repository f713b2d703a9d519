"""What a supervision server reads: the Nagios state and exit code for each kind of écart,
and every Prometheus value, asserted exactly, through the real CLI against the emulator."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prometheus_client.utils import floatToGoString

from checks.audit import baseline
from checks.audit.findings import Audit, Category, Finding, Outcome, SectionInfo, Severity
from checks.emulator import Emulator
from checks.reports.nagios import LISTED, NAMED, NagiosWriter, long_output
from tests.cli_run import run_cli
from tests.exporter.running import DAY, HOUR, loaded_at

MINOR = ("max_file_incr", "50")      # « égal à 100 », gravité mineure
MAJOR = ("update_freq_incr", "43200")  # « au plus 5 heures », gravité majeure
CRITICAL = ("no_file_backups", "true")  # « égal à non », gravité critique
CHECKS = 44
"""Findings of datis-conforme: its rules, and a file and an image backup of each of its 4
clients (without file backups, 4 fewer)."""
MINOR_LINE = ("mineur : Nombre maximal de sauvegardes incrémentielles de fichiers conservées : "
              "50, attendu : 100")
MAJOR_LINE = ("majeur : Intervalle des sauvegardes incrémentielles de fichiers : 12 heures, "
              "attendu : au plus 5 heures")
CRITICAL_LINE = ("critique : Sauvegardes de fichiers désactivées sur tout le serveur : oui, "
                 "attendu : non")


def _appliance(start_emulator: Callable[..., Emulator], *changes: tuple[str, str]) -> str:
    """A conforming appliance with these global settings changed, as the web interface saves."""
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general(dict(changes))
    return emulator.url


@pytest.mark.parametrize(("changes", "code", "state", "counts", "text", "lines"), [
    ((), 0, "OK", (0, 0, 0, CHECKS), f"conforme, {CHECKS} contrôles", []),
    ((MINOR,), 1, "WARNING", (0, 0, 1, CHECKS), "un écart mineur", [MINOR_LINE]),
    ((MAJOR,), 2, "CRITICAL", (0, 1, 0, CHECKS), "un écart majeur", [MAJOR_LINE]),
    ((CRITICAL,), 2, "CRITICAL", (1, 0, 0, CHECKS - 4), "un écart critique", [CRITICAL_LINE]),
    ((MINOR, MAJOR), 2, "CRITICAL", (0, 1, 1, CHECKS), "2 écarts (1 majeur, 1 mineur)",
     [MAJOR_LINE, MINOR_LINE]),
])
def test_the_nagios_state_follows_the_worst_gravity(
        start_emulator: Callable[..., Emulator], changes: tuple[tuple[str, str], ...],
        code: int, state: str, counts: tuple[int, int, int, int], text: str,
        lines: list[str]) -> None:
    url = _appliance(start_emulator, *changes)
    run = run_cli("--url", url, "--format", "nagios")
    assert run.code == code, run.stdout + run.stderr
    critical, major, minor, checks = counts
    assert run.stdout.split("\n") == [
        f"DATIS {state} - {url} : {text} | critiques={critical};;1;0 majeurs={major};;1;0 "
        f"mineurs={minor};1;;0 derogations=0;;;0 controles={checks};;;0", *lines, ""]


def test_the_nagios_line_names_the_worst_ecarts_first(
        start_emulator: Callable[..., Emulator]) -> None:
    url = _appliance(start_emulator, MINOR, MAJOR, CRITICAL)
    run = run_cli("--url", url, "--format", "nagios")
    first, *lines = run.stdout.split("\n")
    assert first.startswith(f"DATIS CRITICAL - {url} : 3 écarts (1 critique, 1 majeur, "
                            "1 mineur) | ")
    assert lines == [CRITICAL_LINE, MAJOR_LINE, MINOR_LINE, ""]


def test_an_audit_that_cannot_be_made_is_unknown() -> None:
    run = run_cli("--url", "http://127.0.0.1:1", "--format", "nagios")
    assert run.code == 3
    assert run.stdout.startswith("DATIS UNKNOWN - http://127.0.0.1:1 : Connexion refusée")


SUMMARY = ("datis_audit_up", "datis_audit_compliant", "datis_audit_gaps", "datis_audit_waived",
           "datis_audit_checks", "datis_audit_timestamp_seconds")
"""The metrics that sum an audit up (the others: tests/exporter)."""


def _metrics(url: str, tmp_path: Path) -> tuple[int, dict[str, str]]:
    target = tmp_path / "datis.prom"
    run = run_cli("--url", url, "--format", "prometheus", "--output", str(target))
    samples = {}
    for line in target.read_text("utf-8").splitlines():
        if not line.startswith("#") and line.split("{")[0] in SUMMARY:
            name, _, value = line.rpartition(" ")
            samples[name] = value
    return run.code, samples


@pytest.mark.parametrize(("changes", "code", "compliant", "counts"), [
    ((), 0, "1.0", ("0.0", "0.0", "0.0", f"{CHECKS}.0")),
    ((MINOR,), 1, "0.0", ("0.0", "0.0", "1.0", f"{CHECKS}.0")),
    ((MINOR, MAJOR, CRITICAL), 1, "0.0", ("1.0", "1.0", "1.0", f"{CHECKS - 4}.0")),
])
def test_prometheus_values_are_the_audit_s(
        start_emulator: Callable[..., Emulator], tmp_path: Path,
        changes: tuple[tuple[str, str], ...], code: int, compliant: str,
        counts: tuple[str, str, str, str]) -> None:
    url = _appliance(start_emulator, *changes)
    run_code, samples = _metrics(url, tmp_path)
    assert run_code == code
    appliance = f'appliance="{url.removeprefix("http://")}"'
    labels = f'{appliance},url="{url}"'
    stamp = samples.pop(f"datis_audit_timestamp_seconds{{{labels}}}")
    assert float(stamp).is_integer()
    assert samples == {
        f"datis_audit_up{{{labels}}}": "1.0",
        f"datis_audit_compliant{{{labels}}}": compliant,
        f'datis_audit_gaps{{{appliance},gravite="critique",url="{url}"}}': counts[0],
        f'datis_audit_gaps{{{appliance},gravite="majeure",url="{url}"}}': counts[1],
        f'datis_audit_gaps{{{appliance},gravite="mineure",url="{url}"}}': counts[2],
        f"datis_audit_waived{{{labels}}}": "0.0",
        f"datis_audit_checks{{{labels}}}": counts[3],
    }


def test_prometheus_names_an_identified_appliance_by_its_identifier(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """DATIS 1A2B, the emulator standing as the proxy of its address (plain HTTP)."""
    url, proxy = _proxied(start_emulator("datis-conforme"), "backup.1a2b.datis.test")
    target = tmp_path / "datis.prom"
    run = run_cli("--url", url, "--domain", "datis.test", "--format", "prometheus",
                  "--output", str(target), env=proxy)
    assert run.code == 1
    assert [line for line in target.read_text("utf-8").splitlines()
            if line.startswith("datis_audit_up")] == [
        f'datis_audit_up{{appliance="1A2B",url="{url}"}} 1.0']


def _proxied(emulator: Emulator, host: str) -> tuple[str, dict[str, str]]:
    """The address of `host` on the emulator's port, the emulator standing as its proxy."""
    proxy = {"http_proxy": emulator.url, "HTTP_PROXY": emulator.url, "no_proxy": "",
             "NO_PROXY": ""}
    return f"http://{host}:{emulator.url.rsplit(':', 1)[1]}", proxy


def test_prometheus_cuts_an_appliance_s_address_at_200_characters(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """A host and port of 201 characters: the `appliance` label keeps 199 and « … »."""
    emulator = start_emulator("datis-conforme")
    port = emulator.url.rsplit(":", 1)[1]
    room = 200 - len(port) - len(".exemple.test")
    host = ".".join(["a" * 60, "b" * 60, "c" * (room - 122)]) + ".exemple.test"
    url, proxy = _proxied(emulator, host)
    appliance = f"{host}:{port}"
    assert len(appliance) == 201
    target = tmp_path / "datis.prom"
    run = run_cli("--url", url, "--format", "prometheus", "--output", str(target), env=proxy)
    assert run.code == 1
    assert [line for line in target.read_text("utf-8").splitlines()
            if line.startswith("datis_audit_up")] == [
        f'datis_audit_up{{appliance="{appliance[:199]}…",url="{url[:199]}…"}} 1.0']


@pytest.mark.parametrize(("number", "shown"), [
    (None, "inconnue"),
    (10**44, "1" + "0" * 35 + ".0.0"),  # 40 characters
    (10**45, "1" + "0" * 36 + ".0…"),  # 41 characters, cut
])
def test_prometheus_gives_the_server_s_version_in_40_characters(
        start_emulator: Callable[..., Emulator], tmp_path: Path, number: int | None,
        shown: str) -> None:
    """The version /js/urbackup.js gives (None: it gives none), as the label `version`."""
    emulator = start_emulator("datis-conforme")
    emulator.state.version_number = number  # type: ignore[assignment]
    target = tmp_path / "datis.prom"
    run_cli("--url", emulator.url, "--format", "prometheus", "--output", str(target))
    labels = f'appliance="{emulator.url.removeprefix("http://")}",url="{emulator.url}"'
    assert [line for line in target.read_text("utf-8").splitlines()
            if line.startswith("datis_audit_server_info")] == [
        f'datis_audit_server_info{{{labels},version="{shown}"}} 1.0']


def _stamped(text: str) -> tuple[str, int]:
    """The metrics with the audit's date replaced by STAMP, and that date (whole seconds)."""
    lines = text.split("\n")
    name, _, stamp = lines[-2].rpartition(" ")
    assert name.startswith("datis_audit_timestamp_seconds{")
    lines[-2] = f"{name} STAMP"
    assert float(stamp).is_integer()
    return "\n".join(lines), int(float(stamp))


def test_the_prometheus_file_whole(start_emulator: Callable[..., Emulator],
                                   tmp_path: Path) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general(dict([MINOR, MAJOR]))
    loaded = loaded_at(emulator, 1, 2 * HOUR)
    url = emulator.url
    target = tmp_path / "datis.prom"
    started = int(time.time())
    run_cli("--url", url, "--format", "prometheus", "--output", str(target))
    text, stamp = _stamped(target.read_text("utf-8"))
    assert started - 1 <= stamp <= time.time()
    host = f'appliance="{url.removeprefix("http://")}"'
    labels = f'{host},url="{url}"'

    def backups(kind: str, counts: tuple[int, int, int, int]) -> str:
        return "".join(f'datis_audit_backup_clients{{{host},etat="{state}",type="{kind}",'
                       f'url="{url}"}} {count}.0\n'
                       for state, count in zip(("jamais", "retard", "signalee", "a_jour"),
                                               counts, strict=True))

    def section(name: str, gaps: int) -> str:
        return f'datis_audit_section_gaps{{{host},section="{name}",url="{url}"}} {gaps}.0\n'

    def oldest(kind: str, age: int) -> str:
        return (f'datis_audit_oldest_backup_timestamp_seconds{{{host},type="{kind}",'
                f'url="{url}"}} {floatToGoString(loaded - age)}\n')

    assert text == (
        "# HELP datis_audit_up 1 si l'audit a pu être mené, 0 s'il a échoué.\n"
        "# TYPE datis_audit_up gauge\n"
        f"datis_audit_up{{{labels}}} 1.0\n"
        "# HELP datis_audit_compliant 1 si l'appliance est conforme au référentiel.\n"
        "# TYPE datis_audit_compliant gauge\n"
        f"datis_audit_compliant{{{labels}}} 0.0\n"
        "# HELP datis_audit_gaps Écarts constatés, par gravité.\n"
        "# TYPE datis_audit_gaps gauge\n"
        f'datis_audit_gaps{{{host},gravite="critique",url="{url}"}} 0.0\n'
        f'datis_audit_gaps{{{host},gravite="majeure",url="{url}"}} 1.0\n'
        f'datis_audit_gaps{{{host},gravite="mineure",url="{url}"}} 1.0\n'
        "# HELP datis_audit_section_gaps Écarts constatés, par section du référentiel.\n"
        "# TYPE datis_audit_section_gaps gauge\n"
        + section("messagerie", 0) + section("plan_fichiers", 2) + section("plan_images", 0)
        + section("serveur", 0) + section("securite", 0) + section("sante", 0) +
        "# HELP datis_audit_waived Écarts acceptés par dérogation.\n"
        "# TYPE datis_audit_waived gauge\n"
        f"datis_audit_waived{{{labels}}} 0.0\n"
        "# HELP datis_audit_checks Contrôles effectués.\n"
        "# TYPE datis_audit_checks gauge\n"
        f"datis_audit_checks{{{labels}}} {CHECKS}.0\n"
        "# HELP datis_audit_backup_clients Postes par état de leur dernière sauvegarde (jamais, "
        "retard, signalee, a_jour).\n"
        "# TYPE datis_audit_backup_clients gauge\n"
        + backups("fichiers", (0, 0, 0, 4)) + backups("image", (0, 0, 0, 3)) +
        "# HELP datis_audit_oldest_backup_timestamp_seconds Date (secondes Unix) de la plus "
        "ancienne des dernières sauvegardes des postes, par type ; absente si aucun poste n'a "
        "de sauvegarde de ce type.\n"
        "# TYPE datis_audit_oldest_backup_timestamp_seconds gauge\n"
        + oldest("fichiers", 3 * HOUR) + oldest("image", 4 * DAY) +
        "# HELP datis_audit_server_info Version du serveur UrBackup de l'appliance.\n"
        "# TYPE datis_audit_server_info gauge\n"
        f'datis_audit_server_info{{{labels},version="2.5.33"}} 1.0\n'
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
    labels = f'appliance="127.0.0.1:1",url="{shown}"'
    assert text == (
        "# HELP datis_audit_up 1 si l'audit a pu être mené, 0 s'il a échoué.\n"
        "# TYPE datis_audit_up gauge\n"
        f"datis_audit_up{{{labels}}} 0.0\n"
        "# HELP datis_audit_failure 1 pour la raison de l'échec de l'audit.\n"
        "# TYPE datis_audit_failure gauge\n"
        f'datis_audit_failure{{appliance="127.0.0.1:1",raison="injoignable",url="{shown}"}} '
        "1.0\n"
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
    assert run.stdout.split("\n") == [
        f"DATIS CRITICAL - {emulator.url} : 2 écarts majeurs, une dérogation | "
        f"critiques=0;;1;0 majeurs=2;;1;0 mineurs=0;1;;0 derogations=1;;;0 "
        f"controles={CHECKS};;;0",
        "majeur : Serveur SMTP : smtp/inspee.re (ni un nom d'hôte ni une adresse IP), "
        "attendu : un nom d'hôte ou une adresse IP",
        MAJOR_LINE, ""]


def test_the_nagios_line_ends_each_message_without_its_full_stop(
        start_emulator: Callable[..., Emulator]) -> None:
    url = start_emulator("sauvegardes-en-retard").url
    run = run_cli("--url", url, "--format", "nagios")
    assert run.code == 2
    assert run.stdout.split("\n")[1:] == [
        "critique : Stockage saturé : des sauvegardes sont bloquées faute de place",
        "majeur : « PC-ATELIER » : UrBackup signale la sauvegarde de fichiers comme non à jour "
        "(3 problèmes à la dernière sauvegarde)",
        "majeur : « PC-DIRECTION » : dernière sauvegarde de fichiers il y a 4 jours, au-delà "
        "de 2 intervalles",
        "majeur : « PC-DIRECTION » : dernière sauvegarde image il y a 40 jours, au-delà de 2 "
        "intervalles",
        "majeur : « PC-NOUVEAU » n'a jamais eu de sauvegarde de fichiers",
        "majeur : « PC-NOUVEAU » n'a jamais eu de sauvegarde image",
        "majeur : « PORTABLE-COMMERCIAL » : dernière sauvegarde de fichiers il y a 20 jours, "
        "au-delà de 2 intervalles",
        "majeur : « PORTABLE-COMMERCIAL » n'a jamais eu de sauvegarde image",
        "mineur : « PORTABLE-COMMERCIAL » est hors ligne depuis 20 jours : il n'est plus "
        "sauvegardé", ""]


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
    assert run.stdout == (
        f"DATIS CRITICAL - {url[:79]}… : un écart majeur | critiques=0;;1;0 majeurs=1;;1;0 "
        f"mineurs=0;1;;0 derogations=0;;;0 controles={CHECKS};;;0\nmajeur : {message}\n")


def test_an_audit_that_cannot_be_made_cuts_its_long_words() -> None:
    url = "http://127.0.0.1:1/" + "x" * 150
    run = run_cli("--url", url, "--format", "nagios")
    assert run.code == 3
    message = f"Connexion refusée par {url} : l'appliance"
    assert run.stdout == f"DATIS UNKNOWN - {url[:79]}… : {message[:199]}…\n"


def test_only_the_full_stop_is_taken_off_a_message(start_emulator: Callable[..., Emulator],
                                                   tmp_path: Path) -> None:
    """A reason ending with « X. » is not cut into the line (it used to keep its X)."""
    rules = tmp_path / "referentiel.toml"
    text = baseline.default_path().read_text("utf-8")
    reason = 'raison = "La rétention maximale dimensionne l\'espace disque de l\'appliance."'
    assert reason in text
    rules.write_text(text.replace(reason, 'raison = "Voir le modèle X."'), "utf-8")
    url = _appliance(start_emulator, MINOR)
    run = run_cli("--url", url, "--format", "nagios", "--baseline", str(rules))
    # the long output gives each écart's first sentence, without its full stop: never the
    # reason after it
    assert run.stdout.splitlines()[1] == (
        "mineur : Nombre maximal de sauvegardes incrémentielles de fichiers conservées : 50, "
        "attendu : 100")


EVERYTHING_WRONG = str(Path(__file__).parents[1] / "fixtures" / "scenarios" / "tout-en-ecart.toml")
LEFT_OUT = " ici : le rapport de l'audit (--format html ou text) les donne tous."
"""The end of the last line of a long output cut at LISTED écarts."""


def test_the_nagios_long_output_stops_at_twenty_and_counts_the_rest(
        start_emulator: Callable[..., Emulator]) -> None:
    """Every documented setting in écart: 51 écarts, the 20 worst listed, 31 counted."""
    url = start_emulator(EVERYTHING_WRONG).url
    run = run_cli("--url", url, "--format", "nagios")
    assert run.code == 2
    lines = run.stdout.split("\n")
    assert lines[0].startswith(f"DATIS CRITICAL - {url} : 51 écarts (5 critiques, 36 majeurs, "
                               "10 mineurs) | ")
    assert lines[LISTED] == ("majeur : Intervalle des sauvegardes complètes d'images : 180 "
                             "jours, attendu : au plus 60 jours")
    assert lines[LISTED + 1:] == [f"… et 31 autres écarts non listés{LEFT_OUT}", ""]


NEVER = Category("sante.fichiers.jamais", "postes jamais sauvegardés (fichiers)")


def _setting(number: int, severity: Severity = Severity.MAJOR) -> Finding:
    """An écart of one setting, as checks/audit/rules.py words it."""
    return Finding(f"reglage.r{number}", "serveur", severity, Outcome.FAILED, f"Réglage {number}",
                   "oui", "non", f"Réglage {number} : non, attendu : oui. Sa raison.")


def _never(count: int, severity: Severity = Severity.MAJOR) -> list[Finding]:
    """Clients never backed up, as checks/audit/health.py words them: one group."""
    return [Finding(f"sante.{n}.fichiers", "sante", severity, Outcome.FAILED,
                    f"Sauvegarde de fichiers — PC-{n}", "à jour", "jamais",
                    f"« PC-{n} » n'a jamais eu de sauvegarde de fichiers.", client=f"PC-{n}",
                    category=NEVER) for n in range(1, count + 1)]


def _audit(*findings: Finding) -> Audit:
    return Audit("http://127.0.0.1:1", "1A2B", datetime(2026, 1, 2, tzinfo=UTC), "2.5.33", "x",
                 "referentiel.toml", "0" * 64,
                 (SectionInfo("serveur", "Serveur"), SectionInfo("sante", "Santé")), findings)


def test_twenty_ecarts_are_all_listed_and_nothing_said_left_out() -> None:
    lines = long_output(_audit(*(_setting(n) for n in range(1, LISTED + 1))))
    assert lines == [f"majeur : Réglage {n} : non, attendu : oui" for n in range(1, LISTED + 1)]


def test_the_one_ecart_left_out_is_counted_in_the_singular() -> None:
    lines = long_output(_audit(*(_setting(n) for n in range(1, LISTED + 2))))
    assert lines[LISTED - 1:] == [f"majeur : Réglage {LISTED} : non, attendu : oui",
                                  f"… et un autre écart non listé{LEFT_OUT}"]


def test_a_group_left_out_counts_each_of_its_clients() -> None:
    """The minor group comes after the 20 major écarts: its 3 clients are 3 écarts left out."""
    audit = _audit(*(_setting(n) for n in range(1, LISTED + 1)), *_never(3, Severity.MINOR))
    assert long_output(audit)[LISTED:] == [f"… et 3 autres écarts non listés{LEFT_OUT}"]


@pytest.mark.parametrize(("clients", "end"), [
    (NAMED, ""), (NAMED + 1, " et un autre"), (NAMED + 2, " et 2 autres")])
def test_a_group_names_five_clients_and_counts_the_others(clients: int, end: str) -> None:
    assert long_output(_audit(*_never(clients))) == [
        f"majeur : {clients} postes jamais sauvegardés (fichiers) : PC-1, PC-2, PC-3, PC-4, "
        f"PC-5{end}"]


def test_only_the_full_stop_is_taken_off_a_value_ending_the_sentence() -> None:
    """A value ending with X (a volume, a client's name) keeps it."""
    finding = Finding("reglage.image_letters", "plan_images", Severity.MAJOR, Outcome.FAILED,
                      "Volumes sauvegardés en image", "C", "X",
                      "Volumes sauvegardés en image : C, attendu : X. Sa raison.")
    assert long_output(_audit(finding)) == [
        "majeur : Volumes sauvegardés en image : C, attendu : X"]


def test_a_nagios_line_is_cut_at_200_characters() -> None:
    """200 characters shown whole, 201 cut: the 200th is then « … »."""
    def line(length: int) -> str:
        message = "Serveur SMTP : " + "s" * (length - len("Serveur SMTP : ")) + ". Sa raison."
        finding = Finding("reglage.mail_servername", "messagerie", Severity.MAJOR,
                          Outcome.FAILED, "Serveur SMTP", "un nom d'hôte", "s", message)
        return NagiosWriter().render(_audit(finding)).split("\n")[1]

    assert line(200) == "majeur : Serveur SMTP : " + "s" * 185
    assert line(201) == "majeur : Serveur SMTP : " + "s" * 184 + "…"

"""Backup health rules: backup ages against the plan, failures, offline clients, storage,
server version.

The fourth family of checks.audit.rules. A backup is late past `tolerance` intervals. The
image backup of a client that cannot make one (`image_not_supported`) is information, as the
UrBackup screen shows it, never an écart: nothing can be done about it on the appliance.
A finding on a dated backup carries that date (`Finding.backup_time`), for the metrics of the
oldest backups; a client never backed up, or that cannot make an image, carries none.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from checks.appliance.reading import ApplianceReading, ClientReading
from checks.audit.findings import Category, Finding, Outcome, SectionInfo, Severity
from checks.audit.options import AuditOptions
from checks.settings import screens, values
from checks.settings.catalogue import Kind

HEALTH = SectionInfo("sante", "Santé des sauvegardes", "audit#sante")
MIN_VERSION = (2, 5, 0)
OFFLINE_DAYS = 7
NOT_SUPPORTED = "Non supporté"
"""What the French « Etats » page shows instead of a date for a client whose status says
`image_not_supported: true` (a Linux agent without image support, recording M01)."""


def health_findings(reading: ApplianceReading, options: AuditOptions) -> list[Finding]:
    now = options.now if options.now is not None else time.time()
    findings = [*_server_health(reading)]
    no_files = _switched_on(reading, "no_file_backups")
    no_images = _switched_on(reading, "no_images")
    for client in reading.clients:
        if not no_files:
            findings.append(_backup_health(reading, client, now, options, image=False))
        if not no_images:
            findings.append(_backup_health(reading, client, now, options, image=True))
        offline = _offline(client, now)
        if offline is not None:
            findings.append(offline)
    return findings


SERVER_ALERTS = {
    "nospc_stalled": ("stockage saturé, sauvegardes bloquées",
                      "Stockage saturé : des sauvegardes sont bloquées faute de place."),
    "nospc_fatal": ("stockage saturé, sauvegardes en échec",
                    "Stockage saturé : des sauvegardes ont échoué faute de place."),
    "database_error": ("base de données en erreur",
                       "La base de données du serveur UrBackup est en erreur."),
}
"""The alert flags of UrBackup's status answer, in French (the codes never reach a report)."""


def _server_health(reading: ApplianceReading) -> Iterable[Finding]:
    section = HEALTH.id
    status = reading.status
    found = False
    for flag, (observed, text) in SERVER_ALERTS.items():
        if status.get(flag):
            found = True
            yield Finding(f"sante.{flag}", section, Severity.CRITICAL, Outcome.FAILED,
                          "Stockage et base de données", "aucune alerte", observed, text,
                          "Libérer de l'espace ou contacter le support (support@inspeere.com).",
                          HEALTH.doc)
    if not found:
        yield Finding("sante.stockage", section, Severity.INFO, Outcome.PASSED,
                      "Stockage et base de données", "aucune alerte", "aucune alerte",
                      "Ni saturation du stockage ni erreur de base de données.", doc=HEALTH.doc)
    version = reading.version or ""
    try:
        parsed: tuple[int, ...] | None = tuple(int(x) for x in version.split("."))
    except ValueError:
        parsed = None
    if parsed is None:
        yield Finding("sante.version", section, Severity.MINOR, Outcome.FAILED,
                      "Version du serveur UrBackup", "2.5 ou plus récente", "inconnue",
                      "La version installée n'a pas pu être lue (/js/urbackup.js).",
                      doc=HEALTH.doc)
    else:
        old = parsed < MIN_VERSION
        yield Finding("sante.version", section, Severity.MAJOR if old else Severity.INFO,
                      Outcome.FAILED if old else Outcome.PASSED, "Version du serveur UrBackup",
                      "2.5 ou plus récente", version,
                      f"UrBackup {version} est installé.",
                      "Mettre à jour le serveur UrBackup." if old else "", HEALTH.doc)


def _interval(reading: ApplianceReading, client: ClientReading, key: str) -> int | None:
    raw: Any = None
    if client.settings is not None and key in client.settings.settings:
        raw = client.settings.settings[key].effective
    if raw is None:
        raw = reading.value(key)
    try:
        return values.normalize(Kind.SECONDS, raw) if raw is not None else None
    except ValueError:
        return None


def _span_text(seconds: float) -> str:
    """A threshold to the minute (« 10 heures », « un jour 6 heures »): what the rule says."""
    whole = int(max(0, seconds))
    return values.spelled_duration(round(whole / 60) * 60 if whole >= 60 else whole)


_AGE_UNITS = ((2 * 86400, 86400), (3600, 3600), (60, 60))
"""From this age on, counted in this unit: days from two days, hours from an hour, then
minutes; one unit only, as people say an age (« il y a 41 jours », « il y a 4 heures »)."""


def _age_text(seconds: float) -> str:
    """An age in the one unit people give it in, rounded to the nearest."""
    whole = max(0.0, seconds)
    unit = next((unit for start, unit in _AGE_UNITS if whole >= start), 1)
    return values.spelled_duration(int(whole / unit + 0.5) * unit)


def _backup_health(reading: ApplianceReading, client: ClientReading, now: float,
                   options: AuditOptions, *, image: bool) -> Finding:
    kind = "image" if image else "fichiers"
    key = "update_freq_image_incr" if image else "update_freq_incr"
    last = _timestamp(client.status.get("lastbackup_image" if image else "lastbackup"))
    ok_flag = client.status.get("image_ok" if image else "file_ok")
    interval = _interval(reading, client, key)
    label = f"Sauvegarde {'image' if image else 'de fichiers'} — {client.name}"
    expected = (f"moins {values.of(_span_text(interval * options.tolerance))}"
                if interval and interval > 0 else "récente")
    status = screens.menu("Etats")
    full = screens.status_row_action("Sauvegarde image complète" if image
                                     else "Sauvegarde de fichiers complète")
    incremental = screens.status_row_action("Sauvegarde image incrémentielle" if image
                                            else "Sauvegarde de fichiers incrémentielle")
    read_logs = (f"Dans « {screens.menu('Journaux')} », lire les journaux de « {client.name} », "
                 f"puis relancer « {incremental} » depuis le menu de sa ligne dans "
                 f"« {status} ».")

    def finding(state: str, severity: Severity, outcome: Outcome, observed: str, message: str,
                action: str = "", at: float | None = None, wanted: str = expected) -> Finding:
        return Finding(f"sante.{client.id}.{kind}", HEALTH.id, severity, outcome, label,
                       wanted, observed, message, action, HEALTH.doc, client=client.name,
                       category=_health_category(image, state), backup_time=at)

    if image and client.status.get("image_not_supported") is True:
        return finding("non_supportee", Severity.INFO, Outcome.INFO, NOT_SUPPORTED,
                       f"« {client.name} » ne peut pas faire de sauvegarde image (son agent "
                       f"ne le permet pas) : UrBackup affiche « {NOT_SUPPORTED} » dans la "
                       f"colonne « {screens.status_column('Dernière Sauvegarde Image')} » de "
                       f"« {status} ». Seules ses sauvegardes de fichiers le protègent.")
    if last is None:
        return finding("jamais", Severity.MAJOR, Outcome.FAILED, "jamais",
                       f"« {client.name} » n'a jamais eu de sauvegarde {_kind(image)}.",
                       f"Dans « {status} », vérifier que « {client.name} » est "
                       f"« {screens.status_column('En ligne')} » (agent UrBackup installé et "
                       f"connecté), puis lancer « {full} » depuis le menu de sa ligne.")
    age = now - last
    observed = f"il y a {_age_text(age)}"
    late = interval is not None and interval > 0 and age > interval * options.tolerance
    issues = int(client.status.get("last_filebackup_issues") or 0) if not image else 0
    detail = f" ({values.plural(issues, 'problème')} à la dernière sauvegarde)" if issues else ""
    if late:
        beyond = values.of(values.plural(options.tolerance, "intervalle"))
        return finding("retard", Severity.MAJOR, Outcome.FAILED, observed,
                       f"« {client.name} » : dernière sauvegarde {_kind(image)} il y a "
                       f"{_age_text(age)}, au-delà {beyond}{detail}.", read_logs, last)
    if ok_flag is False:  # the reason is UrBackup's flag, not the age: the row says so
        return finding("signalee", Severity.MAJOR, Outcome.FAILED,
                       f"signalée non à jour par UrBackup (dernière {observed})",
                       f"« {client.name} » : UrBackup signale la sauvegarde {_kind(image)} "
                       f"comme non à jour{detail}.", read_logs, last,
                       wanted="à jour selon UrBackup")
    return finding("a_jour", Severity.INFO, Outcome.PASSED, observed,
                   f"« {client.name} » : sauvegarde {_kind(image)} à jour{detail}.", at=last)


_HEALTH_CATEGORIES = {
    "jamais": ("postes jamais sauvegardés ({})", "fichiers", "image"),
    "retard": ("postes dont la sauvegarde {} est en retard", "de fichiers", "image"),
    "signalee": ("postes dont la sauvegarde {} est signalée non à jour", "de fichiers", "image"),
    "a_jour": ("postes sauvegardés à temps ({})", "fichiers", "image"),
    "non_supportee": ("postes dont l'agent ne permet pas la sauvegarde {}", "de fichiers",
                      "image"),
}
"""What several clients' backups can share, as a report titles their group."""


def _health_category(image: bool, state: str) -> Category:
    title, files, images = _HEALTH_CATEGORIES[state]
    return Category(f"sante.{'image' if image else 'fichiers'}.{state}",
                title.format(images if image else files))


def _kind(image: bool) -> str:
    return "image" if image else "de fichiers"


def _timestamp(raw: Any) -> float | None:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def _offline(client: ClientReading, now: float) -> Finding | None:
    if client.status.get("online") is not False:
        return None
    seen = _timestamp(client.status.get("lastseen"))
    days = (now - seen) / 86400 if seen else None
    if days is not None and days < OFFLINE_DAYS:
        return None
    since = f"depuis {_age_text(now - seen)}" if seen else "jamais vu"
    return Finding(f"sante.{client.id}.hors_ligne", HEALTH.id, Severity.MINOR, Outcome.FAILED,
                   f"Connexion — {client.name}", f"vu dans les {OFFLINE_DAYS} derniers jours",
                   f"hors ligne {since}",
                   f"« {client.name} » est hors ligne {since} : il n'est plus sauvegardé.",
                   f"Vérifier que « {client.name} » est allumé et que son agent UrBackup tourne "
                   f"(colonne « {screens.status_column('En ligne')} » de "
                   f"« {screens.menu('Etats')} »).",
                   HEALTH.doc, client=client.name,
                   category=Category("sante.hors_ligne",
                             f"postes hors ligne depuis plus de {OFFLINE_DAYS} jours"))


def _switched_on(reading: ApplianceReading, key: str) -> bool:
    """A server-wide switch; an unreadable value counts as off (its own rule reports it)."""
    try:
        return values.parse_bool(reading.value(key) or False)
    except ValueError:
        return False

"""Audit rules: from one appliance reading and the baseline, the findings.

Four families, each a function: the baseline's rules on the global settings, the clients
that override a documented setting, security (open access, transport, web users) and backup
health (ages against the plan, failures, offline clients, storage, server version).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from checks.appliance.model import ClientSetting, is_set, overrides_of
from checks.appliance.reading import ApplianceReading, ClientReading, Redacted
from checks.audit import screens, values
from checks.audit.baseline import Baseline, Rule
from checks.audit.baseline import Severity as BaselineSeverity
from checks.audit.catalogue import Kind
from checks.audit.findings import Audit, Category, Finding, Outcome, SectionInfo, Severity

SECURITY = SectionInfo("securite", "Sécurité", "audit#securite")
HEALTH = SectionInfo("sante", "Santé des sauvegardes", "audit#sante")
MIN_VERSION = (2, 5, 0)
OFFLINE_DAYS = 7


@dataclass(frozen=True)
class AuditOptions:
    tolerance: float = 2.0
    """A backup is late past this many intervals (UrBackup itself says 3)."""
    docs_url: str = ""
    now: float | None = None


def _severity(rule: Rule) -> Severity:
    return {BaselineSeverity.CRITICAL: Severity.CRITICAL, BaselineSeverity.MAJOR: Severity.MAJOR,
            BaselineSeverity.MINOR: Severity.MINOR}[rule.severity]


def observed_text(rule: Rule, raw: Any) -> str:
    """A live value as a report shows it; secrets only say whether they are set."""
    if rule.setting.secret or isinstance(raw, Redacted):
        return "(secret) renseigné" if is_set(raw) else "(secret) non renseigné"
    if raw is None:
        return "(absent)"
    return values.display_raw(rule.setting.kind, raw)


def baseline_findings(reading: ApplianceReading, baseline: Baseline) -> list[Finding]:
    findings = []
    for rule in baseline.rules.values():
        section = baseline.sections[rule.section]
        raw = reading.value(rule.key)
        present = reading.has(rule.key)
        passed = present and rule.check(raw)
        label = rule.setting.label
        if not present:
            message = f"{label} : réglage absent des réponses du serveur."
        elif passed:
            message = f"{label} : conforme."
        else:
            message = (f"{label} : {observed_text(rule, raw)}{_invalid(rule, raw)}, attendu : "
                       f"{rule.expected_text()}.")
        findings.append(Finding(
            id=f"reglage.{rule.key}",
            section=rule.section,
            severity=_severity(rule),
            outcome=Outcome.PASSED if passed else Outcome.FAILED,
            label=label,
            expected=rule.expected_text(),
            observed=observed_text(rule, raw),
            message=message if passed else f"{message} {rule.reason}",
            action="" if passed else _action(rule),
            doc=f"reglages#{section.doc}",
            key=rule.key,
        ))
    return findings


def _invalid(rule: Rule, raw: Any) -> str:
    """Why a value is not of its kind (« n'est pas une adresse e-mail »), or nothing."""
    if rule.setting.secret or raw is None or isinstance(raw, Redacted) or not str(raw).strip():
        return ""
    try:
        values.normalize(rule.setting.kind, raw)
    except ValueError:
        return f" ({_KIND_NAME.get(rule.setting.kind, 'valeur illisible')})"
    return ""


_KIND_NAME = {
    Kind.HOST: "ni un nom d'hôte ni une adresse IP",
    Kind.MAILBOX: "pas une adresse e-mail",
    Kind.ADDRESSES: "pas une liste d'adresses e-mail",
}


def _action(rule: Rule) -> str:
    """What to change on the screen, in its own words, or the command that does it."""
    where = screens.reach(rule.key)
    if rule.setting.secret:
        return (f"Dans {where}, saisir le secret (jamais affiché) puis cliquer "
                f"« {screens.SAVE} » ; ou lancer « datis-audit fix », qui le demande.")
    what = screens.entry(rule.key, rule.documented, seconds=rule.setting.kind is Kind.SECONDS)
    return (f"Dans {where}, {what} puis cliquer « {screens.SAVE} » ; ou lancer "
            "« datis-audit fix ».")


def override_findings(reading: ApplianceReading, baseline: Baseline) -> list[Finding]:
    """Clients whose own settings replace a documented one (from the `use` bits)."""
    findings = []
    for client, setting in overrides_of(reading.clients, baseline.client_keys()):
        findings.append(_override(client, baseline.rules[setting.key], setting, baseline))
    return findings


def _override(client: ClientReading, rule: Rule, setting: ClientSetting,
              baseline: Baseline) -> Finding:
    """A client's own value: an écart if it breaks the rule, else information only."""
    effective = setting.effective
    ok = rule.check(effective)
    origin = "imposé depuis l'agent du poste" if setting.pushed_by_client else \
        "défini pour ce client dans l'interface"
    label = rule.setting.label
    message = (f"Le client « {client.name} » a son propre réglage « {label} » ({origin}) : "
               f"{observed_text(rule, effective)}")
    if ok:
        same = _same(rule, effective)
        message += (", la valeur documentée." if same else
                    " ; la valeur reste conforme au référentiel.")
    else:
        message += f", attendu : {rule.expected_text()}."
    return Finding(
        id=f"client.{client.id}.{rule.key}",
        section=rule.section,
        severity=Severity.INFO if ok else _severity(rule),
        outcome=Outcome.INFO if ok else Outcome.FAILED,
        label=f"{label} — {client.name}",
        expected=rule.expected_text(),
        observed=observed_text(rule, effective),
        message=message,
        action="" if ok else (
            f"Dans {screens.reach_for_client(rule.key, client.name)}, "
            f"{screens.INHERIT_BUTTON} puis cliquer « {screens.SAVE} » ; ou lancer "
            "« datis-audit fix »."),
        doc=f"reglages#{baseline.sections[rule.section].doc}",
        key=rule.key,
        client=client.name,
        category=Category(f"client.{rule.key}", f"postes ayant leur propre réglage « {label} »"),
    )


def _same(rule: Rule, raw: Any) -> bool:
    try:
        return bool(values.normalize(rule.setting.kind, raw) == rule.documented)
    except ValueError:
        return False


def security_findings(reading: ApplianceReading) -> list[Finding]:
    section = SECURITY.id
    findings = []
    if reading.open_access:
        findings.append(Finding(
            "securite.acces_ouvert", section, Severity.CRITICAL, Outcome.FAILED,
            "Compte administrateur", "un compte admin protégé par mot de passe",
            "aucun compte : interface ouverte",
            "Aucun compte de l'interface web n'existe : quiconque atteint l'appliance en est "
            "administrateur, peut lire le mot de passe SMTP et supprimer les sauvegardes.",
            f"Dans « {screens.settings_tab('Utilisateurs')} », créer immédiatement le compte "
            "« admin » avec le mot de passe généré à l'activation.", SECURITY.doc))
    else:
        findings.append(Finding(
            "securite.compte_admin", section, Severity.INFO, Outcome.PASSED,
            "Compte administrateur", "un compte admin protégé par mot de passe",
            "connexion authentifiée", "L'interface exige une authentification.",
            doc=SECURITY.doc))
    findings.append(_transport(reading))
    for user in reading.web_users:
        if not isinstance(user, Mapping):  # an altered answer: nothing to say about it
            continue
        name = str(user.get("name", ""))
        given = user.get("rights")
        rights: list[Any] = given if isinstance(given, list) else []
        text = ", ".join(_right(r) for r in rights if isinstance(r, dict)) or "aucun droit"
        everything = any(isinstance(r, dict) and r.get("domain") == "all"
                         and r.get("right") == "all" for r in rights)
        findings.append(Finding(
            f"securite.utilisateur.{name}", section, Severity.INFO, Outcome.INFO,
            f"Utilisateur web « {name} »", "", "administrateur" if everything else text,
            f"Compte de l'interface web « {name} » : "
            f"{'tous les droits' if everything else 'droits ' + text}.", doc=SECURITY.doc))
    return findings


RIGHT_DOMAINS = {
    "all": "tout", "status": "états", "progress": "activités", "lastacts": "dernières activités",
    "logs": "journaux", "piegraph": "statistiques", "browse_backups": "parcourir les sauvegardes",
    "download_image": "télécharger les images", "start_backup": "lancer une sauvegarde",
    "stop_backup": "arrêter une sauvegarde", "settings": "réglages",
    "general_settings": "réglages généraux", "client_settings": "réglages des clients",
    "mail_settings": "réglages de la messagerie", "usermod": "gérer les utilisateurs",
    "remove_client": "supprimer un client", "create_backup_folder": "créer un dossier",
}
"""The rights domains of UrBackup's web users, as a French reader names them."""


def _right(right: Mapping[str, Any]) -> str:
    """« journaux : tout », « états : clients n° 1, 2 », « réglages : aucun »."""
    domain = str(right.get("domain", ""))
    value = str(right.get("right", ""))
    name = RIGHT_DOMAINS.get(domain, f"« {domain} »")
    if value == "all":
        shown = "tout"
    elif value == "none":
        shown = "aucun"
    elif re.fullmatch(r"\d+(,\d+)*", value):
        ids = value.split(",")
        shown = f"client{'s' if len(ids) > 1 else ''} n° {', '.join(ids)}"
    else:
        shown = f"« {value} »"
    return f"{name} : {shown}"


def _transport(reading: ApplianceReading) -> Finding:
    parts = urlsplit(reading.url)
    host = parts.hostname or ""
    label = "Accès chiffré (HTTPS)"
    if parts.scheme == "https":
        return Finding("securite.https", SECURITY.id, Severity.INFO, Outcome.PASSED, label,
                       "HTTPS, certificat valide au nom de l'appliance",
                       f"HTTPS, certificat vérifié pour {host}",
                       f"Le certificat de {host} est valide et correspond au nom de l'appliance.",
                       doc=SECURITY.doc)
    if host in ("127.0.0.1", "::1", "localhost"):
        return Finding("securite.https", SECURITY.id, Severity.INFO, Outcome.INFO, label,
                       "HTTPS, certificat valide au nom de l'appliance", "HTTP en local",
                       "Audit mené en HTTP sur la boucle locale (émulateur ou tunnel) : le "
                       "chiffrement n'a pas été vérifié.", doc=SECURITY.doc)
    return Finding("securite.https", SECURITY.id, Severity.MAJOR, Outcome.FAILED, label,
                   "HTTPS, certificat valide au nom de l'appliance", "HTTP sans chiffrement",
                   f"L'interface de {host} a été atteinte sans chiffrement : le mot de passe "
                   "admin circule en clair.",
                   "Utiliser l'adresse https://backup.XXXX.inspee.re de l'appliance.",
                   SECURITY.doc)


def _switched_on(reading: ApplianceReading, key: str) -> bool:
    """A server-wide switch; an unreadable value counts as off (its own rule reports it)."""
    try:
        return values.parse_bool(reading.value(key) or False)
    except ValueError:
        return False


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


def _age_text(seconds: float) -> str:
    """An age to the minute (« 4 jours 2 heures », « une heure »): seconds are noise here."""
    whole = int(max(0, seconds))
    return values.spelled_duration(round(whole / 60) * 60 if whole >= 60 else whole)


def _backup_health(reading: ApplianceReading, client: ClientReading, now: float,
                   options: AuditOptions, *, image: bool) -> Finding:
    kind = "image" if image else "fichiers"
    key = "update_freq_image_incr" if image else "update_freq_incr"
    last = _timestamp(client.status.get("lastbackup_image" if image else "lastbackup"))
    ok_flag = client.status.get("image_ok" if image else "file_ok")
    interval = _interval(reading, client, key)
    label = f"Sauvegarde {'image' if image else 'de fichiers'} — {client.name}"
    expected = (f"moins {values.of(_age_text(interval * options.tolerance))}"
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
                action: str = "") -> Finding:
        return Finding(f"sante.{client.id}.{kind}", HEALTH.id, severity, outcome, label,
                       expected, observed, message, action, HEALTH.doc, client=client.name,
                       category=_health_category(image, state))

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
                       f"{_age_text(age)}, au-delà {beyond}{detail}.", read_logs)
    if ok_flag is False:
        return finding("signalee", Severity.MAJOR, Outcome.FAILED, observed,
                       f"« {client.name} » : UrBackup signale la sauvegarde {_kind(image)} "
                       f"comme non à jour{detail}.", read_logs)
    return finding("a_jour", Severity.INFO, Outcome.PASSED, observed,
                   f"« {client.name} » : sauvegarde {_kind(image)} à jour{detail}.")


_HEALTH_CATEGORIES = {
    "jamais": ("postes jamais sauvegardés ({})", "fichiers", "image"),
    "retard": ("postes dont la sauvegarde {} est en retard", "de fichiers", "image"),
    "signalee": ("postes dont la sauvegarde {} est signalée non à jour", "de fichiers", "image"),
    "a_jour": ("postes sauvegardés à temps ({})", "fichiers", "image"),
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


FAMILIES: tuple[Callable[[ApplianceReading, Baseline, AuditOptions], list[Finding]], ...] = (
    lambda r, b, o: baseline_findings(r, b),
    lambda r, b, o: override_findings(r, b),
    lambda r, b, o: security_findings(r),
    lambda r, b, o: health_findings(r, o),
)


def audit(reading: ApplianceReading, baseline: Baseline,
          options: AuditOptions | None = None) -> Audit:
    """Every rule on one reading: the audit a report lays out."""
    options = options or AuditOptions()
    findings = [f for family in FAMILIES for f in family(reading, baseline, options)]
    documented = [SectionInfo(s.id, s.title, f"reglages#{s.doc}")
                  for s in baseline.sections.values()]
    sections = (*documented, SECURITY, HEALTH)
    return Audit(
        url=reading.url,
        identifier=reading.identifier,
        date=reading.taken_at,
        server_version=reading.version,
        server_identity=reading.server_identity,
        baseline_path=baseline.path,
        baseline_digest=baseline.digest,
        sections=sections,
        findings=tuple(findings),
        docs_url=options.docs_url,
        request_count=reading.request_count,
    )

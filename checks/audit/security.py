"""Security rules: who can reach the interface and how (open access, transport, web users).

The third family of checks.audit.rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from checks.appliance.reading import ApplianceReading
from checks.audit.findings import Finding, Outcome, SectionInfo, Severity
from checks.french.numbers import agree
from checks.settings import screens

SECURITY = SectionInfo("securite", "Sécurité", "audit#securite")


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
        shown = f"{agree(len(ids), 'client')} n° {', '.join(ids)}"
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

"""Waivers: a justified, dated acceptance of a finding that a customer asked for.

A waiver file (TOML, per appliance or per fleet) lists findings by id (shell-style patterns
allowed, e.g. `client.*.update_freq_incr`), optionally for some appliances only, each with a
required justification, an author and an expiry date. A live waiver turns a failed finding
into a waived one; an expired waiver is itself a failure, until it is renewed or removed.
"""

from __future__ import annotations

import difflib
import fnmatch
import logging
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from checks.audit.findings import Audit, Finding, Outcome, SectionInfo, Severity, WaiverNote
from checks.errors import UsageError
from checks.files import oserrors, tomlfile

log = logging.getLogger(__name__)

EXPIRED = SectionInfo("derogations", "Dérogations expirées", "audit#derogations")
"""Where an expired waiver is shown: apart from the findings it no longer covers, and from
the live waivers (it carries no waiver note, so no report marks it as one)."""

SCHEMA = 1
_FIELDS = frozenset({"constat", "appliance", "justification", "auteur", "expire"})


class WaiverError(UsageError):
    """A waiver file that cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class Waiver:
    pattern: str
    appliances: tuple[str, ...]
    justification: str
    author: str
    expiry: date
    line: int
    source: str = ""
    """The file it was read from, for the messages that name it."""

    def concerns(self, identifier: str | None) -> bool:
        return not self.appliances or (identifier or "").upper() in self.appliances

    def applies(self, finding: Finding, identifier: str | None) -> bool:
        return self.concerns(identifier) and fnmatch.fnmatchcase(finding.id, self.pattern)

    def note(self) -> WaiverNote:
        return WaiverNote(self.justification, self.author, self.expiry)


def load(path: str | Path) -> list[Waiver]:
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise WaiverError(f"Fichier de dérogations illisible : {source} "
                          f"({oserrors.reason(exc)}).") from None
    return parse(data, str(source))


def parse(data: bytes, name: str) -> list[Waiver]:
    try:
        doc, text = tomlfile.decode(data, name)
    except ValueError as exc:
        raise WaiverError(str(exc)) from None
    where = tomlfile.Locator(text)

    def fail(line: int, reason: str) -> WaiverError:
        return WaiverError(f"{name}, ligne {line} : {reason}")

    unknown = set(doc) - {"schema", "derogation"}
    if unknown:
        key = sorted(unknown)[0]
        raise fail(where.line(key), f"clé inconnue « {key} » (attendu : schema, [[derogation]]).")
    if doc.get("schema") != SCHEMA:
        raise fail(where.line("schema"), f"« schema = {SCHEMA} » attendu.")
    entries = doc.get("derogation", [])
    if not isinstance(entries, list):
        raise fail(where.line("derogation"), "les dérogations s'écrivent [[derogation]].")
    return [replace(_waiver(entry, i, where, fail), source=name)
            for i, entry in enumerate(entries)]


def _waiver(entry: Any, index: int, where: tomlfile.Locator, fail: Any) -> Waiver:
    line = where.line("derogation", index)
    if not isinstance(entry, dict):
        raise fail(line, "une dérogation doit être une table [[derogation]].")
    extra = set(entry) - _FIELDS
    if extra:
        field = sorted(extra)[0]
        raise fail(where.line("derogation", index, field),
                   f"champ inconnu « {field} » (attendu : {', '.join(sorted(_FIELDS))}).")
    pattern = entry.get("constat")
    if not isinstance(pattern, str) or not pattern.strip():
        raise fail(line, "« constat » manque : l'identifiant du constat accepté "
                         "(ex. client.2.update_freq_incr).")
    justification = entry.get("justification")
    if not isinstance(justification, str) or len(justification.strip()) < 10:
        raise fail(where.line("derogation", index, "justification"),
                   f"« {pattern} » : une « justification » (10 caractères au moins) est "
                   "obligatoire.")
    author = entry.get("auteur")
    if not isinstance(author, str) or not author.strip():
        raise fail(where.line("derogation", index, "auteur"),
                   f"« {pattern} » : l'« auteur » de la dérogation est obligatoire.")
    expiry = entry.get("expire")
    if not isinstance(expiry, date) or hasattr(expiry, "hour"):
        raise fail(where.line("derogation", index, "expire"),
                   f"« {pattern} » : « expire » doit être une date (ex. expire = 2027-03-31).")
    appliances = entry.get("appliance", [])
    if isinstance(appliances, str):
        appliances = [appliances]
    if not isinstance(appliances, list) or not all(
        isinstance(a, str) and len(a) == 4 and all(c in "0123456789abcdefABCDEF" for c in a)
        for a in appliances
    ):
        raise fail(where.line("derogation", index, "appliance"),
                   f"« {pattern} » : « appliance » doit être un identifiant DATIS (ex. 1A2B) "
                   "ou une liste d'identifiants.")
    return Waiver(pattern.strip(), tuple(a.upper() for a in appliances), justification.strip(),
                  author.strip(), expiry, line)


def apply(audit: Audit, waivers: list[Waiver], *, today: date | None = None) -> Audit:
    """The audit with live waivers applied and a failure for each expired one that matters."""
    today = today or date.today()
    live = [w for w in waivers if w.expiry >= today]
    expired = [w for w in waivers if w.expiry < today]
    findings: list[Finding] = []
    for finding in audit.findings:
        waiver = next((w for w in live if finding.failed and w.applies(finding,
                                                                        audit.identifier)), None)
        findings.append(replace(finding, outcome=Outcome.WAIVED, waiver=waiver.note())
                        if waiver else finding)
    _warn_unmatched(audit, waivers)
    added: list[Finding] = []
    for waiver in expired:
        if not waiver.concerns(audit.identifier):
            continue
        added.append(Finding(
            id=f"derogation.{waiver.pattern}",
            section=EXPIRED.id,
            severity=Severity.MINOR,
            outcome=Outcome.FAILED,
            label=f"Dérogation « {waiver.pattern} »",
            expected="date d'expiration à venir",
            observed=f"expirée le {waiver.expiry:%d/%m/%Y}",
            message=(f"La dérogation « {waiver.pattern} » de {waiver.author} a expiré le "
                     f"{waiver.expiry:%d/%m/%Y} : le constat qu'elle couvrait compte de nouveau."),
            action="Renouveler la dérogation avec une nouvelle date, ou la retirer et corriger "
                   "l'appliance.",
            doc=EXPIRED.doc,
        ))
    sections = (*audit.sections, EXPIRED) if added else audit.sections
    return replace(audit, findings=(*findings, *added), sections=sections)


def _warn_unmatched(audit: Audit, waivers: list[Waiver]) -> None:
    """A waiver of this appliance whose pattern names no finding of the audit, failed or not,
    is a mistake (a typo in its key): said, with its file and line, never silently ignored."""
    ids = [f.id for f in audit.findings]
    for waiver in waivers:
        if not waiver.concerns(audit.identifier) or fnmatch.filter(ids, waiver.pattern):
            continue
        close = difflib.get_close_matches(waiver.pattern, ids, n=1)
        hint = f" (le plus proche : « {close[0]} »)" if close else ""
        log.warning("%s, ligne %d : la dérogation « %s » ne correspond à aucun constat de "
                    "l'audit%s : elle est sans effet.", waiver.source, waiver.line,
                    waiver.pattern, hint)

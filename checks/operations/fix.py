"""Repair to the documented defaults: plan the changes, show them in French, apply, verify.

Writes go through the calls the web interface makes (general_save, mail_save,
clientsettings_save). A secret is never invented: a missing SMTP password must be typed in.
Nothing is written before the technician agreed (--yes or a yes at the prompt) and the
settings of before were saved to a file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from checks.appliance import snapshot
from checks.appliance.client import UrBackupClient
from checks.appliance.model import Use, overrides_of
from checks.appliance.reading import ApplianceReading, read_appliance
from checks.audit import rules
from checks.audit.baseline import Baseline, Rule
from checks.audit.findings import Audit, Finding
from checks.audit.rules import observed_text
from checks.errors import ExitCode, UsageError
from checks.files import atomic, oserrors, terminal
from checks.french.numbers import agree, plural
from checks.french.typography import typeset
from checks.reports.common import DEFAULT_WIDTH, clean, status_text, wrap
from checks.settings import screens, values
from checks.settings.catalogue import Store


@dataclass(frozen=True)
class Change:
    """One setting to bring back to its documented value (or a client back to inheriting)."""

    rule: Rule
    before: str
    after: str
    value: str | None
    clientid: int | None = None
    client: str | None = None

    @property
    def needs_secret(self) -> bool:
        return self.rule.setting.secret

    @property
    def target(self) -> tuple[str, int | None, str]:
        return (self.rule.setting.store.value, self.clientid, self.rule.key)

    @property
    def finding(self) -> str:
        """The id of the audit finding this change corrects."""
        if self.clientid is not None:
            return f"client.{self.clientid}.{self.rule.key}"
        return f"reglage.{self.rule.key}"

    def describe(self) -> str:
        """Our name, then the field as the French screen shows it, then old → new."""
        key = self.rule.key
        where = screens.reach_for_client(key, self.client) if self.client else screens.reach(key)
        return f"{self.rule.setting.label}, {where} : {self.before} → {self.after}"


def plan(reading: ApplianceReading, baseline: Baseline) -> list[Change]:
    changes: list[Change] = []
    for rule in baseline.rules.values():
        raw = reading.value(rule.key)
        if reading.has(rule.key) and rule.check(raw):
            continue
        if rule.setting.secret:
            changes.append(Change(rule, observed_text(rule, raw), "(à saisir)", None))
        else:
            changes.append(Change(rule, observed_text(rule, raw), rule.documented_text(),
                                  values.to_server(rule.setting.kind, rule.documented)))
    fixed_globally = {c.rule.key for c in changes}
    for client, setting in overrides_of(reading.clients, baseline.client_keys()):
        rule = baseline.rules[setting.key]
        if rule.check(setting.effective):
            continue  # an override that follows the rule is no écart: left alone
        group = (rule.documented_text() if rule.key in fixed_globally
                 else observed_text(rule, setting.value_group))
        own = "" if setting.value is None else str(setting.value)
        changes.append(Change(rule, f"{observed_text(rule, setting.effective)} (propre au "
                              "client)", f"valeur du groupe ({group})", own,
                              client.id, client.name))
    return changes


def apply(client: UrBackupClient, changes: list[Change],
          secrets: Mapping[str, str]) -> list[Change]:
    """Write the changes; returns those that could not be written (secrets not given)."""
    general: dict[str, str] = {}
    mail: dict[str, str] = {}
    per_client: dict[int, dict[str, str]] = {}
    skipped = []
    for change in changes:
        if change.needs_secret:
            secret = secrets.get(change.rule.key)
            if not secret:
                skipped.append(change)
                continue
            value = secret
        else:
            assert change.value is not None
            value = change.value
        if change.clientid is not None:
            per_client.setdefault(change.clientid, {})[change.rule.key] = value
        elif change.rule.setting.store is Store.MAIL:
            mail[change.rule.key] = value
        else:
            general[change.rule.key] = value
    if general:
        client.save_general(general)
    if mail:
        client.save_mail(mail)
    for clientid, own in per_client.items():
        client.save_client_settings(clientid, own, {key: Use.INHERIT for key in own})
    return skipped


def beyond_repair(audit: Audit, changes: list[Change]) -> list[Finding]:
    """The écarts no change of the plan corrects: security, backup health, values to check.

    `fix` only writes settings; these need a technician, and each finding says what to do.
    """
    corrected = {change.finding for change in changes}
    return [f for f in audit.failures if f.id not in corrected]


def _say(text: str, width: int, indent: str = "", hanging: str | None = None) -> None:
    """One entry of the plan or of its results, at the terminal's width (between words)."""
    print(typeset("\n".join(wrap(text, width, indent=indent, hanging=hanging))))


def _manual(findings: list[Finding], width: int) -> None:
    _say(f"{plural(len(findings), 'écart').capitalize()} que « datis-audit fix » ne corrige "
         "pas, à traiter à la main :", width)
    for finding in findings:
        _say(f"[{status_text(finding)}] {clean(finding.label)} : {clean(finding.message)}",
             width, "  ", "    ")
        if finding.action:
            _say(f"→ {clean(finding.action, 600)}", width, "    ", "      ")
    print()


def unverified(after: list[Change], applied: list[Change]) -> list[Change]:
    """The applied changes that a fresh reading still shows as needed."""
    remaining = {c.target for c in after}
    return [c for c in applied if c.target in remaining]


def run(client: UrBackupClient, before: ApplianceReading, baseline: Baseline, *,
        yes: bool, backup: str | None, width: int = DEFAULT_WIDTH) -> int:
    """Show the plan and what it leaves, ask (unless `yes`), save, apply, read back.

    1 whenever an écart remains: one the plan leaves to a technician, one not applied.
    `width` is the terminal's: each entry's next lines are indented under it.
    """
    changes = plan(before, baseline)
    manual = beyond_repair(rules.audit(before, baseline), changes)
    who = f"DATIS {before.identifier}" if before.identifier else before.url
    if not changes and not manual:
        _say(f"{who} : rien à corriger, l'appliance est conforme à la documentation.", width)
        return int(ExitCode.COMPLIANT)
    if not changes:
        _say(f"{who} : aucun réglage à ramener aux valeurs documentées.", width)
        print()
        _manual(manual, width)
        return int(ExitCode.NOT_COMPLIANT)
    _say(f"Modifications pour revenir aux valeurs documentées ({who}) :", width)
    for section in baseline.sections.values():
        listed = [c for c in changes if c.rule.section == section.id]
        if listed:
            print()
            _say(section.title, width)
            for change in listed:
                _say(clean(change.describe()), width, "  ", "    ")
    print()
    if manual:
        _manual(manual, width)
    if not yes and not _confirmed(len(changes), width):
        return int(ExitCode.NOT_COMPLIANT)
    secrets = _secrets_for(changes)
    target = backup or (f"datis-{before.identifier or 'appliance'}-avant-correction-"
                        f"{before.taken_at:%Y%m%d-%H%M%S}.json")
    try:
        atomic.write_text(target, snapshot.dumps(before))
    except OSError as exc:
        raise UsageError(f"Impossible d'écrire {target} ({oserrors.reason(exc)}).") from None
    _say(f"Réglages d'avant correction enregistrés : {target}", width)
    skipped = apply(client, changes, secrets)
    applied = [c for c in changes if c not in skipped]
    failed = unverified(plan(read_appliance(client, identifier=before.identifier), baseline),
                        applied)
    done = len(applied) - len(failed)
    _say(f"{plural(done, 'modification', feminine=True).capitalize()} "
         f"{agree(done, 'appliquée et vérifiée', 'appliquées et vérifiées')}.", width)
    for change in skipped:
        _say(f"Non appliqué : {change.rule.setting.label} — secret à saisir, jamais inventé.",
             width, hanging="  ")
    for change in failed:
        _say(f"Vérification en échec : {clean(change.describe())}", width, hanging="  ")
    if manual:
        _say(f"Reste {plural(len(manual), 'écart')} à traiter à la main (voir plus haut).",
             width)
    remains = skipped or failed or manual
    return int(ExitCode.NOT_COMPLIANT if remains else ExitCode.COMPLIANT)


def _confirmed(count: int, width: int) -> bool:
    """Only a technician at a terminal can say yes; a script gets a dry run."""
    if not sys.stdin.isatty():
        _say("Simulation : rien n'a été modifié. Relancez avec --yes pour appliquer.", width)
        return False
    which = "cette modification" if count == 1 else f"ces {count} modifications"
    answer = terminal.ask(typeset(f"Appliquer {which} ? [o/N] "))
    if answer is None or answer.strip().lower() not in ("o", "oui", "y", "yes"):
        print("Rien n'a été modifié.")
        return False
    return True


def _secrets_for(changes: list[Change]) -> dict[str, str]:
    """Secrets the plan needs: from DATIS_MAIL_PASSWORD or typed in, never made up."""
    secrets: dict[str, str] = {}
    for change in changes:
        if not change.needs_secret:
            continue
        key = change.rule.key
        given = os.environ.get("DATIS_MAIL_PASSWORD") if key == "mail_password" else None
        if not given and sys.stdin.isatty():
            given = terminal.ask_secret(typeset(f"{change.rule.setting.label} ({key}) : "))
        if given:
            secrets[key] = given
    return secrets


def send_test_mail(client: UrBackupClient, address: str) -> int:
    """Ask the appliance to send a test mail; 1 when the server reports a failure."""
    answer = client.send_test_mail(address)
    result = str(answer.get("mail_test", ""))
    if result == "ok":
        print(typeset(f"Mail de test envoyé à {address} : le serveur a répondu « ok »."))
        return int(ExitCode.COMPLIANT)
    print(typeset(f"Échec du mail de test : le serveur a répondu « {clean(result) or '?'} »."))
    return int(ExitCode.NOT_COMPLIANT)

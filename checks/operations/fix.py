"""Repair to the documented defaults: plan the changes, show them in French, apply, verify.

Writes go through the calls the web interface makes (general_save, mail_save,
clientsettings_save). A secret is never invented: a missing SMTP password must be typed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from checks.appliance.client import UrBackupClient, Use
from checks.appliance.reading import ApplianceReading, Redacted
from checks.audit import values
from checks.audit.baseline import Baseline, Rule
from checks.audit.catalogue import Store
from checks.audit.rules import observed_text


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

    def describe(self) -> str:
        who = f"[{self.client}] " if self.client else ""
        return f"{who}{self.rule.setting.label} : {self.before} → {self.after}"


def plan(reading: ApplianceReading, baseline: Baseline) -> list[Change]:
    changes: list[Change] = []
    for rule in baseline.rules.values():
        raw = reading.value(rule.key)
        probe = ("x" if raw.is_set else "") if isinstance(raw, Redacted) else raw
        if reading.has(rule.key) and rule.check(probe):
            continue
        if rule.setting.secret:
            changes.append(Change(rule, observed_text(rule, raw), "(à saisir)", None))
        else:
            changes.append(Change(rule, observed_text(rule, raw), rule.documented_text(),
                                  values.to_server(rule.setting.kind, rule.documented)))
    fixed_globally = {c.rule.key for c in changes}
    for client in reading.clients:
        if client.settings is None:
            continue
        for rule in baseline.rules.values():
            setting = client.settings.settings.get(rule.key)
            if rule.setting.store is not Store.CLIENT or setting is None or \
                    not setting.overridden:
                continue
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


def unverified(after: list[Change], applied: list[Change]) -> list[Change]:
    """The applied changes that a fresh reading still shows as needed."""
    remaining = {c.target for c in after}
    return [c for c in applied if c.target in remaining]

"""The values a build shows: read once per build, in the main process, before any page.

Live mode reads the appliance through `checks` (the only package that speaks HTTP) and keeps
a redacted copy only: the reading goes through the snapshot format, which replaces every
secret by whether it is set, so no secret reaches a page, the pickled environment or a log.
When the appliance cannot be read the build falls back to the snapshot, with one warning.
Parallel readers are forked after the read and inherit the values.

Per-client overrides are compared only with `datis_client_overrides` (DATIS_CLIENT_OVERRIDES=1):
each client's own settings cost one request per client, and the pages show the global values
(a hundred workstations, a hundred requests for every build); `datis-audit` always judges
them. When asked, they are read only if a page shows a per-client value (needs.py), and
handled as the audit handles them (the same `overrides_of`): a
client whose own value of a documented setting breaks its rule makes that setting an écart
wherever a page shows its live value, named in its own `urbackup.drift` warning, because
that client is not backed up as the page says; a client whose own value keeps to the rule is
shown, with no warning (the audit's « information »).
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from checks.appliance import identity, snapshot
from checks.appliance.identity import IdentityError
from checks.appliance.model import overrides_of
from checks.appliance.reading import ApplianceReading
from checks.audit import baseline, undocumented
from checks.audit import run as auditing
from checks.audit.baseline import Baseline, Rule
from checks.errors import DatisError
from checks.french import dates
from checks.french.numbers import count
from checks.reports.common import clean
from checks.settings import catalogue, values
from sphinxext import needs
from sphinxext.warnings import warn

MAX_AGE = timedelta(days=30)
HIDDEN = "valeur masquée"
NOT_READ = "(non lu)"

_IDENTIFIER = re.compile(r"^[0-9A-Fa-f]{4}$")


@dataclass(frozen=True)
class Override:
    """A client's own value of a documented setting, in place of the global one."""

    client: str
    value: Any
    pushed: bool
    """Imposed from the client's agent rather than set for the client in the interface."""


@dataclass(frozen=True)
class Values:
    """Everything pages show: the baseline, and the live values when some were read."""

    baseline: Baseline | None
    live: Mapping[str, Any] | None
    origin: str
    domain: str
    compliance_page: Path | None
    overrides: Mapping[str, tuple[Override, ...]] = field(default_factory=dict)
    """Per documented key, the clients that override it, in client order."""


@dataclass(frozen=True)
class ClientShown:
    """A client's own value of a setting, as a page shows it."""

    client: str
    live: str
    status: str
    pushed: bool

    @property
    def origin(self) -> str:
        return ("imposé depuis l'agent du poste" if self.pushed
                else "défini pour ce client dans l'interface")


@dataclass(frozen=True)
class Shown:
    """One setting as a page shows it; `fingerprint` tells when a page must be read again."""

    key: str
    label: str
    rule: Rule | None
    documented: str
    live: str
    status: str
    """The global value's state."""
    clients: tuple[ClientShown, ...] = ()

    @property
    def overall(self) -> str:
        """The setting's state on the appliance: an écart if a client's own value is one."""
        return "écart" if self.drift else self.status

    @property
    def drift(self) -> bool:
        return self.status == "écart" or any(c.status == "écart" for c in self.clients)

    @property
    def fingerprint(self) -> str:
        clients = "".join(f"\x1e{c.client}\x1f{c.live}\x1f{c.status}\x1f{c.pushed}"
                          for c in self.clients)
        return f"{self.documented}\x1f{self.live}\x1f{self.status}{clients}"


def show(current: Values, key: str) -> Shown:
    spec = catalogue.setting(key)
    rule = current.baseline.rules.get(key) if current.baseline else None
    secret = catalogue.is_secret(key)
    if secret:
        documented = HIDDEN
    elif rule is not None:
        documented = rule.documented_text()
    else:
        documented = "(non documenté)" if current.baseline else "(référentiel invalide)"
    status = "non vérifié"
    if current.live is None:
        live = NOT_READ
    else:
        raw = current.live.get(key)
        if secret:
            live = HIDDEN
        elif key not in current.live:
            live = "(absent)"
        else:
            live = _display(key, raw)
        if rule is not None:
            status = "conforme" if rule.check(raw) else "écart"
    clients = tuple(
        ClientShown(o.client, HIDDEN if secret else _display(key, o.value),
                    "conforme" if rule.check(o.value) else "écart", o.pushed)
        for o in current.overrides.get(key, ()) if rule is not None
    )
    return Shown(key, spec.label if spec else key, rule, documented, live, status, clients)


def _display(key: str, raw: Any) -> str:
    spec = catalogue.setting(key)
    return values.display_raw(spec.kind, raw) if spec else str(raw)


def undocumented_rows(current: Values, tab: str) -> list[undocumented.Row]:
    """A tab's settings the build's baseline does not document, with the build's values."""
    documented = current.baseline.rules if current.baseline else {}
    return undocumented.rows(tab, documented, current.live)


def url_text(identifier: str, domain: str) -> str | None:
    """The management URL of an identifier, None when the identifier is malformed."""
    try:
        return identity.management_url(identifier, domain)
    except IdentityError:
        return None


def fingerprint(current: Values, item: str) -> str:
    """What a page showed for one item: `reglage:KEY`, `section:ID`, `url:ID`, ..."""
    kind, _, name = item.partition(":")
    if kind == "reglage":
        return show(current, name).fingerprint
    if kind == "section":
        rules = current.baseline.rules_of(name) if current.baseline else []
        return ",".join(r.key for r in rules) or "-"
    if kind == "url":
        return url_text(name, current.domain) or "-"
    if kind == "domaine":
        return current.domain
    if kind == "origine":
        return current.origin
    if kind == "conformite":
        return str(current.compliance_page or "")
    if kind == "non_documentes":
        return "\x1e".join(f"{r.key}\x1f{r.value}" for r in undocumented_rows(current, name))
    return "-"


class Source:
    """The values of one build, loaded on first use (in the main process, see domain.py)."""

    def __init__(self, config: Config, confdir: Path, env: BuildEnvironment) -> None:
        self.config = config
        self.confdir = confdir
        self._env = weakref.ref(env)  # the sources are keyed by env: never keep it alive
        self._values: Values | None = None

    def values(self) -> Values:
        if self._values is None:
            self._values = self._load()
        return self._values

    def path(self, value: str) -> Path | None:
        return self.confdir / value if value.strip() else None

    def _load(self) -> Values:
        config = self.config
        rules = self._baseline()
        reading, origin = None, "valeurs documentées seulement"
        mode = config.datis_mode
        if mode == "live":
            reading = self._live(rules)
            if reading is not None:
                origin = f"appliance {reading.url}, lue pendant cette construction"
        if reading is None and mode in ("live", "snapshot"):
            reading = self._snapshot(fallback=mode == "live")
            if reading is not None:
                origin = f"instantané du {dates.day(reading.taken_at)} ({reading.url})"
        live = None
        overrides: dict[str, tuple[Override, ...]] = {}
        if reading is not None:
            live = {key: reading.value(key) for key in catalogue.SETTINGS if reading.has(key)}
            compared = rules.client_keys() if rules and config.datis_client_overrides else ()
            for client, setting in overrides_of(reading.clients, compared):
                overrides[setting.key] = (*overrides.get(setting.key, ()), Override(
                    clean(client.name, 80), setting.effective, setting.pushed_by_client))
        return Values(rules, live, origin, config.datis_domain,
                      self.path(config.datis_compliance_page), overrides)

    def _baseline(self) -> Baseline | None:
        try:
            return baseline.load(self.path(self.config.datis_baseline))
        except DatisError as exc:
            warn(f"Référentiel inutilisable, valeurs documentées non affichées : {exc}",
                 "baseline")
            return None

    def _appliance(self) -> identity.Appliance:
        target = self.config.datis_appliance.strip()
        domain = self.config.datis_domain
        if _IDENTIFIER.match(target):
            return identity.resolve(datis=target, domain=domain)
        return identity.resolve(url=target, domain=domain)

    def _live(self, rules: Baseline | None) -> ApplianceReading | None:
        """The appliance read now, each client's own settings only if a page shows one of
        them (needs.py): on a large fleet they are most of the requests."""
        config = self.config
        try:
            appliance = self._appliance()
        except IdentityError as exc:
            warn(f"datis_appliance : {exc} Repli sur l'instantané.", "identifier")
            return None
        verify: bool | str = True
        bundle = self.path(config.datis_ca_bundle)
        if bundle is not None:
            verify = str(bundle)
        password = os.environ.get(config.datis_password_env) or None
        timeout = float(config.datis_timeout)
        hint = (f"donnez-le par la variable d'environnement {config.datis_password_env} "
                "(réglage datis_password_env).")
        connection = auditing.Connection(config.datis_user, password, read_timeout=timeout,
                                         connect_timeout=min(timeout, 5.0), verify=verify,
                                         password_hint=hint,
                                         purpose="la construction de la documentation")
        try:
            if bundle is not None and not bundle.is_file():
                raise DatisError(f"autorité de certification introuvable : {bundle}.")
            env = self._env()
            clients = config.datis_client_overrides and (
                env is None or needs.shows_clients(env, rules))
            reading = auditing.read(appliance, connection, client_settings=clients)
        except DatisError as exc:
            warn(f"Appliance {appliance.url} injoignable ou illisible : {exc} "
                 "Les valeurs réelles viennent de l'instantané, s'il y en a un.", "unreachable")
            return None
        return snapshot.redacted(reading)

    def _snapshot(self, *, fallback: bool) -> ApplianceReading | None:
        path = self.path(self.config.datis_snapshot)
        if path is None:
            why = "l'appliance n'a pas pu être lue et " if fallback else ""
            warn(f"Aucun instantané : {why}datis_snapshot (variable DATIS_SNAPSHOT) n'est pas "
                 "renseigné. Seules les valeurs documentées sont affichées.", "no_snapshot")
            return None
        try:
            reading = snapshot.load(path)
        except DatisError as exc:
            warn(f"{exc} Seules les valeurs documentées sont affichées.", "no_snapshot")
            return None
        self._check_fresh(reading, path)
        return reading

    def _check_fresh(self, reading: ApplianceReading, path: Path) -> None:
        age = datetime.now(UTC) - reading.taken_at.astimezone(UTC)
        if age > MAX_AGE:
            warn(f"Instantané {path.name} ancien : pris le "
                 f"{dates.day(reading.taken_at)}, il y a {count(age.days, 'jour')} (plus de "
                 f"{MAX_AGE.days}). Reprenez-le avec « datis-audit snapshot ».", "stale_snapshot")
        if not self.config.datis_appliance.strip():
            return
        try:
            wanted = self._appliance()
        except IdentityError:
            return
        same = (wanted.identifier == reading.identifier if wanted.identifier
                and reading.identifier else wanted.url.rstrip("/") == reading.url.rstrip("/"))
        if not same:
            warn(f"Instantané {path.name} pris sur une autre appliance ({reading.url}) que "
                 f"celle configurée ({wanted.url}).", "stale_snapshot")


_SOURCES: weakref.WeakKeyDictionary[BuildEnvironment, Source] = weakref.WeakKeyDictionary()


def attach(env: BuildEnvironment, config: Config, confdir: Path) -> None:
    _SOURCES[env] = Source(config, confdir, env)


def values_of(env: BuildEnvironment) -> Values:
    return _SOURCES[env].values()


def loaded_values(env: BuildEnvironment) -> Values | None:
    """The values if a page of this build needed them, else None (nothing was read)."""
    return _SOURCES[env]._values

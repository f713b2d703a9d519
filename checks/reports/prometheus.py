"""Prometheus metrics of one audit, written by the official client library.

The same metrics, with the same names and meanings, go to node_exporter's text-file collector
(`--format prometheus`) and to the answer of the exporter's `/probe` (checks/operations/
exporter.py): both call `exposition`. docs/supervision.rst documents each one, once.
Label values are cleaned (control characters, length) before the library escapes them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from prometheus_client import generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry

from checks.appliance.transport import strip_credentials
from checks.audit.findings import Audit, Severity
from checks.reports.common import clean

LABELS = ("appliance", "url")
"""Every audit metric's labels: the DATIS identifier (for an appliance named by its address,
that address's host and port: never empty) and the appliance's address, so that many
appliances' files never collide."""

BACKUP_KINDS = ("fichiers", "image")
BACKUP_STATES = ("jamais", "retard", "signalee", "a_jour")
"""The backup states the health rules give each client (checks/audit/health.py categories
`sante.<kind>.<state>`), counted per kind."""


class Reason:
    """Why an audit could not be made: the `raison` label of datis_audit_failure."""

    UNREACHABLE = "injoignable"
    PASSWORD = "mot_de_passe_refuse"
    BANNED = "adresse_bannie"
    RIGHTS = "droits_insuffisants"
    TLS = "tls"
    ANSWER = "reponse_inattendue"
    TIMEOUT = "delai_depasse"
    INTERNAL = "erreur_interne"
    OTHER = "autre"


def reason_of(error: BaseException) -> str:
    """The `raison` of a failed audit, by the error's type (never by its message)."""
    from checks import errors

    kinds: tuple[tuple[type[BaseException], str], ...] = (
        (errors.WrongPassword, Reason.PASSWORD), (errors.UnknownUser, Reason.PASSWORD),
        (errors.AddressBanned, Reason.BANNED), (errors.AccessDenied, Reason.RIGHTS),
        (errors.TlsFailure, Reason.TLS), (errors.RequestTimeout, Reason.TIMEOUT),
        (errors.HttpStatusError, Reason.ANSWER), (errors.RedirectRefused, Reason.ANSWER),
        (errors.TransportError, Reason.UNREACHABLE), (errors.ProtocolError, Reason.ANSWER),
        (errors.InternalError, Reason.INTERNAL), (errors.DatisError, Reason.OTHER),
    )
    return next((reason for kind, reason in kinds if isinstance(error, kind)), Reason.INTERNAL)


def appliance_label(identifier: str | None, url: str) -> str:
    """The `appliance` label: the DATIS identifier, else the host (and port) of the address,
    so that a panel or an alert grouped by appliance never shows an empty name."""
    if identifier:
        return identifier
    parts = urlsplit(strip_credentials(url))
    return parts.netloc or url


def _values(identifier: str | None, url: str) -> list[str]:
    return [clean(appliance_label(identifier, url), 200), clean(url, 200)]


def _gauge(name: str, text: str, base: list[str], value: float,
           extra: Sequence[tuple[str, str]] = ()) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, text, labels=[*LABELS, *(k for k, _ in extra)])
    family.add_metric([*base, *(v for _, v in extra)], value)
    return family


def _up(base: list[str], up: bool) -> GaugeMetricFamily:
    return _gauge("datis_audit_up", "1 si l'audit a pu être mené, 0 s'il a échoué.", base,
                  int(up))


def _timestamp(base: list[str], seconds: float) -> GaugeMetricFamily:
    return _gauge("datis_audit_timestamp_seconds", "Date de l'audit (secondes Unix).", base,
                  int(seconds))


def audit_metrics(audit: Audit, *, seconds: float | None = None) -> list[Metric]:
    """The metrics of an audit made; `seconds`, the time it took, when it was measured."""
    base = _values(audit.identifier, audit.url)
    gaps = GaugeMetricFamily("datis_audit_gaps", "Écarts constatés, par gravité.",
                             labels=[*LABELS, "gravite"])
    for severity in (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR):
        gaps.add_metric([*base, severity.value], audit.count(severity))
    sections = GaugeMetricFamily("datis_audit_section_gaps",
                                 "Écarts constatés, par section du référentiel.",
                                 labels=[*LABELS, "section"])
    for section in audit.sections:
        sections.add_metric([*base, section.id],
                            sum(1 for f in audit.failures if f.section == section.id))
    backups = GaugeMetricFamily(
        "datis_audit_backup_clients",
        "Postes par état de leur dernière sauvegarde (jamais, retard, signalee, a_jour).",
        labels=[*LABELS, "type", "etat"])
    states = [f.category.id for f in audit.findings if f.category is not None]
    for kind in BACKUP_KINDS:
        for state in BACKUP_STATES:
            backups.add_metric([*base, kind, state], states.count(f"sante.{kind}.{state}"))
    oldest = GaugeMetricFamily(
        "datis_audit_oldest_backup_timestamp_seconds",
        "Date (secondes Unix) de la plus ancienne des dernières sauvegardes des postes, par "
        "type ; absente si aucun poste n'a de sauvegarde de ce type.",
        labels=[*LABELS, "type"])
    for kind, at in _oldest_backups(audit).items():
        oldest.add_metric([*base, kind], int(at))
    server = InfoMetricFamily("datis_audit_server", "Version du serveur UrBackup de "
                              "l'appliance.", labels=list(LABELS))
    server.add_metric(base, {"version": clean(audit.server_version or "inconnue", 40)})
    metrics: list[Metric] = [
        _up(base, True),
        _gauge("datis_audit_compliant", "1 si l'appliance est conforme au référentiel.", base,
               int(audit.compliant)),
        gaps,
        sections,
        _gauge("datis_audit_waived", "Écarts acceptés par dérogation.", base,
               len(audit.waived)),
        _gauge("datis_audit_checks", "Contrôles effectués.", base, len(audit.findings)),
        backups,
        oldest,
        server,
        _timestamp(base, audit.date.timestamp()),
    ]
    if seconds is not None:
        metrics.append(_gauge("datis_audit_duration_seconds", "Durée de l'audit (secondes).",
                              base, round(seconds, 3)))
    return metrics


def _oldest_backups(audit: Audit) -> dict[str, float]:
    """Per kind, the date of the last backup of the client backed up longest ago.

    Only dated backups count (Finding.backup_time): a client never backed up is counted by
    datis_audit_backup_clients{etat="jamais"}, and one that cannot make an image has none.
    """
    oldest: dict[str, float] = {}
    for finding in audit.findings:
        if finding.backup_time is None or finding.category is None:
            continue
        kind = finding.category.id.split(".")[1]
        oldest[kind] = min(oldest.get(kind, finding.backup_time), finding.backup_time)
    return {kind: oldest[kind] for kind in BACKUP_KINDS if kind in oldest}


def down_metrics(identifier: str | None, url: str, reason: str | None = None, *,
                 at: float | None = None, seconds: float | None = None) -> list[Metric]:
    """The metrics of an audit that could not be made: `datis_audit_up 0`, why, and when.

    Written in place of the last good ones, so that an alert fires rather than old numbers
    staying up as if the appliance were still compliant.
    """
    base = _values(identifier, url)
    metrics: list[Metric] = [_up(base, False)]
    if reason is not None:
        metrics.append(_gauge("datis_audit_failure", "1 pour la raison de l'échec de l'audit.",
                              base, 1, [("raison", reason)]))
    metrics.append(_timestamp(base, time.time() if at is None else at))
    if seconds is not None:
        metrics.append(_gauge("datis_audit_duration_seconds", "Durée de l'audit (secondes).",
                              base, round(seconds, 3)))
    return metrics


class _Fixed(Collector):
    def __init__(self, metrics: Iterable[Metric]) -> None:
        self.metrics = list(metrics)

    def collect(self) -> Iterable[Metric]:
        return self.metrics


def exposition(metrics: Iterable[Metric]) -> str:
    """The text exposition format (0.0.4), as the library writes it."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Fixed(metrics))
    return generate_latest(registry).decode("utf-8")


def metrics_down(identifier: str, url: str, reason: str | None = None) -> str:
    """The text-file metrics of a failed audit (see down_metrics)."""
    return exposition(down_metrics(identifier, url, reason))


class PrometheusWriter:
    """Metrics for node_exporter's text-file collector (write with --output: atomic)."""

    def render(self, audit: Audit) -> str:
        return exposition(audit_metrics(audit))

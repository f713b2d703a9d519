"""A real Prometheus, started from the shipped files, scrapes the exporter and fires the
shipped alerts for exactly the appliances that deserve them.

The shipped files are copied to a temporary folder and changed only where a test must: the
exporters' addresses, intervals of one second instead of minutes, and every `for:` set to 0s
(tests/exporter/running.adapted). promtool's unit tests (test_contrib.py) cover the delays.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from checks.emulator import Emulator
from tests.conftest import PASSWORD
from tests.exporter.running import (
    CONTRIB,
    DAY,
    HOUR,
    adapted,
    dashboard_queries,
    exporter,
    loaded_at,
    prometheus,
    until,
    write_fleet,
)

UNREACHABLE = "http://127.0.0.1:1"
NOT_IN_INVENTORY = "9Z9Z"


def _copy_shipped(folder: Path, config: str, exporters: list[str]) -> None:
    for name in (config, "datis-alertes.yml"):
        text = (CONTRIB / name).read_text("utf-8")
        (folder / name).write_text(adapted(text, exporters), "utf-8")


def test_prometheus_scrapes_the_fleet_and_fires_the_right_alerts(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    compliant = start_emulator("datis-conforme")
    drifted = start_emulator("datis-derive")
    late = start_emulator("sauvegardes-en-retard")
    refusing = start_emulator("datis-conforme", admin_password="pas-celui-du-fichier")
    appliances = [compliant.url, drifted.url, late.url, refusing.url, UNREACHABLE]
    inventory, passwords = write_fleet(tmp_path, dict.fromkeys(appliances, PASSWORD))
    with exporter(inventory, passwords, "--min-interval", "0") as running:
        _copy_shipped(tmp_path, "prometheus.yml", [running.address])
        with prometheus("prometheus.yml", tmp_path, [*appliances, NOT_IN_INVENTORY]) as server:
            expected = {
                ("DatisApplianceNonConforme", drifted.url),
                ("DatisApplianceNonConforme", late.url),
                ("DatisEcartCritique", late.url),
                ("DatisSauvegardeEnRetard", late.url),
                ("DatisMotDePasseRefuse", refusing.url),
                ("DatisApplianceInjoignable", UNREACHABLE),
                ("DatisSondeEnEchec", NOT_IN_INVENTORY),
            }
            until("alertes attendues", lambda: True if server.firing() >= expected else None)
            until("trois sondes de l'appliance qui refuse le mot de passe", lambda: True if
                  running.counter("datis_exporter_probes_total",
                                  resultat="connexion_suspendue") >= 2 else None)
            targets = server.api("targets")["activeTargets"]
            up = server.query("datis_audit_up")
            compliant_now = server.query("datis_audit_compliant")
            critical = server.query('datis_audit_gaps{gravite="critique"}')
            late_backups = server.query('datis_audit_backup_clients{type="fichiers",'
                                        'etat="retard"}')
            oldest_images = server.query(
                'datis_audit_oldest_backup_timestamp_seconds{type="image"}')
            reasons = server.query("datis_audit_failure")
            version = server.query("datis_audit_server_info")
            probes = server.query('up{job="datis"}')
            until("le débit de l'exportateur (deux collectes au moins)", lambda: True if
                  server.query("rate(datis_exporter_probes_total[5m])") else None)
            dashboard = {expr: server.api("query", query=expr) for expr in dashboard_queries()}
            firing = server.firing()
    assert firing == expected
    assert {(t["labels"]["job"], t["labels"]["instance"]) for t in targets} == {
        *(("datis", a) for a in [*appliances, NOT_IN_INVENTORY]),
        ("datis-exportateur", running.address)}
    assert up == {compliant.url: 1, drifted.url: 1, late.url: 1, refusing.url: 0,
                  UNREACHABLE: 0}
    assert compliant_now == {compliant.url: 1, drifted.url: 0, late.url: 0}
    assert critical == {compliant.url: 0, drifted.url: 0, late.url: 1}
    assert late_backups == {compliant.url: 0, drifted.url: 0, late.url: 2}
    assert oldest_images == {compliant.url: loaded_at(compliant, 1, 2 * HOUR) - 4 * DAY,
                             drifted.url: loaded_at(drifted, 1, 4 * HOUR) - 6 * DAY,
                             late.url: loaded_at(late, 1, 2 * HOUR) - 40 * DAY}
    assert reasons == {refusing.url: 1, UNREACHABLE: 1}
    assert version == dict.fromkeys([compliant.url, drifted.url, late.url], 1)
    assert probes == {**dict.fromkeys(appliances, 1), NOT_IN_INVENTORY: 0}
    # Every query of the Grafana dashboard runs, and finds series.
    assert [expr for expr, answer in dashboard.items() if answer["resultType"] != "vector"
            or not answer["result"]] == []
    # Scraped every second (three times at least, --min-interval 0), the refusing appliance
    # was logged into once: every later probe was answered from the pause.
    assert len(refusing.state.failures["127.0.0.1"]) == 1


def shard(target: str, modulus: int = 2) -> int:
    """Prometheus's hashmod: the MD5 of the value, its last 8 bytes as a big-endian integer."""
    return int.from_bytes(hashlib.md5(target.encode()).digest()[8:], "big") % modulus


def test_two_exporters_share_the_targets_by_hashmod(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    # Two appliances in each share: the share of an address depends on its random port, so
    # emulators are started until each share has two (at most 30: 2^-28 to fail).
    shares: dict[int, list[str]] = {0: [], 1: []}
    for _ in range(30):
        url = start_emulator("datis-conforme").url
        if len(shares[shard(url)]) < 2:
            shares[shard(url)].append(url)
        if all(len(urls) == 2 for urls in shares.values()):
            break
    appliances = shares[0] + shares[1]
    assert len(appliances) == 4, "les deux parts doivent servir"
    inventory, passwords = write_fleet(tmp_path, dict.fromkeys(appliances, PASSWORD))
    with exporter(inventory, passwords) as first, exporter(inventory, passwords) as second:
        addresses = [first.address, second.address]
        _copy_shipped(tmp_path, "prometheus-deux-exportateurs.yml", addresses)
        with prometheus("prometheus-deux-exportateurs.yml", tmp_path, appliances) as server:
            until("toutes les appliances auditées", lambda: True if server.query(
                "datis_audit_up == 1").keys() == set(appliances) else None)
            targets = server.api("targets")["activeTargets"]
        audited = [first.counter("datis_exporter_probes_total", resultat="audit"),
                   second.counter("datis_exporter_probes_total", resultat="audit")]
    sent = {t["labels"]["instance"]: t["scrapeUrl"].split("/")[2] for t in targets
            if t["labels"]["job"] == "datis"}
    assert sent == {a: addresses[shard(a)] for a in appliances}
    # Each exporter audited its own share, once per appliance (--min-interval 60 s: cache).
    assert audited == [sum(1 for a in appliances if shard(a) == 0),
                       sum(1 for a in appliances if shard(a) == 1)]


def test_the_adaptation_changes_addresses_intervals_and_delays_only() -> None:
    for name in ("prometheus.yml", "prometheus-deux-exportateurs.yml", "datis-alertes.yml"):
        shipped = (CONTRIB / name).read_text("utf-8")
        pairs = zip(shipped.splitlines(), adapted(shipped, ["127.0.0.1:1", "127.0.0.1:2"])
                    .splitlines(), strict=True)
        keys = {before.split(":", 1)[0].strip(" -") for before, after in pairs if before != after}
        assert keys <= {"scrape_interval", "evaluation_interval", "scrape_timeout", "for",
                        "replacement", "targets"}, (name, keys)

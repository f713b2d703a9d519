"""The Grafana dashboard (contrib/grafana/) queries only what the exporter exposes: every
metric name, and every label its selectors name on that metric. (A real Prometheus runs each
of its queries in test_prometheus.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from checks.emulator import Emulator
from tests.conftest import PASSWORD
from tests.exporter.running import dashboard_queries, exporter, get, write_fleet

UNREACHABLE = "http://127.0.0.1:1"
PROMQL_WORDS = {"count", "sum", "by", "or", "vector", "time", "rate", "histogram_quantile",
                "le"}


def exposed(text: str) -> dict[str, set[str]]:
    """Each sample name of an exposition, with its label names."""
    names: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, rest = line.partition("{")
            labels = set(re.findall(r'(\w+)="', rest)) if rest else set()
            names.setdefault(name.split(" ")[0], set()).update(labels)
    return names


def test_every_metric_the_dashboard_queries_is_exposed(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    compliant = start_emulator("datis-conforme")
    inventory, passwords = write_fleet(tmp_path, {compliant.url: PASSWORD,
                                                  UNREACHABLE: PASSWORD})
    with exporter(inventory, passwords) as running:
        texts = [running.probe(compliant.url).body, running.probe(UNREACHABLE).body,
                 get(f"{running.url}metrics").body]
    names: dict[str, set[str]] = {}
    for text in texts:
        for name, labels in exposed(text).items():
            names.setdefault(name, set()).update(labels)
    asked = dashboard_queries()
    assert len(asked) == 11
    used = {word for expr in asked for word in re.findall(r"\b[a-z_]+\b(?![\"(])",
                                                          re.sub(r'"[^"]*"', "", expr))}
    metrics = {w for w in used if w.startswith("datis_")}
    assert metrics - names.keys() == set()
    assert used - metrics - PROMQL_WORDS <= {"instance", "gravite", "type", "etat",
                                             "resultat"}
    for expr in asked:
        for metric, selector in re.findall(r"(datis_\w+)\{([^}]*)\}", expr):
            wanted = set(re.findall(r"(\w+)\s*=~?", selector))
            assert wanted <= names[metric], (expr, wanted - names[metric])

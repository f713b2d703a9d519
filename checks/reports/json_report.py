"""The JSON report, versioned (`schema`), described by checks/data/audit-report.schema.json."""

from __future__ import annotations

import json
from typing import Any

from checks import __version__
from checks.audit.findings import Audit, Group, Severity, grouped
from checks.reports.common import SEVERITY_TEXT

SCHEMA = "datis-audit/1"


def to_json(audit: Audit) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "outil": {"nom": "datis-audit", "version": __version__},
        "appliance": {
            "identifiant": audit.identifier,
            "url": audit.url,
            "identite_serveur": audit.server_identity,
            "version_serveur": audit.server_version,
        },
        "date": audit.date.isoformat(),
        "referentiel": {"chemin": audit.baseline_path, "sha256": audit.baseline_digest},
        "verdict": audit.verdict,
        "derogations": len(audit.waived),
        "conforme": audit.compliant,
        "ecarts": {SEVERITY_TEXT[s]: audit.count(s)
                   for s in (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR)},
        "sections": [{"id": s.id, "titre": s.title, "doc": s.doc} for s in audit.sections],
        "constats": [
            {
                "id": f.id,
                "section": f.section,
                "gravite": f.severity.value,
                "resultat": f.outcome.value,
                "libelle": f.label,
                "attendu": f.expected,
                "observe": f.observed,
                "message": f.message,
                "action": f.action,
                "doc": audit.doc_link(f),
                "cle": f.key,
                "client": f.client,
                "derogation": None if f.waiver is None else {
                    "justification": f.waiver.justification,
                    "auteur": f.waiver.author,
                    "expire": f.waiver.expiry.isoformat(),
                },
            }
            for f in audit.findings
        ],
        "groupes": [
            {
                "id": g.category.id,
                "titre": g.title,
                "section": g.first.section,
                "gravite": g.first.severity.value,
                "resultat": g.first.outcome.value,
                "nombre": len(g.findings),
                "action": g.action,
                "clients": g.clients,
                "constats": [f.id for f in g.findings],
            }
            for g in grouped(list(audit.findings)) if isinstance(g, Group)
        ],
    }


class JsonWriter:
    def render(self, audit: Audit) -> str:
        return json.dumps(to_json(audit), ensure_ascii=False, indent=2) + "\n"

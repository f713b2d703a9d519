"""The standalone HTML compliance page: printable, French, everything escaped by Jinja2.

Findings of one kind over many clients are one row, as in the terminal, their machines listed
in full in a fold of that row: a page for 100 workstations stays a page a customer reads.
"""

from __future__ import annotations

from checks import __version__
from checks.audit.findings import Audit, Group, Outcome, grouped
from checks.reports.common import (
    ACTION_LIMIT,
    french_date,
    group_action,
    shared,
    status_text,
    summary,
    title,
    waiver_text,
)
from checks.reports.jinja import templates


class HtmlWriter:
    def render(self, audit: Audit) -> str:
        sections = [
            {"info": section, "findings": audit.in_section(section.id),
             "rows": grouped(audit.in_section(section.id)),
             "failures": [f for f in audit.in_section(section.id) if f.failed],
             "waived": [f for f in audit.in_section(section.id) if f.waiver is not None]}
            for section in audit.sections if audit.in_section(section.id)
        ]
        template = templates().get_template("compliance.html.j2")
        return template.render(
            audit=audit, title=title(audit), summary=summary(audit), sections=sections,
            date=french_date(audit.date), status_text=status_text, waiver_text=waiver_text,
            version=__version__, action_limit=ACTION_LIMIT, is_group=_is_group, shared=shared,
            group_action=group_action, Outcome=Outcome,
        )


def _is_group(row: object) -> bool:
    return isinstance(row, Group)

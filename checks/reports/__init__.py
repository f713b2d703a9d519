"""Report writers: one audit, laid out in each format behind one small interface.

A writer only lays out findings (checks.findings.Audit); it never decides anything. Every
writer treats the text it is given as hostile: client names and values are escaped for its
format (HTML, reST, XML) and stripped of control characters.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the CLI reads Format to build its parser, before any audit exists
    from checks.audit.findings import Audit


class Format(Enum):
    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    RST = "rst"
    HTML = "html"
    NAGIOS = "nagios"
    PROMETHEUS = "prometheus"


class DiffFormat(Enum):
    """The formats of `datis-audit diff` (writers in reports/diff.py)."""

    TEXT = "text"
    JSON = "json"
    HTML = "html"
    RST = "rst"


class Writer(Protocol):
    def render(self, audit: Audit) -> str: ...


def writer(fmt: Format, *, color: bool = False, width: int | None = None) -> Writer:
    """The writer of one format; only its module is imported (rich, jinja2 only if needed)."""
    if fmt is Format.TEXT:
        from checks.reports import text

        return text.TextWriter(color=color, width=width)
    if fmt is Format.JSON:
        from checks.reports import json_report

        return json_report.JsonWriter()
    if fmt is Format.JUNIT:
        from checks.reports import junit

        return junit.JunitWriter()
    if fmt is Format.RST:
        from checks.reports import rst

        return rst.RstWriter()
    if fmt is Format.HTML:
        from checks.reports import html

        return html.HtmlWriter()
    if fmt is Format.NAGIOS:
        from checks.reports import nagios

        return nagios.NagiosWriter()
    from checks.reports import prometheus

    return prometheus.PrometheusWriter()


def render(audit: Audit, fmt: Format, *, color: bool = False, width: int | None = None) -> str:
    """The report; `width` is the terminal's, for the text summary (default: 100 columns)."""
    return writer(fmt, color=color, width=width).render(audit)

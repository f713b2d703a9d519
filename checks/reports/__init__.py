"""Report writers: one audit, laid out in each format behind one small interface.

A writer only lays out findings (checks.findings.Audit); it never decides anything. Every
writer treats the text it is given as hostile: client names and values are escaped for its
format (HTML, reST, XML) and stripped of control characters.
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from checks.audit.findings import Audit


class Format(Enum):
    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    RST = "rst"
    HTML = "html"
    NAGIOS = "nagios"
    PROMETHEUS = "prometheus"


class Writer(Protocol):
    def render(self, audit: Audit) -> str: ...


def writer(fmt: Format, *, color: bool = False, width: int = 110) -> Writer:
    from checks.reports import html, json_report, junit, nagios, rst, text

    if fmt is Format.TEXT:
        return text.TextWriter(color=color, width=width)
    writers: dict[Format, Writer] = {
        Format.JSON: json_report.JsonWriter(),
        Format.JUNIT: junit.JunitWriter(),
        Format.RST: rst.RstWriter(),
        Format.HTML: html.HtmlWriter(),
        Format.NAGIOS: nagios.NagiosWriter(),
        Format.PROMETHEUS: nagios.PrometheusWriter(),
    }
    return writers[fmt]


def render(audit: Audit, fmt: Format, *, color: bool = False) -> str:
    return writer(fmt, color=color).render(audit)

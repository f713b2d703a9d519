"""The one Jinja environment of every HTML page: this package's templates, everything escaped.

A module of its own so that only the HTML writers load Jinja (a text or JSON audit does not).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, Template, select_autoescape

from checks.french.numbers import count
from checks.french.typography import typeset_html
from checks.reports.common import clean


class FrenchTemplate(Template):
    """A page rendered, then typeset in its text (never in tags, code, scripts or styles)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        return typeset_html(super().render(*args, **kwargs))


@cache
def templates() -> Environment:
    """Made once, so that each page escapes everything (strings rendered directly too) and lays
    out its blocks the same way."""
    environment = Environment(loader=PackageLoader("checks.reports", "templates"),
                              autoescape=select_autoescape(default=True,
                                                           default_for_string=True),
                              trim_blocks=True, lstrip_blocks=True)
    environment.template_class = FrenchTemplate
    environment.filters["clean"] = clean
    environment.globals["count"] = count
    return environment

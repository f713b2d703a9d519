"""Dates and times as a French reader reads them: in Paris time (summer and winter alike),
by Babel's French month names. Machine formats (JSON, file names) keep ISO 8601 and are not
made here.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from checks.french.numbers import LOCALE

PARIS = ZoneInfo("Europe/Paris")
ZONE = "heure de Paris"
"""How the zone is named beside a date a reader might take for another zone's."""


def _format(moment: datetime, pattern: str) -> str:
    from babel.dates import format_datetime

    return format_datetime(moment, pattern, tzinfo=PARIS, locale=LOCALE)


def long_date(moment: datetime, *, zone: bool = True) -> str:
    """« 8 décembre 2026 à 05:14 (heure de Paris) »; `zone=False` where the page already
    says it (a table of dates)."""
    text = _format(moment, "d MMMM y 'à' HH:mm")
    return f"{text} ({ZONE})" if zone else text


def day(moment: datetime) -> str:
    """« 08/12/2026 »: the day in Paris."""
    return _format(moment, "dd/MM/y")


def short(moment: datetime) -> str:
    """« 08/12 05:14 »: a chart's axis label, in Paris time."""
    return _format(moment, "dd/MM HH:mm")

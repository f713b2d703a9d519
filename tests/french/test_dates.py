"""Dates in Paris time, winter (UTC+1) and summer (UTC+2), the zone named where it matters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from checks.french import dates
from checks.reports.common import french_date

WINTER = datetime(2026, 12, 8, 4, 14, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 22, 5, tzinfo=UTC)


@pytest.mark.parametrize(("moment", "text"), [
    (WINTER, "8 décembre 2026 à 05:14 (heure de Paris)"),
    (SUMMER, "2 juillet 2026 à 00:05 (heure de Paris)"),
    (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "29 mars 2026 à 01:59 (heure de Paris)"),
    (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "29 mars 2026 à 03:00 (heure de Paris)"),
    (datetime(2026, 12, 8, 10, 0, tzinfo=timezone(timedelta(hours=5))),
     "8 décembre 2026 à 06:00 (heure de Paris)"),
])
def test_long_dates_are_in_paris_time(moment: datetime, text: str) -> None:
    assert dates.long_date(moment) == text
    assert french_date(moment) == text


def test_the_zone_may_be_left_to_the_page() -> None:
    assert dates.long_date(SUMMER, zone=False) == "2 juillet 2026 à 00:05"


def test_day_and_short_dates_are_in_paris_time() -> None:
    assert dates.day(SUMMER) == "02/07/2026"
    assert dates.short(SUMMER) == "02/07 00:05"
    assert dates.short(WINTER) == "08/12 05:14"

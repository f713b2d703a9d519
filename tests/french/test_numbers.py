"""Counts and decimals by Babel's French rules: below two is singular, a comma, thousands
grouped by a narrow no-break space (U+202F)."""

from __future__ import annotations

import pytest

from checks.french import numbers
from checks.settings import screens, values

NNBSP = "\u202f"


@pytest.mark.parametrize(("count", "text"), [
    (0, "0 écart"), (1, "un écart"), (1.5, "1,5 écart"), (2, "2 écarts"),
    (1999.5, f"1{NNBSP}999,5 écarts"), (12345, f"12{NNBSP}345 écarts"),
])
def test_plural_follows_the_french_rule(count: float, text: str) -> None:
    assert numbers.plural(count, "écart") == text
    assert values.plural(count, "écart") == text


@pytest.mark.parametrize(("count", "text"), [
    (0, "0 page migrée"), (1, "1 page migrée"), (1.5, "1,5 page migrée"),
    (2, "2 pages migrées"),
])
def test_count_and_agreement_in_figures(count: float, text: str) -> None:
    assert f"{numbers.count(count, 'page')} {numbers.agree(count, 'migrée')}" == text


def test_an_irregular_plural_is_given() -> None:
    assert numbers.count(3, "audit impossible", "audits impossibles") == "3 audits impossibles"
    assert numbers.count(1, "audit impossible", "audits impossibles") == "1 audit impossible"


@pytest.mark.parametrize(("value", "digits", "text"), [
    (30.0, 1, "30,0"), (30.0, None, "30"), (0.25, None, "0,25"), (2.5, 0, "2"),
    (1234.5, None, f"1{NNBSP}234,5"), (1.5, 2, "1,50"),
])
def test_decimals_have_a_comma(value: float, digits: int | None, text: str) -> None:
    assert numbers.decimal(value, digits) == text


def test_a_figure_to_type_is_not_grouped() -> None:
    assert numbers.decimal(86400, grouped=False) == "86400"
    assert screens.entry("update_freq_incr", 3600 * 1500, seconds=True) == (
        "saisir 1500 (Heures) sans cocher « Désactiver »")
    assert screens.entry("update_freq_incr", 5400, seconds=True) == (
        "saisir 1,5 (Heures) sans cocher « Désactiver »")


def test_speeds_and_durations_are_shown_with_babel() -> None:
    assert values.format_speed(131072 * 3 // 2) == "1,5 MBit/s"
    assert values.format_duration(90061) == "1 jour 1 heure 1 minute 1 seconde"
    assert values.format_duration(2 * 86400 + 7200) == "2 jours 2 heures"

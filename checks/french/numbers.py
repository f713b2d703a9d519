"""Counts and decimals by Babel's French rules: « 0 écart », « 1,5 intervalle », « 2 écarts »,
« 30,5 », « 12 345 » (thousands grouped by a narrow no-break space).

Babel is imported on first use: `datis-audit --help` never pays for it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

LOCALE = "fr_FR"


@cache
def _locale() -> Locale:
    from babel import Locale

    return Locale.parse(LOCALE)


def singular(count: float) -> bool:
    """Whether French keeps the singular for `count`: below two (0 and 1,5 are singular)."""
    return _locale().plural_form(abs(count)) == "one"


def decimal(value: float, digits: int | None = None, *, grouped: bool = True) -> str:
    """« 1,5 », « 12 345 »; with `digits`, exactly that many after the comma (« 30,0 »).

    `grouped=False` for a figure a person types into a field (« 86400 »).
    """
    from babel.numbers import format_decimal

    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALE, group_separator=grouped)


def agree(count: float, singular_form: str, many: str | None = None) -> str:
    """The noun (or participle) agreed with `count`: « migrée » or « migrées »; `many` is the
    plural when it is not the singular plus « s »."""
    return singular_form if singular(count) else many or singular_form + "s"


def plural(count: float, singular_form: str, *, feminine: bool = False,
           many: str | None = None) -> str:
    """« un problème », « 3 problèmes », « 2,5 intervalles »: a count and its noun, agreed.

    One is spelled (« un », « une »); other counts are figures (« 0 écart », « 1,5 écart »).
    """
    if count == 1:
        return f"{'une' if feminine else 'un'} {singular_form}"
    return f"{decimal(count)} {agree(count, singular_form, many)}"


def count(number: float, singular_form: str, many: str | None = None) -> str:
    """« 1 audit », « 0 audit », « 3 audits »: always in figures (a table, a summary)."""
    return f"{decimal(number)} {agree(number, singular_form, many)}"

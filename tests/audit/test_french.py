"""French as a reader reads it, in the reports the real CLI writes over HTTP.

Agreement (« un écart majeur », « 7 écarts »), numbers in words where French writes them
(« moins d'un jour »), and no UrBackup code (`nospc_stalled`, `status=all`) left untranslated.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest

from tests.cli_run import Run

UNAGREED = re.compile(r"\((?:e?s|x)\)|écarts? (?:majeure|mineure)|écarts (?:majeur|mineur)\b"
                      r"|moins de 1 |il y a 1 (?:jour|heure)\b")


def _text(run: Run) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", run.stdout)).split())


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_severities_agree_with_ecart(audit_cli: Callable[..., Run], fmt: str) -> None:
    text = _text(audit_cli("datis-derive", "--format", fmt))
    assert "Non conforme : 7 écarts (5 majeurs, 2 mineurs)." in text
    assert "écart majeur" in text and "écart mineur" in text
    assert not UNAGREED.search(text), UNAGREED.search(text)


def test_ages_and_counts_are_written_in_french(audit_cli: Callable[..., Run]) -> None:
    text = _text(audit_cli("datis-derive", "--format", "html"))
    assert "moins d'un jour" in text  # 12 heures x 2: « moins de 1 jour » before
    late = _text(audit_cli("sauvegardes-en-retard", "--format", "html"))
    assert "(3 problèmes à la dernière sauvegarde)" in late
    assert "au-delà de 2 intervalles" in late
    assert not UNAGREED.search(late), UNAGREED.search(late)


def test_no_urbackup_code_reaches_the_customer_page(audit_cli: Callable[..., Run]) -> None:
    page = audit_cli("sauvegardes-en-retard", "--format", "html").stdout
    assert "nospc" not in page
    assert "stockage saturé, sauvegardes bloquées" in page
    users = _text(audit_cli("compte-limite", "--format", "html"))
    for right in ("dernières activités : tout", "journaux : tout", "statistiques : tout",
                  "activités : tout", "états : tout", "réglages généraux : tout"):
        assert right in users
    assert "=all" not in users and "piegraph" not in users

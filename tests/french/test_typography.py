"""The no-break spaces of French typography, and what they never touch: addresses, times,
host:port, paths, reST literals and literal blocks, HTML code, tags and scripts."""

from __future__ import annotations

import pytest

from checks.french.typography import sentence, typeset, typeset_html, typeset_rst

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(("text", "typeset_text"), [
    ("Adresse : x", f"Adresse{NBSP}: x"),
    ("Appliquer ? [o/N] ", f"Appliquer{NNBSP}? [o/N] "),
    ("Attention ! fin ; suite", f"Attention{NNBSP}! fin{NNBSP}; suite"),
    ("(écran : « »)", f"(écran{NBSP}: «{NBSP}»)"),
    ("le « réseau », puis", f"le «{NBSP}réseau{NBSP}», puis"),
    ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
    ("fin :", f"fin{NBSP}:"),
])
def test_spaces_before_signs_and_inside_guillemets_hold(text: str, typeset_text: str) -> None:
    assert typeset(text) == typeset_text


@pytest.mark.parametrize("text", [
    "https://backup.1a2b.inspee.re:8443/x?y=1;z=2",
    "à 05:14 (heure de Paris)",
    "127.0.0.1:55414",
    "[::1]:8080",
    "/tmp/a:b;c?d!e",
    "C:\\rapports",
    "a ;b", "a :b", "a ?b",
    "Paragraphe ::",
    "déjà\u00a0: typé",
])
def test_signs_glued_to_their_neighbours_are_left_alone(text: str) -> None:
    assert typeset(text) == text


def test_a_verbatim_piece_is_left_as_written() -> None:
    path = "/tmp/a ; b/c : d.html"
    assert typeset(f"Rapport écrit : {path}", path) == f"Rapport écrit{NBSP}: {path}"


def test_rst_literals_and_literal_blocks_are_left_alone() -> None:
    text = ("Titre : ``a : b`` « c »\n\nExemple ::\n\n   code : ici ; là\n\n"
            "Fin ? \\(voir \\: ``x ?``\\)\n")
    assert typeset_rst(text) == (
        f"Titre{NBSP}: ``a : b`` «{NBSP}c{NBSP}»\n\nExemple ::\n\n   code : ici ; là\n\n"
        f"Fin{NNBSP}? \\(voir{NBSP}\\: ``x ?``\\)\n")


def test_html_tags_code_and_scripts_are_left_alone() -> None:
    page = ('<p title="a : b"><a href="https://x/?q=1">Lien : ici</a> <code>a : b</code>'
            '</p><pre>c ; d</pre><style>td :first-child { color: red; }</style>'
            '<script>if (a ? b : c) {}</script><br/>Fin ?')
    assert typeset_html(page) == (
        f'<p title="a : b"><a href="https://x/?q=1">Lien{NBSP}: ici</a> <code>a : b</code>'
        '</p><pre>c ; d</pre><style>td :first-child { color: red; }</style>'
        f'<script>if (a ? b : c) {{}}</script><br/>Fin{NNBSP}?')


def test_a_sentence_starts_with_a_capital_only() -> None:
    assert sentence("une appliance : DATIS 1A2B.") == "Une appliance : DATIS 1A2B."
    assert sentence("") == ""


def test_a_sign_quoted_in_guillemets_keeps_no_break_spaces() -> None:
    assert typeset("séparées par « ; »") == f"séparées par «{NBSP};{NBSP}»"


def test_rst_directive_content_is_text_and_code_directives_are_not() -> None:
    text = (".. list-table::\n   :header-rows: 1\n\n   * - Statut : ok\n\n"
            ".. code-block:: text\n\n   a : b\n")
    assert typeset_rst(text) == (".. list-table::\n   :header-rows: 1\n\n"
                                 f"   * - Statut{NBSP}: ok\n\n"
                                 ".. code-block:: text\n\n   a : b\n")

"""How a `panels` block is cut, asserted on what a real `sphinx-build` writes.

sphinx-panels 0.6 (`parse_panels`) cuts as follows, and so must we: a panel ends at each
`---` line; in a panel the footer is what follows its LAST `+++` line (every `+++` moves the
split), the header what precedes its `^^^` line; a separator is a line made of the marker
alone, three or more times, once stripped of its spaces (so indented more than the text, or
longer, it still counts; followed by text, it does not); header and footer never carry over
to the next panel. Where we differ on purpose (the first `^^^` is the header's, a stray
separator is blanked with a warning instead of left as text) the warning is asserted too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.panels_structure import page_structure
from tests.sphinx_run import Build, sphinx_build

CONF = 'extensions = ["sphinx_design", "sphinxext.panels"]\nlanguage = "fr"\n'

PAGES = {
    "pieds": """\
Deux pieds
==========

.. panels::

    En-tête
    ^^^
    Corps
    +++
    Texte entre les deux pieds
    +++
    Dernier pied
""",
    "separateurs": """\
Séparateurs
===========

.. panels::

    Tête longue
    ^^^^^^^^^^^
    +++ suivi de texte reste du corps
    ++
    Fin du corps
            ++++++++
    Pied après un séparateur plus indenté

    ---

    Second corps sans pied ni en-tête

    ----------

    :card: + ma-carte

    Troisième
    ^^^^
    Corps du troisième
""",
    "entetes": """\
En-têtes
========

.. panels::

    Premier en-tête
    ^^^
    Corps
    ^^^
    Suite du corps
    +++
    Pied

    ---

    Corps
    +++
    Pied du second
    ^^^
    Fin du pied
""",
    "litteral": """\
Littéral
========

.. panels::

    Le séparateur se tape ainsi ::

        ---

    Fin du premier.

    ---

    Second.
""",
    "options-seules": """\
Options seules
==============

.. panels::

    Premier.

    ---
    :card: + seule-option
""",
}


def cards(build: Build, page: str) -> list[tuple[Any, ...]]:
    """(header, body, footer) texts of each card of the page; None for a missing part."""
    (grid,) = page_structure(build.html(page))
    assert grid["kind"] == "grid"
    return [tuple(None if card[name] is None else card[name]["text"]
                  for name in ("header", "body", "footer")) for card in grid["cards"]]


def line_of(source: Path, page: str, text: str, nth: int = 1) -> int:
    """The 1-based line of the `nth` line of `page` that is `text` once stripped."""
    lines = (source / f"{page}.rst").read_text("utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if line.strip() == text]
    return found[nth - 1]


def build_page(folder: Path, name: str, text: str) -> tuple[Path, Build]:
    """`text` built alone as page `name` of a fresh project (one build per test, so that a
    mutation run, which runs only the tests that reach the mutated code, runs these asserts).
    """
    source = folder / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF, "utf-8")
    (source / "index.rst").write_text(f"Page\n====\n\n.. toctree::\n\n   {name}\n", "utf-8")
    (source / f"{name}.rst").write_text(text, "utf-8")
    build = sphinx_build(source, folder / "html")
    assert build.code == 0, build.stderr
    return source, build


def test_the_footer_is_what_follows_the_last_footer_separator(tmp_path: Path) -> None:
    source, build = build_page(tmp_path, "pieds", PAGES["pieds"])
    assert cards(build, "pieds") == [
        ("En-tête", "Corps Texte entre les deux pieds", "Dernier pied")]
    html = build.html("pieds")
    body = html[html.index("sd-card-body"):html.index("sd-card-footer")]
    # The earlier `+++` is blanked, not text: the body is two paragraphs.
    assert body.count('<p class="sd-card-text">') == 2 and "+++" not in html
    assert [w for w in build.warnings() if "pieds.rst" in w] == [
        f"{source / 'pieds.rst'}:{line_of(source, 'pieds', '+++')}: WARNING: plusieurs "
        "séparateurs de pied « +++ » dans ce panneau : seul le dernier compte, les autres "
        "sont ignorés. [panels.panels]"]


def test_separators_are_whole_stripped_lines_and_stay_in_their_panel(tmp_path: Path) -> None:
    _, build = build_page(tmp_path, "separateurs", PAGES["separateurs"])
    assert cards(build, "separateurs") == [
        ("Tête longue", "+++ suivi de texte reste du corps ++ Fin du corps",
         "Pied après un séparateur plus indenté"),
        (None, "Second corps sans pied ni en-tête", None),
        ("Troisième", "Corps du troisième", None),
    ]
    assert [w for w in build.warnings() if "separateurs.rst" in w] == []
    html = build.html("separateurs")
    # The third panel's option line follows a blank line: still its option.
    assert re.findall(r'class="(sd-card [^"]*)"', html) == [
        "sd-card sd-sphinx-override sd-w-100 sd-shadow-md docutils",
        "sd-card sd-sphinx-override sd-w-100 sd-shadow-md docutils",
        "sd-card sd-sphinx-override sd-w-100 sd-shadow-md ma-carte docutils"]


def test_the_first_header_separator_counts_and_one_after_the_footer_is_ignored(
        tmp_path: Path) -> None:
    source, build = build_page(tmp_path, "entetes", PAGES["entetes"])
    assert cards(build, "entetes") == [
        ("Premier en-tête", "Corps Suite du corps", "Pied"),
        (None, "Corps", "Pied du second Fin du pied"),
    ]
    where = f"{source / 'entetes.rst'}"
    assert [w for w in build.warnings() if "entetes.rst" in w] == [
        f"{where}:{line_of(source, 'entetes', '^^^', 2)}: WARNING: plusieurs séparateurs "
        "d'en-tête « ^^^ » dans ce panneau : seul le premier compte, les autres sont "
        "ignorés. [panels.panels]",
        f"{where}:{line_of(source, 'entetes', '^^^', 3)}: WARNING: le séparateur d'en-tête "
        "« ^^^ » suit le pied « +++ » : il doit venir avant ; il est ignoré. [panels.panels]",
    ]


def test_a_separator_in_a_literal_block_is_its_text(tmp_path: Path) -> None:
    _, build = build_page(tmp_path, "litteral", PAGES["litteral"])
    assert cards(build, "litteral") == [
        (None, "Le séparateur se tape ainsi --- Fin du premier.", None), (None, "Second.", None)]
    assert '<pre><span></span><span class="o">---</span>' in build.html("litteral")
    assert build.warnings() == []


def test_a_last_panel_of_options_only_is_an_empty_card(tmp_path: Path) -> None:
    _, build = build_page(tmp_path, "options-seules", PAGES["options-seules"])
    assert cards(build, "options-seules") == [(None, "Premier.", None), (None, "", None)]
    assert "sd-shadow-md seule-option docutils" in build.html("options-seules")
    assert build.warnings() == []


def test_an_include_in_a_panel_is_read_beside_its_page(tmp_path: Path) -> None:
    """A panel's lines keep their page's file: `.. include::` resolves from its folder."""
    source = tmp_path / "src"
    (source / "guide").mkdir(parents=True)
    (source / "conf.py").write_text(CONF + 'exclude_patterns = ["guide/morceau.rst"]\n', "utf-8")
    (source / "index.rst").write_text("Page\n====\n\n.. toctree::\n\n   guide/page\n", "utf-8")
    (source / "guide" / "page.rst").write_text(
        "Guide\n=====\n\n.. panels::\n\n    .. include:: morceau.rst\n\n    ---\n\n    Second.\n",
        "utf-8")
    (source / "guide" / "morceau.rst").write_text("Texte du morceau inclus.\n", "utf-8")
    build = sphinx_build(source, tmp_path / "html")
    assert (build.code, build.warnings()) == (0, [])
    assert cards(build, "guide/page") == [(None, "Texte du morceau inclus.", None),
                                          (None, "Second.", None)]

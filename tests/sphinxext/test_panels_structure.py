"""The corpus extractor reads sphinx-panels' and sphinx-design's markup of one thing as one thing.

Each pair below is real output of the two stacks for the same component (the SVG paths cut
short): Sphinx 4.5 + sphinx-panels 0.6 on the left, Sphinx 9 + sphinx-design on the right.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.panels_structure import page_structure, stylesheet_classes

PAGE = '<html><body><div class="sphinxsidebar"><a class="btn" href="x">nav</a></div>' \
       '<div class="body" role="main">{}</div></body></html>'

BUTTON = {"kind": "button", "text": "Retour", "href": "#cible", "tooltip": None,
          "style": "outline-primary", "wide": True, "stretched": False, "size": None}
LINK_BADGE = {"kind": "badge", "text": "texte", "style": "primary", "pill": False,
              "href": "https://example.com", "tooltip": "bulle"}
PILL = {"kind": "badge", "text": "info", "style": "info", "pill": True, "href": None,
        "tooltip": None}
OCTICON = {"kind": "icon", "set": "octicon", "name": "x-circle", "size": 24,
           "classes": ["bg-danger", "text-white"]}
DROPDOWN = {"kind": "dropdown", "open": True, "animate": "fade-in", "space_below": 1.0,
            "title": {"text": "Titre", "items": [], "style": ["bg-primary"]},
            "body": {"text": "Contenu", "items": []}}
TABS = {"kind": "tabs", "tabs": [
    {"label": {"text": "Un", "items": []}, "selected": False,
     "content": {"text": "contenu un", "items": []}},
    {"label": {"text": "Deux", "items": []}, "selected": True,
     "content": {"text": "contenu deux", "items": []}}]}
GRID = {"kind": "grid", "cards": [{
    "kind": "card", "img_top": "image.png",
    "header": {"text": "Tête", "items": [], "style": ["bg-success"]},
    "body": {"text": "Corps", "items": [PILL]},
    "footer": None,
    "width": {"xs": 12, "sm": 12, "md": 12, "lg": 4}}],
    "space_below": 1.5}
QUOTED = {"kind": "grid", "space_below": 1.5, "cards": [{
    "kind": "card",
    "header": {"text": "Titre", "items": []},
    "body": {"text": "", "items": [
        {"kind": "quote", "content": {"text": "Texte en retrait.", "items": []}}]},
    "footer": None,
    "width": {"xs": 12, "sm": 12, "md": 12, "lg": 12}}]}

PAIRS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("button",
     '<p><a class="sphinx-bs btn text-wrap btn-outline-primary btn-block reference internal" '
     'href="#cible"><span class="std std-ref">Retour</span></a></p>',
     '<p><span class="sd-d-grid"><a class="sd-sphinx-override sd-btn sd-text-wrap '
     'sd-btn-outline-primary reference internal" href="#cible"><span>Retour</span></a></span>'
     '</p>',
     BUTTON),
    ("link-badge",
     '<a class="sphinx-bs badge badge-primary text-white reference external" '
     'href="https://example.com" title="bulle"><span>texte</span></a>',
     '<a class="sd-sphinx-override sd-badge sd-bg-primary sd-bg-text-primary reference '
     'external" href="https://example.com" title="bulle"><span>texte</span></a>',
     LINK_BADGE),
    ("badge",
     '<span class="sphinx-bs badge badge-info badge-pill">info</span>',
     '<span class="sd-sphinx-override sd-badge sd-bg-info sd-bg-text-info sd-rounded-pill">'
     'info</span>',
     PILL),
    ("octicon",
     '<svg version="1.1" width="24" height="24" class="octicon octicon-x-circle text-white '
     'bg-danger" viewBox="0 0 24 24" aria-hidden="true"><path d="M3.85"></path></svg>',
     '<svg version="1.1" width="24.0px" height="24.0px" class="sd-octicon sd-octicon-x-circle '
     'sd-text-white sd-bg-danger" viewBox="0 0 24 24" aria-hidden="true"><path d="M9.036">'
     '</path></svg>',
     OCTICON),
    ("dropdown",
     '<details class="sphinx-bs dropdown card mb-3 fade-in" open="open">\n'
     '<summary class="summary-title card-header bg-primary">\nTitre<div class="summary-down '
     'docutils">\n<svg version="1.1" width="24" height="24" class="octicon '
     'octicon-chevron-down" viewBox="0 0 24 24" aria-hidden="true"><path d="M5.22"></path>'
     '</svg></div>\n<div class="summary-up docutils">\n<svg version="1.1" width="24" '
     'height="24" class="octicon octicon-chevron-up" viewBox="0 0 24 24" aria-hidden="true">'
     '<path d="M18.78"></path></svg></div>\n</summary><div class="summary-content card-body '
     'docutils">\n<p class="card-text">Contenu</p>\n</div>\n</details>',
     '<details class="sd-sphinx-override sd-dropdown sd-card sd-mb-3 sd-fade-in" open="open">\n'
     '<summary class="sd-summary-title sd-card-header sd-bg-primary sd-bg-text-primary">\n'
     '<span class="sd-summary-text">Titre</span><span class="sd-summary-state-marker '
     'sd-summary-chevron-right"><svg version="1.1" width="1.5em" height="1.5em" '
     'class="sd-octicon sd-octicon-chevron-right" viewBox="0 0 24 24" aria-hidden="true">'
     '<path d="M8.72"></path></svg></span></summary><div class="sd-summary-content '
     'sd-card-body docutils">\n<p class="sd-card-text">Contenu</p>\n</div>\n</details>',
     DROPDOWN),
    ("tabs",
     '<div class="tabbed-set docutils">\n<input id="3ef9" name="9bae" type="radio">\n</input>'
     '<label class="tabbed-label" for="3ef9">\nUn</label><div class="tabbed-content '
     'docutils">\n<p>contenu un</p>\n</div>\n<input checked="checked" id="2cca" name="9bae" '
     'type="radio">\n</input><label class="tabbed-label" for="2cca">\nDeux</label><div '
     'class="tabbed-content docutils">\n<p>contenu deux</p>\n</div>\n</div>',
     '<div class="sd-tab-set docutils">\n<input id="sd-tab-item-0" name="sd-tab-set-0" '
     'type="radio">\n<label aria-controls="sd-tab-item-0-content" class="sd-tab-label" '
     'for="sd-tab-item-0">\nUn</label><div class="sd-tab-content docutils" '
     'id="sd-tab-item-0-content">\n<p>contenu un</p>\n</div>\n<input checked="checked" '
     'id="sd-tab-item-1" name="sd-tab-set-0" type="radio">\n<label '
     'aria-controls="sd-tab-item-1-content" class="sd-tab-label" for="sd-tab-item-1">\nDeux'
     '</label><div class="sd-tab-content docutils" id="sd-tab-item-1-content">\n<p>contenu '
     'deux</p>\n</div>\n</div>',
     TABS),
    ("grid",
     '<div class="sphinx-bs container pb-4 docutils">\n<div class="row docutils">\n<div '
     'class="d-flex col-lg-4 p-2 docutils">\n<div class="card w-100 shadow docutils">\n<img '
     'alt="img-top" class="card-img-top" src="_images/image.png" />\n<div class="card-header '
     'bg-success docutils">\n<p class="card-text">Tête</p>\n</div>\n<div class="card-body '
     'docutils">\n<p class="card-text">Corps <span class="sphinx-bs badge badge-info '
     'badge-pill">info</span></p>\n</div>\n</div>\n</div>\n</div>\n</div>',
     '<div class="sd-container-fluid sd-sphinx-override sd-m-0 sd-pb-4 docutils">\n<div '
     'class="sd-row sd-row-cols-1 sd-row-cols-lg-3 docutils">\n<div class="sd-col '
     'sd-d-flex-row docutils">\n<div class="sd-card sd-sphinx-override sd-w-100 '
     'sd-shadow-md docutils">\n<img alt="" class="sd-card-img-top" src="_images/image.png" />'
     '\n<div class="sd-card-header sd-bg-success docutils">\n<p class="sd-card-text">Tête</p>'
     '\n</div>\n<div class="sd-card-body docutils">\n<p class="sd-card-text">Corps <span '
     'class="sd-sphinx-override sd-badge sd-bg-info sd-bg-text-info sd-rounded-pill">info'
     '</span></p>\n</div>\n</div>\n</div>\n</div>\n</div>',
     GRID),
    ("quote",
     '<div class="sphinx-bs container pb-4 docutils">\n<div class="row docutils">\n<div '
     'class="d-flex col-12 docutils">\n<div class="card w-100 shadow docutils">\n<div '
     'class="card-header docutils">\n<p class="card-text">Titre</p>\n</div>\n<div '
     'class="card-body docutils">\n<blockquote>\n<div><p class="card-text">Texte en retrait.'
     '</p>\n</div></blockquote>\n</div>\n</div>\n</div>\n</div>\n</div>\n',
     '<div class="sd-container-fluid sd-sphinx-override sd-m-0 sd-pb-4 docutils">\n<div '
     'class="sd-row docutils">\n<div class="sd-col sd-d-flex-row sd-col-12 sd-col-xs-12 '
     'sd-col-sm-12 sd-col-md-12 sd-col-lg-12 docutils">\n<div class="sd-card '
     'sd-sphinx-override sd-w-100 sd-shadow-md docutils">\n<div class="sd-card-header '
     'docutils">\n<p class="sd-card-text">Titre</p>\n</div>\n<div class="sd-card-body '
     'docutils">\n<blockquote>\n<div><p>Texte en retrait.</p>\n</div></blockquote>\n</div>'
     '\n</div>\n</div>\n</div>\n</div>\n',
     QUOTED),
]


@pytest.mark.parametrize(("bootstrap", "design", "expected"),
                         [pair[1:] for pair in PAIRS], ids=[pair[0] for pair in PAIRS])
def test_both_markups_give_one_structure(bootstrap: str, design: str,
                                         expected: dict[str, Any]) -> None:
    assert page_structure(PAGE.format(bootstrap)) == [expected]
    assert page_structure(PAGE.format(design)) == [expected]


def test_a_failed_role_is_a_problem_not_silence() -> None:
    html = '<p>Corps <a href="#id1"><span class="problematic" id="id2">:badge:`x`</span></a></p>'
    assert page_structure(PAGE.format(html)) == [{"kind": "problem", "text": ":badge:`x`"}]


def test_a_different_meaning_gives_a_different_structure() -> None:
    """Closed instead of open, another target, another colour: each one is seen."""
    dropdown = PAIRS[4][1]
    assert page_structure(PAGE.format(dropdown.replace(' open="open"', ""))) != [DROPDOWN]
    button = PAIRS[0][1]
    assert page_structure(PAGE.format(button.replace("#cible", "#autre"))) != [BUTTON]
    assert page_structure(PAGE.format(button.replace("outline-primary", "primary"))) != [BUTTON]


def test_the_space_under_a_grid_and_an_indented_text_are_seen() -> None:
    """The two differences a writer saw beside sphinx-panels 0.6, each a different structure:
    sphinx-design's own bottom margin on the container, doubling the space under the panels,
    and card text indented one level deeper (a block quote) shown as a plain paragraph."""
    grid, quoted = PAIRS[6][2], PAIRS[7][2]
    doubled = grid.replace("sd-m-0 sd-pb-4", "sd-mb-4 sd-pb-4")
    assert page_structure(PAGE.format(doubled))[0]["space_below"] == 3.0
    assert page_structure(PAGE.format(doubled)) != [GRID]
    flattened = quoted.replace("<blockquote>\n<div><p>Texte en retrait.</p>\n</div></blockquote>",
                               '<p class="sd-card-text">Texte en retrait.</p>')
    assert page_structure(PAGE.format(flattened)) != [QUOTED]


def test_a_class_no_stylesheet_defines_gives_no_meaning() -> None:
    """A Bootstrap class kept as written on a sphinx-design build is not seen by the reader."""
    kept = '<span class="sd-sphinx-override sd-badge badge-primary badge-pill">x</span>'
    styled_by = frozenset({"sd-badge", "sd-bg-primary", "sd-rounded-pill"})
    [untranslated] = page_structure(PAGE.format(kept), styled_by)
    assert (untranslated["style"], untranslated["pill"]) == (None, False)
    translated = kept.replace("badge-primary badge-pill", "sd-bg-primary sd-rounded-pill")
    [badge] = page_structure(PAGE.format(translated), styled_by)
    assert (badge["style"], badge["pill"]) == ("primary", True)


def test_stylesheets_of_a_build_say_which_classes_count(tmp_path: Path) -> None:
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "design.css").write_text(
        ".sd-btn-primary{color:#fff}.sd-w-100{width:100%!important}@media(min-width:.5rem){}")
    assert stylesheet_classes(tmp_path) == {"sd-btn-primary", "sd-w-100"}
    (tmp_path / "_panels_static").mkdir()
    assert stylesheet_classes(tmp_path) is None

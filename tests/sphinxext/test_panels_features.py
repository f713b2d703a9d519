"""sphinx-panels 0.6's directives, roles and configuration values on our layer."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import resources
from io import StringIO
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from sphinxext.panels.design_classes import DESIGN_CLASSES
from tests.sphinxext.conftest import warnings_of

CONF = 'extensions = ["sphinx_design", "sphinxext.panels"]\nlanguage = "fr"\n'


def build(
    folder: Path, sphinx_app: Callable[..., SphinxTestApp], page: str, conf: str = ""
) -> tuple[str, list[str]]:
    """`page` built as index.rst of a fresh project: its HTML and the warnings."""
    (folder / "conf.py").write_text(CONF + conf)
    (folder / "index.rst").write_text(f"Titre\n=====\n\n.. _cible:\n\nCible\n-----\n\n{page}")
    app = sphinx_app(folder)
    app.build()
    return (app.outdir / "index.html").read_text("utf-8"), warnings_of(app)


def line_of(folder: Path, text: str) -> int:
    lines = (folder / "index.rst").read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_design_classes_are_those_of_the_installed_stylesheet() -> None:
    css = resources.files("sphinx_design").joinpath("static", "sphinx-design.min.css")
    assert set(re.findall(r"\.(sd-[\w-]+)", css.read_text("utf-8"))) == DESIGN_CLASSES


def test_a_bootstrap_class_without_equivalent_is_one_located_warning(
    tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    html, warnings = build(
        tmp_path,
        sphinx_app,
        ".. panels::\n    :column: col-12 p-2\n\n    ---\n    :card: + jumbotron ma-carte\n\n"
        "    Corps.\n\n    ---\n\n    Second.\n",
    )
    line = line_of(tmp_path, "jumbotron")
    assert warnings == [
        f"{tmp_path / 'index.rst'}:{line}: WARNING: classe Bootstrap « jumbotron » (:card:) "
        "sans équivalent dans sphinx-design : gardée telle quelle, elle n'aura pas de style. "
        "[panels.class]"
    ]
    assert 'class="sd-card sd-sphinx-override sd-w-100 sd-shadow-md jumbotron ma-carte' in html


def test_link_buttons_to_a_url_and_to_a_reference(
    tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    html, warnings = build(
        tmp_path,
        sphinx_app,
        ".. link-button:: https://datis.example/aide\n    :text: Aide\n    :tooltip: Bulle\n"
        "    :classes: btn-primary btn-sm btn-block\n\n"
        ".. link-button:: cible\n    :type: ref\n    :text: Retour\n",
    )
    assert warnings == []
    assert re.search(
        r'<a class="sd-sphinx-override sd-btn sd-text-wrap sd-btn-primary btn-sm sd-w-100 '
        r'reference external" href="https://datis.example/aide" title="Bulle"><span>Aide', html
    )
    assert re.search(r'<a class="sd-sphinx-override sd-btn sd-text-wrap reference internal" '
                     r'href="#cible"><span class="xref any[^"]*">Retour</span>', html)
    assert '<link rel="stylesheet" type="text/css" href="_static/panels-bootstrap.css' in html


def test_consecutive_tabbed_make_one_set_until_a_new_group(
    tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    html, warnings = build(
        tmp_path,
        sphinx_app,
        ".. tabbed:: Un\n\n    Premier.\n\n.. tabbed:: Deux\n    :selected:\n"
        "    :class-label: text-danger\n\n    Deuxième.\n\n"
        ".. tabbed:: Trois\n    :new-group:\n\n    Troisième.\n\nTexte.\n\n"
        ".. tabbed:: Quatre\n\n    Quatrième.\n",
    )
    assert warnings == []
    sets = html.split('<div class="sd-tab-set docutils">')[1:]
    assert [re.findall(r"<label[^>]*>\s*(\w+)", one) for one in sets] == [
        ["Un", "Deux"], ["Trois"], ["Quatre"]
    ]
    assert re.search(r'<input checked="checked" id="[^"]+" name="[^"]+" type="radio">\s*'
                     r'<label [^>]*class="sd-tab-label sd-text-danger"', sets[0])


def test_badges_and_icons_with_sphinx_panels_arguments(
    tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    html, warnings = build(
        tmp_path,
        sphinx_app,
        ':badge:`"lundi, mardi",badge-info badge-pill` '
        ":link-badge:`https://datis.example,site,cls=badge-dark,tooltip=Bulle` "
        ":link-badge:`cible,retour,ref,badge-success` "
        ":fa:`save,text-primary,style=fas` :opticon:`alert,text-warning,size=24`\n",
    )
    assert warnings == []
    assert ('<span class="sd-sphinx-override sd-badge sd-bg-info sd-bg-text-info '
            'sd-rounded-pill">lundi, mardi</span>') in html
    assert re.search(r'<a class="sd-sphinx-override sd-badge sd-bg-dark sd-bg-text-dark '
                     r'reference external" href="https://datis.example" title="Bulle">', html)
    assert re.search(r'<a class="sd-sphinx-override sd-badge sd-bg-success sd-bg-text-success '
                     r'reference internal" href="#cible">', html)
    assert '<span class="fas fa-save sd-text-primary"></span>' in html
    assert re.search(r'<svg [^>]*height="24.0px" class="sd-octicon sd-octicon-alert '
                     r'sd-text-warning"', html)


def test_a_wrong_role_argument_is_one_french_warning(
    tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    html, warnings = build(tmp_path, sphinx_app, "Voir :opticon:`inconnue,size=12`.\n")
    line = line_of(tmp_path, "inconnue")
    assert warnings == [
        f"{tmp_path / 'index.rst'}:{line}: WARNING: « :opticon:`inconnue,size=12` » : icône ou "
        "taille invalide (size vaut 16 ou 24, pas « 12 »). [panels.icon]"
    ]
    assert ":opticon:`inconnue,size=12`" in html


def test_dropdown_takes_both_option_sets(
    tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    html, warnings = build(
        tmp_path,
        sphinx_app,
        ".. dropdown:: Détails\n    :container: border-info\n    :title: + font-weight-bold\n"
        "    :body: text-center\n    :color: info\n    :icon: info\n    :open:\n\n    Corps.\n",
    )
    assert warnings == []
    assert '<details class="sd-sphinx-override sd-dropdown sd-card border-info" open' in (
        html
    )
    assert ('class="sd-summary-title sd-card-header sd-font-weight-bold sd-bg-info '
            'sd-bg-text-info"') in html
    assert 'class="sd-summary-content sd-card-body sd-text-center docutils"' in html


def test_separators_are_found_on_stripped_lines_with_panels_delimiters(
    tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    html, warnings = build(
        tmp_path,
        sphinx_app,
        ".. panels::\n    :column: col-12\n\n     En-tête\n       ~~~\n     Corps\n     ___\n"
        "     Pied\n\n  ====\n\n    Second\n\n    .. code-block:: text\n\n        ====\n",
        conf='panels_delimiters = (r"^={3,}$", r"^~{3,}$", r"^_{3,}$")\n',
    )
    assert warnings == []
    assert html.count('class="sd-card ') == 2
    # Indented deeper than the `====` separator: block quotes, as sphinx-panels parsed them.
    for slot, text in (("header", "En-tête"), ("body", "Corps"), ("footer", "Pied")):
        assert re.search(rf'sd-card-{slot} docutils">\s*<blockquote>\s*<div><p>{text}</p>', html)


def test_config_values_are_honoured_or_reported_once(
    tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    html, warnings = build(
        tmp_path,
        sphinx_app,
        ".. panels::\n\n    Un.\n",
        conf="panels_dev_mode = True\npanels_add_bootstrap_css = False\n"
        'panels_css_variables = {"tabs-color-label-active": "red", "inconnue": "1px"}\n'
        'panels_delimiters = ("a", "a", "b")\npanels_add_fontawesome_latex = True\n',
    )
    assert [warning.split("WARNING: ")[1][:40] for warning in warnings] == [
        "panels_delimiters : les trois séparateur",
        "panels_dev_mode n'a pas d'effet : sphinx",
        "panels_css_variables : clé « inconnue » ",
    ]
    assert all(warning.endswith("[panels.config]") for warning in warnings)
    assert warnings[1].startswith(f"{tmp_path / 'conf.py'}:3: WARNING: panels_dev_mode")
    assert "panels-bootstrap.css" not in html
    assert '<link rel="stylesheet" type="text/css" href="_static/panels-variables.css' in html
    css = (tmp_path / "_build" / "html" / "_static" / "panels-variables.css").read_text()
    assert css == ":root {\n  --sd-color-tabs-label-active: red;\n}\n"
    assert 'class="sd-card ' in html


def test_two_selected_tabs_of_one_set_are_one_french_warning(
    tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    html, warnings = build(
        tmp_path,
        sphinx_app,
        ".. tabbed:: Un\n    :selected:\n\n    Premier.\n\n"
        ".. tabbed:: Deux\n    :selected:\n\n    Deuxième.\n",
    )
    line = line_of(tmp_path, ".. tabbed:: Deux")
    assert warnings == [
        f"{tmp_path / 'index.rst'}:{line}: WARNING: plusieurs onglets « :selected: » dans ce "
        "groupe : seul le premier est affiché d'abord. [panels.tabbed]"
    ]
    assert re.search(r'<input checked="checked" id="sd-tab-item-0"', html)


def test_old_spelling_of_add_bootstrap_css_is_honoured_with_a_warning(
    tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    html, warnings = build(
        tmp_path, sphinx_app, ".. panels::\n\n    Un.\n", conf="panels_add_boostrap_css = False\n"
    )
    assert [warning.split("WARNING: ")[1] for warning in warnings] == [
        "panels_add_boostrap_css est l'ancienne orthographe : écrivez panels_add_bootstrap_css "
        "(la valeur donnée est prise en compte). [panels.config]"
    ]
    assert "panels-bootstrap.css" not in html


def test_fontawesome_in_latex_when_asked(
    tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    (tmp_path / "conf.py").write_text(CONF + "panels_add_fontawesome_latex = True\n")
    (tmp_path / "index.rst").write_text("Titre\n=====\n\nUne icône :fa:`save,style=fas`.\n")
    app = SphinxTestApp("latex", srcdir=tmp_path, status=StringIO(), warning=StringIO())
    try:
        app.build()
        tex = next(Path(app.outdir).glob("*.tex")).read_text("utf-8")
        assert warnings_of(app) == []
    finally:
        app.cleanup()
    assert "\\usepackage{fontawesome}" in tex
    assert "\\faicon{save}" in tex

"""The `panels` directive: sphinx-panels' syntax, sphinx-design's output."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from tests.conftest import ROOT
from tests.sphinx_run import sphinx_build
from tests.sphinxext.conftest import ROOTS, warnings_of

PAIRS = ("defaut", "parties", "images", "colonnes", "contenu")
SNIPPETS = sorted((ROOT / "docs" / "snippets").glob("panels-*.rst"))


def article(html: str) -> str:
    """The page's content, ids numbered in order of appearance (they depend on the page)."""
    body = html[html.index("<section") : html.rindex("</section>")]
    ids: dict[str, str] = {}

    def number(match: re.Match[str]) -> str:
        return f'{match.group(1)}="{ids.setdefault(match.group(2), f"id{len(ids)}")}"'

    return re.sub(r'\b(id|href)="#?([^"]*)"', number, body)


def line_of(page: Path, text: str) -> int:
    """The 1-based line of the first line of `page` holding `text`."""
    lines = page.read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test-panels project built once, as sphinx-build does, with -W."""
    source = tmp_path_factory.mktemp("panels") / "src"
    shutil.copytree(ROOTS / "test-panels", source)
    build = sphinx_build(source, source.parent / "html", "-W")
    assert build.code == 0, build.stderr
    return build.out


@pytest.mark.parametrize("name", PAIRS)
def test_panels_render_like_sphinx_design_markup(built: Path, name: str) -> None:
    panels = article((built / f"panels-{name}.html").read_text("utf-8"))
    grid = article((built / f"grid-{name}.html").read_text("utf-8"))
    assert "sd-card" in panels
    assert panels == grid


def test_bootstrap_classes_become_sphinx_design_classes(built: Path) -> None:
    html = (built / "panels-parties.html").read_text("utf-8")
    # col-12 col-md-6 col-lg-4: the small breakpoint inherits from the extra-small one.
    assert "sd-col-12 sd-col-xs-12 sd-col-sm-12 sd-col-md-6 sd-col-lg-4 sd-p-2 sd-p-1" in html
    # `:card: + intro-card text-center` adds to the default `shadow`; the writer's own class
    # is kept as written, the Bootstrap ones get sphinx-design's names.
    assert 'class="sd-card sd-sphinx-override sd-w-100 sd-shadow-md intro-card sd-text-center' in (
        html
    )
    # `:card: shadow-lg` on the second panel replaces the defaults.
    assert 'class="sd-card sd-sphinx-override sd-w-100 sd-shadow-lg docutils"' in html
    assert 'class="sd-card-header sd-bg-success docutils"' in html
    assert 'class="sd-card-footer sd-bg-secondary docutils"' in html
    assert "sd-pb-3" in html and "container-lg" not in html
    assert "^^^" not in html and "+++" not in html


def test_header_body_and_footer_are_in_their_slots(built: Path) -> None:
    html = (built / "panels-parties.html").read_text("utf-8")
    first = html[html.index("En-tête du premier") : html.index("En-tête du second")]
    assert first.index("sd-card-body") < first.index("Corps du premier")
    assert first.index("Deuxième paragraphe") < first.index("sd-card-footer")
    assert first.index("sd-card-footer") < first.index("Pied du premier")


def test_separators_inside_nested_blocks_do_not_split(built: Path) -> None:
    html = (built / "panels-contenu.html").read_text("utf-8")
    assert html.count('class="sd-card ') == 2
    assert '<span class="nn">---</span>' in html
    assert 'href="index.html#accueil"' in html


def test_messages_inside_a_panel_name_the_writers_line(
    tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["sphinx_design", "sphinxext.panels"]\n')
    page = tmp_path / "index.rst"
    page.write_text(
        "Titre\n=====\n\n.. panels::\n    :column: col-12\n\n    En-tête\n    ^^^\n\n"
        "    Un rôle :inconnu:`x` dans le corps.\n\n    +++\n    Pied :ref:`absente`\n"
    )
    app = sphinx_app(tmp_path)
    app.build()
    warnings = "\n".join(warnings_of(app))
    assert f"index.rst:{line_of(page, ':inconnu:')}: ERROR: Unknown interpreted text role" in (
        warnings
    )
    assert f"index.rst:{line_of(page, 'absente')}: WARNING: undefined label" in warnings


#: (line of test-panels-mistakes/index.rst, what that line holds, the warning reported there)
MISTAKES = [
    (4, ".. panels::", "la directive « panels » est vide : écrivez au moins un panneau."),
    (8, ":colum: col-lg-4", "option de panneau inconnue « :colum: » (options possibles : :column:"),
    (12, "---", "panneau vide après ce séparateur « --- » : il est ignoré."),
    (22, "^^^^^", "plusieurs séparateurs d'en-tête « ^^^ » dans ce panneau : seul le premier"),
    (24, "+++", "plusieurs séparateurs de pied « +++ » dans ce panneau : seul le dernier"),
    (34, "^^^", "le séparateur d'en-tête « ^^^ » suit le pied « +++ » : il doit venir avant"),
    (39, "^^^", "l'en-tête avant « ^^^ » est vide : il est ignoré."),
    (41, "+++", "le pied après « +++ » est vide : il est ignoré."),
    (43, ".. panels::", "nom de classe invalide « bg-info! » (option :card:) : classe ignorée."),
    (46, ":column: col-lg-13 p-2", "classe de colonne invalide « col-lg-13 » : la largeur va de 1"),
    (47, ":img-top:", "l'option « :img-top: » attend le chemin d'une image."),
    (51, "---", "panneau vide après ce séparateur « --- » : il est ignoré."),
]


def test_each_mistake_is_one_located_panels_warning(
    project: Callable[[str], Path], sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    source = project("panels-mistakes")
    app = sphinx_app(source)
    app.build()
    warnings = warnings_of(app)
    lines = (source / "index.rst").read_text("utf-8").splitlines()
    assert len(warnings) == len(MISTAKES), "\n".join(warnings)
    for line, holds, message in MISTAKES:
        assert lines[line - 1].strip() == holds
        expected = f"index.rst:{line}: WARNING: {message}"
        assert any(
            expected in warning and warning.endswith("[panels.panels]") for warning in warnings
        ), f"{expected}\n" + "\n".join(warnings)


def test_mistakes_fail_a_strict_build_and_can_be_silenced(
    project: Callable[[str], Path], tmp_path: Path
) -> None:
    source = project("panels-mistakes")
    strict = sphinx_build(source, tmp_path / "strict", "-W")
    assert strict.code == 1
    assert "[panels.panels]" in strict.stderr
    assert "Traceback" not in strict.stderr
    silenced = sphinx_build(
        source, tmp_path / "silenced", "-W", "-D", "suppress_warnings=panels"
    )
    assert silenced.code == 0, silenced.stderr


FAKE_SPHINX_PANELS = """
from docutils.parsers.rst import Directive


class Panels(Directive):
    has_content = True

    def run(self):
        return []


def setup(app):
    app.add_directive("panels", Panels)
    return {"parallel_read_safe": True}
"""


@pytest.fixture
def fake_sphinx_panels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A stand-in `sphinx_panels` module on sys.path (the real one must not be installed),
    forgotten after the test."""
    folder = tmp_path / "fake"
    folder.mkdir()
    (folder / "sphinx_panels.py").write_text(FAKE_SPHINX_PANELS)
    (folder / "loads_sphinx_panels.py").write_text(
        "def setup(app):\n    app.setup_extension('sphinx_panels')\n"
    )
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    for module in ("sphinx_panels", "loads_sphinx_panels"):
        sys.modules.pop(module, None)


def test_sphinx_panels_is_not_installed() -> None:
    with pytest.raises(ImportError):
        __import__("sphinx_panels")


@pytest.mark.parametrize(
    "extensions",
    [
        ["sphinx_panels", "sphinx_design", "sphinxext.panels"],
        ["sphinx_design", "sphinxext.panels", "sphinx_panels"],
        ["sphinxext.panels", "loads_sphinx_panels"],
    ],
    ids=["avant", "apres", "chargee-par-une-autre-extension"],
)
def test_refuses_to_load_beside_sphinx_panels(
    fake_sphinx_panels: Path, tmp_path: Path, extensions: list[str]
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(f"extensions = {extensions!r}\n")
    (source / "index.rst").write_text("Titre\n=====\n")
    build = sphinx_build(source, tmp_path / "html")
    # One French line and exit code 2; not Sphinx's crash report for an ExtensionError.
    assert build.code == 2
    assert "Traceback" not in build.stderr
    assert "open an issue" not in build.stderr
    assert "ne peut pas être chargée avec sphinx-panels" in build.stderr
    assert "retirez « sphinx_panels » de la liste extensions de conf.py" in build.stderr
    assert not (tmp_path / "html" / "index.html").exists()


def test_loads_without_sphinx_panels(
    fake_sphinx_panels: Path, tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    """The fake module on sys.path is harmless as long as no one loads it."""
    (tmp_path / "conf.py").write_text('extensions = ["sphinxext.panels"]\n')
    (tmp_path / "index.rst").write_text("Titre\n=====\n\n.. panels::\n\n    Seul panneau.\n")
    app = sphinx_app(tmp_path)
    app.build()
    assert "sphinx_design" in app.extensions
    assert "sphinx_panels" not in app.extensions
    assert "sd-card" in (app.outdir / "index.html").read_text("utf-8")
    assert warnings_of(app) == []


def test_snippets_exist() -> None:
    names = {path.name for path in SNIPPETS}
    assert {"panels-simple.rst", "panels-entete-pied.rst", "panels-options.rst"} <= names
    assert "panels-urbackup.rst" in names


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[path.stem for path in SNIPPETS])
def test_documented_snippets_build_cleanly(
    snippet: Path, tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]
) -> None:
    """Every panels example the writers' page shows is built, warnings forbidden."""
    (tmp_path / "conf.py").write_text(
        'extensions = ["sphinx_design", "sphinxext.panels"]\nlanguage = "fr"\n'
    )
    (tmp_path / "index.rst").write_text(f"Exemple\n=======\n\n{snippet.read_text('utf-8')}")
    app = sphinx_app(tmp_path)
    app.build()
    assert warnings_of(app) == []
    html = (app.outdir / "index.html").read_text("utf-8")
    assert 'class="sd-card ' in html
    assert "^^^" not in html and "+++" not in html


def test_the_panels_layer_alone_loads_no_appliance_client() -> None:
    """A project that loads only `sphinxext.panels` does not pay for the DATIS extension."""
    # a fresh interpreter: this one has imported everything already
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys, sphinxext.panels; "
                               "print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=True)
    loaded = set(json.loads(done.stdout))
    assert "sphinx_design" in loaded
    assert sorted(loaded & {"requests", "urllib3", "checks.appliance.client",
                            "sphinxext.source", "sphinxext.compliance"}) == []

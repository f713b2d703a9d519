"""What the extension writes into a page is typeset (no-break spaces), its links and code
never: a real Sphinx build over a snapshot of a real emulated appliance."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.testing.util import SphinxTestApp

from checks.appliance.client import UrBackupClient
from checks.emulator import Emulator
from sphinxext.french import typeset_nodes
from tests.conftest import PASSWORD
from tests.sphinxext.conftest import take_snapshot

NBSP, NNBSP = "\u00a0", "\u202f"


def test_roles_and_tables_are_typeset_links_and_code_are_not(
        emulator: Emulator, tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]) -> None:
    with UrBackupClient(emulator.url, username="admin", password=PASSWORD) as customer:
        customer.login()
        customer.save_general({"backup_window_incr_file": "1-5/8-18;6-7/0-24"})
    snapshot = take_snapshot(emulator.url, tmp_path / "instantane.json")
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["sphinxext"]\nlanguage = "fr"\n')
    (source / "index.rst").write_text(
        "Page\n====\n\nPlan : :datis-reel:`backup_window_incr_file` ; code ``a : b`` ; "
        "adresse :datis-url:`1A2B`.\n", "utf-8")
    app = sphinx_app(source, datis_mode="snapshot", datis_snapshot=str(snapshot))
    app.build()
    html = (app.outdir / "index.html").read_text("utf-8")
    assert ('<span class="datis-reel">du lundi au vendredi, de 8 h à 18 h'
            f"{NNBSP}; samedi et dimanche, à toute heure</span>") in html
    assert ('<a class="reference external" href="https://backup.1a2b.inspee.re">'
            "https://backup.1a2b.inspee.re</a>") in html
    assert '<span class="pre">a</span> <span class="pre">:</span>' in html
    # The writer's own sentence is the writer's: only what the extension writes is typeset.
    assert "Plan : " in html


def test_code_links_raw_markup_and_screen_words_are_never_typeset() -> None:
    paragraph = nodes.paragraph("", "", nodes.Text("Valeur : "), nodes.literal("a : b", "a : b"),
                                nodes.reference("x ; y", "x ; y", refuri="https://x/?a=1"),
                                addnodes.literal_emphasis("Écran : ici", "Écran : ici"),
                                nodes.strong("", "", nodes.Text("fin !")))
    raw = nodes.raw("", "<b>a : b</b>", format="html")
    typeset_nodes([paragraph, raw])
    assert [str(t) for t in paragraph.findall(nodes.Text)] == [
        f"Valeur{NBSP}: ", "a : b", "x ; y", "Écran : ici", f"fin{NNBSP}!"]
    assert raw.astext() == "<b>a : b</b>"

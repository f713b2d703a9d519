"""The fleet pages in a real browser, on a narrow window: no word is cut across two lines.

Chromium lays the page out; a measuring script (added to a copy of the page, whose own
policy forbids scripts) checks that every word of every header and cell, addresses and file
names aside, sits on one line (a line may end after a hyphen: « PC- / ACCUEIL » is how French
breaks a compound), and writes what it found into the DOM that Chromium dumps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from checks.emulator import Emulator
from tests.browser import SPLIT_WORDS, Browser, with_script
from tests.cli_run import run_cli

MEASURE = "<script>\n" + SPLIT_WORDS + """
window.addEventListener("load", () => {
  const cut = [];
  for (const cell of document.querySelectorAll("th, td:not(.adresse):not(.rapports)")) {
    cut.push(...splitWords(cell));
  }
  document.body.setAttribute("data-cut", JSON.stringify(cut));
});
</script>"""


def test_fleet_page_never_cuts_a_word(start_emulator: Callable[..., Emulator], browser: Browser,
                                      tmp_path: Path) -> None:
    emulators = [start_emulator("datis-derive"), start_emulator("datis-conforme")]
    inventory = tmp_path / "flotte.toml"
    inventory.write_text("schema = 1\n" + "".join(
        f'\n[[appliance]]\nurl = "{e.url}"\nnom = "Appliance du cabinet d\'expertise {i}"\n'
        for i, e in enumerate(emulators)), "utf-8")
    out = tmp_path / "rapports"
    run = run_cli("fleet", "--inventory", str(inventory), "--output-dir", str(out),
                  "--format", "html,json")
    assert run.code == 1, run.stderr
    pages = sorted(out.glob("*.html"))
    assert len(pages) == 3  # the summary and one compliance page per appliance
    for page in pages:
        assert _cut_words(browser, page, tmp_path) == "[]", page.name


def _cut_words(browser: Browser, page: Path, tmp_path: Path) -> str:
    address = with_script(page, tmp_path / f"mesure-{page.name}", MEASURE)
    dom = browser.dump_dom(address, window=(640, 900))
    found = re.search(r'data-cut="([^"]*)"', dom)
    assert found is not None, dom[-2000:]
    return found.group(1)

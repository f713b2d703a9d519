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
from tests.browser import Browser
from tests.cli_run import run_cli

MEASURE = """<script>
window.addEventListener("load", () => {
  const cut = [];
  for (const cell of document.querySelectorAll("th, td:not(.adresse):not(.rapports)")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) cut.push(match[0]);
      }
    }
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
    measured = tmp_path / f"mesure-{page.name}"
    measured.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "",
                               page.read_text("utf-8"))
                        .replace("</body>", MEASURE + "</body>"), "utf-8")
    dom = browser.dump_dom(measured.as_uri(), window=(640, 900))
    found = re.search(r'data-cut="([^"]*)"', dom)
    assert found is not None, dom[-2000:]
    return found.group(1)

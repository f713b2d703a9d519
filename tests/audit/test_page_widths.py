"""Every HTML page in a real Chromium, from a phone (390 px) to a wide screen (1600 px).

A measuring script (added to a copy of the page, whose own policy forbids scripts) reports
what a reader would see wrong: the page wider than the window, a cell whose content runs
beyond its edges (« Valeur observée » cut off on a phone), a word split over two lines (a
file name broken mid-extension). A line may end after a hyphen: « PC- / ACCUEIL » is how
French breaks a compound.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from checks.emulator import Emulator
from tests.browser import SPLIT_WORDS, Browser, with_script
from tests.cli_run import run_cli
from tests.conftest import PASSWORD

WIDTHS = (390, 800, 1280, 1600)

MEASURE = "<script>\n" + SPLIT_WORDS + """
window.addEventListener("load", () => {
  const page = document.documentElement;
  const found = {overflow: page.scrollWidth - page.clientWidth, cut: [], split: []};
  for (const cell of document.querySelectorAll("th, td")) {
    if (cell.scrollWidth > cell.clientWidth + 1) found.cut.push(cell.textContent.trim());
  }
  for (const block of document.querySelectorAll("h1, h2, p, dt, dd, th, td, li, summary")) {
    found.split.push(...splitWords(block));
  }
  document.body.setAttribute("data-mesure", JSON.stringify(found));
});
</script>"""


def measured(browser: Browser, page: Path, width: int) -> dict[str, object]:
    """What the measuring script found in `page` laid out `width` pixels wide."""
    address = with_script(page, page.with_name(f"mesure-{width}-{page.name}"), MEASURE)
    dom = browser.dump_dom(address, window=(width, 900))
    found = re.search(r'data-mesure="([^"]*)"', dom)
    assert found is not None, dom[-2000:]
    result: dict[str, object] = json.loads(found.group(1).replace("&quot;", '"')
                                           .replace("&amp;", "&"))
    return result


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The compliance pages of a drifted appliance and of 100 workstations, a fleet's index,
    a diff and a history page, each written by the real CLI."""
    folder = tmp_path_factory.mktemp("pages")
    emulators = [Emulator(s, admin_password=PASSWORD) for s in
                 ("datis-derive", "datis-conforme", "cent-postes-sans-sauvegarde")]
    for emulator in emulators:
        emulator.start()
    try:
        derive, conforme, many = emulators
        written = {"derive": folder / "derive.html", "cent": folder / "cent.html",
                   "diff": folder / "diff.html", "historique": folder / "historique.html"}
        for emulator, name in ((derive, "derive"), (many, "cent")):
            run = run_cli("--url", emulator.url, "--format", "html", "--output",
                          str(written[name]), "--history", str(folder / "kept"))
            assert run.code == 1, run.stderr
        snapshot = folder / "conforme.json"
        assert run_cli("snapshot", "--url", conforme.url, "--output", str(snapshot)).code == 0
        run = run_cli("diff", str(snapshot), "--url", derive.url, "--format", "html",
                      "--output", str(written["diff"]))
        assert run.code == 1, run.stderr
        assert run_cli("history", str(folder / "kept"), "--output",
                       str(written["historique"])).code == 0
        inventory = folder / "flotte.toml"
        inventory.write_text("schema = 1\n" + "".join(
            f'\n[[appliance]]\nurl = "{e.url}"\nnom = "Cabinet d\'expertise comptable {i}"\n'
            for i, e in enumerate(emulators)), "utf-8")
        run = run_cli("fleet", "--inventory", str(inventory), "--output-dir",
                      str(folder / "flotte"))
        assert run.code == 1, run.stderr
        written["flotte"] = folder / "flotte" / "index.html"
        return written
    finally:
        for emulator in emulators:
            emulator.stop()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["derive", "cent", "flotte", "diff", "historique"])
def test_a_page_fits_its_window_whole(pages: dict[str, Path], browser: Browser, name: str,
                                      width: int) -> None:
    assert measured(browser, pages[name], width) == {"overflow": 0, "cut": [], "split": []}


def test_a_report_file_name_is_never_split(pages: dict[str, Path], browser: Browser) -> None:
    """The fleet index at a phone's width links each report by its whole file name."""
    index = pages["flotte"].read_text("utf-8")
    names = re.findall(r'<a href="([^"]+\.html)">', index)
    assert len(names) == 3
    found = measured(browser, pages["flotte"], 390)
    assert found["split"] == [] and all(name in index for name in names)


def test_a_hundred_workstations_make_a_page_a_customer_reads(pages: dict[str, Path]) -> None:
    """Before grouping: 253 rows, 200 of them « jamais », one per workstation and kind."""
    page = pages["cent"].read_text("utf-8")
    assert page.count("<tr") == 55
    assert len(re.findall(r"<td[^>]*>jamais</td>", page)) == 2
    for number in range(1, 101):  # every workstation still named, in the folded lists
        assert page.count(f"<li>PC-{number:03d}</li>") == 2

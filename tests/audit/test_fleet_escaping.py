"""The fleet summary page escapes hostile names, checked without a browser.

The real `datis-audit fleet` audits the `hostile` appliance and an unreachable one, both named
in the inventory with markup; Python's own HTML parser then reads `index.html` as a browser
would tokenize it: the names must come back as the text of their cells, and no element or
attribute the names carry may exist.
"""

from __future__ import annotations

import socket
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from checks.emulator import Emulator
from tests.cli_run import run_cli
from tests.conftest import PASSWORD

IMG_NAME = "<img src=x onerror=alert(1)>"
SCRIPT_NAME = "<script>alert(\"flotte\")</script> & \"guillemets\" 'apostrophes' </td></tr>"


class _Page(HTMLParser):
    """Start tags with their attributes, and the text of each table cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_hostile_names_are_cell_text_never_markup(tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{_closed_port()}"
    with Emulator("hostile", admin_password=PASSWORD) as url:
        inventory = tmp_path / "flotte.toml"
        inventory.write_text(f"schema = 1\n\n[[appliance]]\nurl = \"{url}\"\nnom = '''{IMG_NAME}'''"
                             f"\n\n[[appliance]]\nurl = \"{down}\"\nnom = '''{SCRIPT_NAME}'''\n",
                             encoding="utf-8")
        run = run_cli("fleet", "--inventory", str(inventory), "--output-dir",
                      str(tmp_path / "flotte"), "--format", "html")
    assert run.code == 2, run.stderr
    page = _Page()
    page.feed((tmp_path / "flotte" / "index.html").read_text("utf-8"))
    page.close()
    # Exactly the template's elements: one row of headers, two rows of six cells, one link
    # to the audited appliance's report.
    assert Counter(tag for tag, _ in page.tags) == Counter({
        "html": 1, "head": 1, "meta": 3, "title": 1, "style": 1, "body": 1, "h1": 1, "p": 1,
        "table": 1, "thead": 1, "tbody": 1, "tr": 3, "th": 6, "td": 12, "a": 1})
    for tag, attrs in page.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for value in attrs.values():
            assert "alert" not in (value or ""), (tag, attrs)
    (link,) = [attrs for tag, attrs in page.tags if tag == "a"]
    slug = url.removeprefix("http://").replace(":", "_")
    assert link == {"href": f"{slug}.html"}
    header, audited, unreachable = page.rows
    assert header[0] == "Appliance"
    assert audited[:3] == [IMG_NAME, url, "non conforme"]
    assert unreachable[0] == SCRIPT_NAME
    assert unreachable[2].startswith("audit impossible\u00a0: ")

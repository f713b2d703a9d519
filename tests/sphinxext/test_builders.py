"""Every builder a writer uses builds the repository's docs with -W, as README says.

One build of `docs/` per builder (documented values only: no appliance is needed to write).
linkcheck runs offline: conf.py ignores the appliance addresses the docs give as examples
(reachable only from an appliance's own network), and this test ignores every other link,
which a CI with internet checks for real. So an example address that conf.py stops ignoring
is tried, cannot be reached, and fails the build here as it would in that CI.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.sphinx_run import Build, sphinx_build

BUILDERS = ("html", "dirhtml", "singlehtml", "epub", "latex", "text", "linkcheck")
#: Every web link that is not an appliance's interface (those are conf.py's to ignore); local
#: anchors and mailto: links go the way they go in CI (linkcheck leaves them unchecked).
OTHER_LINKS = r"^https?://(?!backup\.)"
OFFLINE_CONF = f"""\
import runpy

globals().update((name, value) for name, value in runpy.run_path({str(ROOT / "conf.py")!r}).items()
                 if not name.startswith("__"))
linkcheck_ignore = [*linkcheck_ignore, {OTHER_LINKS!r}]
"""


def build(builder: str, out: Path, confdir: Path = ROOT) -> Build:
    return sphinx_build(ROOT / "docs", out, "-W", "-b", builder, confdir=confdir)


@pytest.mark.parametrize("builder", [b for b in BUILDERS if b not in ("epub", "linkcheck")])
def test_the_docs_build_with_W(builder: str, tmp_path: Path) -> None:
    done = build(builder, tmp_path / builder)
    assert (done.code, done.warnings()) == (0, []), done.stderr


def test_the_epub_builds_with_W_and_holds_the_book_not_the_build_cache(tmp_path: Path) -> None:
    """sphinx-build keeps its doctrees in OUT/.doctrees: the EPUB must not pack them."""
    done = build("epub", tmp_path / "epub")
    assert (done.code, done.warnings()) == (0, []), done.stderr
    with zipfile.ZipFile(tmp_path / "epub" / "DATIS.epub") as book:
        names = book.namelist()
    assert [name for name in names if ".doctrees" in name or name.endswith(".pickle")] == []
    assert "index.xhtml" in names


def test_linkcheck_passes_and_never_tries_an_example_address(tmp_path: Path) -> None:
    confdir = tmp_path / "conf"
    confdir.mkdir()
    (confdir / "conf.py").write_text(OFFLINE_CONF, encoding="utf-8")
    done = build("linkcheck", tmp_path / "linkcheck", confdir)
    assert (done.code, done.warnings()) == (0, []), done.stderr
    checked = [json.loads(line) for line in
               (tmp_path / "linkcheck" / "output.json").read_text("utf-8").splitlines()]
    examples = {entry["uri"]: entry["status"] for entry in checked
                if entry["uri"].startswith("https://backup.")}
    assert examples == {"https://backup.1a2b.inspee.re": "ignored"}

"""docs/interface.rst tells the reader where the interface is reached before its address."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_the_intranet_comes_before_any_address() -> None:
    text = (ROOT / "docs" / "interface.rst").read_text("utf-8")
    first_address = text.index(":datis-url:")
    said = re.search(r"depuis l'intranet, c'est-à-dire le réseau\s+local", text)
    assert said is not None
    assert said.start() < first_address
    connect = text.index("Se connecter à l'interface")
    assert text.index("L'interface se consulte depuis l'intranet", connect) < text.index(
        ":datis-url:", connect)

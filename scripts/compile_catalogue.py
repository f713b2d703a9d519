"""Compile checks/cli/locale/*/LC_MESSAGES/*.po to the .mo files gettext reads.

Run after editing a .po file: `.venv/bin/python scripts/compile_catalogue.py`. Babel (a
Sphinx dependency) does the compiling; tests/cli/test_french.py checks every .mo is the
compilation of its .po.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "checks" / "cli" / "locale"


def compiled(po_file: Path) -> bytes:
    with po_file.open("rb") as source:
        catalog = read_po(source)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def main() -> int:
    for po_file in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        po_file.with_suffix(".mo").write_bytes(compiled(po_file))
        print(f"compilé : {po_file.with_suffix('.mo').relative_to(LOCALE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

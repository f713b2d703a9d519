"""A real browser's language reaches the emulator's login, as with a real server.

Debian's headless Chromium, set to a language with `--accept-lang` (the browser's own language
setting), posts the login the way the web interface does (`lang=-`, the interface's `langs`,
its Content-Type) and reads the answer. A French browser must get `"lang":"fr"` (the real
2.5.33 server said so to the Chromium that rendered ui-fr.json), an English one `"lang":"en"`.
The page is a local file: `--disable-web-security` lets it read the emulator's answer.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checks.emulator import Emulator
from tests.browser import HEADLESS

pytestmark = pytest.mark.usefixtures("chromium")
StartEmulator = Callable[..., Emulator]
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre id="out">-</pre>
<script>
fetch("{url}/x?a=login", {{method: "POST",
       headers: {{"Content-Type": "application/json; charset=utf-8"}},
       body: "lang=-&langs=en,de,fr,es,it,pt_BR,zh_CN"}})
  .then(r => r.text())
  .then(t => {{ document.getElementById("out").textContent = "ANSWER" + t + "END"; }})
  .catch(e => {{ document.getElementById("out").textContent = "FAILED " + e; }});
</script></body></html>
"""




def browser_login(emulator: Emulator, accept_lang: str, folder: Path) -> dict[str, Any]:
    page = folder / "connexion.html"
    page.write_text(PAGE.format(url=emulator.url), "utf-8")
    done = subprocess.run(
        [*HEADLESS, f"--user-data-dir={folder / 'profil'}", "--disable-web-security",
         f"--accept-lang={accept_lang}", "--virtual-time-budget=5000", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="out">ANSWER(.*?)END</pre>', done.stdout, re.DOTALL)
    assert found is not None, done.stdout[-2000:]
    answer: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return answer


def test_a_french_browser_gets_the_french_interface(start_emulator: StartEmulator,
                                                    tmp_path: Path) -> None:
    answer = browser_login(start_emulator("datis-conforme"), "fr-FR,fr", tmp_path)
    assert answer == {"admin_only": "admin", "api_version": 2, "lang": "fr", "success": False}


def test_an_english_browser_gets_the_english_interface(start_emulator: StartEmulator,
                                                       tmp_path: Path) -> None:
    answer = browser_login(start_emulator("sans-admin"), "en-US,en", tmp_path)
    assert answer["lang"] == "en" and answer["success"] is True

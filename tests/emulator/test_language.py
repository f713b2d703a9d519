"""The login negotiates the web interface's language as the real server does, over real HTTP.

The rule (a real 2.5.33 server, issue 16): the posted `lang` unless it is "-", else the first
`Accept-Language` entry whose `xx_YY` or `xx` form is among the posted `langs` (the web
interface lists "fr" and "pt_BR", not "fr_FR"), else "en". Only the login answers that carry
`lang` (no account yet, or an account exists and no name was given) show it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pytest

from checks.emulator import Emulator
from tests.emulator.replay import Replayer

StartEmulator = Callable[..., Emulator]
FRENCH_BROWSER = "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"
OFFERED = "en,de,fr,es,it,pt_BR,zh_CN"


def login_lang(emulator: Emulator, form: dict[str, str], accept: str | None) -> str:
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if accept is not None:
        headers["Accept-Language"] = accept
    answer = Replayer(emulator).send("POST", "/x?a=login", urlencode(form), headers).json()
    lang: str = answer["lang"]
    return lang


@pytest.mark.parametrize(("form", "accept", "expected"), [
    ({}, None, "en"),
    ({"lang": "-", "langs": OFFERED}, FRENCH_BROWSER, "fr"),
    ({"langs": OFFERED}, FRENCH_BROWSER, "fr"),
    ({"lang": "de", "langs": OFFERED}, FRENCH_BROWSER, "de"),
    ({"lang": "-", "langs": OFFERED}, "ru-RU,es;q=0.5,fr;q=0.4", "es"),
    ({"lang": "-", "langs": "en,de"}, FRENCH_BROWSER, "en"),
    ({"lang": "-"}, FRENCH_BROWSER, "en"),
    ({"lang": "-", "langs": OFFERED}, None, "en"),
    ({"lang": "-", "langs": OFFERED}, "fr-FR", "fr"),
    ({"lang": "-", "langs": OFFERED}, "pt-BR,pt;q=0.9", "pt_BR"),
    ({"lang": "-", "langs": OFFERED}, "zh-TW,zh-CN;q=0.8", "zh_CN"),
])
def test_the_language_is_negotiated(start_emulator: StartEmulator, form: dict[str, str],
                                    accept: str | None, expected: str) -> None:
    assert login_lang(start_emulator("sans-admin"), form, accept) == expected
    assert login_lang(start_emulator("datis-conforme"), form, accept) == expected


def test_the_header_is_read_whatever_its_case(emulator: Emulator) -> None:
    answer = Replayer(emulator).send("POST", "/x?a=login", "lang=-&langs=en,fr",
                                     {"accept-language": "fr"}).json()
    assert answer == {"admin_only": "admin", "api_version": 2, "lang": "fr", "success": False}

"""Waiver files read exactly: each refusal's whole French message (file, line, reason), and
what a valid file gives (checks.audit.waivers.load and parse, their public functions)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from checks.audit import waivers
from tests.conftest import ROOT

HOSTILE = ROOT / "tests" / "fixtures" / "hostile" / "waivers"
KEY = "« client.2.update_freq_incr »"
APPLIANCE = f"{KEY} : « appliance » doit être un identifiant DATIS (ex. 1A2B) ou une liste " \
            "d'identifiants."
CONSTAT = ("« constat » manque : l'identifiant du constat accepté "
           "(ex. client.2.update_freq_incr).")
EXPIRE = f"{KEY} : « expire » doit être une date (ex. expire = 2027-03-31)."
JUSTIFICATION = f"{KEY} : une « justification » (10 caractères au moins) est obligatoire."
AUTHOR = f"{KEY} : l'« auteur » de la dérogation est obligatoire."

REFUSED = {
    "appliance-injection": f"ligne 8 : {APPLIANCE}",
    "appliance-invalide": f"ligne 8 : {APPLIANCE}",
    "appliance-liste-mixte": f"ligne 8 : {APPLIANCE}",
    "auteur-absent": f"ligne 3 : {AUTHOR}",
    "auteur-liste": f"ligne 6 : {AUTHOR}",
    "champ-inconnu": ("ligne 8 : champ inconnu « commentaire » (attendu : appliance, auteur, "
                      "constat, expire, justification)."),
    "cle-racine-inconnue": ("ligne 1 : clé inconnue « proprietaire » (attendu : schema, "
                            "[[derogation]])."),
    "constat-absent": f"ligne 3 : {CONSTAT}",
    "constat-nombre": f"ligne 3 : {CONSTAT}",
    "constat-vide": f"ligne 3 : {CONSTAT}",
    "derogation-pas-liste": "ligne 3 : les dérogations s'écrivent [[derogation]].",
    "derogation-pas-table": "ligne 2 : une dérogation doit être une table [[derogation]].",
    "expire-absent": f"ligne 3 : {EXPIRE}",
    "expire-date-heure": f"ligne 7 : {EXPIRE}",
    "expire-texte": f"ligne 7 : {EXPIRE}",
    "fichier-vide": "ligne 1 : « schema = 1 » attendu.",
    "justification-absente": f"ligne 3 : {JUSTIFICATION}",
    "justification-courte": f"ligne 5 : {JUSTIFICATION}",
    "schema-absent": "ligne 1 : « schema = 1 » attendu.",
    "schema-futur": "ligne 1 : « schema = 1 » attendu.",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_bad_waiver_file_is_refused_with_its_line_and_reason(name: str) -> None:
    path = HOSTILE / f"{name}.toml"
    with pytest.raises(waivers.WaiverError) as refused:
        waivers.load(path)
    assert refused.value.message == f"{path}, {REFUSED[name]}"


def test_an_unreadable_waiver_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(waivers.WaiverError) as refused:
        waivers.load(tmp_path / "absent.toml")
    assert refused.value.message == (f"Fichier de dérogations illisible : {tmp_path}/absent.toml"
                                     " (fichier ou dossier introuvable).")


ENTRY = ('constat = "reglage.*"\njustification = "Demandé par écrit."\nauteur = "C. Tech"\n'
         "expire = 2030-01-31\n")


def _parse(*entries: str) -> list[waivers.Waiver]:
    text = "schema = 1\n" + "".join(f"\n[[derogation]]\n{entry}" for entry in entries)
    return waivers.parse(text.encode(), "d.toml")


def _refusal(*entries: str) -> str:
    with pytest.raises(waivers.WaiverError) as refused:
        _parse(*entries)
    return refused.value.message


def test_a_valid_file_gives_its_waivers() -> None:
    first, second = _parse(ENTRY, ENTRY.replace('"reglage.*"', '"  client.*  "')
                           + 'appliance = "1a2b"\n')
    assert first == waivers.Waiver("reglage.*", (), "Demandé par écrit.", "C. Tech",
                                   date(2030, 1, 31), 3, "d.toml")
    assert second == waivers.Waiver("client.*", ("1A2B",), "Demandé par écrit.", "C. Tech",
                                    date(2030, 1, 31), 9, "d.toml")
    assert _parse(ENTRY + 'appliance = ["9f9f", "1A2B"]\n')[0].appliances == ("9F9F", "1A2B")
    assert _parse() == []


def test_the_refusal_names_the_line_of_the_waiver_at_fault() -> None:
    """The second waiver, from line 9, lacks its « constat »."""
    second = ENTRY.replace('constat = "reglage.*"\n', "")
    assert _refusal(ENTRY, second) == f"d.toml, ligne 9 : {CONSTAT}"
    assert _refusal(ENTRY, "x = 1\n") == ("d.toml, ligne 10 : champ inconnu « x » (attendu : "
                                          "appliance, auteur, constat, expire, justification).")


def test_a_waiver_that_is_not_a_table_names_its_line() -> None:
    text = ('schema = 1\nderogation = [\n  {constat = "a", justification = "0123456789", '
            'auteur = "A", expire = 2030-01-01},\n  1,\n]\n')
    with pytest.raises(waivers.WaiverError) as refused:
        waivers.parse(text.encode(), "d.toml")
    assert refused.value.message == ("d.toml, ligne 4 : une dérogation doit être une table "
                                     "[[derogation]].")


@pytest.mark.parametrize(("justification", "accepted"), [
    ("123456789", False), ("1234567890", True), ("   123456789  ", False),
    ("  1234567890  ", True),
])
def test_a_justification_has_ten_characters_at_least(justification: str,
                                                     accepted: bool) -> None:
    entry = ENTRY.replace('"Demandé par écrit."', f'"{justification}"')
    if accepted:
        assert _parse(entry)[0].justification == justification.strip()
    else:
        assert _refusal(entry) == ("d.toml, ligne 5 : « reglage.* » : une « justification » "
                                   "(10 caractères au moins) est obligatoire.")


@pytest.mark.parametrize("appliance", ['"1X2B"', '"XXXX"', '"1A2B3"', '["1A2B", 12]', "12"])
def test_an_appliance_is_a_datis_identifier(appliance: str) -> None:
    assert _refusal(ENTRY + f"appliance = {appliance}\n") == (
        "d.toml, ligne 8 : « reglage.* » : « appliance » doit être un identifiant DATIS "
        "(ex. 1A2B) ou une liste d'identifiants.")


def test_a_wrong_schema_names_its_own_line() -> None:
    with pytest.raises(waivers.WaiverError) as refused:
        waivers.parse("# Dérogations du cabinet\n\nschema = 2\n".encode(), "d.toml")
    assert refused.value.message == "d.toml, ligne 3 : « schema = 1 » attendu."

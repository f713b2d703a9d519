"""The baseline read exactly: each refusal's whole French message, and each rule's meaning
(what it accepts, how it is written in French), through checks.audit.baseline's public
functions."""

from __future__ import annotations

from typing import Any

import pytest

from checks.audit import baseline
from checks.audit.baseline import Operator, Severity
from tests.conftest import ROOT

HOSTILE = ROOT / "tests" / "fixtures" / "hostile" / "baselines"
SCHEMA = "« schema = 1 » attendu (version du format du référentiel)."
SECTION_DOC = ("la section « messagerie » doit avoir un « doc » : le label Sphinx qui la "
               "documente (minuscules, chiffres, - et _).")
SECRET = ("« mail_password » est un secret : aucune valeur ne doit figurer dans le référentiel, "
          "seule la règle « non_vide » s'applique.")
ONE_OF = "« mail_serverport » : la règle « parmi » demande une liste « valeurs »."
REASON = "« max_file_full » : une « raison » (en français) est obligatoire."

REFUSED = {
    "au-moins-sur-texte": ("ligne 14 : « mail_from » : « au_moins » ne s'applique qu'à une "
                           "durée ou un nombre, pas à un réglage de nature « adresse » (règles "
                           "possibles : egal, parmi, non_vide, motif)."),
    "champ-inconnu": ("ligne 16 : champ inconnu « commentaire » pour « max_file_full » "
                      "(attendu : gravite, motif, raison, regle, section, valeur, valeurs)."),
    "cle-racine-inconnue": ("ligne 1 : clé inconnue « version » (attendu : schema, sections, "
                            "reglages)."),
    "contradiction-min-max": ("ligne 17 : contradiction : « min_file_full » (20) dépasse "
                              "« max_file_full » (10)."),
    "contradiction-parmi": ("ligne 15 : « mail_serverport » : contradiction, la valeur "
                            "documentée 25 n'est pas parmi les valeurs acceptées."),
    "duree-illisible": ("ligne 13 : « update_freq_incr » : durée invalide : « <script> » "
                        "(exemples : 5 heures, 30 jours, 18000)."),
    "duree-negative": "ligne 13 : « update_freq_incr » : une durée documentée doit être positive.",
    "duree-unite-inconnue": ("ligne 13 : « update_freq_incr » : unité de durée inconnue : "
                             "« lunes » dans « 5 lunes »."),
    "fichier-vide": f"ligne 1 : {SCHEMA}",
    "gravite-inconnue": ("ligne 16 : « max_file_full » : gravité « fatale » inconnue (critique, "
                         "majeure ou mineure)."),
    "motif-absent": "ligne 14 : « mail_from » : la règle « motif » demande un « motif ».",
    "motif-contradiction": ("ligne 15 : « mail_username » : contradiction, la valeur documentée "
                            "ne respecte pas le motif."),
    "motif-invalide": ("ligne 15 : « mail_from » : motif invalide (expression régulière "
                       "incorrecte à la position 1)."),
    "nombre-negatif": "ligne 13 : « max_file_full » : un nombre négatif n'a pas de sens ici.",
    "parmi-sans-valeurs": f"ligne 14 : {ONE_OF}",
    "parmi-valeurs-vides": f"ligne 14 : {ONE_OF}",
    "plage-horaire-heure-25": ("ligne 13 : « backup_window_incr_file » : heure hors limites : "
                               "« 25 »."),
    "plage-horaire-jours-inverses": ("ligne 13 : « backup_window_incr_file » : plage de jours à "
                                     "l'envers : « 7-1 »."),
    "plage-horaire-sans-barre": ("ligne 13 : « backup_window_incr_file » : plage horaire sans "
                                 "« / » : « 8-18 » (exemple : 1-7/0-24)."),
    "raison-absente": f"ligne 11 : {REASON}",
    "raison-vide": f"ligne 11 : {REASON}",
    "reglage-inconnu": ("ligne 11 : réglage UrBackup inconnu « max_fichiers_pleins » (absent du "
                        "catalogue des réglages d'UrBackup 2.5 ; réglages proches : "
                        "max_file_incr)."),
    "reglage-pas-une-table": "ligne 11 : « max_file_full » doit être une table.",
    "regle-inconnue": ("ligne 14 : « max_file_full » : règle « superieur » inconnue (règles : "
                       "egal, au_moins, au_plus, parmi, non_vide, motif)."),
    "sans-reglages": "ligne 1 : aucun réglage : il faut une table [reglages.CLE] au moins.",
    "sans-sections": "ligne 1 : aucune section : il faut une table [sections.NOM] au moins.",
    "schema-futur": f"ligne 1 : {SCHEMA}",
    "schema-texte": f"ligne 1 : {SCHEMA}",
    "secret-avec-valeur": f"ligne 11 : {SECRET}",
    "secret-regle-egal": f"ligne 11 : {SECRET}",
    "section-doc-invalide": f"ligne 7 : {SECTION_DOC}",
    "section-inconnue": ("ligne 12 : « max_file_full » : section « plan_image » inconnue "
                         "(sections : plan_fichiers, messagerie)."),
    "section-sans-doc": f"ligne 7 : {SECTION_DOC}",
    "type-booleen-pour-nombre": ("ligne 13 : « max_file_full » : type invalide true, attendu "
                                 "un nombre entier."),
    "type-date-pour-nombre": ("ligne 13 : « max_file_full » : type invalide 2026-01-01, "
                              "attendu un nombre entier."),
    "type-flottant-pour-nombre": ("ligne 13 : « max_file_full » : type invalide 10.5, attendu "
                                  "un nombre entier."),
    "type-liste-pour-texte": ('ligne 13 : « mail_from » : type invalide ["a@b.fr"], attendu un '
                              "texte entre guillemets."),
    "type-texte-pour-booleen": ('ligne 13 : « mail_ssl_only » : type invalide "oui", attendu '
                                "true ou false."),
    "type-texte-pour-nombre": ('ligne 13 : « max_file_full » : type invalide "dix", attendu un '
                               "nombre entier."),
    "valeur-absente": "ligne 11 : « max_file_full » : la « valeur » documentée manque.",
    "valeurs-sans-parmi": ("ligne 16 : « max_file_full » : « valeurs » ne sert qu'avec la règle "
                           "« parmi »."),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_bad_baseline_is_refused_with_its_line_and_reason(name: str) -> None:
    path = HOSTILE / f"{name}.toml"
    with pytest.raises(baseline.BaselineError) as refused:
        baseline.load(path)
    assert refused.value.message == f"{path}, {REFUSED[name]}"


HEAD = ('schema = 1\n\n[sections.s]\ntitre = " Section "\ndoc = "reglages-s"\n\n'
        '[reglages.{key}]\nsection = "s"\nraison = " Pourquoi. "\n')


def _rule(key: str, spec: str) -> baseline.Rule:
    parsed = baseline.parse((HEAD.format(key=key) + spec).encode(), "r.toml")
    assert parsed.sections["s"] == baseline.Section("s", "Section", "reglages-s")
    return parsed.rules[key]


def _refusal(key: str, spec: str) -> str:
    with pytest.raises(baseline.BaselineError) as refused:
        _rule(key, spec)
    return refused.value.message


@pytest.mark.parametrize(("raw", "shown"), [
    ("false", "false"), ('[1, "a", true]', '[1, "a", true]'), ("{ a = 1 }", "{…}"),
    ("1.5", "1.5"),
])
def test_a_value_of_the_wrong_type_is_quoted_as_written(raw: str, shown: str) -> None:
    assert _refusal("max_file_full", f"valeur = {raw}\n") == (
        f"r.toml, ligne 10 : « max_file_full » : type invalide {shown}, attendu un nombre "
        "entier.")


def test_a_rule_keeps_what_the_file_says() -> None:
    rule = _rule("max_file_full", "valeur = 10\ngravite = \"mineure\"\n")
    assert (rule.operator, rule.documented, rule.severity, rule.reason, rule.line) == (
        Operator.EQUAL, 10, Severity.MINOR, "Pourquoi.", 7)
    assert _rule("max_file_full", "valeur = 10\n").severity is Severity.MAJOR


@pytest.mark.parametrize(("key", "spec", "accepted", "refused", "expected", "documented"), [
    ("max_file_full", "valeur = 10\n", [10, "10", " 10 "], [9, 11, "dix", True],
     "10", "10"),
    ("min_file_full", 'valeur = 2\nregle = "au_moins"\n', [2, 3, "40"], [1, -2, "x"],
     "au moins 2", "2"),
    ("max_file_full", 'valeur = 10\nregle = "au_plus"\n', [10, 0, -1], [11], "au plus 10",
     "10"),
    ("update_freq_incr", 'valeur = "5 heures"\nregle = "au_plus"\n',
     [18000, "3600", 0, "3600@1-5/8-18;18000"], [18001, -1, -18000, "18000;86400"],
     "au plus 5 heures", "5 heures"),
    ("mail_serverport", 'valeur = 587\nregle = "parmi"\nvaleurs = [587, 465]\n',
     [587, "465"], [25, "x"], "parmi 587, 465", "587"),
    ("mail_username", 'valeur = "datis"\nregle = "motif"\nmotif = "[a-z]+"\n',
     ["datis", "abc"], ["Datis", "da tis", ""], "adresse valide (ex. datis)", "datis"),
    ("mail_username", 'valeur = "datis"\nregle = "non_vide"\n', ["x", "datis"], ["", None],
     "renseigné", "datis"),
    ("mail_servername", 'valeur = "smtp.inspee.re"\nregle = "non_vide"\n',
     ["relais.fr", "10.0.0.1"], ["", "pas un hôte"], "un nom d'hôte ou une adresse IP",
     "smtp.inspee.re"),
    ("mail_from", 'valeur = "a@b.fr"\nregle = "non_vide"\n', ["x@y.fr"], ["x@", ""],
     "une adresse e-mail", "a@b.fr"),
    ("mail_admin_addrs", 'valeur = "a@b.fr"\nregle = "non_vide"\n', ["x@y.fr;z@w.fr"],
     ["x@y.fr;z", ""], "des adresses e-mail séparées par « ; »", "a@b.fr"),
    ("mail_ssl_only", "valeur = true\n", [True, "true", "1"], [False, "false", "peut-être"],
     "oui", "oui"),
    ("backup_window_incr_file", 'valeur = "1-7/0-24"\n', ["1-7/0-24", " 1-7/0-24 "],
     ["1-5/0-24", "1-7"], "tous les jours, à toute heure", "tous les jours, à toute heure"),
])
def test_each_rule_accepts_what_it_says(key: str, spec: str, accepted: list[Any],
                                        refused: list[Any], expected: str,
                                        documented: str) -> None:
    rule = _rule(key, spec)
    assert [rule.check(value) for value in accepted] == [True] * len(accepted)
    assert [rule.check(value) for value in refused] == [False] * len(refused)
    assert rule.expected_text() == expected
    assert rule.documented_text() == documented


def test_a_secret_is_judged_by_being_set() -> None:
    rule = _rule("mail_password", 'regle = "non_vide"\n')
    assert (rule.check("x"), rule.check(""), rule.check(None)) == (True, False, False)
    assert rule.expected_text() == "renseigné"
    assert rule.documented_text() == "(secret, non affiché)"


def test_the_documented_defaults_load_in_their_order() -> None:
    loaded = baseline.load()
    assert loaded.path == str(baseline.default_path())
    assert list(loaded.rules)[:3] == ["mail_servername", "mail_serverport", "mail_username"]
    assert loaded.client_keys()[:2] == ["update_freq_incr", "update_freq_full"]
    assert "mail_servername" not in loaded.client_keys()
    assert [r.key for r in loaded.rules_of("messagerie")][:2] == ["mail_servername",
                                                                  "mail_serverport"]
    assert len(loaded.digest) == 64


def test_an_unreadable_baseline_is_refused(tmp_path: Any) -> None:
    with pytest.raises(baseline.BaselineError) as refused:
        baseline.load(tmp_path / "absent.toml")
    assert refused.value.message == (f"Référentiel illisible : {tmp_path}/absent.toml (fichier "
                                     "ou dossier introuvable).")


@pytest.mark.parametrize(("key", "raw", "expected"), [
    ("mail_serverport", '"587"', "un numéro de port"),
    ("update_freq_incr", "true", "une durée (« 5 heures »)"),
    ("update_freq_incr", "1.5", "une durée (« 5 heures »)"),
    ("internet_speed", "[1]", "un débit (« 10 MBit/s », « illimité »)"),
    ("internet_speed", "1.5", "un débit (« 10 MBit/s », « illimité »)"),
])
def test_a_value_of_the_wrong_type_names_the_type_expected(key: str, raw: str,
                                                           expected: str) -> None:
    assert _refusal(key, f"valeur = {raw}\n") == (
        f"r.toml, ligne 10 : « {key} » : type invalide {raw}, attendu {expected}.")


def test_a_choice_the_screen_refuses_lists_the_accepted_ones() -> None:
    assert _refusal("image_file_format", 'valeur = "vhd2"\n') == (
        "r.toml, ligne 10 : « image_file_format » : valeur \"vhd2\" refusée par l'écran "
        "d'UrBackup (valeurs acceptées : default, vhd, vhdz, vhdx, vhdxz, cowraw).")


def test_an_unknown_setting_names_three_close_ones_or_none() -> None:
    assert _refusal("max_file_ful", "valeur = 1\n") == (
        "r.toml, ligne 7 : réglage UrBackup inconnu « max_file_ful » (absent du catalogue des "
        "réglages d'UrBackup 2.5 ; réglages proches : max_file_full, min_file_full, "
        "max_image_full).")
    assert _refusal("zzzz", "valeur = 1\n") == (
        "r.toml, ligne 7 : réglage UrBackup inconnu « zzzz » (absent du catalogue des réglages "
        "d'UrBackup 2.5).")


def test_a_pattern_without_the_pattern_rule_is_refused_on_its_line() -> None:
    assert _refusal("max_file_full", 'valeur = 10\nmotif = "[0-9]+"\n') == (
        "r.toml, ligne 11 : « max_file_full » : « motif » ne sert qu'avec la règle « motif ».")


def test_the_smallest_documented_duration_and_count() -> None:
    assert _refusal("update_freq_incr", "valeur = 0\n") == (
        "r.toml, ligne 10 : « update_freq_incr » : une durée documentée doit être positive.")
    assert _rule("update_freq_incr", "valeur = 1\n").documented == 1
    assert _rule("max_file_full", "valeur = 0\n").documented == 0


def test_no_speed_limit_can_be_documented_as_equal() -> None:
    rule = _rule("internet_speed", 'valeur = "illimité"\n')
    assert (rule.documented, rule.expected_text(), rule.check(-1), rule.check(128)) == (
        -1, "illimité", True, False)


def test_at_least_a_speed_is_met_by_no_limit_and_by_the_speed_itself() -> None:
    rule = _rule("internet_speed", 'valeur = "10 MBit/s"\nregle = "au_moins"\n')
    accepted = [-1, 1310720, "20 MBit/s"]
    refused = [1310719, "5 MBit/s"]
    assert [rule.check(value) for value in accepted + refused] == [True] * 3 + [False] * 2
    assert rule.expected_text() == "au moins 10 MBit/s"


SECTION = 'schema = 1\n\n[sections.s]\ntitre = "S"\ndoc = "s"\n'
RULE = '\n[reglages.{key}]\nsection = "s"\nvaleur = {value}\nraison = "R."\n'


def _parsed(text: str) -> baseline.Baseline:
    return baseline.parse(text.encode(), "r.toml")


def _refused(text: str) -> str:
    with pytest.raises(baseline.BaselineError) as refused:
        _parsed(text)
    return refused.value.message


def test_empty_tables_are_refused() -> None:
    assert _refused("schema = 1\n\n[sections]\n") == (
        "r.toml, ligne 1 : aucune section : il faut une table [sections.NOM] au moins.")
    assert _refused(SECTION + "\n[reglages]\n") == (
        "r.toml, ligne 1 : aucun réglage : il faut une table [reglages.CLE] au moins.")


def test_a_wrong_schema_is_refused_on_its_line() -> None:
    assert _refused("# Référentiel\n\nschema = 2\n") == (
        "r.toml, ligne 3 : « schema = 1 » attendu (version du format du référentiel).")


def test_an_unknown_field_of_a_section_is_refused() -> None:
    assert _refused('schema = 1\n\n[sections.s]\ntitre = "S"\ndoc = "s"\ncouleur = "bleu"\n'
                    + RULE.format(key="max_file_full", value=10)) == (
        "r.toml, ligne 3 : champ inconnu « couleur » dans la section « s » (attendu : titre, "
        "doc).")


def test_a_minimum_may_equal_its_maximum() -> None:
    parsed = _parsed(SECTION + RULE.format(key="min_file_full", value=10)
                     + RULE.format(key="max_file_full", value=10))
    assert [(r.key, r.documented) for r in parsed.rules.values()] == [
        ("min_file_full", 10), ("max_file_full", 10)]

"""Setting values both ways, exactly: what the server stores read as the rules compare it, and
shown as a French reader reads it (checks/audit/values.py, its public functions)."""

from __future__ import annotations

from typing import Any

import pytest

from checks.audit import values
from checks.audit.catalogue import Kind


@pytest.mark.parametrize(("raw", "seconds"), [
    (18000, 18000), ("18000", 18000), (" 5 heures ", 18000), ("5h", 18000), ("1 heure", 3600),
    ("5 H", 18000), ("30 jours", 2592000), ("1 j", 86400), ("2d", 172800), ("90 min", 5400),
    ("1 minute", 60), ("2 minutes", 120), ("45 s", 45), ("3 sec", 3), ("1 seconde", 1),
    ("4 secondes", 4), ("1 jour", 86400), ("2 semaines", 1209600), ("1 semaine", 604800),
    ("-18000", -18000), ("-5 heures", -18000), (-1, -1),
])
def test_durations_are_read_in_seconds(raw: Any, seconds: int) -> None:
    assert values.parse_duration(raw) == seconds


@pytest.mark.parametrize(("raw", "message"), [
    (True, "durée invalide : True"),
    ("cinq heures", "durée invalide : « cinq heures » (exemples : 5 heures, 30 jours, 18000)"),
    ("5 lunes", "unité de durée inconnue : « lunes » dans « 5 lunes »"),
    ("", "durée invalide : «  » (exemples : 5 heures, 30 jours, 18000)"),
])
def test_a_duration_that_is_not_one_is_refused_in_french(raw: Any, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        values.parse_duration(raw)
    assert str(refused.value) == message


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0 seconde"), (1, "1 seconde"), (59, "59 secondes"), (60, "1 minute"),
    (3600, "1 heure"), (18000, "5 heures"), (5400, "1 heure 30 minutes"), (86400, "1 jour"),
    (2592000, "30 jours"), (90061, "1 jour 1 heure 1 minute 1 seconde"),
    (86460, "1 jour 1 minute"), (90060, "1 jour 1 heure 1 minute"),
    (-18000, "désactivée (5 heures)"),
])
def test_durations_are_shown_in_french(seconds: int, text: str) -> None:
    assert values.format_duration(seconds) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (86400, "un jour"), (3600, "une heure"), (60, "une minute"), (1, "une seconde"),
    (18000, "5 heures"), (5400, "1 heure 30 minutes"),
])
def test_durations_are_spelled_in_running_french(seconds: int, text: str) -> None:
    assert values.spelled_duration(seconds) == text


def test_de_is_elided_before_un_and_une() -> None:
    assert values.of("un jour") == "d'un jour"
    assert values.of("une heure") == "d'une heure"
    assert values.of("5 heures") == "de 5 heures"


@pytest.mark.parametrize(("count", "kwargs", "text"), [
    (1, {}, "un écart"), (1, {"feminine": True}, "une écart"), (3, {}, "3 écarts"),
    (0, {}, "0 écart"), (0.5, {}, "0,5 écart"), (1.5, {}, "1,5 écart"), (2, {}, "2 écarts"),
    (2.5, {}, "2,5 écarts"),
    (2, {"many": "audits impossibles"}, "2 audits impossibles"),
])
def test_counts_agree_with_their_noun(count: float, kwargs: dict[str, Any], text: str) -> None:
    assert values.plural(count, "écart", **kwargs) == text


@pytest.mark.parametrize(("raw", "text"), [
    ("1-7/0-24", "tous les jours, à toute heure"),
    ("1-5/8-18", "du lundi au vendredi, de 8 h à 18 h"),
    ("mon-fri/8:30-17;sat,sun/0-24",
     "du lundi au vendredi, de 8 h 30 à 17 h ; samedi et dimanche, à toute heure"),
    ("6/0-24", "samedi, à toute heure"),
    ("1,3/8-12,14-18", "lundi et mercredi, de 8 h à 12 h et de 14 h à 18 h"),
    ("lun-mer/9:05-24", "du lundi au mercredi, de 9 h 05 à 24 h"),
    ("1/8:31-17:59", "lundi, de 8 h 31 à 17 h 59"),
    ("1-2/0-24", "lundi et mardi, à toute heure"),
    ("7,1,1/0-24", "lundi et dimanche, à toute heure"),
    ("1,3,5/0-24", "lundi, mercredi et vendredi, à toute heure"),
    ("1,3,5,7/0-24", "lundi, mercredi, vendredi et dimanche, à toute heure"),
    ("Lundi-VENDREDI/8-18", "du lundi au vendredi, de 8 h à 18 h"),
    ("monday,sunday/0-24", "lundi et dimanche, à toute heure"),
])
def test_backup_windows_are_shown_in_french(raw: str, text: str) -> None:
    assert values.format_window(raw) == text


def test_a_window_is_read_into_days_and_hours() -> None:
    assert values.parse_window("mon-fri/8:30-17;7/0-24") == (
        values.Span((1, 2, 3, 4, 5), ((8.5, 17.0),)), values.Span((7,), ((0.0, 24.0),)))


@pytest.mark.parametrize(("raw", "message"), [
    ("", "plage horaire vide"),
    ("1-7", "plage horaire sans « / » : « 1-7 » (exemple : 1-7/0-24)"),
    ("1-7/8", "plage d'heures invalide : « 8 » (exemple : 8-18)"),
    ("8/0-24", "jour inconnu : « 8 » (1 à 7, ou mon…sun)"),
    ("0/0-24", "jour inconnu : « 0 » (1 à 7, ou mon…sun)"),
    ("5-1/0-24", "plage de jours à l'envers : « 5-1 »"),
    ("1,/0-24", "jour manquant"),
    ("1/8-25", "heure hors limites : « 25 »"),
    ("1/8-24:30", "heure hors limites : « 24:30 »"),
    ("1/8:60-9", "heure hors limites : « 8:60 »"),
    ("1/h-9", "heure invalide : « h »"),
    ("monday2/0-24", "jour inconnu : « monday2 » (1 à 7, ou mon…sun)"),
    ("Fri-Mon/0-24", "plage de jours à l'envers : « fri-mon »"),
    ("1-7/0-24/8", "heure invalide : « 24/8 »"),
    ("1/8-18-20", "heure invalide : « 18-20 »"),
])
def test_a_window_that_is_not_one_is_refused_in_french(raw: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        values.parse_window(raw)
    assert str(refused.value) == message


@pytest.mark.parametrize(("raw", "host"), [
    ("SMTP.Inspee.RE", "smtp.inspee.re"), ("smtp.inspee.re.", "smtp.inspee.re"),
    (" 10.20.30.40 ", "10.20.30.40"), ("[::1]", "::1"), ("relais", "relais"),
    ("a" * 63 + ".fr", "a" * 63 + ".fr"),
    (("a" * 63 + ".") * 3 + "a" * 61, ("a" * 63 + ".") * 3 + "a" * 61),
])
def test_hosts_are_names_or_addresses(raw: str, host: str) -> None:
    assert values.parse_host(raw) == host


@pytest.mark.parametrize("raw", ["smtp inspee", "-smtp.fr", "smtp-.fr", "1.2.3", "",
                                 "a" * 64 + ".fr", "a." * 127 + "fr",
                                 ("a" * 63 + ".") * 3 + "a" * 62, "X::1"])
def test_what_is_not_a_host_is_refused(raw: str) -> None:
    with pytest.raises(ValueError) as refused:
        values.parse_host(raw)
    assert str(refused.value) == f"« {raw.strip()} » n'est ni un nom d'hôte ni une adresse IP"


@pytest.mark.parametrize(("raw", "address"), [
    ("Support@Inspeere.COM", "Support@inspeere.com"), (" a.b+c@d.fr ", "a.b+c@d.fr"),
    ("x@10.0.0.1", "x@10.0.0.1"), ("a" * 64 + "@inspee.re", "a" * 64 + "@inspee.re"),
])
def test_addresses_keep_their_local_part_and_lower_their_domain(raw: str,
                                                                 address: str) -> None:
    assert values.parse_address(raw) == address


@pytest.mark.parametrize(("raw", "why"), [
    ("pas-une-adresse", ""), ("@inspee.re", ""), ("a..b@inspee.re", ""),
    ("a@b@", ""), ("a" * 65 + "@inspee.re", ""), ("a@localhost", " (domaine incomplet)"),
    ("a@-inspee.re", ""), ("x@fe80::1%a.b@c", ""),
])
def test_what_is_not_an_address_is_refused(raw: str, why: str) -> None:
    with pytest.raises(ValueError) as refused:
        values.parse_address(raw)
    assert str(refused.value) == f"« {raw} » n'est pas une adresse e-mail{why}"


@pytest.mark.parametrize(("raw", "sender"), [
    ("Sauvegardes <sauvegarde@Inspee.re>", "Sauvegardes <sauvegarde@inspee.re>"),
    ("<sauvegarde@inspee.re>", "sauvegarde@inspee.re"),
    ('"Inspeere, support" <support@inspeere.com>', '"Inspeere, support" <support@inspeere.com>'),
    ("support@inspeere.com", "support@inspeere.com"),
])
def test_a_sender_is_an_address_or_a_named_address(raw: str, sender: str) -> None:
    assert values.parse_mailbox(raw) == sender


def test_a_sender_with_a_bad_name_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        values.parse_mailbox("Nom; autre <a@b.fr>")
    assert str(refused.value) == "« Nom; autre <a@b.fr> » : nom affiché invalide devant l'adresse"


def test_recipients_are_split_on_both_separators() -> None:
    assert values.parse_addresses("a@b.fr; c@d.fr,e@f.fr;") == "a@b.fr;c@d.fr;e@f.fr"
    assert values.parse_addresses("  ") == ""
    with pytest.raises(ValueError) as refused:
        values.parse_addresses(" ;; ")
    assert str(refused.value) == "« ;; » ne contient aucune adresse e-mail"


@pytest.mark.parametrize(("raw", "value"), [
    (True, True), (False, False), ("true", True), (" TRUE ", True), ("1", True), ("oui", True),
    ("vrai", True), ("false", False), ("0", False), ("", False), ("non", False),
    ("faux", False),
])
def test_booleans(raw: Any, value: bool) -> None:
    assert values.parse_bool(raw) is value


def test_a_boolean_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        values.parse_bool("peut-être")
    assert str(refused.value) == "booléen invalide : « peut-être » (true ou false)"


def test_an_interval_list_without_value_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        values.worst_interval(" ; ")
    assert str(refused.value) == "intervalle invalide : «  ;  »"
    assert values.worst_interval("3600@1-5/8-18; ;7200") == 7200


def test_an_interval_is_the_value_before_its_first_at() -> None:
    assert values.worst_interval("86400@1-5/8-18@x;7200") == 86400


@pytest.mark.parametrize(("raw", "speed"), [
    (1310720, 1310720), ("1310720", 1310720), (1, 1), (-1, -1), (0, -1), ("0", -1),
    ("illimité", -1), ("Illimite", -1), ("-", -1), ("", -1), ("  ", -1),
    ("10 MBit/s", 1310720), ("800 KBit/s", 102400), ("1,5 Mo/s", 1572864),
    ("1.5 mo/s", 1572864), ("8 bit/s", 1), ("2 Ko/s", 2048), ("3 o/s", 3),
    ("1 GBit/s", 134217728),
    ("1310720@1-5/8-18", 1310720), ("1310720;2621440", 2621440),
    ("1310720@1-5/8-18;2621440", 2621440), ("2621440@1-5/8-18;1310720", 2621440),
    ("1310720@1-5/8-18;-1", -1), ("-1;1310720@1-5/8-18", -1),
    ("1310720@1-5/8-18@x", 1310720),
])
def test_speeds_are_read_in_bytes_per_second(raw: Any, speed: int) -> None:
    assert values.parse_speed(raw) == speed


@pytest.mark.parametrize(("raw", "message"), [
    (True, "débit invalide : True"),
    (" ; ", "débit invalide : «  ;  »"),
    ("10 km/h", "débit invalide : « 10 km/h » (exemples : 10 MBit/s, 800 KBit/s, illimité)"),
    (-21, "débit en part de la bande passante (20 %) : pas un nombre d'octets par seconde "
          "(« -21 »)"),
    ("-2", "débit en part de la bande passante (1 %) : pas un nombre d'octets par seconde "
           "(« -2 »)"),
])
def test_a_speed_that_is_not_one_is_refused_in_french(raw: Any, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        values.parse_speed(raw)
    assert str(refused.value) == message


@pytest.mark.parametrize(("speed", "text"), [
    (-1, "illimité"), (0, "illimité"), (1, "8 bit/s"), (100, "800 bit/s"), (128, "1 KBit/s"),
    (158, "1,2 KBit/s"), (192, "1,5 KBit/s"), (102400, "800 KBit/s"), (131072, "1 MBit/s"),
    (196608, "1,5 MBit/s"), (1310720, "10 MBit/s"),
    # rounded first, then whole or not: never « 1 024,0 »; bits grouped by thousands
    (131071, "1\u202f024 KBit/s"), (127, "1\u202f016 bit/s"), (131065, "1\u202f023,9 KBit/s"),
])
def test_speeds_are_shown_in_the_screen_s_units(speed: int, text: str) -> None:
    assert values.format_speed(speed) == text


@pytest.mark.parametrize(("kind", "raw", "value"), [
    (Kind.SECONDS, "18000@1-5/8-18;86400", 86400), (Kind.COUNT, " 40 ", 40),
    (Kind.PORT, 587, 587), (Kind.BOOL, "true", True), (Kind.WINDOW, " 1-7/0-24 ", "1-7/0-24"),
    (Kind.HOST, "SMTP.inspee.re", "smtp.inspee.re"), (Kind.MAILBOX, "a@B.fr", "a@b.fr"),
    (Kind.ADDRESSES, "a@b.fr,c@d.fr", "a@b.fr;c@d.fr"), (Kind.HOST, "", ""),
    (Kind.TEXT, None, ""), (Kind.TEXT, True, "true"), (Kind.TEXT, False, "false"),
    (Kind.TEXT, 12, "12"), (Kind.MAILBOX, None, ""),
])
def test_values_are_normalized_to_compare(kind: Kind, raw: Any, value: Any) -> None:
    assert values.normalize(kind, raw) == value


@pytest.mark.parametrize(("kind", "raw", "message"), [
    (Kind.COUNT, True, "nombre invalide : True"), (Kind.PORT, "x", "nombre invalide : « x »"),
    (Kind.WINDOW, "1-7", "plage horaire sans « / » : « 1-7 » (exemple : 1-7/0-24)"),
])
def test_values_that_are_not_of_their_kind_are_refused(kind: Kind, raw: Any,
                                                       message: str) -> None:
    with pytest.raises(ValueError) as refused:
        values.normalize(kind, raw)
    assert str(refused.value) == message


def test_values_are_posted_as_the_server_stores_them() -> None:
    assert values.to_server(Kind.BOOL, True) == "true"
    assert values.to_server(Kind.BOOL, False) == "false"
    assert values.to_server(Kind.SECONDS, 18000) == "18000"
    assert values.to_server(Kind.TEXT, "ALL_NONUSB") == "ALL_NONUSB"


@pytest.mark.parametrize(("kind", "value", "text"), [
    (Kind.TEXT, None, "(vide)"), (Kind.TEXT, "", "(vide)"), (Kind.SECONDS, 18000, "5 heures"),
    (Kind.BOOL, True, "oui"), (Kind.BOOL, False, "non"),
    (Kind.WINDOW, "1-5/8-18", "du lundi au vendredi, de 8 h à 18 h"),
    (Kind.WINDOW, "pas/une-fenetre", "pas/une-fenetre"),
    (Kind.VOLUMES, "ALL", "tous les volumes"),
    (Kind.VOLUMES, "ALL_NONUSB", "tous les volumes sauf USB"), (Kind.VOLUMES, "C;D", "C, D"),
    (Kind.ADDRESSES, "a@b.fr; c@d.fr,", "a@b.fr, c@d.fr"), (Kind.COUNT, 0, "0"),
])
def test_values_are_shown_in_french(kind: Kind, value: Any, text: str) -> None:
    assert values.display(kind, value) == text


def test_raw_values_are_shown_as_read_or_as_given() -> None:
    assert values.display_raw(Kind.SECONDS, "18000") == "5 heures"
    assert values.display_raw(Kind.SECONDS, "bientôt") == "bientôt"
    assert values.display_raw(Kind.PORT, "") == "(vide)"
    assert values.display_raw(Kind.PORT, " ") == "(vide)"
    assert values.display_raw(Kind.MAILBOX, "  ") == "(vide)"
    assert values.display_raw(Kind.TEXT, None) == "(vide)"

"""Setting values in both directions: as UrBackup stores them, and as a French reader reads them.

Durations are stored in seconds (« 5 heures »), speeds in bytes/s (« 10 MBit/s »), backup
windows as `days/hours[;...]` (« tous les jours, à toute heure »), booleans as JSON booleans
or "true"/"false" strings.
Every parser raises ValueError with a French message, and nothing else.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any

from checks.french.numbers import count as _count
from checks.french.numbers import decimal
from checks.french.numbers import plural as plural
from checks.settings.catalogue import Kind

_UNIT_SECONDS = {
    "s": 1, "sec": 1, "seconde": 1, "secondes": 1,
    "min": 60, "minute": 60, "minutes": 60,
    "h": 3600, "heure": 3600, "heures": 3600,
    "j": 86400, "jour": 86400, "jours": 86400, "d": 86400,
    "semaine": 604800, "semaines": 604800,
}
_DURATION = re.compile(r"^\s*(-?\d+)\s*([a-zé]*)\s*$", re.IGNORECASE)
_DAY_NAMES = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7,
              "lun": 1, "mar": 2, "mer": 3, "jeu": 4, "ven": 5, "sam": 6, "dim": 7}
_DAY_FR = {1: "lundi", 2: "mardi", 3: "mercredi", 4: "jeudi", 5: "vendredi", 6: "samedi",
           7: "dimanche"}
_HOUR = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")


def parse_duration(raw: Any) -> int:
    """Seconds from 18000, "18000", "5 heures", "5h", "30 jours", "90 min"."""
    if isinstance(raw, bool):
        raise ValueError(f"durée invalide : {raw!r}")
    if isinstance(raw, int):
        return raw
    match = _DURATION.match(str(raw))
    if not match:
        raise ValueError(f"durée invalide : « {raw} » (exemples : 5 heures, 30 jours, 18000)")
    number, unit = int(match.group(1)), match.group(2).lower()
    if unit not in _UNIT_SECONDS and unit != "":
        raise ValueError(f"unité de durée inconnue : « {unit} » dans « {raw} »")
    return number * _UNIT_SECONDS.get(unit, 1)


def format_duration(seconds: int) -> str:
    """« 5 heures », « 30 jours », « 1 heure 30 minutes »; negative means disabled."""
    if seconds < 0:
        return f"désactivée ({format_duration(-seconds)})"
    if seconds == 0:
        return "0 seconde"
    parts = []
    for size, word in ((86400, "jour"), (3600, "heure"), (60, "minute"), (1, "seconde")):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(_count(count, word))
    return " ".join(parts[:2]) if len(parts) <= 2 else " ".join(parts)


def spelled_duration(seconds: int) -> str:
    """A duration in running French: « un jour », « une heure », « 5 heures »."""
    text = format_duration(seconds)
    if text.startswith("1 ") and len(text.split()) == 2:
        feminine = text.split()[1] in ("heure", "minute", "seconde")
        return ("une " if feminine else "un ") + text[2:]
    return text


def of(text: str) -> str:
    """« de » before a phrase, elided before « un »/« une » (« moins d'un jour »)."""
    return f"d'{text}" if text.startswith("un") else f"de {text}"


@dataclass(frozen=True)
class Span:
    days: tuple[int, ...]
    hours: tuple[tuple[float, float], ...]


def _days(text: str) -> tuple[int, ...]:
    days: list[int] = []
    for item in text.split(","):
        item = item.strip().lower()
        if not item:
            raise ValueError("jour manquant")
        first, _, last = item.partition("-")
        a, b = _day(first), _day(last) if last else _day(first)
        if a > b:
            raise ValueError(f"plage de jours à l'envers : « {item} »")
        days.extend(range(a, b + 1))
    return tuple(sorted(set(days)))


def _day(text: str) -> int:
    text = text.strip().lower()
    if text.isdigit() and 1 <= int(text) <= 7:
        return int(text)
    if text[:3] in _DAY_NAMES and text.isalpha():
        return _DAY_NAMES[text[:3]]
    raise ValueError(f"jour inconnu : « {text} » (1 à 7, ou mon…sun)")


def _hour(text: str) -> float:
    match = _HOUR.match(text.strip())
    if not match:
        raise ValueError(f"heure invalide : « {text} »")
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValueError(f"heure hors limites : « {text} »")
    return hours + minutes / 60


def parse_window(raw: str) -> tuple[Span, ...]:
    """`1-7/0-24`, `mon-fri/8-18;sat,sun/0-24`, `1-5/8:30-17` into spans."""
    text = str(raw).strip()
    if not text:
        raise ValueError("plage horaire vide")
    spans = []
    for part in text.split(";"):
        days, slash, hours = part.partition("/")
        if not slash:
            raise ValueError(f"plage horaire sans « / » : « {part} » (exemple : 1-7/0-24)")
        ranges = []
        for item in hours.split(","):
            start, dash, end = item.partition("-")
            if not dash:
                raise ValueError(f"plage d'heures invalide : « {item} » (exemple : 8-18)")
            ranges.append((_hour(start), _hour(end)))
        spans.append(Span(_days(days), tuple(ranges)))
    return tuple(spans)


def _format_hour(value: float) -> str:
    hours, minutes = int(value), round((value - int(value)) * 60)
    return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"


def _format_days(days: tuple[int, ...]) -> str:
    if days == tuple(range(1, 8)):
        return "tous les jours"
    if len(days) > 2 and days == tuple(range(days[0], days[-1] + 1)):
        return f"du {_DAY_FR[days[0]]} au {_DAY_FR[days[-1]]}"
    names = [_DAY_FR[d] for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def format_window(raw: str) -> str:
    """« tous les jours, à toute heure », « du lundi au vendredi, de 8 h à 18 h »."""
    parts = []
    for span in parse_window(raw):
        hours = []
        for start, end in span.hours:
            hours.append("à toute heure" if (start, end) == (0, 24)
                         else f"de {_format_hour(start)} à {_format_hour(end)}")
        parts.append(f"{_format_days(span.days)}, {' et '.join(hours)}")
    return " ; ".join(parts)


_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_DISPLAY = re.compile(r'^(?:"[^"\\<>\x00-\x1f\x7f]*"|[^"<>\x00-\x1f\x7f;,]*)$')
_NAMED = re.compile(r"^(?P<name>.*?)\s*<(?P<address>[^<>]*)>$")
_SEPARATORS = re.compile(r"[;,]")


def parse_host(raw: Any) -> str:
    """A host name (« smtp.inspee.re ») or an IP address, as an SMTP server is given."""
    text = str(raw).strip()
    try:
        return str(ipaddress.ip_address(text.strip("[]")))
    except ValueError:
        pass
    name = text.removesuffix(".")
    labels = name.split(".")
    if not name or len(name) > 253 or not all(_LABEL.match(label) for label in labels) \
            or labels[-1].isdigit():
        raise ValueError(f"« {text} » n'est ni un nom d'hôte ni une adresse IP")
    return name.lower()


def parse_address(raw: Any) -> str:
    """One bare mail address (« support@inspeere.com »): a local part, @, a host name."""
    text = str(raw).strip()
    local, at, domain = text.rpartition("@")
    if not at or not _LOCAL.match(local) or len(local) > 64:
        raise ValueError(f"« {text} » n'est pas une adresse e-mail")
    try:
        host = parse_host(domain)
    except ValueError:
        raise ValueError(f"« {text} » n'est pas une adresse e-mail") from None
    if "." not in host:
        raise ValueError(f"« {text} » n'est pas une adresse e-mail (domaine incomplet)")
    return f"{local}@{host}"


def parse_mailbox(raw: Any) -> str:
    """A sender: an address, or « Nom <adresse> » as UrBackup passes it to the mail header."""
    text = str(raw).strip()
    named = _NAMED.match(text)
    if named is None:
        return parse_address(text)
    name = named.group("name").strip()
    if not _DISPLAY.match(name):
        raise ValueError(f"« {text} » : nom affiché invalide devant l'adresse")
    address = parse_address(named.group("address"))
    return f"{name} <{address}>" if name else address


def parse_addresses(raw: Any) -> str:
    """Recipients separated by « ; » or « , » (UrBackup splits on both), each an address."""
    found = [parse_address(item) for item in _SEPARATORS.split(str(raw)) if item.strip()]
    if not found and str(raw).strip():
        raise ValueError(f"« {str(raw).strip()} » ne contient aucune adresse e-mail")
    return ";".join(found)


def parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "oui", "vrai"):
        return True
    if text in ("false", "0", "", "non", "faux"):
        return False
    raise ValueError(f"booléen invalide : « {raw} » (true ou false)")


def worst_interval(raw: Any) -> int:
    """The longest interval of a time-span-value list (`3600@1-5/8-18;7200`), in seconds."""
    values = []
    for item in str(raw).split(";"):
        value = item.split("@", 1)[0].strip()
        if value:
            values.append(parse_duration(value))
    if not values:
        raise ValueError(f"intervalle invalide : « {raw} »")
    return max(values)


_SPEED_UNITS = {"bit/s": 1 / 8, "kbit/s": 128, "mbit/s": 131072, "gbit/s": 134217728,
                "o/s": 1, "ko/s": 1024, "mo/s": 1048576}
"""Bytes per second of each unit, as UrBackup counts them (its KBit/s is 1024 bits/s)."""
_SPEED = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([a-z/]*)\s*$", re.IGNORECASE)
UNLIMITED = -1
"""A speed of -1 or 0: no limit."""


def parse_speed(raw: Any) -> int:
    """Bytes/s from the server's text (1310720, "-1", a time-span-value list, whose fastest
    value counts) or a writer's (« 10 MBit/s », « 800 KBit/s », « illimité »). No limit is -1.

    A share of the bandwidth (local_speed below -1, « 20 % ») has no bytes/s: refused.
    """
    if isinstance(raw, bool):
        raise ValueError(f"débit invalide : {raw!r}")
    if isinstance(raw, int):
        return _speed_value(raw, raw)
    text = str(raw).strip()
    if text.casefold() in ("illimité", "illimite", "-", ""):
        return UNLIMITED
    if "@" in text or ";" in text:
        found = [parse_speed(item.split("@", 1)[0]) for item in text.split(";") if item.strip()]
        if not found:
            raise ValueError(f"débit invalide : « {raw} »")
        return UNLIMITED if UNLIMITED in found else max(found)
    if re.fullmatch(r"-?\d+", text):
        return _speed_value(int(text), raw)
    match = _SPEED.match(text)
    if not match or match.group(2).casefold() not in _SPEED_UNITS:
        raise ValueError(f"débit invalide : « {raw} » (exemples : 10 MBit/s, 800 KBit/s, "
                         "illimité)")
    number = float(match.group(1).replace(",", "."))
    return _speed_value(round(number * _SPEED_UNITS[match.group(2).casefold()]), raw)


def _speed_value(number: int, raw: Any) -> int:
    if number in (0, UNLIMITED):
        return UNLIMITED
    if number < 0:
        raise ValueError(f"débit en part de la bande passante ({-number - 1} %) : pas un "
                         f"nombre d'octets par seconde (« {raw} »)")
    return number


def format_speed(value: int) -> str:
    """« 10 MBit/s », « 800 KBit/s », « illimité »: UrBackup's screen units."""
    if value <= 0:
        return "illimité"
    for unit, size in (("MBit/s", 131072), ("KBit/s", 128)):
        if value >= size:
            shown = round(value / size, 1)  # whole or not once rounded: never « 1 024,0 »
            return f"{decimal(shown, 0 if shown == int(shown) else 1)} {unit}"
    return f"{decimal(value * 8)} bit/s"


def normalize(kind: Kind, raw: Any) -> Any:
    """A comparable value: seconds, counts and ports as int, booleans as bool, else text."""
    if kind is Kind.SECONDS:
        return worst_interval(raw)
    if kind in (Kind.COUNT, Kind.PORT):
        if isinstance(raw, bool):
            raise ValueError(f"nombre invalide : {raw!r}")
        try:
            return int(str(raw).strip())
        except ValueError:
            raise ValueError(f"nombre invalide : « {raw} »") from None
    if kind is Kind.BOOL:
        return parse_bool(raw)
    if kind is Kind.SPEED:
        return parse_speed(raw)
    if kind is Kind.WINDOW:
        parse_window(str(raw))
        return str(raw).strip()
    checked = {Kind.HOST: parse_host, Kind.MAILBOX: parse_mailbox,
               Kind.ADDRESSES: parse_addresses}.get(kind)
    if checked is not None and raw is not None and str(raw).strip():
        return checked(raw)
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return str(raw)


def to_server(kind: Kind, value: Any) -> str:
    """The text to post in a *_save call for a normalized value."""
    if kind is Kind.BOOL:
        return "true" if value else "false"
    return str(value)


def display(kind: Kind, value: Any) -> str:
    """A normalized value as a French reader expects it; blank is « (vide) »."""
    if value is None or str(value).strip() == "":
        return "(vide)"
    if kind is Kind.SECONDS:
        return format_duration(int(value))
    if kind is Kind.BOOL:
        return "oui" if value else "non"
    if kind is Kind.SPEED:
        return format_speed(int(value))
    if kind is Kind.WINDOW:
        try:
            return format_window(str(value))
        except ValueError:
            return str(value)
    if kind is Kind.VOLUMES:
        return {"ALL": "tous les volumes", "ALL_NONUSB": "tous les volumes sauf USB"}.get(
            str(value), str(value).replace(";", ", "))
    if kind is Kind.ADDRESSES:
        return ", ".join(a.strip() for a in re.split(r"[;,]", str(value)) if a.strip())
    return str(value)


def display_raw(kind: Kind, raw: Any) -> str:
    """A value as the server gave it, shown in French; unparsable values shown as they are
    (a blank one is still « (vide) »: a number left empty)."""
    try:
        return display(kind, normalize(kind, raw))
    except ValueError:
        return str(raw) if str(raw).strip() else display(kind, "")

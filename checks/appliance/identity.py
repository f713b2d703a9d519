"""Appliance identity: a DATIS is known by 4 hex digits, the end of its MAC address.

Its management interface is `https://backup.<identifier in lower case>.<domain>`. Every parser
here raises IdentityError (a usage error) with a French message, and nothing else.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from checks.errors import UsageError

DEFAULT_DOMAIN = "inspee.re"

_IDENTIFIER = re.compile(r"^[0-9A-Fa-f]{4}$")
_MAC_SEPARATED = re.compile(r"^[0-9A-Fa-f]{2}([:\-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}$")
_MAC_DOTTED = re.compile(r"^(?:[0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}$")
_MAC_BARE = re.compile(r"^[0-9A-Fa-f]{12}$")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class IdentityError(UsageError):
    """A malformed identifier, MAC address, domain or URL."""


@dataclass(frozen=True)
class Appliance:
    """How to reach one appliance: its URL, and its identifier when known."""

    url: str
    identifier: str | None = None


def _shown(text: str) -> str:
    printable = "".join(ch if ch.isprintable() else "?" for ch in text)
    return printable if len(printable) <= 60 else printable[:57] + "..."


def parse_identifier(text: str) -> str:
    """`1a2b` -> `1A2B`; exactly four hexadecimal digits."""
    candidate = text.strip()
    if not _IDENTIFIER.match(candidate):
        raise IdentityError(
            f"Identifiant DATIS invalide : « {_shown(text)} ». Il faut exactement 4 chiffres "
            "hexadécimaux (0-9, A-F), les 4 derniers de l'adresse MAC, par exemple 1A2B."
        )
    return candidate.upper()


def mac_digits(text: str) -> str:
    """The 12 hex digits of a MAC in any common notation (colons, dashes, dots, none)."""
    candidate = text.strip()
    if _MAC_SEPARATED.match(candidate) or _MAC_DOTTED.match(candidate) or _MAC_BARE.match(
        candidate
    ):
        return re.sub(r"[^0-9A-Fa-f]", "", candidate).upper()
    raise IdentityError(
        f"Adresse MAC invalide : « {_shown(text)} ». Formats acceptés : 00:25:90:AB:1A:2B, "
        "00-25-90-AB-1A-2B, 0025.90AB.1A2B ou 002590AB1A2B."
    )


def identifier_from_mac(text: str) -> str:
    return mac_digits(text)[-4:]


def check_domain(domain: str) -> str:
    candidate = domain.strip().lower().rstrip(".")
    if not _DOMAIN.match(candidate):
        raise IdentityError(f"Domaine invalide : « {_shown(domain)} » (exemple : inspee.re).")
    return candidate


def management_url(identifier: str, domain: str = DEFAULT_DOMAIN) -> str:
    """`1A2B` -> `https://backup.1a2b.inspee.re`."""
    return f"https://backup.{parse_identifier(identifier).lower()}.{check_domain(domain)}"


def _valid_host(netloc: str, host: str) -> bool:
    """An IP address, or a DNS name whose labels are well formed (IDN allowed)."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        if "[" in netloc:
            return False
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.split(".")
    return (len(ascii_host) <= 253 and not all(label.isdigit() for label in labels)
            and all(_HOST_LABEL.match(label) for label in labels))


def check_url(text: str) -> str:
    """An http(s) URL with a host, without credentials, query or fragment."""
    candidate = text.strip()
    shown = _shown(re.sub(r"//[^/?#]*@", "//…@", text))  # never echo a password given in a URL
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(ch.isspace() or not ch.isprintable() for ch in candidate)
        or not _valid_host(parts.netloc.rpartition("@")[2], parts.hostname)
        or port == 0
    ):
        raise IdentityError(
            f"Adresse invalide : « {shown} ». Attendu : https://backup.1a2b.inspee.re "
            "ou http://hôte:port."
        )
    if "@" in parts.netloc:
        raise IdentityError("L'adresse ne doit pas contenir d'identifiants (utilisateur:mot de "
                            "passe@) : le mot de passe se donne par DATIS_PASSWORD.")
    if parts.query or parts.fragment:
        raise IdentityError(f"Adresse invalide : « {shown} » (pas de ? ni de #).")
    del port
    return candidate.rstrip("/")


def identifier_from_url(url: str, domain: str = DEFAULT_DOMAIN) -> str | None:
    """The identifier when the URL is a DATIS management URL, else None."""
    host = (urlsplit(url).hostname or "").lower()
    match = re.fullmatch(rf"backup\.([0-9a-f]{{4}})\.{re.escape(domain)}", host)
    return match.group(1).upper() if match else None


def resolve(*, datis: str | None = None, mac: str | None = None, url: str | None = None,
            domain: str = DEFAULT_DOMAIN) -> Appliance:
    """One appliance from exactly one of an identifier, a MAC address or a URL."""
    given = [name for name, value in (("--datis", datis), ("--mac", mac), ("--url", url))
             if value is not None]
    if len(given) != 1:
        raise IdentityError("Indiquez l'appliance par un seul moyen : --datis IDENTIFIANT, "
                            "--mac ADRESSE ou --url ADRESSE.")
    if datis is not None:
        identifier = parse_identifier(datis)
        return Appliance(management_url(identifier, domain), identifier)
    if mac is not None:
        identifier = identifier_from_mac(mac)
        return Appliance(management_url(identifier, domain), identifier)
    assert url is not None
    checked = check_url(url)
    return Appliance(checked, identifier_from_url(checked, check_domain(domain)))

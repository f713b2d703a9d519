"""Fleet audits: many appliances from an inventory, audited concurrently, each on its own.

The inventory (TOML) names appliances by identifier, MAC or URL, with an optional label and
user; passwords never live in it (a separate passwords file, or the environment). One
appliance's failure is its own result and never touches another's.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from checks.appliance.identity import Appliance, resolve
from checks.audit import rules, waivers
from checks.audit import run as auditing
from checks.audit.baseline import Baseline
from checks.audit.findings import Audit
from checks.audit.run import Connection
from checks.errors import DatisError, ExitCode, InternalError, UsageError
from checks.files import atomic, oserrors, tomlfile
from checks.operations import history, spread
from checks.reports import Format, render

SCHEMA = 1
_FIELDS = frozenset({"datis", "mac", "url", "nom", "utilisateur"})
_FORBIDDEN = re.compile(r"(pass|mdp|mot_de_passe|secret)", re.IGNORECASE)


class InventoryError(UsageError):
    """An inventory or passwords file that cannot be used (file, line, reason)."""


@dataclass(frozen=True)
class Entry:
    name: str
    appliance: Appliance
    user: str
    line: int

    @property
    def slug(self) -> str:
        """A file name for this appliance's reports: the name of its history folder."""
        return history.slug(self.appliance.identifier, self.appliance.url)


@dataclass(frozen=True)
class Result:
    entry: Entry
    audit: Audit | None
    error: str | None
    exit_code: int
    seconds: float
    files: tuple[str, ...] = ()
    """The appliance's report files, as written in the output folder."""


def load_inventory(path: str | Path, domain: str) -> list[Entry]:
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InventoryError(f"Inventaire illisible : {source} ({oserrors.reason(exc)}).") from None
    try:
        doc, text = tomlfile.decode(data, str(source))
    except ValueError as exc:
        raise InventoryError(str(exc)) from None
    where = tomlfile.Locator(text)

    def fail(line: int, reason: str) -> InventoryError:
        return InventoryError(f"{source}, ligne {line} : {reason}")

    if doc.get("schema") != SCHEMA:
        raise fail(where.line("schema"), f"« schema = {SCHEMA} » attendu.")
    items = doc.get("appliance")
    if not isinstance(items, list) or not items:
        raise fail(1, "aucune appliance : il faut des blocs [[appliance]].")
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        line = where.line("appliance", index)
        if not isinstance(item, dict):
            raise fail(line, "chaque appliance est un bloc [[appliance]].")
        secret = next((k for k in item if _FORBIDDEN.search(k)), None)
        if secret is not None:
            raise fail(where.line("appliance", index, secret),
                       "aucun mot de passe dans l'inventaire : utilisez --passwords ou "
                       "les variables d'environnement.")
        extra = set(item) - _FIELDS
        if extra:
            key = sorted(extra)[0]
            raise fail(where.line("appliance", index, key),
                       f"champ inconnu « {key} » (attendu : {', '.join(sorted(_FIELDS))}).")
        ways = [key for key in ("datis", "mac", "url") if key in item]
        if len(ways) != 1:
            raise fail(line, "chaque appliance se désigne par un seul de ces champs : datis, "
                             f"mac ou url ({', '.join(ways) or 'aucun'} ici).")
        try:
            appliance = resolve(datis=_text(item.get("datis")), mac=_text(item.get("mac")),
                                url=_text(item.get("url")), domain=domain)
        except UsageError as exc:
            raise fail(line, exc.message) from None
        if appliance.url in seen:
            raise fail(line, f"appliance déjà listée ligne {seen[appliance.url]} "
                             f"({appliance.url}) : un seul audit par appliance.")
        seen[appliance.url] = line
        name = _text(item.get("nom")) or appliance.identifier or appliance.url
        entries.append(Entry(name, appliance, _text(item.get("utilisateur")) or "admin", line))
    return entries


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def load_passwords(path: str | Path) -> dict[str, str]:
    """`"1A2B" = "…"` or `"https://…" = "…"` lines: identifier or URL to password."""
    source = Path(path)
    try:
        doc, _ = tomlfile.decode(source.read_bytes(), str(source))
    except OSError as exc:
        raise InventoryError(f"Fichier de mots de passe illisible : {source} "
                             f"({oserrors.reason(exc)}).") from None
    except ValueError as exc:
        raise InventoryError(str(exc)) from None
    bad = next((k for k, v in doc.items() if not isinstance(v, str)), None)
    if bad is not None:
        raise InventoryError(f"{source} : « {bad} » doit valoir un mot de passe entre "
                             "guillemets.")
    return {k.upper() if len(k) == 4 else k.rstrip("/"): v for k, v in doc.items()}


def password_for(entry: Entry, passwords: Mapping[str, str],
                 environ: Mapping[str, str] = os.environ) -> str | None:
    identifier = entry.appliance.identifier
    if identifier and identifier in passwords:
        return passwords[identifier]
    if entry.appliance.url in passwords:
        return passwords[entry.appliance.url]
    if identifier and environ.get(f"DATIS_PASSWORD_{identifier}"):
        return environ[f"DATIS_PASSWORD_{identifier}"]
    return environ.get("DATIS_PASSWORD") or None


PER_PROCESS = 50
"""Appliances one process keeps up with before a second core is worth a process: a smaller
fleet waits on the network, not on the CPU."""


def processes_for(count: int) -> int:
    """Audit processes for a fleet of `count` appliances: one per core, each with at least
    PER_PROCESS appliances."""
    return max(1, min(spread.cores(), count // PER_PROCESS))


def run(entries: list[Entry], passwords: Mapping[str, str], baseline: Baseline,
        options: rules.AuditOptions, accepted: list[waivers.Waiver], connection: Connection,
        *, workers: int = 16, processes: int = 1,
        record: Callable[[Result], Result] | None = None,
        on_done: Callable[[Result], None] | None = None) -> list[Result]:
    """Audit every entry concurrently, `workers` at a time over `processes` processes;
    results in inventory order.

    `record` runs where the audit ran, in its thread, as soon as it ends, so that reports are
    written (and flushed to disk) while other audits still wait on the network; the result it
    returns (with the files written) is the one kept. `on_done` is then told each result, in
    this process.
    """

    def audited(entry: Entry) -> Result:
        started = time.perf_counter()
        own = replace(connection, user=entry.user, password=password_for(entry, passwords))
        try:
            audit = auditing.audit(entry.appliance, own, baseline, options, accepted)
        except DatisError as exc:
            return Result(entry, None, exc.message, int(exc.exit_code),
                          time.perf_counter() - started)
        except Exception as exc:  # one appliance's surprise never stops the others
            logging.getLogger(__name__).debug("erreur interne", exc_info=True)
            internal = InternalError(exc)
            return Result(entry, None, internal.message, int(internal.exit_code),
                          time.perf_counter() - started)
        code = ExitCode.COMPLIANT if audit.compliant else ExitCode.NOT_COMPLIANT
        return Result(entry, audit, None, int(code), time.perf_counter() - started)

    def one(entry: Entry) -> Result:
        result = audited(entry)
        return record(result) if record is not None else result

    results: dict[int, Result] = {}

    def done(index: int, result: Result) -> None:
        results[index] = result
        if on_done is not None:
            on_done(result)

    spread.run(entries, one, threads=workers, processes=processes, on_result=done)
    return [results[i] for i in range(len(entries))]


def exit_code(results: list[Result]) -> int:
    """4 on a defect of ours, else 2 if any appliance could not be audited, else 1 if any is
    not compliant, else 0."""
    codes = {r.exit_code for r in results}
    for code in (ExitCode.INTERNAL, ExitCode.USAGE, ExitCode.CANNOT_AUDIT,
                 ExitCode.NOT_COMPLIANT):
        if int(code) in codes:
            return int(ExitCode.CANNOT_AUDIT) if code is ExitCode.USAGE else int(code)
    return int(ExitCode.COMPLIANT)


_EXTENSIONS = {Format.JSON: "json", Format.JUNIT: "xml", Format.RST: "rst",
               Format.HTML: "html", Format.NAGIOS: "txt", Format.PROMETHEUS: "prom"}


class ReportWriter:
    """Writes each appliance's reports as its audit ends, then the fleet's summary pages.

    `write` is called from the audits' threads (or processes), each for its own appliance.
    """

    def __init__(self, folder: Path, formats: list[Format]) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"Dossier de sortie impossible : {folder} "
                             f"({oserrors.reason(exc)}).") from None
        self.folder = folder
        self.formats = formats

    def write(self, result: Result) -> Result:
        """The appliance's reports written; the result that names them."""
        if result.audit is None:
            return result
        written = []
        for fmt in self.formats:
            target = f"{result.entry.slug}.{_EXTENSIONS[fmt]}"
            try:
                atomic.write_text(self.folder / target, render(result.audit, fmt))
            except OSError as exc:
                raise UsageError(f"Rapport impossible à écrire : {self.folder / target} "
                                 f"({oserrors.reason(exc)}).") from None
            written.append(target)
        return replace(result, files=tuple(written))

    def finish(self, results: list[Result], *, color: bool, width: int) -> str:
        """Write index.html and flotte.json; returns the terminal summary, `width` wide."""
        from checks.reports import fleet as fleet_report

        files = {r.entry.slug: list(r.files) for r in results if r.files}
        atomic.write_text(self.folder / "index.html", fleet_report.to_html(results, files))
        atomic.write_text(self.folder / "flotte.json", fleet_report.to_json(results, files))
        return fleet_report.to_text(results, color=color, width=width)

"""The differences between two readings, in each format: text, JSON, HTML and reST.

The French sentences are written once (`sections`) and only laid out by each writer, so the
four formats say the same thing. Every value from the appliance is hostile text: cleaned here,
then escaped by the writer of each format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from checks import __version__
from checks.audit.diff import (
    SECRET_CHANGED,
    SECRET_NOTE,
    BackupChange,
    Diff,
    SettingChange,
    Side,
)
from checks.french.numbers import plural
from checks.french.typography import sentence, typeset, typeset_rst
from checks.reports import DiffFormat
from checks.reports.common import DEFAULT_WIDTH, clean, french_date, wrap
from checks.reports.jinja import templates
from checks.reports.rst import escape

SCHEMA = "datis-diff/1"


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


def title(diff: Diff) -> str:
    return f"Changements — {clean(diff.new.name, 120)}"


def describe(side: Side) -> str:
    return f"{clean(side.source, 200)}, {clean(side.name, 120)}, {french_date(side.date)}"


def summary(diff: Diff) -> str:
    if not diff.changed:
        return "Aucun changement entre les deux relevés."
    return sentence(f"{plural(diff.count, 'changement')} entre les deux relevés.")


def setting_line(change: SettingChange) -> str:
    who = f"{clean(change.client, 80)} — " if change.client else ""
    if change.secret:
        return (f"{who}{clean(change.label)} : {SECRET_CHANGED} ({change.old} → {change.new} ; "
                "valeur jamais affichée)")
    return f"{who}{clean(change.label)} : {clean(change.old)} → {clean(change.new)}"


def backup_line(change: BackupChange) -> str:
    kind = "image" if change.image else "de fichiers"
    last = f"dernière sauvegarde le {french_date(change.last)}" if change.last \
        else "aucune sauvegarde"
    if change.stopped:
        return (f"{clean(change.client, 80)} : la sauvegarde {kind} n'est plus à jour "
                f"({last}).")
    return f"{clean(change.client, 80)} : la sauvegarde {kind} est de nouveau à jour ({last})."


def sections(diff: Diff) -> list[Section]:
    """The changes in French, by kind; empty kinds are left out."""
    found = [
        Section("Réglages modifiés", tuple(setting_line(c) for c in diff.settings)),
        Section("Réglages propres à un client",
                tuple(f"{clean(c.client, 80)} — {clean(c.label)} : "
                      + (f"réglage propre ajouté ({clean(c.value)})" if c.added else
                         f"réglage propre retiré, la valeur héritée s'applique (était "
                         f"{clean(c.value)})")
                      for c in diff.overrides)),
        Section("Clients", tuple(f"{'Ajouté' if c.added else 'Retiré'} : {clean(c.name, 80)}"
                                 for c in diff.clients)),
        Section("Sauvegardes", tuple(backup_line(c) for c in diff.backups)),
    ]
    return [s for s in found if s.lines]


def uncompared_line(diff: Diff) -> str:
    if not diff.uncompared:
        return ""
    return f"{SECRET_NOTE} Renseignés dans les deux relevés : {', '.join(diff.uncompared)}."


class DiffWriter(Protocol):
    def render(self, diff: Diff) -> str: ...


class TextDiff:
    """At the terminal's width: each entry's next lines indented under its text."""

    def __init__(self, width: int = DEFAULT_WIDTH) -> None:
        self.width = width

    def render(self, diff: Diff) -> str:
        lines = [*self._wrap(title(diff)), "",
                 *self._wrap(f"Avant : {describe(diff.old)}", hanging="        "),
                 *self._wrap(f"Après : {describe(diff.new)}", hanging="        "), ""]
        for warning in diff.warnings:
            lines += self._wrap(f"Attention : {warning}", hanging="  ")
        lines += [""] if diff.warnings else []
        for section in sections(diff):
            lines += self._wrap(f"{section.title} ({len(section.lines)})")
            for line in section.lines:
                lines += self._wrap(line, indent="  - ", hanging="    ")
            lines.append("")
        note = uncompared_line(diff)
        lines += [*self._wrap(note), ""] if note else []
        lines += self._wrap(summary(diff))
        return typeset("\n".join(lines) + "\n")

    def _wrap(self, text: str, indent: str = "", hanging: str | None = None) -> list[str]:
        return wrap(text, self.width, indent=indent, hanging=hanging)


def _side_json(side: Side) -> dict[str, Any]:
    return {"source": side.source, "date": side.date.isoformat(), "url": side.url,
            "identifiant": side.identifier, "identite_serveur": side.server_identity}


def to_json(diff: Diff) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "outil": {"nom": "datis-audit", "version": __version__},
        "avant": _side_json(diff.old),
        "apres": _side_json(diff.new),
        "change": diff.changed,
        "avertissements": list(diff.warnings),
        "reglages": [{"cle": c.key, "libelle": c.label, "client": c.client,
                      "secret": c.secret, "avant": c.old, "apres": c.new,
                      **({"etat": SECRET_CHANGED} if c.secret else {})}
                     for c in diff.settings],
        "reglages_propres": [{"client": c.client, "cle": c.key, "libelle": c.label,
                              "changement": "ajouté" if c.added else "retiré",
                              "valeur": c.value} for c in diff.overrides],
        "clients": [{"nom": c.name, "changement": "ajouté" if c.added else "retiré"}
                    for c in diff.clients],
        "sauvegardes": [{"client": c.client, "type": c.kind,
                         "changement": "arrêtée" if c.stopped else "reprise",
                         "derniere": c.last.isoformat() if c.last else None}
                        for c in diff.backups],
        "secrets_non_comparables": list(diff.uncompared),
    }


class JsonDiff:
    def render(self, diff: Diff) -> str:
        return json.dumps(to_json(diff), ensure_ascii=False, indent=2) + "\n"


class HtmlDiff:
    def render(self, diff: Diff) -> str:
        return templates().get_template("diff.html.j2").render(
            title=title(diff), before=describe(diff.old), after=describe(diff.new),
            warnings=[clean(w) for w in diff.warnings], sections=sections(diff),
            note=uncompared_line(diff), summary=summary(diff), changed=diff.changed,
            version=__version__)


class RstDiff:
    def render(self, diff: Diff) -> str:
        heading = escape(title(diff))
        lines = [heading, "=" * max(4, len(heading) + 2), "",
                 f":Avant: {escape(describe(diff.old))}",
                 f":Après: {escape(describe(diff.new))}", ""]
        for warning in diff.warnings:
            lines += [".. warning::", "", f"   {escape(warning)}", ""]
        lines += [f"**{escape(summary(diff))}**", ""]
        for section in sections(diff):
            lines += [escape(section.title), "-" * (len(escape(section.title)) + 2), ""]
            lines += [f"- {escape(line)}" for line in section.lines]
            lines.append("")
        note = uncompared_line(diff)
        lines += [escape(note), ""] if note else []
        return typeset_rst("\n".join(lines))


def render(diff: Diff, fmt: DiffFormat, *, width: int = DEFAULT_WIDTH) -> str:
    """The differences in `fmt`; `width` is the terminal's, for the text."""
    writers: dict[DiffFormat, DiffWriter] = {DiffFormat.TEXT: TextDiff(width),
                                             DiffFormat.JSON: JsonDiff(),
                                             DiffFormat.HTML: HtmlDiff(),
                                             DiffFormat.RST: RstDiff()}
    return writers[fmt].render(diff)

"""The baseline of documented defaults: the one file writers edit, loaded and checked.

The docs render it, the Sphinx directives and datis-audit compare live values with it. A
malformed file is refused with a BaselineError naming the file, the line and the reason.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

from checks.appliance.model import is_set
from checks.errors import UsageError
from checks.files import oserrors, tomlfile
from checks.settings import values
from checks.settings.catalogue import SETTINGS, Kind, Setting, Store

SCHEMA = 1


class BaselineError(UsageError):
    """A baseline that cannot be used; the message names the file and the line."""


class Operator(Enum):
    EQUAL = "egal"
    AT_LEAST = "au_moins"
    AT_MOST = "au_plus"
    ONE_OF = "parmi"
    NOT_EMPTY = "non_vide"
    PATTERN = "motif"


OPERATOR_TEXT = {
    Operator.EQUAL: "égal à",
    Operator.AT_LEAST: "au moins",
    Operator.AT_MOST: "au plus",
    Operator.ONE_OF: "parmi",
    Operator.NOT_EMPTY: "renseigné",
    Operator.PATTERN: "conforme au motif",
}


NOT_EMPTY_TEXT = {
    Kind.HOST: "un nom d'hôte ou une adresse IP",
    Kind.MAILBOX: "une adresse e-mail",
    Kind.ADDRESSES: "des adresses e-mail séparées par « ; »",
}
"""What « renseigné » means for a kind whose values are checked as such."""


class Severity(Enum):
    CRITICAL = "critique"
    MAJOR = "majeure"
    MINOR = "mineure"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    doc: str


@dataclass(frozen=True)
class Rule:
    """One documented default and the rule a live value must follow."""

    key: str
    setting: Setting
    section: str
    operator: Operator
    documented: Any
    allowed: tuple[Any, ...]
    pattern: str | None
    severity: Severity
    reason: str
    line: int

    def check(self, observed: Any) -> bool:
        """Whether a live value (as the server gave it) follows the rule.

        A secret (always « non_vide ») is judged only by whether it is set: that is all a
        snapshot keeps of it. Any other value is first checked as its kind demands (a host
        name, mail addresses, a duration…): a value that is not one never follows any rule.
        """
        if self.setting.secret:
            return is_set(observed)
        try:
            value = values.normalize(self.setting.kind, observed)
        except ValueError:
            return False
        if self.operator is Operator.NOT_EMPTY:
            return is_set(observed)
        if self.operator is Operator.EQUAL:
            return bool(value == self.documented)
        if self.setting.kind is Kind.SPEED and self.operator in (Operator.AT_LEAST,
                                                                  Operator.AT_MOST):
            # No limit (-1) is faster than any speed: at least anything, never at most.
            unlimited = value == values.UNLIMITED
            if self.operator is Operator.AT_LEAST:
                return bool(unlimited or value >= self.documented)
            return bool(not unlimited and value <= self.documented)
        if self.operator is Operator.AT_LEAST:
            return bool(value >= self.documented)
        if self.operator is Operator.AT_MOST:
            # A negative interval disables the backups: never "at most" anything.
            return bool(0 <= value <= self.documented) if self.setting.kind is Kind.SECONDS \
                else bool(value <= self.documented)
        if self.operator is Operator.ONE_OF:
            return value in self.allowed
        assert self.pattern is not None
        return re.fullmatch(self.pattern, str(value)) is not None

    def expected_text(self) -> str:
        """The rule in French: « au plus 5 heures », « parmi 465, 587 », « renseigné »."""
        kind = self.setting.kind
        if self.operator is Operator.NOT_EMPTY:
            return NOT_EMPTY_TEXT.get(kind, "renseigné")
        if self.operator is Operator.ONE_OF:
            return "parmi " + ", ".join(values.display(kind, v) for v in self.allowed)
        if self.operator is Operator.PATTERN:
            return f"adresse valide (ex. {values.display(kind, self.documented)})"
        shown = values.display(kind, self.documented)
        if self.operator is Operator.EQUAL:
            return shown
        return f"{OPERATOR_TEXT[self.operator]} {shown}"

    def documented_text(self) -> str:
        """The documented value itself, in French (or a note for secrets)."""
        if self.setting.secret:
            return "(secret, non affiché)"
        return values.display(self.setting.kind, self.documented)


@dataclass(frozen=True)
class Baseline:
    path: str
    digest: str
    sections: Mapping[str, Section]
    rules: Mapping[str, Rule]
    _order: tuple[str, ...] = field(default=())

    def rules_of(self, section: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.section == section]

    def client_keys(self) -> list[str]:
        """Documented keys a client can override (per-client settings), in baseline order."""
        return [key for key, rule in self.rules.items() if rule.setting.store is Store.CLIENT]


def default_path() -> Path:
    return Path(str(resources.files("checks").joinpath("data/baseline.toml")))


def load(path: str | Path | None = None) -> Baseline:
    source = Path(path) if path is not None else default_path()
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise BaselineError(f"Référentiel illisible : {source} ({oserrors.reason(exc)}).") from None
    return parse(data, str(source))


def parse(data: bytes, name: str) -> Baseline:
    try:
        doc, text = tomlfile.decode(data, name)
    except ValueError as exc:
        raise BaselineError(str(exc)) from None
    return _Parser(doc, text, name).baseline(hashlib.sha256(data).hexdigest())


class _Parser:
    _RULE_FIELDS = frozenset({"section", "valeur", "regle", "valeurs", "motif", "gravite",
                              "raison"})

    def __init__(self, doc: dict[str, Any], text: str, name: str) -> None:
        self.doc = doc
        self.where = tomlfile.Locator(text)
        self.name = name

    def line_of(self, key: str, *field: str) -> int:
        """The line of the rule `[reglages.KEY]`, or of one of its fields."""
        return self.where.line("reglages", key, *field)

    def fail(self, line: int, reason: str) -> BaselineError:
        return BaselineError(f"{self.name}, ligne {line} : {reason}")

    def baseline(self, digest: str) -> Baseline:
        unknown = set(self.doc) - {"schema", "sections", "reglages"}
        if unknown:
            key = sorted(unknown)[0]
            raise self.fail(self.where.line(key), f"clé inconnue « {key} » "
                            "(attendu : schema, sections, reglages).")
        if self.doc.get("schema") != SCHEMA:
            raise self.fail(self.where.line("schema"),
                            f"« schema = {SCHEMA} » attendu (version du format du référentiel).")
        sections = self._sections()
        raw_rules = self.doc.get("reglages")
        if not isinstance(raw_rules, dict) or not raw_rules:
            raise self.fail(1, "aucun réglage : il faut une table [reglages.CLE] au moins.")
        rules = {key: self._rule(key, spec, sections) for key, spec in raw_rules.items()}
        self._contradictions(rules)
        return Baseline(self.name, digest, sections, rules, tuple(rules))

    def _sections(self) -> dict[str, Section]:
        raw = self.doc.get("sections")
        if not isinstance(raw, dict) or not raw:
            raise self.fail(1, "aucune section : il faut une table [sections.NOM] au moins.")
        sections = {}
        for sid, spec in raw.items():
            line = self.where.line("sections", sid)
            if not isinstance(spec, dict):
                raise self.fail(line, f"la section « {sid} » doit être une table.")
            extra = set(spec) - {"titre", "doc"}
            if extra:
                raise self.fail(line, f"champ inconnu « {sorted(extra)[0]} » dans la section "
                                f"« {sid} » (attendu : titre, doc).")
            title, doc = spec.get("titre"), spec.get("doc")
            if not isinstance(title, str) or not title.strip():
                raise self.fail(line, f"la section « {sid} » n'a pas de « titre ».")
            if not isinstance(doc, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", doc):
                raise self.fail(line, f"la section « {sid} » doit avoir un « doc » : le label "
                                "Sphinx qui la documente (minuscules, chiffres, - et _).")
            sections[sid] = Section(sid, title.strip(), doc)
        return sections

    def _rule(self, key: str, spec: Any, sections: Mapping[str, Section]) -> Rule:
        line = self.line_of(key)
        setting = SETTINGS.get(key)
        if setting is None:
            near = difflib.get_close_matches(key, SETTINGS, n=3)
            hint = f" ; réglages proches : {', '.join(near)}" if near else ""
            raise self.fail(line, f"réglage UrBackup inconnu « {key} » (absent du catalogue "
                            f"des réglages d'UrBackup 2.5{hint}).")
        if setting.store is Store.LDAP:
            raise self.fail(line, f"« {key} » est un réglage de l'annuaire LDAP/AD : l'audit ne "
                            "lit pas encore ces réglages, il ne peut pas les documenter.")
        if not isinstance(spec, dict):
            raise self.fail(line, f"« {key} » doit être une table.")
        extra = set(spec) - self._RULE_FIELDS
        if extra:
            name = sorted(extra)[0]
            raise self.fail(self.line_of(key, name), f"champ inconnu « {name} » pour « {key} » "
                            f"(attendu : {', '.join(sorted(self._RULE_FIELDS))}).")
        section = spec.get("section")
        if not isinstance(section, str) or section not in sections:
            raise self.fail(self.line_of(key, "section"),
                            f"« {key} » : section « {section} » inconnue "
                            f"(sections : {', '.join(sections)}).")
        try:
            operator = Operator(spec.get("regle", "egal"))
        except ValueError:
            raise self.fail(self.line_of(key, "regle"),
                            f"« {key} » : règle « {spec.get('regle')} » inconnue "
                            f"(règles : {', '.join(o.value for o in Operator)}).") from None
        try:
            severity = Severity(spec.get("gravite", "majeure"))
        except ValueError:
            raise self.fail(self.line_of(key, "gravite"),
                            f"« {key} » : gravité « {spec.get('gravite')} » inconnue "
                            "(critique, majeure ou mineure).") from None
        reason = spec.get("raison")
        if not isinstance(reason, str) or not reason.strip():
            raise self.fail(line, f"« {key} » : une « raison » (en français) est obligatoire.")

        if setting.secret:
            if "valeur" in spec or operator is not Operator.NOT_EMPTY:
                raise self.fail(line, f"« {key} » est un secret : aucune valeur ne doit figurer "
                                "dans le référentiel, seule la règle « non_vide » s'applique.")
            documented = None
        else:
            if "valeur" not in spec:
                raise self.fail(line, f"« {key} » : la « valeur » documentée manque.")
            documented = self._value(setting, spec["valeur"], self.line_of(key, "valeur"))

        allowed: tuple[Any, ...] = ()
        if operator is Operator.ONE_OF:
            raw_allowed = spec.get("valeurs")
            if not isinstance(raw_allowed, list) or not raw_allowed:
                raise self.fail(self.line_of(key, "regle"),
                                f"« {key} » : la règle « parmi » demande une liste « valeurs ».")
            where = self.line_of(key, "valeurs")
            allowed = tuple(self._value(setting, v, where) for v in raw_allowed)
            if documented not in allowed:
                raise self.fail(where, f"« {key} » : contradiction, la valeur documentée "
                                f"{values.display(setting.kind, documented)} n'est pas parmi "
                                "les valeurs acceptées.")
        elif "valeurs" in spec:
            raise self.fail(self.line_of(key, "valeurs"),
                            f"« {key} » : « valeurs » ne sert qu'avec la règle « parmi ».")
        pattern = None
        if operator is Operator.PATTERN:
            pattern = spec.get("motif")
            where = self.line_of(key, "motif")
            if not isinstance(pattern, str):
                raise self.fail(self.line_of(key, "regle"),
                                f"« {key} » : la règle « motif » demande un « motif ».")
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise self.fail(where, f"« {key} » : motif invalide (expression régulière "
                                f"incorrecte à la position {exc.pos}).") from None
            if compiled.fullmatch(str(documented)) is None:
                raise self.fail(where, f"« {key} » : contradiction, la valeur documentée ne "
                                "respecte pas le motif.")
        elif "motif" in spec:
            raise self.fail(self.line_of(key, "motif"),
                            f"« {key} » : « motif » ne sert qu'avec la règle « motif ».")
        if operator in (Operator.AT_LEAST, Operator.AT_MOST) and setting.kind not in (
            Kind.SECONDS, Kind.COUNT, Kind.PORT, Kind.SPEED
        ):
            possible = ", ".join(o.value for o in Operator
                                 if o not in (Operator.AT_LEAST, Operator.AT_MOST))
            raise self.fail(self.line_of(key, "regle"),
                            f"« {key} » : « {operator.value} » ne s'applique qu'à une durée ou "
                            f"un nombre, pas à un réglage de nature « {setting.kind.value} » "
                            f"(règles possibles : {possible}).")
        if operator in (Operator.AT_LEAST, Operator.AT_MOST) and setting.kind is Kind.SPEED \
                and documented == values.UNLIMITED:
            raise self.fail(self.line_of(key, "valeur"),
                            f"« {key} » : « {operator.value} » demande un débit chiffré "
                            "(« 10 MBit/s »), pas « illimité ».")
        return Rule(key, setting, str(section), operator, documented, allowed, pattern,
                    severity, reason.strip(), line)

    def _value(self, setting: Setting, raw: Any, line: int) -> Any:
        kind = setting.kind
        wrong_type = (
            (kind is Kind.BOOL and not isinstance(raw, bool))
            or (kind in (Kind.COUNT, Kind.PORT) and (isinstance(raw, bool)
                                                     or not isinstance(raw, int)))
            or (kind in (Kind.SECONDS, Kind.SPEED) and (isinstance(raw, bool)
                                                        or not isinstance(raw, (int, str))))
            or (kind not in (Kind.BOOL, Kind.COUNT, Kind.PORT, Kind.SECONDS, Kind.SPEED)
                and not isinstance(raw, str))
        )
        if wrong_type:
            expected = {Kind.BOOL: "true ou false", Kind.COUNT: "un nombre entier",
                        Kind.PORT: "un numéro de port", Kind.SECONDS: "une durée (« 5 heures »)",
                        Kind.SPEED: "un débit (« 10 MBit/s », « illimité »)"}
            raise self.fail(line, f"« {setting.key} » : type invalide {_toml_text(raw)}, attendu "
                            f"{expected.get(kind, 'un texte entre guillemets')}.")
        try:
            value = values.normalize(kind, raw)
        except ValueError as exc:
            raise self.fail(line, f"« {setting.key} » : {exc}.") from None
        if setting.choices and value not in setting.choices:
            raise self.fail(line, f"« {setting.key} » : valeur {_toml_text(raw)} refusée par "
                            f"l'écran d'UrBackup (valeurs acceptées : "
                            f"{', '.join(setting.choices)}).")
        if kind is Kind.SECONDS and value <= 0:
            raise self.fail(line, f"« {setting.key} » : une durée documentée doit être positive.")
        if kind in (Kind.COUNT, Kind.PORT) and value < 0:
            raise self.fail(line, f"« {setting.key} » : un nombre négatif n'a pas de sens ici.")
        return value

    def _contradictions(self, rules: Mapping[str, Rule]) -> None:
        for key, rule in rules.items():
            if not key.startswith("min_"):
                continue
            other = rules.get("max_" + key.removeprefix("min_"))
            if other is not None and rule.documented > other.documented:
                raise self.fail(rule.line, f"contradiction : « {key} » ({rule.documented}) "
                                f"dépasse « {other.key} » ({other.documented}).")


def _toml_text(raw: Any) -> str:
    """A value as the writer typed it in TOML, not as Python shows it."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        return f'"{raw}"'
    if isinstance(raw, list):
        return "[" + ", ".join(_toml_text(item) for item in raw) + "]"
    if isinstance(raw, dict):
        return "{…}"
    return str(raw)

"""sphinx-panels' two small grammars: class options with `+`, and role arguments.

Class options (`:card: + bg-info`): a value starting with `+` adds to the classes so far,
any other value replaces them. Role arguments (`` :badge:`texte,badge-info` ``,
`` :fa:`save,text-primary,style=fas` ``): comma-separated values, positional then
`name=value`, a value in double quotes may hold commas.
"""

from __future__ import annotations

import re
from ast import literal_eval

ARGUMENT = re.compile(r'\s*(?:(?P<key>[a-zA-Z0-9_]+)\s*\=)?\s*(?P<value>".*?"|[^,]+)\s*(?:,|$)')


def merge(current: list[str], value: str) -> tuple[list[str], bool]:
    """The classes after `value`, and whether `value` added to `current` (`+`)."""
    value = value.strip()
    if value.startswith("+"):
        return [*current, *value[1:].split()], True
    return value.split(), False


def role_arguments(text: str) -> tuple[list[str], dict[str, str]]:
    """Positional and named values of a role's text, as sphinx-panels splits them."""
    args: list[str] = []
    kwargs: dict[str, str] = {}
    for key, value in ARGUMENT.findall(text):
        literal = _literal(value.strip())
        if key:
            kwargs[key.strip()] = literal
        else:
            args.append(literal)
    return args, kwargs


def _literal(value: str) -> str:
    """A quoted value unquoted; numbers and words stay text, as the roles use them."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return str(literal_eval(value))
        except (ValueError, SyntaxError):
            return value
    return value


def bind(
    names: tuple[str, ...], args: list[str], kwargs: dict[str, str], required: int
) -> dict[str, str]:
    """Values by parameter name, as a Python call would bind them; ValueError (French) if not."""
    if len(args) > len(names):
        raise ValueError(f"{len(args)} valeurs pour {len(names)} paramètres au plus")
    bound = dict(zip(names, args, strict=False))
    for key, value in kwargs.items():
        if key not in names:
            raise ValueError(f"paramètre inconnu « {key} » (possibles : {', '.join(names)})")
        if key in bound:
            raise ValueError(f"le paramètre « {key} » est donné deux fois")
        bound[key] = value
    missing = [name for name in names[:required] if name not in bound]
    if missing:
        raise ValueError(f"paramètre manquant : {', '.join(missing)}")
    return bound

"""Whether the pages show a per-client value: read from their sources, before any is parsed.

The build reads the appliance once, before Sphinx parses a page (source.py), so what the
pages will show is read here from their text: each `datis-reglages` table (its section's
rules, or its `:reglages:`) and each `:datis-reel:` role, in reStructuredText or MyST
spelling, in every page of the project, the files they include (`.. include::`), `rst_prolog`
and `rst_epilog`. A per-client value is shown only beside the live value of a documented
setting a client can override (`Store.CLIENT`, `source.show`): only then does the build read
each client's settings (one request per client). The scan errs on reading: markup inside a
code block or a comment counts too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from sphinx.environment import BuildEnvironment

from checks.audit.baseline import Baseline

_TABLE = re.compile(r"^(?P<indent>[ \t]*)(?:\.\.[ \t]+|[`:]{3,}\{)datis-reglages(?:::|\})"
                    r"[ \t]*(?P<section>\S*)", re.MULTILINE)
_OPTION = re.compile(r"^[ \t]*:reglages:[ \t]*(?P<keys>.*)$")
_ROLE = re.compile(r"[:{]datis-reel[:}]`(?P<key>[^`]*)`")
_INCLUDE = re.compile(r"^[ \t]*\.\.[ \t]+include::[ \t]*(?P<path>\S+)", re.MULTILINE)


def live_keys(text: str, baseline: Baseline | None) -> set[str]:
    """The keys whose live value one text shows (tables and `datis-reel` roles)."""
    keys = {match.group("key").strip() for match in _ROLE.finditer(text)}
    lines = text.splitlines()
    for match in _TABLE.finditer(text):
        first = text.count("\n", 0, match.start())
        listed = None
        for line in lines[first + 1:]:
            option = _OPTION.match(line)
            if option is not None:
                listed = option.group("keys")
            elif not line.strip().startswith(":"):
                break
        if listed is not None:
            keys.update(k.strip() for k in listed.split(",") if k.strip())
        elif baseline is not None:
            keys.update(r.key for r in baseline.rules_of(match.group("section").strip()))
    return keys


def _texts(env: BuildEnvironment) -> Iterator[str]:
    """Every page's text, each included file once, then rst_prolog and rst_epilog."""
    seen: set[Path] = set()
    pending = [Path(env.doc2path(docname)) for docname in sorted(env.found_docs)]
    while pending:
        path = pending.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        try:
            text = path.read_text("utf-8", errors="replace")
        except OSError:
            continue
        yield text
        for match in _INCLUDE.finditer(text):
            name = match.group("path")
            if name.startswith("<"):
                continue  # a docutils standard include: no markup of ours
            pending.append(Path(env.srcdir) / name.lstrip("/") if name.startswith("/")
                           else path.parent / name)
    for name in ("rst_prolog", "rst_epilog"):
        yield str(getattr(env.config, name, "") or "")


def shows_clients(env: BuildEnvironment, baseline: Baseline | None) -> bool:
    """Whether a page shows the live value of a documented setting a client can override."""
    if baseline is None:
        return False
    overridable = set(baseline.client_keys())
    if not overridable:
        return False
    return any(live_keys(text, baseline) & overridable for text in _texts(env))

"""The warning subtypes writers read about in docs/redaction.rst are exactly those emitted.

mypy keeps every message to a declared subtype (`Subtype` in sphinxext/warnings.py and
sphinxext/panels/messages.py, Literal types); here the declared ones are checked against what
the code passes (none declared for nothing) and against the tables of redaction.rst.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import get_args

import pytest

from sphinxext import warnings
from sphinxext.panels import messages
from tests.conftest import ROOT

SPHINXEXT = ROOT / "sphinxext"
DECLARED = {"urbackup": set(get_args(warnings.Subtype)),
            "panels": set(get_args(messages.Subtype))}


def emitted(files: list[Path]) -> set[str]:
    """The subtypes given as text: `warn(message, "x", ...)`, `subtype="x"`, `subtype = "x"`."""
    found = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            values: list[ast.expr] = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in ("warn", "error") and len(node.args) >= 2:
                    values.append(node.args[1])
                values += [k.value for k in node.keywords if k.arg == "subtype"]
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(getattr(t, "id", None) == "subtype" for t in targets) and node.value:
                    values.append(node.value)
            found |= {v.value for v in values
                      if isinstance(v, ast.Constant) and isinstance(v.value, str)}
    return found


def documented(kind: str) -> set[str]:
    """The first cells of redaction.rst's table rows: ``* - ``urbackup.drift````."""
    text = (ROOT / "docs" / "redaction.rst").read_text("utf-8")
    return set(re.findall(rf"^ {{3}}\* - ``{kind}\.(\w+)``$", text, re.MULTILINE))


def test_every_declared_subtype_is_emitted() -> None:
    panels = sorted((SPHINXEXT / "panels").rglob("*.py"))
    others = [p for p in sorted(SPHINXEXT.rglob("*.py")) if p not in panels]
    assert emitted(others) == DECLARED["urbackup"]
    assert emitted(panels) == DECLARED["panels"]


@pytest.mark.parametrize("kind", sorted(DECLARED))
def test_redaction_lists_exactly_the_emitted_subtypes(kind: str) -> None:
    assert documented(kind) == DECLARED[kind]

"""The TOML locator names the line of every key, in every form TOML allows.

Documents are generated: random trees of tables, arrays of tables and values, each table
written as a header, with dotted keys or inline, keys bare or quoted (dots, spaces, quotes,
accents inside), values on one line or several. The generator knows the line of each key it
writes; tomllib reads the same document back, so the generator cannot drift from TOML.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.files.tomlfile import Locator, Path

key_text = st.one_of(
    st.from_regex(r"\A[A-Za-z0-9_-]{1,8}\Z"),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=8),
    st.sampled_from(["max_file_incr", "a.b", "x y", "é", "'", '"', "#", "=", "[x]", "1.5"]),
)


@st.composite
def key_forms(draw: st.DrawFn, key: str) -> str:
    """One way of writing `key`: bare if it can be, else quoted one way or the other."""
    forms = [json.dumps(key, ensure_ascii=False)]
    if re.fullmatch(r"[A-Za-z0-9_-]+", key):
        forms.append(key)
    if "'" not in key:
        forms.append(f"'{key}'")
    return draw(st.sampled_from(forms))


scalars = st.one_of(
    st.integers(-10**6, 10**6).map(lambda n: (str(n), n)),
    st.booleans().map(lambda b: (str(b).lower(), b)),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=10).map(
        lambda t: (json.dumps(t, ensure_ascii=False), t)),
    st.lists(st.text("ab\n'", max_size=6), min_size=1, max_size=3).map(
        lambda parts: ('"""\n' + "\n".join(parts).replace("\\", "") + '"""',
                       "\n".join(parts))),
    st.lists(st.integers(0, 9), max_size=3).map(
        lambda items: ("[\n" + "".join(f"  {i},  # élément\n" for i in items) + "]", items)),
    st.just(("1979-05-27 07:32:00Z", datetime(1979, 5, 27, 7, 32, tzinfo=UTC))),
)

Tree = dict[str, Any]
trees = st.recursive(
    st.dictionaries(key_text, scalars, max_size=3),
    lambda inner: st.dictionaries(
        key_text,
        st.one_of(scalars, inner, st.lists(inner, min_size=1, max_size=2).map(tuple)),
        max_size=3),
    max_leaves=12,
)
"""A tree: a key maps to a scalar (its text, its value), a table, or a tuple of tables."""


@dataclass
class Written:
    lines: list[str] = field(default_factory=list)
    expected: dict[Path, int] = field(default_factory=dict)

    def add(self, text: str, path: Path | None = None) -> None:
        if path is not None:
            self.expected[path] = len(self.lines) + 1
        self.lines.extend(text.split("\n"))


def _is_scalar(node: Any) -> bool:
    return isinstance(node, tuple) and len(node) == 2 and isinstance(node[0], str)


def _value(node: Any) -> Any:
    if _is_scalar(node):
        return node[1]
    if isinstance(node, dict):
        return {k: _value(v) for k, v in node.items()}
    return [_value(t) for t in node]


def _inline(draw: st.DrawFn, node: Any, path: Path, out: dict[Path, int], line: int) -> str:
    """`node` written on one line (multi-line scalars aside), keys noted at `line`."""
    if _is_scalar(node):
        return str(node[0])
    if isinstance(node, dict):
        parts = []
        for key, child in node.items():
            out[(*path, key)] = line + sum(p.count("\n") for p in parts)
            parts.append(f"{draw(key_forms(key))} = "
                         f"{_inline(draw, child, (*path, key), out, out[(*path, key)])}")
        return "{ " + ", ".join(parts) + " }" if parts else "{}"
    items: list[str] = []
    for index, table in enumerate(node):
        items.append(_inline(draw, table, (*path, index), out,
                             line + sum(i.count("\n") for i in items)))
    return "[" + ", ".join(items) + "]"


def _body(draw: st.DrawFn, table: Tree, path: Path, written: Written,
          headers: list[tuple[str, Path, Any]], prefix: str = "") -> None:
    """Key/values of one table; sub-tables as dotted keys, inline, or later as headers."""
    for key, node in table.items():
        here = (*path, key)
        shown = prefix + draw(key_forms(key))
        style = "value" if _is_scalar(node) else draw(st.sampled_from(["header", "dotted",
                                                                        "inline"]))
        if style == "dotted" and isinstance(node, dict) and node:
            _body(draw, node, here, written, [], prefix=f"{shown}.")
        elif style == "header" and not prefix:
            headers.append((shown, here, node))
        else:
            found: dict[Path, int] = {}
            line = len(written.lines) + 1
            written.add(f"{shown} = {_inline(draw, node, here, found, line)}", here)
            written.expected.update(found)


def _document(draw: st.DrawFn, table: Tree, path: Path, header: str,
              written: Written) -> None:
    headers: list[tuple[str, Path, Any]] = []
    _body(draw, table, path, written, headers)
    for shown, here, node in headers:
        name = f"{header}.{shown}" if header else shown
        if isinstance(node, dict):
            written.add(f"[{name}]", here)
            _document(draw, node, here, name, written)
        else:
            for index, item in enumerate(node):
                written.add(f"[[{name}]]", (*here, index))
                _document(draw, item, (*here, index), name, written)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, Any, dict[Path, int]]:
    tree = draw(trees)
    written = Written()
    _document(draw, tree, (), "", written)
    return "\n".join(written.lines) + "\n", _value(tree), written.expected


@settings(max_examples=300, deadline=None)
@given(documents())
def test_every_key_is_found_on_its_line(document: tuple[str, Any, dict[Path, int]]) -> None:
    text, value, expected = document
    assert tomllib.loads(text) == value, text
    where = Locator(text)
    assert {path: where.line(*path) for path in expected} == expected, text


CASES = [
    ('schema = 1\n\n[reglages."max_file_incr"]\nvaleur = 3\n', ("reglages", "max_file_incr",
                                                               "valeur"), 4),
    ("[reglages]\nmax_file_incr.valeur = 3\n", ("reglages", "max_file_incr", "valeur"), 2),
    ("reglages.max_file_incr = { valeur = 3, section = 'x' }\n",
     ("reglages", "max_file_incr", "section"), 1),
    ('[reglages."a.b"]\nx = 1\n[reglages.a]\nb = 2\n', ("reglages", "a", "b"), 4),
    ('a = """\n[reglages]\n"""\n[reglages]\nx = 1\n', ("reglages", "x"), 5),
    ("a = [\n  1,\n  { b = 2 },\n]\n", ("a", 1, "b"), 3),
    ("[[d]]\nx = 1\n[[d]]\ny = 2\n[[d.e]]\nz = 3\n", ("d", 1, "e", 0, "z"), 6),
    ("x = 'a#b' # [y]\n[y]\nz = 1\n", ("y", "z"), 3),
    ("[t]\nu = 1\n", ("t", "absent"), 1),
    ("u = 1\n", ("absent",), 1),
]


@pytest.mark.parametrize(("text", "path", "line"), CASES)
def test_known_forms(text: str, path: Path, line: int) -> None:
    tomllib.loads(text)
    assert Locator(text).line(*path) == line

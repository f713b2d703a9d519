"""The spaces French typography keeps with its signs, applied once where a writer hands its
text over (the terminal, an HTML page, a reST page, a Sphinx node), not in every message.

A narrow no-break space (U+202F) before ; ! ?, a no-break space (U+00A0) before : and inside
« ». Only a space already written there is changed: a sign glued to its neighbours is left
alone, so an address (`https://`, `host:8080`, `?x=1`), a time (`05:14`) or a path is never
touched; nor is reST's `::`. Code (reST ``literals``, HTML <code>, <pre>, <script>, <style>)
is skipped by the reST and HTML variants.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"

_SIGN_END = r"(?=$|\\?[\s)\]»,.])"
"""The sign ends a phrase: what follows is a space, the end, or closing punctuation."""
_COLON = re.compile(r"(?<=\S) (?=\\?:" + _SIGN_END + ")")
_NARROW = re.compile(r"(?<=\S) (?=(?:\\?[;!?])+" + _SIGN_END + ")")
_GUILLEMETS = re.compile(r"(?<=«) (?=\S)|(?<=\S) (?=»)")
_LITERAL = re.compile(r"(``.+?``)")
_DIRECTIVE = re.compile(r"\s*\.\. [\w:-]+::")
_CODE = re.compile(r"\s*\.\. (?:code|code-block|sourcecode|literalinclude|raw|parsed-literal)::")
_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_RAW = {"code", "pre", "script", "style", "textarea", "kbd", "samp"}


def sentence(text: str) -> str:
    """`text` starting with a capital, the rest as written (str.capitalize would lower it)."""
    return text[:1].upper() + text[1:]


def typeset(text: str, *verbatim: str) -> str:
    """`text` with French typography's no-break spaces (see the module's docstring).

    Each `verbatim` piece (a file path, which may hold « a ; b ») is left exactly as written,
    its neighbours typeset as if it were a word.
    """
    kept = [piece for piece in verbatim if piece]
    for index, piece in enumerate(kept):
        text = text.replace(piece, f"\ue001{index}\ue001")
    text = _GUILLEMETS.sub(NBSP, text)
    text = _COLON.sub(NBSP, text)
    text = _NARROW.sub(NNBSP, text)
    for index, piece in enumerate(kept):
        text = text.replace(f"\ue001{index}\ue001", piece)
    return text


def typeset_rst(text: str) -> str:
    """reST text typeset outside its ``literals`` and literal blocks (after `::` or a code
    directive; other directives' content is text, a list-table's cells); a sign
    escaped by a backslash (`\\:`, as the reST writers escape every punctuation) counts."""
    out: list[str] = []
    block: int | None = None
    for line in text.splitlines(keepends=True):
        indent = len(line) - len(line.lstrip())
        if block is not None and line.strip() and indent <= block:
            block = None
        if block is None:
            pieces = _LITERAL.split(line)
            out.append("".join(p if i % 2 else typeset(p) for i, p in enumerate(pieces)))
            if _CODE.match(line) or (line.rstrip().endswith("::")
                                     and not _DIRECTIVE.match(line)):
                block = indent
        else:
            out.append(line)
    return "".join(out)


def typeset_html(page: str) -> str:
    """An HTML page typeset in its text only: never inside a tag (attributes, URLs) nor in
    code, preformatted text, scripts or styles."""
    out: list[str] = []
    raw: list[str] = []
    last = ""
    for index, piece in enumerate(_TAG.split(page)):
        if index % 2:
            name = piece[1:].split(maxsplit=1)[0].rstrip("/>").lower() if len(piece) > 2 else ""
            if name.lstrip("/") in _RAW and not piece.startswith("<!"):
                if name.startswith("/"):
                    if raw and raw[-1] == name[1:]:
                        raw.pop()
                elif not piece.endswith("/>"):
                    raw.append(name)
            out.append(piece)
        elif raw or not piece:
            out.append(piece)
        else:
            # « <strong>…</strong> : suite »: the space after a tag follows the text before it
            out.append(typeset(last + piece)[len(last):])
            last = piece[-1]
    return "".join(out)

"""An EPUB holds the book only, never Sphinx's cache of the build.

`sphinx-build -b epub SOURCE OUT` without `-d` keeps its doctrees in `OUT/.doctrees`, and
the EPUB builder packs every file it finds under OUT: each doctree and the pickled
environment is an « unknown mimetype » warning, so `-W` fails. Those files are excluded
(`epub_exclude_files`) once the pages are read, before the book is packed. The environment
is pickled before that, so the addition never reaches the next build's configuration check.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders._epub_base import EpubBuilder


def _exclude_cache(app: Sphinx, builder: Builder) -> None:
    if not isinstance(builder, EpubBuilder):
        return
    out, cache = Path(app.outdir), Path(app.doctreedir)
    if not cache.is_relative_to(out):
        return
    cached = sorted(path.relative_to(out).as_posix() for path in cache.rglob("*")
                    if path.is_file())
    # A new list: the configured one may be Sphinx's shared default.
    app.config.epub_exclude_files = [*app.config.epub_exclude_files, *cached]


def setup_epub(app: Sphinx) -> None:
    app.connect("write-started", _exclude_cache)

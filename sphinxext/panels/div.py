"""`div`: sphinx-design's own `div` (sphinx-panels' had the same syntax), Bootstrap classes
translated."""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx_design.extension import Div as DesignDiv

from sphinxext.panels.bootstrap import translate
from sphinxext.panels.messages import at


class DivDirective(DesignDiv):
    """`.. div:: classes`: a plain `<div>` with the classes on sphinx-design."""

    def run_with_defaults(self) -> list[nodes.Node]:
        if self.arguments:
            try:
                names = directives.class_option(self.arguments[0])
            except ValueError:
                names = []  # sphinx-design reports the invalid value itself
            else:
                self.arguments = [
                    " ".join(translate(names, at(*self.get_source_info()), ".. div::"))
                ]
        return super().run_with_defaults()

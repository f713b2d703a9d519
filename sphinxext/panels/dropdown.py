"""`dropdown`: one directive for sphinx-panels' options and sphinx-design's.

sphinx-panels' `:container:`, `:title:` and `:body:` take Bootstrap classes, `+` adding to
the defaults; they become sphinx-design's `:class-container:`, `:class-title:` and
`:class-body:` (and `:container:` without `+` replaces the default margin, as it replaced
sphinx-panels' `mb-3`). `:open:`, `:name:` and `:animate:` mean the same in both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx_design.dropdown import DropdownDirective as DesignDropdown

from sphinxext.panels import arguments
from sphinxext.panels.bootstrap import translate
from sphinxext.panels.messages import at, warn

#: sphinx-panels' options, with the sphinx-design option each one feeds.
PANELS_OPTIONS = {"container": "class-container", "title": "class-title", "body": "class-body"}


class DropdownDirective(DesignDropdown):
    """sphinx-design's dropdown, which also reads sphinx-panels' class options."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **DesignDropdown.option_spec,
        **dict.fromkeys(PANELS_OPTIONS, directives.unchanged),
    }

    def run_with_defaults(self) -> list[nodes.Node]:
        where = at(*self.get_source_info())
        for option, design in PANELS_OPTIONS.items():
            if option not in self.options:
                continue
            if design in self.options:
                warn(
                    f"« :{option}: » (sphinx-panels) et « :{design}: » (sphinx-design) sont "
                    f"donnés ensemble : seul « :{design}: » compte.",
                    "dropdown",
                    where,
                )
                continue
            names, added = arguments.merge([], self.options.pop(option) or "")
            self.options[design] = translate(names, where, f":{option}:")
            if option == "container" and not added:
                self.options.setdefault("margin", [])
        return super().run_with_defaults()

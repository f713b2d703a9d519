"""`tabbed`: sphinx-panels' tabs, grouped into sphinx-design tab sets.

Each `tabbed` directive is a sphinx-design `tab-item`; a transform then gathers the
consecutive ones (siblings with nothing between them) into one `tab-set`, as sphinx-panels
did; `:new-group:` starts a new set. The first `:selected:` tab of a set is the one shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective
from sphinx_design.shared import create_component, is_component

from sphinxext.panels.bootstrap import translate
from sphinxext.panels.messages import at, warn

#: The attribute that marks a tab-item as written with `tabbed`, until it is in a set.
TABBED = "panels_tabbed"


class TabbedDirective(SphinxDirective):
    """`.. tabbed:: label` with `:new-group:`, `:selected:`, `:name:`, `:class-label:`,
    `:class-content:`."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "new-group": directives.flag,
        "selected": directives.flag,
        "name": directives.unchanged,
        "class-label": directives.class_option,
        "class-content": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        self.assert_has_content()
        where = at(*self.get_source_info())
        item = create_component(
            "tab-item",
            classes=["sd-tab-item"],
            selected="selected" in self.options,
        )
        item[TABBED] = "new" if "new-group" in self.options else "next"
        self.set_source_info(item)
        textnodes, messages = self.state.inline_text(self.arguments[0], self.lineno)
        label = nodes.rubric(
            self.arguments[0],
            "",
            *textnodes,
            classes=[
                "sd-tab-label",
                *translate(self.options.get("class-label", []), where, ":class-label:"),
            ],
        )
        self.add_name(label)
        item += label
        content = create_component(
            "tab-content",
            classes=[
                "sd-tab-content",
                *translate(self.options.get("class-content", []), where, ":class-content:"),
            ],
        )
        self.state.nested_parse(self.content, self.content_offset, content)
        item += content
        return [item, *messages]


class GroupTabbed(SphinxTransform):
    """Consecutive `tabbed` siblings become one sphinx-design `tab-set`."""

    # After docutils moves targets' ids onto the next node (260), as sphinx-panels saw them.
    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        for item in list(self.document.findall(nodes.container)):
            if not _is_tabbed(item):
                continue  # not a `tabbed`, or already gathered into a previous sibling's set
            parent = item.parent
            group = [item]
            for sibling in parent.children[parent.index(item) + 1 :]:
                if not (isinstance(sibling, nodes.container) and _is_tabbed(sibling)):
                    break
                if sibling[TABBED] == "new":
                    break
                group.append(sibling)
            tab_set = create_component("tab-set", classes=["sd-tab-set"])
            tab_set.source, tab_set.line = item.source, item.line
            selected = [tab for tab in group if tab["selected"]]
            for extra in selected[1:]:
                warn(
                    "plusieurs onglets « :selected: » dans ce groupe : seul le premier est "
                    "affiché d'abord.",
                    "tabbed",
                    extra,
                )
                extra["selected"] = False
            for tab in group:
                del tab[TABBED]
            parent.replace(item, tab_set)
            for tab in group[1:]:
                parent.remove(tab)
            tab_set.extend(group)


def _is_tabbed(node: nodes.Element) -> bool:
    return bool(is_component(node, "tab-item")) and TABBED in node

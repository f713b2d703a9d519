"""`:opticon:` and `:fa:`: sphinx-panels' icon roles, drawn by sphinx-design.

`` :opticon:`name,classes,width,height,aria_label,size` `` gives sphinx-design's octicon
SVG at the same height in pixels (`size` 16 or 24, or the given `height`, or the height
that keeps the icon's proportions for the given `width`). `` :fa:`name,classes,style` ``
gives sphinx-design's FontAwesome node (`style` fa, fas, far, fab...), which also honours
LaTeX output (see `panels_add_fontawesome_latex`).
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from sphinx_design.icons import (
    FA_ROLE_STYLES,
    create_icon_node,
    fontawesome,
    get_octicon,
    get_octicon_data,
)

from sphinxext.panels.bootstrap import translate
from sphinxext.panels.buttons import ArgumentsRole
from sphinxext.panels.messages import warn

SIZES = ("16", "24")


class OpticonRole(ArgumentsRole):
    """`` :opticon:`name,classes,width,height,aria_label,size` ``."""

    parameters: ClassVar[tuple[str, ...]] = (
        "name", "classes", "width", "height", "aria_label", "size",
    )  # fmt: skip
    subtype = "icon"

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        values = self.arguments()
        if values is None:
            return [nodes.literal(self.rawtext, self.rawtext)], []
        try:
            svg = get_octicon(
                values["name"],
                height=f"{height(values):g}px",
                classes=translate(values.get("classes", "").split(), self.where(), ":opticon:"),
                aria_label=values.get("aria_label"),
            )
        except (KeyError, ValueError) as error:
            warn(
                f"« :opticon:`{self.text}` » : icône ou taille invalide ({error.args[0]}).",
                self.subtype,
                self.get_location(),
            )
            return [nodes.literal(self.rawtext, self.rawtext)], []
        node = create_icon_node(svg)
        self.set_source_info(node)
        return [node], []


def height(values: dict[str, str]) -> float:
    """The icon's height in pixels, as sphinx-panels computed it."""
    size = values.get("size", "16")
    if size not in SIZES:
        raise ValueError(f"size vaut 16 ou 24, pas « {size} »")
    if "height" in values:
        return float(values["height"])
    if "width" in values:
        natural = float(get_octicon_data()[values["name"]]["heights"][size]["width"])
        return round(float(values["width"]) * int(size) / natural, 2)
    return float(size)


class FontawesomeRole(ArgumentsRole):
    """`` :fa:`name,classes,style` ``."""

    parameters = ("name", "classes", "style")
    subtype = "icon"

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        values = self.arguments()
        if values is None:
            return [nodes.literal(self.rawtext, self.rawtext)], []
        style = values.get("style", "fa")
        if not style.startswith("fa"):
            warn(
                f"« :fa:`{self.text}` » : style « {style} » invalide (fa, fas, far, fab...) ; "
                "fa est utilisé.",
                self.subtype,
                self.get_location(),
            )
            style = "fa"
        name = values["name"]
        node = fontawesome(
            icon=name,
            icon_style=FA_ROLE_STYLES.get(style, "solid"),
            classes=[
                style,
                f"fa-{name}",
                *translate(values.get("classes", "").split(), self.where(), ":fa:"),
            ],
        )
        self.set_source_info(node)
        return [node], []

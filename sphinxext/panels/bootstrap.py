"""Bootstrap 4 class names, as sphinx-panels pages use them, turned into sphinx-design ones.

A name sphinx-design's stylesheet knows as `sd-<name>` takes that name; a few have another
sphinx-design spelling (`ALIASES`); a few sphinx-design lacks keep their Bootstrap name and
are styled by the layer's own small stylesheet (`COMPLEMENT`, static/panels-bootstrap.css).
Any other Bootstrap name cannot be translated: it is kept as written, with one warning. A
name that is not Bootstrap's is the writer's own class, kept as written, silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sphinxext.panels.design_classes import DESIGN_CLASSES
from sphinxext.panels.messages import Location, warn

COLOURS = (
    "primary", "secondary", "success", "info", "warning", "danger", "light", "dark", "white",
    "muted", "black",
)  # fmt: skip

ALIASES: dict[str, tuple[str, ...]] = {
    "border": ("sd-border-1",),
    "rounded": ("sd-rounded-2",),
    "shadow": ("sd-shadow-md",),
    # What sphinx-design's own `:shadow: none` writes: no shadow class applies.
    "shadow-none": ("sd-shadow-none",),
    "d-flex": ("sd-d-flex-row",),
    "btn-block": ("sd-w-100",),
    "badge-pill": ("sd-rounded-pill",),
    **{f"badge-{colour}": (f"sd-bg-{colour}", f"sd-bg-text-{colour}") for colour in COLOURS},
}

#: Bootstrap names sphinx-design has no class for, styled by static/panels-bootstrap.css.
COMPLEMENT = frozenset(
    {"btn-sm", "btn-lg", "btn-link", *(f"border-{colour}" for colour in COLOURS)}
)

_BREAKPOINT = r"(?:-(?:sm|md|lg|xl))?"
#: The class families of Bootstrap 4 (utilities, grid and the components pages use).
BOOTSTRAP = re.compile(
    "^(?:"
    + "|".join(
        (
            r"(?:text|bg|border|btn|btn-outline|badge|alert|table|list-group-item)-(?:"
            + "|".join(COLOURS)
            + r"|body|black-50|white-50|transparent|link|reset)",
            rf"[mp][trblxy]?{_BREAKPOINT}-(?:n?[0-5]|auto)",
            rf"d{_BREAKPOINT}-(?:none|inline|inline-block|block|table|table-cell|table-row"
            r"|flex|inline-flex)",
            rf"(?:flex|justify-content|align-items|align-self|align-content|order|float)"
            rf"{_BREAKPOINT}-[\w-]+",
            r"(?:w|h)-(?:25|50|75|100|auto)|m[wh]-100|v[wh]-100",
            rf"text{_BREAKPOINT}-(?:left|right|center)",
            r"text-(?:justify|wrap|nowrap|truncate|lowercase|uppercase|capitalize|monospace"
            r"|decoration-none|break|hide)",
            r"font-weight-(?:bold|bolder|normal|light|lighter)|font-italic",
            r"border(?:-(?:top|right|bottom|left))?(?:-0)?|border-[0-5]",
            r"rounded(?:-(?:top|right|bottom|left|circle|pill|0|sm|lg))?",
            r"shadow(?:-(?:sm|lg|none))?",
            r"container(?:-(?:fluid|sm|md|lg|xl))?|row|no-gutters|row-cols[\w-]*",
            rf"col(?:{_BREAKPOINT}(?:-(?:[1-9]|1[0-2]|auto))?)?|offset[\w-]+",
            r"card(?:-[\w-]+)?|btn|btn-(?:sm|lg|block|group[\w-]*|toolbar)|badge|badge-pill",
            r"stretched-link|sr-only(?:-focusable)?|visible|invisible|clearfix|lead|small"
            r"|display-[1-4]|h[1-6]|list-(?:unstyled|inline(?:-item)?)|img-(?:fluid|thumbnail)"
            r"|position-\w+|fixed-(?:top|bottom)|sticky-top|overflow-\w+|align-[\w-]+"
            r"|jumbotron(?:-fluid)?|alert|table(?:-[\w-]+)?|embed-responsive[\w-]*",
        )
    )
    + ")$"
)


def design_names(name: str) -> tuple[str, ...] | None:
    """The classes that stand for `name` on sphinx-design, or None if there are none."""
    if name.startswith("sd-") or name in COMPLEMENT:
        return (name,)
    if name in ALIASES:
        return ALIASES[name]
    if f"sd-{name}" in DESIGN_CLASSES:
        return (f"sd-{name}",)
    if BOOTSTRAP.match(name):
        return None
    return (name,)


def translate(names: Iterable[str], location: Location, option: str) -> list[str]:
    """`names` on sphinx-design; one `panels.class` warning per name that cannot be."""
    out: list[str] = []
    for name in names:
        found = design_names(name)
        if found is None:
            warn(
                f"classe Bootstrap « {name} » ({option}) sans équivalent dans sphinx-design : "
                "gardée telle quelle, elle n'aura pas de style.",
                "class",
                location,
            )
            out.append(name)
        else:
            out.extend(found)
    return out

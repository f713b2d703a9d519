"""sphinx-panels' configuration values, each honoured or reported once.

- `panels_delimiters`: the three separators of `panels` (checked: three distinct regexes).
- `panels_add_bootstrap_css` (and its old misspelling `panels_add_boostrap_css`): False
  means the theme brings Bootstrap, so the layer's complement stylesheet is not added.
- `panels_css_variables`: sphinx-panels' tab colours and label size, given to
  sphinx-design's matching CSS variables in a small generated stylesheet.
- `panels_add_fontawesome_latex`: asks sphinx-design for the LaTeX `fontawesome` package.
- `panels_dev_mode`: rewrote pages when sphinx-panels' compiled CSS changed; there is no
  compiled CSS here, so True is reported as having no effect.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from sphinxext.panels.layout import DEFAULT_DELIMITERS
from sphinxext.panels.messages import Location, at, warn

STATIC = Path(__file__).parent / "static"
COMPLEMENT_CSS = "panels-bootstrap.css"
VARIABLES_CSS = "panels-variables.css"

#: sphinx-panels' CSS variables and the sphinx-design variables that do the same job.
CSS_VARIABLES = {
    "tabs-color-label-active": "--sd-color-tabs-label-active",
    "tabs-color-label-inactive": "--sd-color-tabs-label-inactive",
    "tabs-color-overline": "--sd-color-tabs-overline",
    "tabs-color-underline": "--sd-color-tabs-underline",
    "tabs-size-label": "--sd-fontsize-tabs-label",
}


def setup_config(app: Sphinx) -> None:
    app.add_config_value(
        "panels_delimiters", DEFAULT_DELIMITERS, "env", types=frozenset({tuple, list})
    )
    app.add_config_value("panels_add_bootstrap_css", None, "html")
    app.add_config_value("panels_add_boostrap_css", None, "html")
    app.add_config_value("panels_css_variables", {}, "html", types=frozenset({dict}))
    app.add_config_value("panels_dev_mode", False, "html")
    app.add_config_value("panels_add_fontawesome_latex", False, "env")
    # Before sphinx-design reads its own LaTeX setting (default priority 500).
    app.connect("config-inited", check_config, priority=400)
    app.connect("builder-inited", add_stylesheets)


def check_config(app: Sphinx, config: Config) -> None:
    """Each wrong or inert value: one French `panels.config` warning, then a safe value."""
    conf = Path(app.confdir) / "conf.py"
    config.panels_delimiters = delimiters(config.panels_delimiters,
                                          setting(conf, "panels_delimiters"))
    if config.panels_add_boostrap_css is not None:
        warn("panels_add_boostrap_css est l'ancienne orthographe : écrivez "
             "panels_add_bootstrap_css (la valeur donnée est prise en compte).", "config",
             setting(conf, "panels_add_boostrap_css"))
        if config.panels_add_bootstrap_css is None:
            config.panels_add_bootstrap_css = config.panels_add_boostrap_css
    if config.panels_dev_mode:
        warn("panels_dev_mode n'a pas d'effet : sphinx-panels s'en servait pour réécrire les "
             "pages quand son CSS compilé changeait ; ce module n'en compile pas. Retirez-le "
             "de conf.py.", "config", setting(conf, "panels_dev_mode"))
    for key in config.panels_css_variables:
        if key not in CSS_VARIABLES:
            warn(f"panels_css_variables : clé « {key} » inconnue, ignorée (clés possibles : "
                 f"{', '.join(CSS_VARIABLES)}).", "config",
                 setting(conf, "panels_css_variables"))
    if config.panels_add_fontawesome_latex and not config.sd_fontawesome_latex:
        config.sd_fontawesome_latex = "fontawesome"


def setting(conf: Path, name: str) -> Location:
    """Where conf.py sets `name` (its line), or None when it is set elsewhere (-D)."""
    try:
        lines = conf.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    pattern = re.compile(rf"^{re.escape(name)}\s*=")
    number = next((i for i, line in enumerate(lines, 1) if pattern.match(line)), None)
    return None if number is None else at(str(conf), number)


def delimiters(value: object, where: Location) -> tuple[str, str, str]:
    """Three distinct regular expressions, or sphinx-panels' defaults after a warning."""
    problem = None
    if not isinstance(value, tuple | list) or len(value) != 3:
        problem = "trois expressions sont attendues : (panneau, en-tête, pied)"
    elif not all(isinstance(item, str) for item in value):
        problem = "chaque séparateur s'écrit comme une expression régulière (texte)"
    elif len(set(value)) != 3:
        problem = "les trois séparateurs doivent être différents"
    else:
        for item in value:
            try:
                re.compile(item)
            except re.error as error:
                problem = f"expression invalide « {item} » ({error})"
                break
    if problem is None:
        return (str(value[0]), str(value[1]), str(value[2]))  # type: ignore[index]
    warn(f"panels_delimiters : {problem} ; les séparateurs ---, ^^^ et +++ sont utilisés.",
         "config", where)
    return DEFAULT_DELIMITERS


def add_stylesheets(app: Sphinx) -> None:
    """The complement stylesheet and the variables one, for HTML builders."""
    if app.builder.format != "html":
        return
    if app.config.panels_add_bootstrap_css is not False:
        app.config.html_static_path.append(str(STATIC))
        app.add_css_file(COMPLEMENT_CSS)
    variables = {
        CSS_VARIABLES[key]: value
        for key, value in app.config.panels_css_variables.items()
        if key in CSS_VARIABLES
    }
    if variables:
        folder = Path(app.doctreedir) / "panels-static"
        folder.mkdir(parents=True, exist_ok=True)
        lines = "".join(f"  {name}: {value};\n" for name, value in variables.items())
        (folder / VARIABLES_CSS).write_text(f":root {{\n{lines}}}\n", encoding="utf-8")
        app.config.html_static_path.append(str(folder))
        app.add_css_file(VARIABLES_CSS)

"""Every snippet the docs show builds with -W, with the real conf.py of the docs.

The snippets are also what the writers' page shows (literalinclude): each documented
pattern is a regression test. The same project checks conf.py's environment variables.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checks.emulator import Emulator
from tests.conftest import PASSWORD, ROOT
from tests.sphinx_run import Build, sphinx_build

SNIPPETS = ROOT / "docs" / "snippets"


def _project(folder: Path, snippets: list[Path]) -> Path:
    """One page per snippet, under a title, all in the toctree of an index."""
    folder.mkdir(parents=True)
    names = [p.stem for p in snippets]
    (folder / "index.rst").write_text(
        "Extraits\n========\n\n.. toctree::\n\n" + "".join(f"   {n}\n" for n in names), "utf-8")
    for path in snippets:
        title = f"Extrait {path.stem}"
        (folder / path.name).write_text(f"{title}\n{'=' * len(title)}\n\n"
                                        + path.read_text("utf-8"), "utf-8")
    return folder


def _build(tmp_path: Path, snippets: list[Path], env: dict[str, str], *options: str) -> Build:
    return sphinx_build(_project(tmp_path / "src", snippets), tmp_path / "out", "-W", *options,
                        confdir=ROOT, env=env)


def test_datis_snippets_exist() -> None:
    names = {p.name for p in SNIPPETS.glob("datis-*.rst")}
    assert {"datis-reglages.rst", "datis-doc.rst", "datis-reel.rst", "datis-url.rst",
            "datis-conformite.rst"} <= names


def test_every_snippet_builds_with_W_from_a_snapshot(tmp_path: Path,
                                                     snapshots: dict[str, Path]) -> None:
    """Snippets written for sphinx-panels included: our `panels` layer must build them."""
    snippets = sorted(SNIPPETS.glob("*.rst"))
    assert any(".. panels::" in p.read_text("utf-8") for p in snippets)
    build = _build(tmp_path, snippets, {"DATIS_SNAPSHOT": str(snapshots["datis-conforme"])})
    assert (build.code, build.warnings()) == (0, []), build.stderr
    html = build.html("datis-reglages")
    assert "Valeurs réelles\u00a0: instantané du " in html
    assert "conforme" in html


def test_datis_snippets_with_W_from_a_snapshot(tmp_path: Path,
                                               snapshots: dict[str, Path]) -> None:
    build = _build(tmp_path, sorted(SNIPPETS.glob("datis-*.rst")),
                   {"DATIS_SNAPSHOT": str(snapshots["datis-conforme"])})
    assert (build.code, build.warnings()) == (0, []), build.stderr
    assert "https://backup.1a2b.inspee.re" in build.html("datis-url")
    assert "Aucune page de conformité" in build.html("datis-conformite")


def test_docs_conf_live_and_drift(tmp_path: Path,
                                  start_emulator: Callable[..., Emulator]) -> None:
    snippets = sorted(SNIPPETS.glob("datis-*.rst"))
    good = start_emulator("datis-conforme")
    build = _build(tmp_path / "conforme", snippets,
                   {"DATIS_URL": good.url, "DATIS_PASSWORD": PASSWORD})
    assert (build.code, build.warnings()) == (0, []), build.stderr
    assert f"appliance {good.url}, lue pendant cette construction" in build.html(
        "datis-reglages")

    drifted = start_emulator("datis-conforme")
    drifted.state.save_general({"update_freq_incr": "43200"})
    build = _build(tmp_path / "derive", snippets,
                   {"DATIS_URL": drifted.url, "DATIS_PASSWORD": PASSWORD})
    assert build.code == 1
    assert any("datis-reglages-choix.rst:6: WARNING: Écart" in w and "(update_freq_incr)" in w
               for w in build.warnings()), build.stderr


def test_docs_conf_refuses_an_unknown_mode(tmp_path: Path) -> None:
    build = _build(tmp_path, sorted(SNIPPETS.glob("datis-*.rst")),
                   {"DATIS_MODE": "direct", "DATIS_TIMEOUT": "bientôt"})
    assert build.code == 1
    assert [w.removeprefix("WARNING: ") for w in build.warnings()] == [
        "datis_mode\u00a0: «\u00a0direct\u00a0» inconnu (attendu\u00a0: live, snapshot ou "
        "documented). Seules les "
        "valeurs documentées sont affichées. [urbackup.config]",
        "datis_timeout\u00a0: «\u00a0bientôt\u00a0» n'est pas un nombre de secondes "
        "positif\u202f; 10.0 secondes sont "
        "utilisées. [urbackup.config]",
    ]
    assert "Traceback" not in build.stderr
    assert "(non lu)" in build.html("datis-reel")


def test_docs_conf_with_an_identifier_falls_back_to_the_snapshot(
        tmp_path: Path, snapshots: dict[str, Path]) -> None:
    """DATIS_ID names the appliance; `.invalid` never resolves (RFC 2606)."""
    build = _build(tmp_path, sorted(SNIPPETS.glob("datis-*.rst")),
                   {"DATIS_ID": "1a2b", "DATIS_PASSWORD": PASSWORD,
                    "DATIS_SNAPSHOT": str(snapshots["datis-conforme"])},
                   "-D", "datis_domain=exemple.invalid")
    assert build.code == 1
    warnings = build.warnings()
    assert len(warnings) == 2, warnings
    assert "Appliance https://backup.1a2b.exemple.invalid injoignable ou illisible" in warnings[0]
    assert warnings[0].endswith("[urbackup.unreachable]")
    assert "pris sur une autre appliance" in warnings[1]
    assert warnings[1].endswith("[urbackup.stale_snapshot]")
    assert "Valeurs réelles\u00a0: instantané du " in build.html("datis-reglages")
    assert "https://backup.1a2b.exemple.invalid" in build.html("datis-url")

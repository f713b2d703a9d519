"""A live build reads each client's own settings only when a page shows a per-client value.

Pages show a client's own value beside the live value of a documented setting a client can
override (`Store.CLIENT`: the backup plan, the encryption of transfers), in a table or through
`datis-reel`; global and mail settings need none. The repository's docs show the backup plan
(`datis-reglages:: plan_fichiers` and `plan_images` in docs/reglages.rst), whose per-client
values are drift warnings of their own (docs/redaction.rst, « Réglages propres à un client »),
so their live build does read them, one request per client.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from checks.emulator import Emulator
from tests.conftest import PASSWORD, ROOT
from tests.sphinx_run import sphinx_build
from tests.sphinxext.conftest import warnings_of

ENV = "DATIS_TEST_PASSWORD"
CLIENTS = 102
"""The clients of the scenario cent-postes-sans-sauvegarde: two machines and a hundred PCs."""

GLOBAL_ONLY = """\
Page
====

.. datis-reglages:: messagerie

.. datis-reglages:: serveur
   :reglages: no_file_backups, backup_database

Port : :datis-reel:`mail_serverport`. Intervalle documenté : :datis-doc:`update_freq_incr`.

.. include:: extrait.txt
"""


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, PASSWORD)


def _project(folder: Path, extract: str = "Rien.\n") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "conf.py").write_text('extensions = ["sphinxext"]\n')
    (folder / "index.rst").write_text(GLOBAL_ONLY, "utf-8")
    (folder / "extrait.txt").write_text(extract, "utf-8")
    return folder


def _live(url: str) -> dict[str, object]:
    """Live mode comparing each client's own settings: what decides whether they are read is
    then what the pages show."""
    return {"datis_mode": "live", "datis_appliance": url, "datis_password_env": ENV,
            "datis_client_overrides": True}


def test_the_repository_docs_read_no_client_settings_unless_asked(
        tmp_path: Path, start_emulator: Callable[..., Emulator]) -> None:
    """The pages show global values; each client's own settings (a request per client) are
    compared only with DATIS_CLIENT_OVERRIDES=1, then read once per client."""
    emulator = start_emulator("cent-postes-sans-sauvegarde")
    env = {"DATIS_URL": emulator.url, "DATIS_PASSWORD": PASSWORD}
    done = sphinx_build(ROOT / "docs", tmp_path / "html", "-W", confdir=ROOT, env=env)
    assert done.code == 0, done.stderr
    assert (emulator.served("clientsettings"), emulator.served("general")) == (0, 1)
    done = sphinx_build(ROOT / "docs", tmp_path / "html-clients", "-W", confdir=ROOT,
                        env={**env, "DATIS_CLIENT_OVERRIDES": "1"})
    assert done.code == 0, done.stderr
    assert (emulator.served("clientsettings"), emulator.served("general")) == (CLIENTS, 2)


def test_pages_showing_global_and_mail_settings_read_no_client_settings(
        tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp],
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("cent-postes-sans-sauvegarde")
    app = sphinx_app(_project(tmp_path / "doc"), **_live(emulator.url))
    app.build()
    assert warnings_of(app) == []
    assert emulator.served("general") == 1
    assert emulator.served("mail") == 1
    assert emulator.served("clientsettings") == 0


@pytest.mark.parametrize("markup", [
    ":datis-reel:`update_freq_incr`",
    ".. datis-reglages:: serveur",  # local_encrypt: a client may transfer in clear
    ".. datis-reglages:: serveur\n   :reglages: internet_encrypt",
    "```{datis-reglages} plan_images\n```",
])
def test_a_page_showing_an_overridable_setting_reads_each_client(
        markup: str, tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp],
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("cent-postes-sans-sauvegarde")
    sphinx_app(_project(tmp_path / "doc", f"{markup}\n"), **_live(emulator.url)).build()
    assert emulator.served("clientsettings") == CLIENTS


def test_a_page_that_starts_showing_a_client_value_reads_them_on_the_next_build(
        tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp],
        start_emulator: Callable[..., Emulator]) -> None:
    """datis-derive: SRV-COMPTA's own incremental interval (1 day) breaks the rule."""
    emulator = start_emulator("datis-derive")
    folder = _project(tmp_path / "doc")
    sphinx_app(folder, **_live(emulator.url)).build()
    assert emulator.served("clientsettings") == 0
    (folder / "extrait.txt").write_text(":datis-reel:`update_freq_incr`\n", "utf-8")
    (folder / "index.rst").touch()  # Sphinx re-reads a page when the page itself changed
    app = sphinx_app(folder, **_live(emulator.url))
    app.build()
    clients = len(emulator.state.clients)
    assert emulator.served("clientsettings") == clients
    drifts = [w.split(" WARNING: ", 1)[1] for w in warnings_of(app) if "(update_freq_incr)" in w]
    assert drifts == [
        "Écart entre la documentation et l'appliance pour «\u00a0Intervalle des sauvegardes "
        "incrémentielles de fichiers\u00a0» (update_freq_incr)\u00a0: documenté 5 heures, réel 12 "
        "heures "
        "(attendu\u00a0: au plus 5 heures). [urbackup.drift]",
        "Écart entre la documentation et l'appliance pour «\u00a0Intervalle des sauvegardes "
        "incrémentielles de fichiers\u00a0» (update_freq_incr) sur le client "
        "«\u00a0SRV-COMPTA\u00a0» "
        "(défini pour ce client dans l'interface)\u00a0: documenté 5 heures, réel 1 jour "
        "(attendu\u00a0: au plus 5 heures). [urbackup.drift]"]

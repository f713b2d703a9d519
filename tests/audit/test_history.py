"""History over real HTTP: audits appended with --history, the page and its chart in Chromium.

Between audits the customer changes settings through the web interface's own save calls; the
page must show one point per audit in each series, the counts the audits found, the changes
from one audit to the next, and run no script.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.appliance.client import UrBackupClient
from checks.emulator import Emulator
from checks.emulator.records import Backup, Client
from tests.browser import Browser
from tests.cli_run import run_cli
from tests.conftest import PASSWORD
from tests.hardening.test_browser import dump_dom

DAY, FIVE_HOURS, HOUR = 86400, 18000, 3600


def _audit(emulator: Emulator, history: Path) -> int:
    run = run_cli("--url", emulator.url, "--history", str(history), "--format", "json")
    assert run.stderr == ""
    return run.code


def _save_general(emulator: Emulator, values: dict[str, object]) -> None:
    with UrBackupClient(emulator.url, username="admin", password=PASSWORD) as customer:
        customer.login()
        customer.save_general(values)


@pytest.fixture(scope="module")
def five_audits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five audits of one appliance, a customer's change before each of the last four."""
    folder = tmp_path_factory.mktemp("historique") / "historique"
    emulator = Emulator("datis-conforme", admin_password=PASSWORD)
    emulator.start()
    try:
        codes = [_audit(emulator, folder)]
        for interval in (DAY, DAY, FIVE_HOURS, HOUR):
            _save_general(emulator, {"update_freq_incr": interval})
            codes.append(_audit(emulator, folder))
    finally:
        emulator.stop()
    assert codes == [0, 1, 1, 0, 1]
    return folder


def test_each_audit_is_kept_whole_as_its_json_result(five_audits: Path) -> None:
    (appliance,) = list(five_audits.iterdir())
    files = sorted(appliance.iterdir())
    assert len(files) == 5
    results = [json.loads(f.read_text("utf-8")) for f in files]
    assert {r["schema"] for r in results} == {"datis-audit/1"}
    assert [r["ecarts"]["majeure"] for r in results] == [0, 1, 1, 0, 2]


@pytest.fixture(scope="module")
def page(five_audits: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("page") / "historique.html"
    run = run_cli("history", str(five_audits), "--output", str(target))
    assert run.code == 0, run.stderr
    assert run.stderr == f"Historique écrit\u00a0: {target}\n"
    return target


def test_the_page_lists_the_changes_between_consecutive_audits(page: Path) -> None:
    text = page.read_text("utf-8")
    label = "Intervalle des sauvegardes incrémentielles de fichiers"
    assert f"<li>Nouvel écart — {label}\u00a0: gravité majeure, observé\u00a0: 1 jour</li>" in text
    assert f"<li>Écart levé — {label}\u00a0: observé\u00a0: 5 heures</li>" in text
    assert f"<li>Valeur changée — {label}\u00a0: 5 heures → 1 heure</li>" in text
    assert text.count(": aucun changement.") == 1  # the second audit changed nothing new


def _steps(page: str) -> list[tuple[str, list[str]]]:
    """Each step of the page's changes: its heading's tail (« » or « : aucun changement. »)
    and its list items, unescaped, in order."""
    found = []
    for block in page.split("<p><strong>Du ")[1:]:
        heading, rest = block.split("</p>", 1)
        tail = heading.split("</strong>", 1)[1]
        listed = rest.lstrip().startswith("<ul>")
        items = re.findall(r"<li>(.*?)</li>", rest.split("</ul>", 1)[0]) if listed else []
        found.append((html.unescape(tail), [html.unescape(item) for item in items]))
    return found


def _observed(history: Path, audit: int, check: str) -> str:
    """What the `audit`-th audit (1-based) of the history recorded as observed for `check`."""
    (appliance,) = list(history.iterdir())
    result = json.loads(sorted(appliance.iterdir())[audit - 1].read_text("utf-8"))
    (found,) = [c for c in result["constats"] if c["id"] == check]
    return str(found["observe"])


def _backup(emulator: Emulator, client: int, backup: int, age: int) -> None:
    """A file backup the client's agent just made (`age` seconds ago): only the server does
    that, so it goes into the emulator's state, as the server would report it."""
    with emulator.state.lock:
        emulator.state.clients[client].backups.append(
            Backup(backup, client, False, int(time.time()) - age, True, 10**9))


@pytest.fixture(scope="module")
def four_audits(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int], str]:
    """Four audits of one appliance; between them settings saved through the web interface's
    calls, and what only the server knows (backups, clients) changed in its state."""
    folder = tmp_path_factory.mktemp("historique-quatre") / "historique"
    emulator = Emulator("datis-conforme", admin_password=PASSWORD)
    emulator.start()
    try:
        codes = [_audit(emulator, folder)]
        # 1 -> 2: a compliant value moved, a setting now off its rule, a backup fresher (a
        # health value that moved, still fine), a backup the server calls late, a new client.
        _save_general(emulator, {"update_freq_incr": 4 * HOUR, "max_file_full": 4})
        _backup(emulator, 1, 90, 600)
        with emulator.state.lock:
            emulator.state.clients[3].file_ok = False
            emulator.state.add_client(Client(9, "PC-NOUVEAU", online=True,
                                             lastseen=int(time.time())))
        codes.append(_audit(emulator, folder))
        # 2 -> 3: the setting put back, the backup ok again, the new client gone.
        _save_general(emulator, {"max_file_full": 10})
        with emulator.state.lock:
            emulator.state.clients[3].file_ok = None
            del emulator.state.clients[9]
        codes.append(_audit(emulator, folder))
        # 3 -> 4: only health values moved (a fresher backup): nothing to report.
        _backup(emulator, 2, 91, 60)
        codes.append(_audit(emulator, folder))
    finally:
        emulator.stop()
    target = folder.parent / "historique.html"
    run = run_cli("history", str(folder), "--output", str(target))
    assert run.code == 0, run.stderr
    return folder, codes, target.read_text("utf-8")


def test_the_changes_between_consecutive_audits_are_exactly_these(
        four_audits: tuple[Path, list[int], str]) -> None:
    folder, codes, page = four_audits
    assert codes == [0, 1, 0, 0]
    full = "Nombre maximal de sauvegardes complètes de fichiers conservées"
    late = _observed(folder, 2, "sante.3.fichiers")
    assert _steps(page) == [
        ("", [f"Nouvel écart — {full}\u00a0: gravité mineure, observé\u00a0: 4",
              "Valeur changée — Intervalle des sauvegardes incrémentielles de fichiers\u00a0: "
              "5 heures → 4 heures",
              f"Nouvel écart — Sauvegarde de fichiers — SRV-FICHIERS\u00a0: gravité majeure, "
              f"observé\u00a0: {late}",
              "Nouvel écart — Sauvegarde de fichiers — PC-NOUVEAU\u00a0: gravité majeure, "
              "observé\u00a0: jamais",
              "Nouvel écart — Sauvegarde image — PC-NOUVEAU\u00a0: gravité majeure, "
              "observé\u00a0: jamais"]),
        ("", [f"Écart levé — {full}\u00a0: observé\u00a0: 10",
              "Écart levé — Sauvegarde de fichiers — SRV-FICHIERS\u00a0: observé\u00a0: "
              f"{_observed(folder, 3, 'sante.3.fichiers')}",
              "Écart levé — Sauvegarde de fichiers — PC-NOUVEAU\u00a0: contrôle disparu",
              "Écart levé — Sauvegarde image — PC-NOUVEAU\u00a0: contrôle disparu"]),
        ("\u00a0: aucun changement.", []),
    ]


def test_a_health_value_that_moved_is_no_change_of_setting(
        four_audits: tuple[Path, list[int], str]) -> None:
    """The health values did move: had they counted, the steps above would list them."""
    folder = four_audits[0]
    assert _observed(folder, 1, "sante.1.fichiers") != _observed(folder, 2, "sante.1.fichiers")
    assert _observed(folder, 3, "sante.2.fichiers") != _observed(folder, 4, "sante.2.fichiers")


def test_the_chart_shows_one_point_per_audit_in_chromium(page: Path, browser: Browser) -> None:
    dom = dump_dom(browser, page)
    tags = [tag for tag, _ in dom.elements]
    assert tags.count("svg") == 1
    assert "script" not in tags
    assert not [attrs for _, attrs in dom.elements
                if any(name.startswith("on") for name in attrs)]
    points = [attrs for tag, attrs in dom.elements if tag == "circle"]
    assert len(points) == 15  # five audits, three severities
    assert sorted({p["data-audit"] for p in points}) == ["1", "2", "3", "4", "5"]
    series = [attrs["class"] for tag, attrs in dom.elements if tag == "g"]
    assert series == ["serie serie-critique", "serie serie-majeure", "serie serie-mineure"]
    majors = [t.rsplit("\u00a0: ", 1)[1] for t in dom.text if "\u00a0: majeure\u00a0: " in t]
    assert majors == ["0 écart", "1 écart", "1 écart", "0 écart", "2 écarts"]
    heights = [float(p["cy"]) for p in points[5:10]]
    assert heights[0] == heights[3] > heights[1] == heights[2] > heights[4]


def test_the_fleet_writes_to_the_same_history(start_emulator: Callable[..., Emulator],
                                             tmp_path: Path) -> None:
    first, second = start_emulator("datis-conforme"), start_emulator("datis-derive")
    inventory = tmp_path / "flotte.toml"
    inventory.write_text(f'schema = 1\n\n[[appliance]]\nurl = "{first.url}"\n\n'
                         f'[[appliance]]\nurl = "{second.url}"\n', encoding="utf-8")
    folder = tmp_path / "historique"
    for _ in range(2):
        run = run_cli("fleet", "--inventory", str(inventory), "--output-dir",
                      str(tmp_path / "rapports"), "--history", str(folder))
        assert run.code == 1, run.stderr
    assert sorted(len(list(p.iterdir())) for p in folder.iterdir()) == [2, 2]
    page = tmp_path / "historique.html"
    assert run_cli("history", str(folder), "--output", str(page)).code == 0
    assert page.read_text("utf-8").count('<svg xmlns="http://www.w3.org/2000/svg"') == 2


def _history_fails(folder: Path, tmp_path: Path) -> tuple[int, list[str], bool]:
    target = tmp_path / "page.html"
    run = run_cli("history", str(folder), "--output", str(target))
    return run.code, run.stderr.splitlines(), target.exists()


def test_a_history_with_foreign_files_is_refused(five_audits: Path, tmp_path: Path) -> None:
    folder = tmp_path / "historique"
    shutil.copytree(five_audits, folder)
    (appliance,) = list(folder.iterdir())
    first = sorted(appliance.iterdir())[0]
    prefix = f"datis-audit\u00a0: erreur\u00a0: Historique {folder}\u00a0: "
    (folder / "notes.txt").write_text("à relire", encoding="utf-8")
    assert _history_fails(folder, tmp_path) == (
        3, [f"{prefix}fichier étranger «\u00a0notes.txt\u00a0» (seuls des dossiers d'appliance y "
            "sont "
            "attendus)."], False)
    (folder / "notes.txt").unlink()
    snapshot = appliance / "2026-01-01T00-00-00-000000Z.json"
    snapshot.write_text(json.dumps({"schema": "datis-snapshot/1"}), encoding="utf-8")
    assert _history_fails(folder, tmp_path) == (
        3, [f"{prefix}fichier étranger «\u00a0{snapshot.relative_to(folder)}\u00a0» (ce n'est pas "
            "un "
            "résultat d'audit de datis-audit)."], False)
    snapshot.write_text(json.dumps({"schema": "datis-audit/2"}), encoding="utf-8")
    assert _history_fails(folder, tmp_path) == (
        3, [f"{prefix}fichier étranger «\u00a0{snapshot.relative_to(folder)}\u00a0» (schéma "
            "datis-audit/2\u202f; cette version lit datis-audit/1)."], False)
    snapshot.unlink()
    text = first.read_text("utf-8")
    first.write_text(text[: len(text) // 3], encoding="utf-8")
    assert _history_fails(folder, tmp_path) == (
        3, [f"{prefix}«\u00a0{first.relative_to(folder)}\u00a0» est tronqué ou n'est pas du JSON."],
        False)


def test_a_missing_or_empty_history_and_a_page_inside_it(tmp_path: Path) -> None:
    missing = tmp_path / "absent"
    assert _history_fails(missing, tmp_path) == (
        3, ["datis-audit\u00a0: erreur\u00a0: Dossier d'historique introuvable\u00a0: "
            f"{missing}."], False)
    empty = tmp_path / "vide"
    (empty / "1A2B").mkdir(parents=True)
    assert _history_fails(empty, tmp_path) == (
        3, [f"datis-audit\u00a0: erreur\u00a0: Historique {empty} vide\u00a0: aucun audit "
            "(ajoutez-en avec "
            "«\u00a0datis-audit --history DOSSIER\u00a0»)."], False)
    run = run_cli("history", str(empty), "--output", str(empty / "page.html"))
    assert (run.code, run.stderr.splitlines()) == (
        3, ["datis-audit\u00a0: erreur\u00a0: La page ne peut pas être écrite dans le dossier "
            "d'historique lui-même (elle y serait un fichier étranger)."])
    assert sorted(p.name for p in empty.iterdir()) == ["1A2B"]

"""The history folder's rules: one folder per appliance, one file per audit, nothing else.

Audits are real (the CLI, or `checks.audit.run.audit` over HTTP where an identifier is needed:
no name resolves to an emulator); the folder name and the file names are unit rules.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

import pytest

from checks.appliance.identity import Appliance
from checks.audit import baseline, rules
from checks.audit import run as auditing
from checks.emulator import Emulator
from checks.operations import history
from tests.cli_run import run_cli, run_cli_process
from tests.conftest import PASSWORD


@pytest.mark.parametrize(("identifier", "url", "folder"), [
    ("1a2b", "https://backup.1a2b.inspee.re", "1A2B"),
    (None, "https://backup.1a2b.inspee.re", "backup.1a2b.inspee.re"),
    (None, "http://127.0.0.1:8080", "127.0.0.1_8080"),
    (None, "https://[fe80::1]:8443", "fe80_1_8443"),
    (None, "http://NAS-SAUVEGARDE-X", "NAS-SAUVEGARDE-X"),
    (None, "http://...", "appliance"),
])
def test_the_folder_of_an_appliance(identifier: str | None, url: str, folder: str) -> None:
    assert history.slug(identifier, url) == folder


@contextmanager
def _zone(name: str) -> Iterator[None]:
    """The machine's local time zone for a while (time.tzset reads TZ; a POSIX rule such as
    `JST-9` needs no time zone database)."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


def test_audits_of_an_identified_appliance_keep_their_folder_and_each_file(
        emulator: Emulator, tmp_path: Path) -> None:
    appliance = Appliance(emulator.url, "1A2B")
    audit = auditing.audit(appliance, auditing.Connection(password=PASSWORD), baseline.load(),
                           rules.AuditOptions(), [])
    folder = history.prepare(tmp_path / "historique")
    with _zone("JST-9"):  # file names are in UTC whatever the machine's zone
        written = [history.append(folder, audit) for _ in range(3)]
    stamp = audit.date.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%S-%fZ")
    assert [p.relative_to(folder).as_posix() for p in written] == [
        f"1A2B/{stamp}.json", f"1A2B/{stamp}-2.json", f"1A2B/{stamp}-3.json"]
    (kept,) = history.load(folder)
    assert (kept.key, kept.identifier, kept.url, kept.name, len(kept.points)) == (
        "1A2B", "1A2B", emulator.url, "DATIS 1A2B", 3)
    assert [kept.matches(reference) for reference in (
        "1a2b", " 1A2B ", emulator.url, f"{emulator.url}/", "", "2B3C")] == [
        True, True, True, True, False, False]
    page = tmp_path / "historique.html"
    assert run_cli("history", str(folder), "--output", str(page)).code == 0
    assert "<h2>DATIS 1A2B</h2>" in page.read_text("utf-8")


def test_an_appliance_known_by_its_address_matches_only_that_address(
        emulator: Emulator, tmp_path: Path) -> None:
    folder = tmp_path / "historique"
    assert run_cli("--url", emulator.url, "--history", str(folder)).code == 0
    (kept,) = history.load(folder)
    assert kept.key == emulator.url.removeprefix("http://").replace(":", "_")
    assert (kept.identifier, kept.name) == (None, emulator.url)
    assert [kept.matches(reference) for reference in (
        emulator.url, f"{emulator.url}/", "xxxx", "XXXX", emulator.url.upper())] == [
        True, True, False, False, False]
    # An address that ends in a capital letter, and in a slash, as a technician may have
    # typed it in a file of the history.
    (audit,) = list((folder / kept.key).iterdir())
    data = json.loads(audit.read_text("utf-8"))
    data["appliance"]["url"] = "http://NAS-SAUVEGARDE-X/"
    moved = folder / "NAS-SAUVEGARDE-X" / audit.name
    moved.parent.mkdir()
    moved.write_text(json.dumps(data), encoding="utf-8")
    audit.unlink()
    (audit.parent).rmdir()
    (typed,) = history.load(folder)
    assert [typed.matches(reference) for reference in (
        "http://NAS-SAUVEGARDE-X/", "http://NAS-SAUVEGARDE-X", "http://NAS-SAUVEGARDE-",
        "http://nas-sauvegarde-x")] == [True, True, False, False]


def test_a_history_is_read_in_utf8_whatever_the_locale(emulator: Emulator,
                                                       tmp_path: Path) -> None:
    """Audit files are UTF-8 (« écart », « Dérogations »): a machine whose locale encoding is
    another one (ASCII here: the POSIX locale, neither coerced to UTF-8 nor in UTF-8 mode)
    reads them as they are."""
    folder = tmp_path / "historique"
    assert run_cli("--url", emulator.url, "--history", str(folder)).code == 0
    page = tmp_path / "historique.html"
    run = run_cli_process("history", str(folder), "--output", str(page), env={
        "LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"})
    assert (run.code, run.stderr) == (0, f"Historique \\xe9crit\\xa0: {page}\n")
    assert f"<h2>{emulator.url}</h2>" in page.read_text("utf-8")


def test_a_history_folder_is_made_with_its_parents_and_refused_where_a_file_is(
        emulator: Emulator, tmp_path: Path) -> None:
    deep = tmp_path / "visites" / "2026" / "historique"
    run = run_cli("--url", emulator.url, "--history", str(deep), "--format", "json")
    assert (run.code, run.stderr) == (0, "")
    assert len(list(deep.iterdir())) == 1
    taken = tmp_path / "historique.txt"
    taken.write_text("à garder", encoding="utf-8")
    run = run_cli("--url", emulator.url, "--history", str(taken))
    assert (run.code, run.stdout, run.stderr.splitlines()) == (3, "", [
        f"datis-audit\u00a0: erreur\u00a0: Dossier d'historique impossible\u00a0: {taken} (le "
        "fichier existe "
        "déjà)."])
    assert taken.read_text("utf-8") == "à garder"


def test_an_audit_that_cannot_be_added_is_one_french_line(emulator: Emulator,
                                                         tmp_path: Path) -> None:
    folder = tmp_path / "historique"
    folder.mkdir()
    place = folder / emulator.url.removeprefix("http://").replace(":", "_")
    place.write_text("pas un dossier", encoding="utf-8")
    run = run_cli("--url", emulator.url, "--history", str(folder), "--format", "json")
    assert (run.code, run.stdout, run.stderr.splitlines()) == (3, "", [
        f"datis-audit\u00a0: erreur\u00a0: Impossible d'ajouter l'audit à l'historique {folder} "
        "(le "
        "fichier existe déjà)."])


def test_an_altered_audit_file_is_refused(emulator: Emulator, tmp_path: Path) -> None:
    folder = tmp_path / "historique"
    assert run_cli("--url", emulator.url, "--history", str(folder)).code == 0
    (place,) = list(folder.iterdir())
    (kept,) = list(place.iterdir())
    good = json.loads(kept.read_text("utf-8"))
    target = tmp_path / "page.html"
    altered = f"datis-audit\u00a0: erreur\u00a0: Historique {folder}\u00a0: " \
              f"«\u00a0{kept.relative_to(folder)}\u00a0» est altéré (un champ manque ou n'a pas " \
              "le type attendu)."
    foreign = f"datis-audit\u00a0: erreur\u00a0: Historique {folder}\u00a0: fichier étranger " \
              f"«\u00a0{kept.relative_to(folder)}\u00a0» (ce n'est pas un résultat d'audit de " \
              "datis-audit)."
    cases = [
        ({k: v for k, v in good.items() if k != "constats"}, altered),
        ({**good, "appliance": {**good["appliance"], "identifiant": 42}}, altered),
        ({**good, "date": good["date"].replace("+00:00", "")}, altered),
        ([good], foreign),
    ]
    for data, message in cases:
        kept.write_text(json.dumps(data), encoding="utf-8")
        run = run_cli("history", str(folder), "--output", str(target))
        assert (run.code, run.stderr.splitlines(), target.exists()) == (3, [message], False)


def test_only_audit_files_of_the_folders_appliance_are_read(start_emulator: Callable[..., Emulator],
                                                            tmp_path: Path) -> None:
    folder = tmp_path / "historique"
    first, second = start_emulator(), start_emulator()
    for emulator in (first, second):
        assert run_cli("--url", emulator.url, "--history", str(folder)).code == 0
    place, other = (folder / history.slug(None, e.url) for e in (first, second))
    (kept,) = list(place.iterdir())
    # Hidden files are left alone, at both levels.
    (folder / ".verrou").write_text("", encoding="utf-8")
    (place / ".notes.txt").write_text("à relire", encoding="utf-8")
    assert [h.key for h in history.load(folder)] == sorted([place.name, other.name])
    target = tmp_path / "page.html"

    def refused(path: Path, why: str) -> None:
        run = run_cli("history", str(folder), "--output", str(target))
        assert (run.code, run.stderr.splitlines(), target.exists()) == (3, [
            f"datis-audit\u00a0: erreur\u00a0: Historique {folder}\u00a0: fichier étranger «\u00a0"
            f"{path.relative_to(folder)}\u00a0» ({why})."], False)

    for stray in (place / "notes.txt", place / f"{kept.stem}-2.json"):
        if stray.suffix == ".txt":
            stray.write_text("à relire", encoding="utf-8")
        else:
            stray.mkdir()
        refused(stray, "seuls les résultats JSON de datis-audit y sont attendus")
        (stray.unlink if stray.is_file() else stray.rmdir)()
    moved = other / kept.name
    kept.rename(moved)
    refused(moved, "résultat d'une autre appliance que celle du dossier")
    moved.rename(kept)
    # A file that cannot be read (a disk error: reading a process' memory from address 0).
    unreadable = place / f"{kept.stem}-3.json"
    unreadable.symlink_to("/proc/self/mem")
    run = run_cli("history", str(folder), "--output", str(target))
    assert (run.code, run.stderr.splitlines()) == (3, [
        f"datis-audit\u00a0: erreur\u00a0: Historique {folder} illisible (erreur d'entrée-sortie "
        "du "
        "disque)."])

"""Fleet audits through the real CLI: independent results, passwords outside the inventory."""

from __future__ import annotations

import json
import os
import pty
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import jsonschema

from checks.emulator import Emulator
from tests.audit.conftest import read_terminal
from tests.cli_run import run_cli, run_cli_process
from tests.conftest import PASSWORD, ROOT


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _inventory(path: Path, urls: list[tuple[str, str]]) -> Path:
    blocks = ["schema = 1"]
    for name, url in urls:
        blocks.append(f'[[appliance]]\nurl = "{url}"\nnom = "{name}"')
    path.write_text("\n\n".join(blocks) + "\n", "utf-8")
    return path


def test_fleet_results_are_independent(start_emulator: Callable[..., Emulator],
                                       tmp_path: Path) -> None:
    good = start_emulator("datis-conforme", admin_password="mdp-conforme")
    drifted = start_emulator("datis-derive", admin_password="mdp-derive")
    other_password = start_emulator("datis-conforme", admin_password="mdp-inconnu")
    down = f"http://127.0.0.1:{_closed_port()}"
    inventory = _inventory(tmp_path / "flotte.toml", [
        ("Cabinet A", good.url), ("Cabinet B", drifted.url), ("Cabinet C", down),
        ("Cabinet D", other_password.url)])
    passwords = tmp_path / "mdp.toml"
    passwords.write_text(f'"{good.url}" = "mdp-conforme"\n"{drifted.url}" = "mdp-derive"\n',
                         "utf-8")
    out = tmp_path / "rapports"
    run = run_cli("fleet", "--inventory", str(inventory), "--passwords", str(passwords),
                  "--output-dir", str(out), "--format", "html,json,junit", password=None)
    assert run.code == 2, run.stderr
    summary = json.loads((out / "flotte.json").read_text("utf-8"))
    schema = json.loads(resources.files("checks").joinpath("data/fleet-report.schema.json")
                        .read_text("utf-8"))
    jsonschema.validate(summary, schema)
    gaps = {a["nom"]: a["ecarts"] for a in summary["appliances"]}
    assert gaps == {"Cabinet A": {"critique": 0, "majeure": 0, "mineure": 0},
                    "Cabinet B": {"critique": 0, "majeure": 5, "mineure": 2},
                    "Cabinet C": None, "Cabinet D": None}
    states = {a["nom"]: a["etat"] for a in summary["appliances"]}
    assert states == {"Cabinet A": "conforme", "Cabinet B": "non conforme",
                      "Cabinet C": "audit impossible", "Cabinet D": "audit impossible"}
    errors = {a["nom"]: a["erreur"] for a in summary["appliances"]}
    assert "Connexion refusée" in errors["Cabinet C"]
    assert errors["Cabinet D"] == (
        "Mot de passe manquant : donnez-le dans le fichier --passwords, par "
        "DATIS_PASSWORD_IDENTIFIANT (ex. DATIS_PASSWORD_1A2B) ou par DATIS_PASSWORD.")
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".json") == sorted(
        ["flotte.json", *(f"127.0.0.1_{u.rsplit(':', 1)[1]}.json" for u in (good.url,
                                                                          drifted.url))])
    index = (out / "index.html").read_text("utf-8")
    assert "Audit de la flotte DATIS" in index and "Cabinet B" in index
    assert "4 appliances\u00a0: une conforme, une non conforme, 2 audits impossibles." in index
    assert "<td class=\"nombre\" data-label=\"Écarts (crit. / maj. / min.)\">0 / 5 / 2</td>" \
        in index
    assert "anywhere" not in index.split("td.adresse")[0]  # no word is cut outside addresses
    assert "Audit de la flotte" in run.stdout
    for secret in ("mdp-conforme", "mdp-derive"):
        assert secret not in run.stdout + run.stderr + index


def test_fleet_makes_one_login_per_appliance(start_emulator: Callable[..., Emulator],
                                             tmp_path: Path) -> None:
    """A wrong password costs one failure per appliance: no retry, no ban."""
    emulators = [start_emulator("datis-conforme") for _ in range(3)]
    inventory = _inventory(tmp_path / "flotte.toml",
                           [(f"A{i}", e.url) for i, e in enumerate(emulators)])
    run = run_cli("fleet", "--inventory", str(inventory), "--output-dir", str(tmp_path / "o"),
                  password="mauvais")
    assert run.code == 2
    assert [sum(len(v) for v in e.state.failures.values()) for e in emulators] == [1, 1, 1]
    assert not any(e.state.bans for e in emulators)


def test_inventory_never_holds_passwords(tmp_path: Path) -> None:
    inventory = tmp_path / "flotte.toml"
    inventory.write_text('schema = 1\n\n[[appliance]]\ndatis = "1A2B"\nmot_de_passe = "x"\n',
                         "utf-8")
    run = run_cli("fleet", "--inventory", str(inventory), "--output-dir", str(tmp_path / "o"))
    assert run.code == 3
    assert "ligne 5" in run.stderr and "aucun mot de passe" in run.stderr


def test_inventory_errors_name_the_line(tmp_path: Path) -> None:
    inventory = tmp_path / "flotte.toml"
    inventory.write_text('schema = 1\n\n[[appliance]]\ndatis = "1A2B"\n\n[[appliance]]\n'
                         'datis = "ZZZZ"\n', "utf-8")
    run = run_cli("fleet", "--inventory", str(inventory), "--output-dir", str(tmp_path / "o"))
    assert run.code == 3
    assert "ligne 6" in run.stderr and "Identifiant DATIS invalide" in run.stderr


def _mixed_fleet(start_emulator: Callable[..., Emulator],
                 tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """A compliant, a drifted, an unreachable and a password-less appliance."""
    good = start_emulator("datis-conforme", admin_password="mdp-conforme")
    drifted = start_emulator("datis-derive", admin_password="mdp-derive")
    other_password = start_emulator("datis-conforme", admin_password="mdp-inconnu")
    urls = [good.url, drifted.url, f"http://127.0.0.1:{_closed_port()}", other_password.url]
    inventory = _inventory(tmp_path / "flotte.toml",
                           [(f"Cabinet {i}", url) for i, url in enumerate(urls)])
    passwords = tmp_path / "mdp.toml"
    passwords.write_text(f'"{good.url}" = "mdp-conforme"\n"{drifted.url}" = "mdp-derive"\n',
                         "utf-8")
    return inventory, passwords, urls


def test_a_fleet_split_over_processes_gives_the_same_results(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    inventory, passwords, urls = _mixed_fleet(start_emulator, tmp_path)
    outcomes = {}
    for processes in ("1", "2"):
        out, kept = tmp_path / f"rapports-{processes}", tmp_path / f"historique-{processes}"
        # a subprocess: the audit processes are forked from a process that is datis-audit only
        run = run_cli_process("fleet", "--inventory", str(inventory), "--passwords",
                              str(passwords), "--output-dir", str(out), "--history", str(kept),
                              "--processes", processes, password=None)
        assert run.code == 2, run.stderr
        summary = json.loads((out / "flotte.json").read_text("utf-8"))
        rows = [{k: v for k, v in a.items() if k != "duree_s"} for a in summary["appliances"]]
        files = sorted(p.name for p in out.iterdir())
        history = sorted(p.name for p in kept.iterdir())
        outcomes[processes] = (rows, files, history, run.stdout.count("Cabinet"))
    assert outcomes["2"] == outcomes["1"]
    rows, files, history, named = outcomes["2"]
    assert [(a["url"], a["etat"]) for a in rows] == list(zip(urls, [
        "conforme", "non conforme", "audit impossible", "audit impossible"], strict=True))
    slugs = [f"127.0.0.1_{u.rsplit(':', 1)[1]}" for u in urls[:2]]
    assert files == sorted(["flotte.json", "index.html",
                            *(f"{s}.{ext}" for s in slugs for ext in ("html", "json"))])
    assert history == sorted(slugs)
    assert named == 6  # each in the table, the two impossible audits again with their reason


def test_a_report_that_cannot_be_written_in_an_audit_process_is_one_message(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    inventory, passwords, urls = _mixed_fleet(start_emulator, tmp_path)
    out = tmp_path / "rapports"
    blocked = out / f"127.0.0.1_{urls[1].rsplit(':', 1)[1]}.json"
    blocked.mkdir(parents=True)
    # a subprocess: the audit processes are forked from a process that is datis-audit only
    run = run_cli_process("fleet", "--inventory", str(inventory), "--passwords", str(passwords),
                          "--output-dir", str(out), "--processes", "2", password=None)
    assert run.code == 3
    assert run.stderr == ("datis-audit\u00a0: erreur\u00a0: Rapport impossible à écrire\u00a0: "
                          f"{blocked} "
                          "(c'est un dossier, pas un fichier).\n")
    good = f"127.0.0.1_{urls[0].rsplit(':', 1)[1]}"
    assert sorted(p.name for p in out.iterdir()) == sorted(  # HTML first, then the JSON
        [blocked.name, blocked.with_suffix(".html").name, f"{good}.html", f"{good}.json"])


def test_audit_processes_end_soon_after_the_command_is_killed(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """A killed fleet leaves no audit process behind, auditing for no one."""
    emulators = [start_emulator("datis-conforme", latency_ms=100) for _ in range(12)]
    inventory = _inventory(tmp_path / "flotte.toml",
                           [(f"A{i}", e.url) for i, e in enumerate(emulators)])
    out = tmp_path / "rapports"
    env = {k: v for k, v in os.environ.items() if k != "DATIS_PASSWORD"}
    command = subprocess.Popen(
        [sys.executable, "-m", "checks", "fleet", "--inventory", str(inventory), "--output-dir",
         str(out), "--workers", "2", "--processes", "2"],
        env={**env, "DATIS_PASSWORD": PASSWORD}, cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(out.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    children = Path(f"/proc/{command.pid}/task/{command.pid}/children").read_text().split()
    command.terminate()
    command.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(children) == 2
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
    assert len(list(out.glob("*.json"))) < len(emulators)


def test_a_fleet_over_processes_shows_its_progress_on_a_terminal(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emulators = [start_emulator("datis-conforme") for _ in range(4)]
    inventory = _inventory(tmp_path / "flotte.toml",
                           [(f"A{i}", e.url) for i, e in enumerate(emulators)])
    controller, terminal = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    with subprocess.Popen(
            [sys.executable, "-m", "checks", "fleet", "--inventory", str(inventory),
             "--output-dir", str(tmp_path / "rapports"), "--processes", "2", "-v"],
            stdout=subprocess.PIPE, stderr=terminal, cwd=ROOT,
            env={**environment, "DATIS_PASSWORD": PASSWORD}) as process:
        os.close(terminal)
        shown = read_terminal(controller)
        out, _ = process.communicate(timeout=60)
    os.close(controller)
    assert process.returncode == 0
    assert "4 appliances\u00a0: 4 conformes." in out.decode()
    assert "Audit de la flotte" in shown and "4/4" in shown
    assert "connexion à" in shown  # the audit processes' log reached the terminal

"""The terminal summary: at the terminal's width, grouped over many clients, every écart with
its reason and its machine."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import jsonschema

from checks.emulator import Emulator
from tests.audit.conftest import read_terminal
from tests.cli_run import run_cli
from tests.conftest import PASSWORD, ROOT

MANY = "cent-postes-sans-sauvegarde"


def _narrow(url: str, *args: str, columns: int = 80) -> list[str]:
    run = run_cli("--url", url, *args, env={"COLUMNS": str(columns)})
    assert run.code == 1, run.stderr
    return run.stdout.splitlines()


def _paragraphs(lines: list[str]) -> list[str]:
    """Each « ✗ » or « → » entry of the details, its wrapped lines joined."""
    entries: list[str] = []
    open_entry = False
    for line in lines:
        text = line.strip()
        if text.startswith(("✗", "→")):
            entries.append(text)
            open_entry = True
        elif open_entry and line.startswith("  ") and text:
            entries[-1] += " " + text
        else:
            open_entry = False
    return entries


def test_the_summary_follows_the_width_it_is_given(
        start_emulator: Callable[..., Emulator]) -> None:
    url = start_emulator("sauvegardes-en-retard").url
    for columns in (80, 132):
        lines = _narrow(url, columns=columns)
        assert max(len(line) for line in lines) == columns


def test_every_health_ecart_gives_its_reason_and_its_machine(
        start_emulator: Callable[..., Emulator]) -> None:
    url = start_emulator("sauvegardes-en-retard").url
    report = json.loads(run_cli("--url", url, "--format", "json").stdout)
    lines = _narrow(url)
    assert not [line for line in lines if line.endswith("«") or line.lstrip().startswith("»")]
    entries = _paragraphs(lines)
    reasons = [e for e in entries if e.startswith("✗")]
    actions = [e for e in entries if e.startswith("→")]
    failed = [c for c in report["constats"] if c["resultat"] == "écart"]
    assert len(reasons) == len(failed) == 9
    assert any(reason.startswith("✗ «\u00a0PC-DIRECTION\u00a0»\u00a0: dernière sauvegarde de "
                                 "fichiers il y a "
                                 "4 jours") for reason in reasons)
    for finding in (c for c in failed if c["client"]):
        assert any(finding["client"] in action for action in actions), finding["id"]


def test_a_hundred_clients_never_backed_up_are_two_lines(
        start_emulator: Callable[..., Emulator]) -> None:
    url = start_emulator(MANY).url
    lines = _narrow(url)
    assert len(lines) <= 50, "\n".join(lines)
    assert max(len(line) for line in lines) <= 80
    text = "\n".join(lines)
    rows = [line for line in lines if line.startswith("écart")]
    assert len(rows) == 2 and all("100 postes jamais" in row for row in rows)
    assert "(liste complète\u00a0: --format html ou json)" in text
    assert "PC-001, PC-002" in text and "PC-100" not in text
    assert "Et 6 contrôles conformes." in text


def test_a_group_whose_actions_name_each_machine_shows_one(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """Three clients with their own plan: one row, and the action shown for one of them."""
    scenario = tmp_path / "trois-plans.toml"
    scenario.write_text('''base = "referentiel"
[mail]
mail_password = "Relais"
[[web_users]]
name = "admin"
[[clients]]
id = 1
count = 3
name = "SRV-{n}"
online = true
backups = [{ type = "file", age = "1h" }, { type = "image", age = "1d" }]
[clients.settings]
update_freq_incr = { value = "86400", use = 2 }
''', "utf-8")
    lines = _narrow(start_emulator(str(scenario)).url, columns=100)
    text = "\n".join(lines)
    assert "3 postes ayant leur propre réglage" in text
    assert "SRV-1, SRV-2, SRV-3." in text
    entries = _paragraphs(lines)
    actions = [e for e in entries if e.startswith("→")]
    assert len(actions) == 1 and actions[0].startswith("→ Pour chaque poste, comme pour "
                                                       "SRV-1\u00a0:")
    assert "SRV-2" not in actions[0]


def test_groups_are_whole_in_json_and_html(start_emulator: Callable[..., Emulator]) -> None:
    url = start_emulator(MANY).url
    report = json.loads(run_cli("--url", url, "--format", "json").stdout)
    schema = json.loads(resources.files("checks").joinpath("data/audit-report.schema.json")
                        .read_text("utf-8"))
    jsonschema.validate(report, schema, format_checker=jsonschema.FormatChecker())
    groups = {g["id"]: g for g in report["groupes"]}
    never = groups["sante.fichiers.jamais"]
    assert never["titre"] == "100 postes jamais sauvegardés (fichiers)"
    assert (never["nombre"], never["gravite"], never["resultat"]) == (100, "majeure", "écart")
    assert never["clients"] == [f"PC-{n:03}" for n in range(1, 101)]
    individual = {c["id"]: c for c in report["constats"]}
    assert all(individual[i]["observe"] == "jamais" for i in never["constats"])
    assert len(report["constats"]) == 240 and report["ecarts"]["majeure"] == 200
    html = run_cli("--url", url, "--format", "html").stdout
    assert all(f"PC-{n:03}" in html for n in range(1, 101))


def test_a_real_terminal_gets_its_own_width_and_colours(
        start_emulator: Callable[..., Emulator]) -> None:
    """No COLUMNS: the width comes from the terminal itself (a pseudo-terminal of 72 columns)."""
    url = start_emulator("sauvegardes-en-retard").url
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 72, 0, 0))
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("COLUMNS", "LINES", "NO_COLOR", "CI")}
    environment["DATIS_PASSWORD"] = PASSWORD
    # a subprocess: the width and colours come from a real terminal
    with subprocess.Popen([sys.executable, "-m", "checks", "--url", url], stdin=terminal,
                          stdout=terminal, stderr=subprocess.DEVNULL, env=environment,
                          cwd=ROOT) as process:
        os.close(terminal)
        output = read_terminal(controller)
        assert process.wait(timeout=120) == 1
    os.close(controller)
    assert "\x1b[" in output
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)
    widths = [len(line) for line in plain.replace("\r", "").splitlines()]
    assert max(widths) == 72

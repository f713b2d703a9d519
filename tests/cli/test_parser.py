"""Each run builds only the command it asks for: the others are there by name, and the one
that runs is the same as in the whole command line."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from checks.cli import main as cli
from tests.cli_run import run_cli


def _help(command: str, parser_for: str | None) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        cli.build_parser(parser_for).parse_args([command, "--help"])
    assert exit_.value.code == 0
    return out.getvalue()


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_a_command_built_alone_is_the_command_of_the_whole_line(command: str) -> None:
    assert _help(command, command) == _help(command, None)


def _refusal(parser_for: str | None) -> str:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exit_:
        cli.build_parser(parser_for).parse_args(["flet"])
    assert exit_.value.code == 3
    return err.getvalue()


def test_an_unknown_command_is_refused_naming_every_command() -> None:
    refusal = _refusal("flet")
    assert refusal == _refusal(None)
    assert all(f"'{name}'" in refusal.splitlines()[-1] for name in cli.COMMANDS), refusal


def test_the_help_shown_by_default_names_every_other_command() -> None:
    shown = run_cli("--help")
    assert shown.code == 0
    listed = shown.stdout.split("autres commandes (datis-audit COMMANDE --help)\u00a0:\n")[1]
    assert [line.split()[0] for line in listed.splitlines()] == [
        "snapshot", "fix", "fleet", "twin", "diff", "history", "exporter", "undocumented"]


SNAPSHOT_CODES = """\
codes de sortie\u00a0:
  0  instantané écrit
  2  lecture impossible (appliance injoignable, authentification, droits, TLS, réponse
     inattendue)
  3  erreur d'utilisation (option, identifiant, adresse MAC, fichier impossible à écrire)
  4  erreur interne\u00a0: un défaut de datis-audit, à signaler au support (relancer avec -vv)
  130  interrompu par Ctrl-C
"""


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_each_command_lists_its_own_exit_codes(command: str) -> None:
    shown = run_cli(command, "--help").stdout
    assert shown.count("codes de sortie\u00a0:") == 1
    audit_codes = "0  l'appliance est conforme au référentiel"
    assert (audit_codes in shown) == (command == "audit")
    if command == "snapshot":
        assert SNAPSHOT_CODES in shown


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_help_headings_and_argument_names_are_french(command: str) -> None:
    shown = run_cli(command, "--help").stdout
    headings = [line for line in shown.splitlines() if line.endswith(":") and
                not line.startswith(" ")]
    assert headings and all(line.endswith("\u00a0:") for line in headings), headings
    usage = shown.split("\n\n")[0]
    names = set(re.findall(r"\b[A-ZÀ-Ü][A-ZÀ-Ü:-]+\b", usage))
    assert names <= {"IDENTIFIANT", "ADRESSE", "DOMAINE", "FICHIER", "SECONDES", "COMPTE",
                     "DOSSIER", "INSTANTANÉ", "AVANT", "APRÈS", "PORT", "N", "ADRESSE:PORT",
                     "FORMATS", "ONGLET"}, names

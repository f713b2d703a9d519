"""Each run builds only the command it asks for: the others are there by name, and the one
that runs is the same as in the whole command line."""

from __future__ import annotations

import contextlib
import io

import pytest

from checks.cli import main as cli


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

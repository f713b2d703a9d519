"""`python -m checks.emulator` as a real process: prints its URL when ready, answers, stops on
SIGTERM; refuses bad options with one French line and no traceback (those runs, which never
serve, through its entry point in this process)."""

from __future__ import annotations

import http.client
import json
import os
import select
import signal
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from checks.emulator.__main__ import main as emulator_main
from tests.cli_run import Run, run_main
from tests.conftest import ROOT
from tests.emulator.replay import SCENARIOS

PASSWORD = "Mot-De-Passe-Du-Test"


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    lines: list[str]

    @property
    def url(self) -> str:
        return self.lines[0]

    def connection(self, timeout: float = 5.0) -> http.client.HTTPConnection:
        parts = urlsplit(self.url)
        assert parts.hostname is not None
        if parts.scheme == "https":
            ca = self.lines[1].split(" : ", 1)[1]
            context = ssl.create_default_context(cafile=ca)
            return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                               context=context)
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)

    def post(self, action: str, body: str = "", timeout: float = 5.0
             ) -> http.client.HTTPResponse:
        connection = self.connection(timeout)
        connection.request("POST", f"/x?a={action}", body=body.encode() or None,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        return connection.getresponse()

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        _, stderr = self.process.communicate(timeout=15)
        return self.process.returncode, stderr.decode()


def emulator_command(*options: str) -> list[str]:
    return [sys.executable, "-m", "checks.emulator", "--port", "0", *options]


def refused(*options: str) -> Run:
    """`python -m checks.emulator --port 0 OPTIONS` through its entry point, in this process:
    for the command lines it refuses before serving (a process is needed only to serve)."""
    return run_main(emulator_main, ["--port", "0", *options], env=os.environ)


def read_lines(process: subprocess.Popen[bytes], count: int, wait: float = 20.0) -> list[str]:
    """The first lines the process prints, read straight from the pipe (no buffering)."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    data = b""
    while data.count(b"\n") < count:
        ready, _, _ = select.select([fd], [], [], wait)
        assert ready, "l'émulateur n'a rien affiché à temps"
        chunk = os.read(fd, 4096)
        assert chunk, "l'émulateur s'est arrêté sans afficher son adresse"
        data += chunk
    return data.decode().splitlines()[:count]


def start(*options: str, lines: int = 1, env: dict[str, str] | None = None) -> Running:
    process = subprocess.Popen(emulator_command(*options), cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env if env is not None else dict(os.environ))
    return Running(process, read_lines(process, lines))


@pytest.fixture
def running() -> Iterator[list[Running]]:
    started: list[Running] = []
    yield started
    for item in started:
        if item.process.poll() is None:
            item.process.kill()
            item.process.communicate(timeout=15)


def test_serves_prints_its_url_and_stops_cleanly_on_sigterm(running: list[Running]) -> None:
    emulator = start("--scenario", "datis-conforme", "--admin-password", PASSWORD)
    running.append(emulator)
    assert emulator.url.startswith("http://127.0.0.1:")
    answer = emulator.post("salt", "username=admin")
    assert answer.status == 200
    assert set(json.loads(answer.read())) == {"pbkdf2_rounds", "rnd", "salt", "ses"}
    code, stderr = emulator.stop()
    assert code == 0
    assert stderr == ""


def test_the_official_login_works_against_the_process(running: list[Running]) -> None:
    from checks.appliance.client import UrBackupClient

    emulator = start("--scenario", "datis-derive", "--admin-password", PASSWORD)
    running.append(emulator)
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        client.login()
        assert client.status()["status"]
    assert emulator.stop()[0] == 0


def test_tls_prints_an_https_url_and_its_authority(running: list[Running]) -> None:
    emulator = start("--tls", "--admin-password", PASSWORD, lines=2)
    running.append(emulator)
    assert emulator.url.startswith("https://127.0.0.1:")
    assert emulator.lines[1].startswith("autorité de certification : ")
    assert Path(emulator.lines[1].split(" : ", 1)[1]).is_file()
    assert emulator.post("status").status == 200
    assert emulator.stop()[0] == 0


def test_without_password_one_is_drawn_and_shown(running: list[Running]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "EMULATOR_ADMIN_PASSWORD"}
    emulator = start(lines=2, env=env)
    running.append(emulator)
    assert emulator.lines[1].startswith("mot de passe admin (tiré au hasard) : ")
    drawn = emulator.lines[1].rsplit(" ", 1)[1]
    assert len(drawn) == 16

    from checks.appliance.client import UrBackupClient

    with UrBackupClient(emulator.url, password=drawn) as client:
        client.login()
    assert emulator.stop()[0] == 0


def test_the_password_may_come_from_the_environment(running: list[Running]) -> None:
    from checks.appliance.client import UrBackupClient

    emulator = start(env={**os.environ, "EMULATOR_ADMIN_PASSWORD": PASSWORD})
    running.append(emulator)
    assert PASSWORD not in " ".join(emulator.lines)
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        client.login()
    assert emulator.stop()[0] == 0


def test_a_scenario_file_by_path(running: list[Running]) -> None:
    emulator = start("--scenario", str(SCENARIOS / "enregistrement-vierge.toml"))
    running.append(emulator)
    answer = emulator.post("login")
    assert b'"session"' in answer.read(), "aucun compte : session anonyme"
    assert emulator.stop()[0] == 0


def test_keep_alive_answers_with_lengths(running: list[Running]) -> None:
    emulator = start("--keep-alive", "--admin-password", PASSWORD)
    running.append(emulator)
    answer = emulator.post("status")
    assert answer.getheader("Content-Length") == str(len(answer.read()))
    assert answer.getheader("Connection") is None
    assert emulator.stop()[0] == 0


def test_latency_option(running: list[Running]) -> None:
    emulator = start("--latency-ms", "2000", "--admin-password", PASSWORD)
    running.append(emulator)
    with pytest.raises(TimeoutError):
        emulator.post("status", timeout=0.2)
    assert emulator.stop()[0] == 0


def test_each_fault_option_works(running: list[Running]) -> None:
    emulator = start(
        "--admin-password", PASSWORD,
        "--fault", "empty:panne_empty", "--fault", "http500:panne_500",
        "--fault", "html:panne_html", "--fault", "html200:panne_html200",
        "--fault", "redirect:panne_redirect", "--fault", "drop:panne_drop",
        "--fault", "reset:panne_reset", "--fault", "huge:panne_huge",
        "--fault", "error:status@1", "--fault", "wrong_types:usage",
        "--fault", "truncate:panne_truncate", "--fault", "stall:panne_stall",
        "--fault", "slow:panne_slow",
    )
    running.append(emulator)
    assert emulator.post("panne_empty").read() == b""
    assert emulator.post("panne_500").status == 500
    assert emulator.post("panne_html").status == 502
    assert emulator.post("panne_html200").read().startswith(b"<!DOCTYPE html>")
    assert emulator.post("panne_redirect").getheader("Location") == "https://autre-hote.invalid/x"
    for action in ("panne_drop", "panne_reset"):
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            emulator.post(action).read()
    assert len(emulator.post("panne_huge").read(1024 * 1024)) == 1024 * 1024
    assert emulator.post("status").read() == b'{\n"error": 1\n}\n'
    assert emulator.post("status").read() == b'{\n"error": 1\n}\n', "erreur 1 : session absente"
    whole = b"Error: Unknown action [panne_truncate]"
    assert emulator.post("panne_truncate").read() == whole[: len(whole) // 2]
    with pytest.raises(TimeoutError):
        emulator.post("panne_stall", timeout=0.2)
    slow = emulator.post("panne_slow")
    assert slow.status == 200 and slow.read(1) == b"E"
    code, stderr = emulator.stop()
    assert code == 0 and stderr == ""


PROG = "python -m checks.emulator\u00a0: "


def test_a_malformed_option_gets_french_usage_and_exit_code_3() -> None:
    done = refused("--latency-ms", "abc")
    assert done.code == 3
    assert done.stderr.startswith("usage\u00a0: python -m checks.emulator")
    assert done.stderr.strip().splitlines()[-1] == (
        PROG + "erreur\u00a0: option --latency-ms\u00a0: valeur invalide\u00a0: 'abc'")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("options", "message", "code"), [
    (["--scenario", "inexistant"], "erreur\u00a0: Scénario inconnu\u00a0: "
                                   "«\u00a0inexistant\u00a0»", 3),
    (["--fault", "fondue"], "erreur\u00a0: Panne inconnue\u00a0: 'fondue'", 3),
])
def test_bad_options_get_one_french_line_and_no_traceback(options: list[str], message: str,
                                                          code: int) -> None:
    done = refused(*options)
    assert done.code == code
    assert done.stdout == ""
    assert done.stderr.startswith(PROG + message)
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("content", "message"), [
    ("x = [\n", "illisible"),
    ('[[clients]]\nname = "PC"\n', "incomplet\u00a0: la clé 'id' manque."),
    ('[[clients]]\nid = "un"\nname = "PC"\n', "une valeur n'a pas le type attendu."),
    ('[[clients]]\nid = 1\nname = "PC"\nlastseen = "hier"\n', "Durée invalide"),
    ('[[clients]]\nid = 1\ncount = 0\nname = '
     '"PC-{n}"\n', "«\u00a0count\u00a0» doit être un "
                                                          "entier"),
    ('[[clients]]\nid = 1\ncount = 3\nname = "PC-{m}"\n', "Motif de numérotation invalide"),
])
def test_a_broken_scenario_file_gets_one_french_line(tmp_path: Path, content: str,
                                                     message: str) -> None:
    scenario = tmp_path / "casse.toml"
    scenario.write_text(content, "utf-8")
    done = refused("--scenario", str(scenario))
    assert done.code == 3
    assert done.stderr.startswith(PROG + "erreur\u00a0: ")
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_a_bad_fault_count_gets_a_french_line() -> None:
    done = refused("--fault", "empty@abc")
    assert done.code == 3
    assert done.stderr.startswith(PROG + "erreur\u00a0: Nombre de requêtes invalide après "
                                         "«\u00a0@\u00a0»\u00a0: 'abc'")
    assert "Traceback" not in done.stderr


def test_a_busy_port_is_reported_in_french(running: list[Running]) -> None:
    emulator = start("--admin-password", PASSWORD)
    running.append(emulator)
    port = urlsplit(emulator.url).port
    assert port is not None
    done = refused("--admin-password", PASSWORD, "--port", str(port))
    assert done.code == 2
    assert done.stderr == (PROG + f"erreur\u00a0: impossible d'écouter sur 127.0.0.1:{port} "
                           "(adresse déjà utilisée)\n")
    assert emulator.stop()[0] == 0

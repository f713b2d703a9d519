"""Replaying the recorded exchanges of a real UrBackup 2.5.33 server against the emulator.

Each recording (`tests/fixtures/recordings/NAME.exchange.json` and its body `NAME.json`) was
made in one situation of the recorded server: before any account existed, with an admin, with
clients, after some settings were saved. `situation()` says which, and `Replayer` puts a fresh
emulator in that situation over real HTTP (the writes that came before are replayed too), then
sends the recorded request with the session ids and password proofs of this emulator.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode, urlsplit

from urbackup_api import urbackup_server

from checks.appliance.login_proof import login_proof, password_hash
from checks.emulator import Emulator
from checks.emulator.records import Backup
from tests.conftest import PASSWORD, RECORDINGS

SCENARIOS = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"
WRONG_PASSWORD = "pas-le-bon-mot-de-passe"
XFF_BANNED = "198.51.100.77"

# The session ids of the recordings, by what they were on the recorded server.
ANONYMOUS = "J6hJVAGN661lnXS7jBIimFbJjXSil0"      # A01: the open appliance's admin session
ADMIN = "V2ZSXbZqnZyJQLEJNk3eSB4QEF7wH6"          # B09/B10: the admin's session
FAILED_LOGIN = "6NeKimKSV4gbLbm4YKDeevLdGyfdfI"   # B06/B07: salt, then a wrong password
UNAUTHENTICATED = "XRsl8ATCoRFMXGkLoPMuk1vM35LxXG"  # F40: salt only, never logged in
VIEWER = "OR19U7MRDQEqShIUEdy9p7cBwnm6na"         # H03/H04: the limited account's session
VIEWER_FAILED = "865XVjVcToD2LmqyeTNBXa4wClsDfy"  # H01/H02: salt, then a wrong password
ADMIN_LATER = "tLfmV24O4rxXyg9jrrIKERQoFx9Vr1"    # I01/I02: the admin's session in phases I-L
ADMIN_M = "SESSION"                               # M01/M02: the admin's session, as named there

NOT_REPLAYED: dict[str, str] = {
    # Actions the emulator does not implement: datis-audit never calls them.
    "B01_settings_useradd": "sa=useradd (création de compte) non émulée",
    "B02_settings_useradd_duplicate": "sa=useradd non émulée",
    "D40_settings_useradd_limited": "sa=useradd non émulée",
    "D30_settings_groupadd": "sa=groupadd non émulée (groupe créé par l'état de l'émulateur)",
    "C14_usagegraph": "action usagegraph non émulée",
    "C15_logs": "action logs non émulée",
    "C16_livelog": "action livelog non émulée",
    "C17_scripts_get_alert": "action scripts non émulée",
    "C30_status_add_extra_client": "clients supplémentaires (status hostname=) non émulés",
    "C31_status_after_extra": "clients supplémentaires (status hostname=) non émulés",
    "C32_status_remove_extra_client": "clients supplémentaires (status hostname=) non émulés",
    "F09_invalid_session_logs": "action logs non émulée",
    "H18_logs_viewer": "action logs non émulée",
    # Headers only: compared header by header, connection kept or closed, by
    # tests/emulator/test_static_files.py.
    "M03_static_file_headers": "fichier statique (en-têtes seuls) non émulé par le rejeu",
}

# Writes of phase D, in the order they were made on the recorded server. Those marked None
# call actions the emulator does not implement: their effect is put into its state instead.
D_WRITES = (
    "D01_settings_general_save_minimal",
    "D03_settings_general_save_full",
    "D05_settings_general_save_bad_values",
    "D07_settings_general_restore",
    "D10_settings_mail_save",
    "D20_clientsettings_save_override",
    "D22_clientsettings_save_merge",
    "D24_clientsettings_save_back_to_group",
    "D26_clientsettings_save_no_use",
    "D30_settings_groupadd",
    "D31_clientsettings_save_group",
    "D32_clientsettings_save_memberof",
    "D40_settings_useradd_limited",
)
H_TO_L_WRITES = (
    "H11_settings_general_save_viewer",               # refused: nothing written
    "H12_settings_clientsettings_save_viewer",        # refused
    "H13_settings_mail_save_testmail_viewer",         # refused: no mail either
    "I10_settings_mail_save_partial",
    "I12_settings_general_save_partial",
    "J01_settings_mail_save_testmail",
    "J02_settings_mail_save_testmail_only",
    "K02_settings_clientsettings_save_back_to_group_ui",
    "L01_settings_updaterights_viewer",
    "L06_settings_general_save_viewer_after_rights_change",
)
"""Writes of phases H to L (a later copy of the reference state), in recording order."""
REAL_CLIENT_BACKUP = "M00_real_client_file_backup"
"""Phase M starts after a real UrBackup client backed poste-001 up (API.md, « A client that
has been backed up »): no API action does that, so its effect is put into the state."""
C_WRITES = ("C20_add_client", "C21_add_client_again", "C22_add_client_2")
"""The clients added in phase C, as the web interface added them."""
AFTER_D_AND_E = (*D_WRITES, "E01_python_wrapper_session")
"""Phases F and G come after the writes of phase D and of the official client (E01)."""
VIEWER_RIGHTS = [
    {"domain": d, "right": r} for d, r in [
        ("browse_backups", "1"), ("lastacts", "1"), ("progress", "1"), ("settings", "1"),
        ("status", "1"), ("logs", "1"), ("stop_backup", "1"), ("start_backup", "all"),
        ("download_image", "1"), ("client_settings", "1"),
    ]
]


@dataclass(frozen=True)
class Recording:
    name: str
    method: str
    path: str
    headers: dict[str, str]
    params: dict[str, str]
    body: str
    status_line: str
    response_headers: list[tuple[str, str]]
    response_body: bytes
    as_sent: bool
    """Whether `response_body` holds the bytes sent (phase M's bodies were stored indented)."""

    @classmethod
    def load(cls, name: str) -> Recording:
        exchange = json.loads((RECORDINGS / f"{name}.exchange.json").read_text("utf-8"))
        request, response = exchange["request"], exchange["response"]
        url = urlsplit(request["url"])
        params = dict(request["params"] or {})
        body = request["body"]
        headers = dict(request.get("headers") or {})
        if body is None and params:
            # Phase M recorded the form's fields only: sent as a form, as the others were.
            body = urlencode(params)
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        response_body = (RECORDINGS / f"{name}.json").read_bytes()
        return cls(
            name=name,
            method=request["method"],
            path=f"{url.path}?{url.query}" if url.query else url.path,
            headers=headers,
            params=params,
            body=body or "",
            status_line=response["status_line"],
            response_headers=[(k, v) for k, v in response["headers"]],
            response_body=response_body,
            as_sent=response.get("body_length") in (None, len(response_body)),
        )

    def response_header(self, name: str) -> str | None:
        return next((v for k, v in self.response_headers if k.lower() == name.lower()), None)


def recording_names() -> list[str]:
    return sorted(p.name.removesuffix(".exchange.json") for p in RECORDINGS.glob("*.exchange.json"))


@dataclass(frozen=True)
class Situation:
    """Where the recorded server stood: its scenario file and the writes made before."""

    scenario: str
    writes_before: tuple[str, ...] = ()
    banned_failures: int = 0


def situation(name: str) -> Situation:
    phase, number = name[0], int(name[1:3])
    if phase == "A":
        return Situation("enregistrement-vierge")
    if phase == "B" or (phase == "C" and number < 20):
        return Situation("enregistrement-admin")
    if phase == "C" and number <= 22:
        # The clients are added by these very recordings.
        return Situation("enregistrement-admin", C_WRITES[: C_WRITES.index(name)])
    if phase == "C":
        return Situation("enregistrement-clients")
    if phase == "D":
        index = D_WRITES.index(name) if name in D_WRITES else _writes_before_readback(name)
        return Situation("enregistrement-clients", D_WRITES[:index])
    if phase == "F" and name.startswith(("F50", "F51", "F52")):
        failures = {"F50_ratelimit_salt_unknown_user_00": 0,
                    "F50_ratelimit_salt_unknown_user_10": 10}.get(name, 11)
        return Situation("enregistrement-clients", AFTER_D_AND_E, failures)
    if phase in ("F", "G"):
        return Situation("enregistrement-clients", AFTER_D_AND_E)
    if phase in "HIJKL":
        before = tuple(write for write in H_TO_L_WRITES if write < name)
        return Situation("enregistrement-reference", before)
    if phase == "M":
        return Situation("enregistrement-reference", (REAL_CLIENT_BACKUP,))
    raise AssertionError(f"enregistrement sans situation connue : {name}")


def _writes_before_readback(name: str) -> int:
    """A read of phase D sees every write recorded before it (names sort in recording order)."""
    return sum(1 for write in D_WRITES if write < name)


@dataclass
class Answer:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Replayer:
    """A fresh emulator in a recording's situation, and the HTTP calls to drive it."""

    emulator: Emulator
    sessions: dict[str, str] = field(default_factory=dict)
    proofs: dict[str, str] = field(default_factory=dict)

    def send(self, method: str, path: str, body: str = "",
             headers: dict[str, str] | None = None) -> Answer:
        url = urlsplit(self.emulator.url)
        assert url.hostname is not None and url.port is not None
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        try:
            connection.request(method, path, body=body.encode() if body else None,
                               headers=headers or {})
            response = connection.getresponse()
            return Answer(response.status, response.reason, response.getheaders(),
                          response.read())
        finally:
            connection.close()

    def call(self, action: str, **params: str) -> Answer:
        body = "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in params.items())
        return self.send("POST", f"/x?a={action}", body,
                         {"Content-Type": "application/x-www-form-urlencoded"})

    def salt(self, username: str = "admin") -> dict[str, Any]:
        answer: dict[str, Any] = self.call("salt", username=username).json()
        return answer

    def proof(self, salt: dict[str, Any], password: str) -> str:
        stored = password_hash(salt["salt"], password, int(salt["pbkdf2_rounds"]))
        return login_proof(salt["rnd"], stored)

    def admin_session(self) -> str:
        if ADMIN not in self.sessions:
            self.sessions[ADMIN] = self.logged_in("admin", "B10")
        return self.sessions[ADMIN]

    def logged_in(self, username: str, proof_of: str) -> str:
        """A new session of `username`, logged in; its proof kept as the recording's."""
        salt = self.salt(username)
        proof = self.proof(salt, PASSWORD)
        answer = self.call("login", username=username, password=proof, ses=salt["ses"]).json()
        assert answer.get("success") is True, answer
        self.proofs[proof_of] = proof
        session: str = salt["ses"]
        return session

    def prepare(self, recording: Recording) -> None:
        """Sessions and server state the recorded request relies on."""
        name = recording.name
        for write in situation(name).writes_before:
            self.replay_write(write)
        state = self.emulator.state
        for _ in range(situation(name).banned_failures):
            state.record_failure(XFF_BANNED)
        self.open_sessions(recording)

    def open_sessions(self, recording: Recording) -> None:
        """This emulator's sessions for the recorded ones the request names."""
        name = recording.name
        state = self.emulator.state
        uses = recording.body + recording.path
        if ANONYMOUS in uses:
            if name.startswith("B04"):
                state.users.clear()
            answer = self.call("login").json()
            self.sessions[ANONYMOUS] = answer["session"]
            if name.startswith("B04"):
                state.add_web_user("admin", PASSWORD, [{"domain": "all", "right": "all"}])
        if FAILED_LOGIN in uses and not name.startswith("B07"):
            salt = self.salt()
            self.call("login", username="admin", password=self.proof(salt, WRONG_PASSWORD),
                      ses=salt["ses"])
            self.sessions[FAILED_LOGIN] = salt["ses"]
        if UNAUTHENTICATED in uses:
            self.sessions[UNAUTHENTICATED] = self.salt()["ses"]
        if name.startswith(("B07", "B10")):
            salt = self.salt()
            self.sessions[ADMIN] = salt["ses"]
            password = WRONG_PASSWORD if name.startswith("B07") else PASSWORD
            self.proofs[name[:3]] = self.proof(salt, password)
            if name.startswith("B07"):
                self.sessions[FAILED_LOGIN] = salt["ses"]
        elif ADMIN in uses:
            self.admin_session()
        if ADMIN_M in uses and ADMIN_M not in self.sessions:
            self.sessions[ADMIN_M] = self.logged_in("admin", "M00")
        if name.startswith(("H02", "H04", "I02")):
            username = "admin" if name.startswith("I") else "viewer"
            salt = self.salt(username)
            recorded = {"H02": VIEWER_FAILED, "H04": VIEWER, "I02": ADMIN_LATER}[name[:3]]
            self.sessions[recorded] = salt["ses"]
            password = WRONG_PASSWORD if name.startswith("H02") else PASSWORD
            self.proofs[name[:3]] = self.proof(salt, password)
            return
        if VIEWER in uses and VIEWER not in self.sessions:
            self.sessions[VIEWER] = self.logged_in("viewer", "H04")
        if ADMIN_LATER in uses and ADMIN_LATER not in self.sessions:
            self.sessions[ADMIN_LATER] = self.logged_in("admin", "I02")

    def replay_write(self, name: str) -> None:
        state = self.emulator.state
        if name == "D30_settings_groupadd":
            state.add_group(1, "testgroup")
        elif name == "D40_settings_useradd_limited":
            state.add_web_user("viewer", PASSWORD, VIEWER_RIGHTS)
        elif name == REAL_CLIENT_BACKUP:
            # poste-001 as M01 and M02 show it after its one full file backup.
            client = state.clients[1]
            client.online, client.ip, client.uid = True, "127.0.0.1", "u6T3TnLoelYLyl5P"
            client.os_simple, client.client_version_string = "linux", "2.5.26"
            client.os_version_string = "Debian GNU/Linux 12 (bookworm); Kernel 6.1.0 x86_64"
            client.image_not_supported = True
            client.file_ok = True  # as recorded, whatever the clock says when the test runs
            client.backups.append(Backup(id=1, clientid=1, image=False, backuptime=1796689664,
                                         incremental=False, size_bytes=7502))
        elif name == "E01_python_wrapper_session":
            # The official client's two writes, made by the official client (E01 requests):
            # it posts every setting back, booleans written as Python writes them ("True").
            server = urbackup_server(f"{self.emulator.url}/x", "admin", PASSWORD)
            assert server.set_global_setting("max_active_clients", "5000")
            assert server.change_client_setting("testclient1", "max_image_incr", "12")
        else:
            recording = Recording.load(name)
            self.open_sessions(recording)
            answer = self.replay(recording)
            written = any(mark in answer.body for mark in (
                b"saved_", b"update_right", b"added_new_client", b"already_exists"))
            refused = answer.body == Recording.load(name).response_body
            assert answer.status == 200 and (written or refused), (name, answer.body[:200])

    def request_of(self, recording: Recording) -> tuple[str, str, dict[str, str]]:
        """The recorded request with this emulator's sessions and password proofs."""
        path, body = recording.path, recording.body
        for recorded, live in self.sessions.items():
            path, body = path.replace(recorded, live), body.replace(recorded, live)
        placeholder = recording.params.get("password", "")
        if placeholder.startswith("<") and placeholder != "<garbage hash>":
            live = {
                "<password>": PASSWORD,
                "<wrong password>": WRONG_PASSWORD,
                "<same hash as B10>": self.proofs.get("B10", ""),
            }.get(placeholder) or self.proofs[recording.name[:3]]
            encoded = quote_plus(placeholder)
            assert encoded in body, (recording.name, placeholder)
            body = body.replace(encoded, quote_plus(live))
        return path, body, dict(recording.headers)

    def replay(self, recording: Recording) -> Answer:
        path, body, headers = self.request_of(recording)
        return self.send(recording.method, path, body, headers)


def start(recording: Recording) -> Emulator:
    scenario = SCENARIOS / f"{situation(recording.name).scenario}.toml"
    emulator = Emulator(str(scenario), admin_password=PASSWORD)
    emulator.start()
    return emulator

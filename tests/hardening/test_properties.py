"""Property-based tests: whatever a parser is given, only our own typed errors come out.

Every parser of user input (identifier, MAC, URL, domain, baseline, waivers, snapshot) may
refuse an input only with a DatisError subclass carrying a French message; the value parsers
of checks.values refuse with ValueError (their documented contract, turned into French
refusals by their callers) and a message of ours, never Python's. The server's answers are
tried for real: the emulator answers a chosen JSON value over HTTP, and the whole read and
audit may only end in an ApplianceError.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.appliance import identity, snapshot
from checks.appliance.identity import Appliance
from checks.appliance.model import is_set
from checks.appliance.transport import Transport
from checks.audit import baseline, rules, waivers
from checks.audit.run import Connection, audit
from checks.emulator import Emulator, Fault
from checks.errors import ApplianceError, DatisError
from checks.settings import values
from checks.settings.catalogue import Kind
from tests.conftest import PASSWORD, ROOT

FAST = settings(max_examples=100, deadline=None)
SLOW = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
PYTHON_WORDS = ("invalid literal", "could not convert", "Exceeds the limit", "object is not",
                "unsupported operand", "NoneType", "Traceback")

BASELINE_TEXT = (ROOT / "checks" / "data" / "baseline.toml").read_text(encoding="utf-8")
WAIVER_TEXT = """schema = 1

[[derogation]]
constat = "client.*.update_freq_incr"
appliance = ["1A2B", "9F9F"]
justification = "Le client l'a demandé par écrit le 3 mars."
auteur = "J. Martin"
expire = 2027-03-31
"""

hostile_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.text(alphabet="0123456789abcdefABCDEF:-. /@[]%#?", max_size=40),
    st.from_regex(r"\A[0-9A-Fa-f]{2}([:.\-]?[0-9A-Fa-f]{1,4}){0,7}\Z"),
    st.from_regex(r"\A(https?|ftp|javascript)://[^\s]{0,40}\Z"),
)


def _ours(exc: BaseException) -> None:
    assert isinstance(exc, DatisError), repr(exc)
    assert exc.message and not any(word in exc.message for word in PYTHON_WORDS), exc.message


@FAST
@given(hostile_text)
def test_identity_parsers_raise_only_identity_errors(text: str) -> None:
    for parse in (identity.parse_identifier, identity.mac_digits, identity.check_url,
                  identity.check_domain, identity.identifier_from_mac):
        try:
            parse(text)
        except Exception as exc:
            _ours(exc)
            assert isinstance(exc, identity.IdentityError)


@FAST
@given(st.one_of(st.none(), hostile_text), st.one_of(st.none(), hostile_text),
       st.one_of(st.none(), hostile_text), hostile_text)
def test_resolve_raises_only_identity_errors(datis: str | None, mac: str | None,
                                             url: str | None, domain: str) -> None:
    try:
        appliance = identity.resolve(datis=datis, mac=mac, url=url, domain=domain)
    except Exception as exc:
        _ours(exc)
        return
    assert appliance.url.startswith(("http://", "https://", "HTTP", "Http"))


@FAST
@given(st.from_regex(r"\A[0-9A-Fa-f]{4}\Z"))
def test_every_valid_identifier_gives_a_management_url(text: str) -> None:
    url = identity.management_url(identity.parse_identifier(text))
    assert identity.check_url(url) == url
    assert identity.identifier_from_url(url) == text.upper()


def _mutations(source: str) -> st.SearchStrategy[bytes]:
    """The real file with a few random edits: deletions, insertions, replaced lines."""
    lines = source.splitlines(keepends=True)

    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        edited = list(lines)
        for _ in range(draw(st.integers(1, 4))):
            where = draw(st.integers(0, max(0, len(edited) - 1)))
            action = draw(st.sampled_from(["delete", "insert", "replace", "cut", "bytes"]))
            if action == "delete" and edited:
                del edited[where]
            elif action == "insert":
                edited.insert(where, draw(st.text(max_size=40)) + "\n")
            elif action == "replace" and edited:
                key = edited[where].split("=")[0]
                value = draw(st.one_of(st.integers().map(str), st.text(max_size=20).map(json.dumps),
                                       st.sampled_from(["true", "[]", "{}", "2026-01-01", "-1",
                                                        '"-5 heures"', "[1, \"a\"]", "nan"])))
                edited[where] = f"{key}= {value}\n" if "=" in edited[where] else edited[where]
            elif action == "cut" and edited:
                cut = draw(st.integers(0, len(edited[where])))
                edited[where] = edited[where][:cut]
            elif action == "bytes":
                edited.insert(where, "\udcff")
        return "".join(edited).encode("utf-8", "surrogateescape")

    return mutate()


@FAST
@given(st.one_of(st.binary(max_size=300), _mutations(BASELINE_TEXT)))
def test_baseline_parse_raises_only_baseline_errors(data: bytes) -> None:
    try:
        parsed = baseline.parse(data, "referentiel.toml")
    except Exception as exc:
        _ours(exc)
        assert isinstance(exc, baseline.BaselineError)
        assert "referentiel.toml" in exc.message
        return
    for rule in parsed.rules.values():  # what was accepted can be shown and checked
        assert rule.expected_text() and rule.documented_text()
        if rule.setting.secret:
            assert rule.check(None) is False  # an unset secret never passes
        elif rule.operator is not baseline.Operator.NOT_EMPTY or is_set(rule.documented):
            assert rule.check(rule.documented) is True  # the documented value follows its rule


@FAST
@given(st.one_of(st.binary(max_size=300), _mutations(WAIVER_TEXT)))
def test_waiver_parse_raises_only_waiver_errors(data: bytes) -> None:
    try:
        parsed = waivers.parse(data, "derogations.toml")
    except Exception as exc:
        _ours(exc)
        assert isinstance(exc, waivers.WaiverError)
        return
    assert all(isinstance(w.expiry, date) for w in parsed)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=20)


def _value_error_ours(exc: BaseException) -> None:
    assert isinstance(exc, ValueError), repr(exc)
    assert not any(word in str(exc) for word in PYTHON_WORDS), str(exc)


@FAST
@given(st.one_of(hostile_text, st.from_regex(r"\A-?\d{1,5000}\s*[a-zé]{0,8}\Z"), json_values))
def test_duration_and_bool_parsers_raise_only_their_value_errors(raw: Any) -> None:
    for parse in (values.parse_duration, values.parse_bool, values.worst_interval):
        try:
            parse(raw)
        except Exception as exc:
            _value_error_ours(exc)


window_text = st.one_of(
    hostile_text,
    st.from_regex(r"\A([1-7a-z²³\-,]{0,8}/[0-9:\-,²]{0,12};?){1,3}\Z"),
)


@FAST
@given(window_text)
def test_window_parser_raises_only_its_value_errors(raw: str) -> None:
    try:
        spans = values.parse_window(raw)
    except Exception as exc:
        _value_error_ours(exc)
        return
    assert values.format_window(raw)
    assert all(1 <= d <= 7 for span in spans for d in span.days)


@FAST
@given(st.sampled_from(list(Kind)), st.one_of(hostile_text, json_values))
def test_normalize_and_display_never_break(kind: Kind, raw: Any) -> None:
    try:
        normalized = values.normalize(kind, raw)
    except Exception as exc:
        _value_error_ours(exc)
    else:
        assert isinstance(values.display(kind, normalized), str)
    assert isinstance(values.display_raw(kind, raw), str)


def _real_snapshot() -> dict[str, Any]:
    with Emulator("datis-derive", admin_password=PASSWORD) as url:
        from checks.audit.run import read

        reading = read(Appliance(url), Connection(password=PASSWORD))
    data: dict[str, Any] = json.loads(snapshot.dumps(reading))
    return data


SNAPSHOT = _real_snapshot()


@st.composite
def damaged_snapshots(draw: st.DrawFn) -> Any:
    """The real snapshot with one subtree replaced by any JSON value."""
    data = json.loads(json.dumps(SNAPSHOT))
    node: Any = data
    for _ in range(draw(st.integers(0, 4))):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            if not isinstance(node[key], (dict, list)) or draw(st.booleans()):
                node[key] = draw(json_values)
                return data
            node = node[key]
        elif isinstance(node, list) and node:
            index = draw(st.integers(0, len(node) - 1))
            if not isinstance(node[index], (dict, list)) or draw(st.booleans()):
                node[index] = draw(json_values)
                return data
            node = node[index]
    return draw(st.one_of(st.just(data), json_values))


@FAST
@given(damaged_snapshots())
def test_snapshot_from_json_raises_only_snapshot_errors(data: Any) -> None:
    try:
        reading = snapshot.from_json(data, "instantane.json")
    except Exception as exc:
        _ours(exc)
        assert isinstance(exc, snapshot.SnapshotError)
        return
    try:  # what was accepted can be audited and written again
        rules.audit(reading, baseline.load(), rules.AuditOptions())
        snapshot.dumps(reading)
    except Exception as exc:
        _ours(exc)


@FAST
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                 st.integers(1, 5000).map(lambda n: b"[" * n + b"]" * n)))
def test_client_answer_decoding_raises_only_protocol_errors(raw: bytes) -> None:
    transport = Transport("http://127.0.0.1:9", connect_timeout=1, read_timeout=1, verify=True,
                          max_answer_bytes=10**6)
    try:
        transport.decode("status", raw)
    except Exception as exc:
        _ours(exc)
        assert isinstance(exc, ApplianceError)


READS = ["status", "settings/general", "settings/mail", "settings/listusers",
         "settings/clientsettings"]
"""What an audit asks the server: `status`, and the `settings` pages (`sa`) it reads."""


@pytest.fixture(scope="module")
def answering() -> Any:
    """An emulator whose answer to one read can be replaced by any JSON value or any bytes.

    A read is an action, or `settings/PAGE` for one page of `settings`. A JSON value replaces
    what the handler returns (the emulator writes it); bytes are sent as the whole body of
    every request of the action, the login's included.
    """
    emulator = Emulator("datis-derive", admin_password=PASSWORD)
    handlers = emulator.server.api._actions
    originals = dict(handlers)
    with emulator:
        def answer(read: str, value: Any) -> str:
            handlers.clear()
            handlers.update(originals)
            emulator.faults.clear()
            action, _, page = read.partition("/")
            if isinstance(value, bytes):
                emulator.faults.add(Fault("body", frozenset({action}), body=value))
            else:
                original = originals[action]
                handlers[action] = lambda form, session: (
                    value if form.get("sa", page) == page else original(form, session))
            return emulator.url
        yield answer


def _audit_ends_in_a_report_or_an_appliance_error(url: str) -> None:
    try:
        audit(Appliance(url), Connection(password=PASSWORD, read_timeout=5),
              baseline.load(), rules.AuditOptions(), [])
    except Exception as exc:
        _ours(exc)
        assert isinstance(exc, ApplianceError)


answer_objects = st.dictionaries(
    st.sampled_from(["status", "settings", "users", "usage", "backups", "lastacts",
                     "server_identity", "clientid", "clientname", "memberof", "error", "id",
                     "name", "mail_password"]), json_values, max_size=5)


@pytest.mark.parametrize("read", READS)
def test_every_replaced_answer_is_one_an_audit_reads(answering: Any, read: str) -> None:
    """An error in place of the answer stops the audit: the cases below exercise something."""
    with pytest.raises(ApplianceError):
        audit(Appliance(answering(read, {"error": 2})),
              Connection(password=PASSWORD, read_timeout=5), baseline.load(),
              rules.AuditOptions(), [])


@SLOW
@given(st.sampled_from(READS), st.one_of(answer_objects, json_values))
def test_any_json_answer_ends_in_a_report_or_an_appliance_error(answering: Any, read: str,
                                                                value: Any) -> None:
    _audit_ends_in_a_report_or_an_appliance_error(answering(read, value))


@pytest.mark.parametrize("value", [[], [{}], None, 0, "", True, {"settings": []},
                                   {"settings": {"settings": []}}, {"status": [[]]},
                                   {"status": [1, None]}, {"users": [[]]}, {"users": [1]}])
@pytest.mark.parametrize("read", READS)
def test_known_shapes_end_in_a_report_or_an_appliance_error(answering: Any, read: str,
                                                            value: Any) -> None:
    _audit_ends_in_a_report_or_an_appliance_error(answering(read, value))


@SLOW
@given(st.sampled_from(["status", "settings", "salt", "login", "/js/urbackup.js"]),
       st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                 st.sampled_from([b"[]", b"{}", b"null", b"\xff\xfe", b"{\"error\": 1}",
                                  b"{\"success\": true}", b"{\"ses\": []}"])))
def test_any_bytes_answer_end_in_a_report_or_an_appliance_error(answering: Any, action: str,
                                                                 body: bytes) -> None:
    _audit_ends_in_a_report_or_an_appliance_error(answering(action, body))


status_entries = st.lists(st.dictionaries(
    st.sampled_from(["id", "name", "lastbackup", "lastbackup_image", "lastseen", "online",
                     "file_ok", "image_ok", "os_version_string", "ip"]),
    json_values, max_size=8), max_size=3)


@SLOW
@given(status_entries)
def test_any_status_entries_end_in_a_report_or_an_appliance_error(answering: Any,
                                                                  entries: list[Any]) -> None:
    _audit_ends_in_a_report_or_an_appliance_error(
        answering("status", {"status": entries, "server_identity": "x"}))

"""The value the list of undocumented settings shows for one setting (checks.audit.undocumented):
UrBackup's default when no appliance was read, « not read » for an LDAP setting of a reading."""

from __future__ import annotations

from checks.audit import undocumented


def test_an_ldap_setting_shows_urbackup_default_when_nothing_was_read() -> None:
    assert undocumented.shown_value("ldap_server_port", None) == "3268"


def test_an_ldap_setting_of_a_reading_is_not_read() -> None:
    assert undocumented.shown_value("ldap_server_port", {"ldap_server_port": 389}) == (
        undocumented.NOT_READ)

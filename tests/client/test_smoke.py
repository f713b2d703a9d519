from checks.appliance.client import UrBackupClient
from checks.emulator import Emulator
from tests.conftest import PASSWORD


def test_login_and_read_over_real_http(emulator: Emulator) -> None:
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        info = client.login()
        assert not info.open_access
        assert client.mail_settings()["mail_servername"] == "smtp.inspee.re"
        assert [c["name"] for c in client.status()["status"]] == [
            "PC-ACCUEIL", "PC-COMPTA", "SRV-FICHIERS", "SRV-INTRANET"]

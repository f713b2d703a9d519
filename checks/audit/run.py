"""One appliance, start to finish: connect, log in once, read, audit (waivers applied).

The CLI and the fleet runner both go through here, so that an appliance audited alone or
among two hundred others is audited the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from checks.appliance import rights
from checks.appliance.client import PASSWORD_HINT, UrBackupClient
from checks.appliance.identity import Appliance
from checks.appliance.reading import ApplianceReading, Progress, read_appliance
from checks.appliance.transport import strip_credentials
from checks.audit import rules, waivers
from checks.audit.baseline import Baseline
from checks.audit.findings import Audit
from checks.french.numbers import count

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Connection:
    user: str = "admin"
    password: str | None = None
    read_timeout: float = 30.0
    connect_timeout: float = 5.0
    verify: bool | str = True
    password_hint: str = PASSWORD_HINT
    """Where this caller takes a password from: said when there is none."""
    purpose: str = rights.PURPOSE
    """What the reading is for, as a refused right names it (« dont l'instantané a besoin »)."""


def connect(appliance: Appliance, connection: Connection) -> UrBackupClient:
    """A logged-in client whose account may read what an audit needs (an open appliance is
    accepted, and recorded as such)."""
    client = UrBackupClient(appliance.url, username=connection.user,
                            password=connection.password,
                            connect_timeout=connection.connect_timeout,
                            read_timeout=connection.read_timeout, verify=connection.verify,
                            password_hint=connection.password_hint,
                            purpose=connection.purpose)
    log.info("connexion à %s avec le compte « %s »", strip_credentials(appliance.url),
             connection.user)
    try:
        info = client.login(allow_open=True)
        rights.check_login(info, connection.user, client.base_url, connection.purpose)
    except BaseException:
        client.close()
        raise
    log.info("connecté")
    return client


def read(appliance: Appliance, connection: Connection,
         progress: Progress | None = None, *, client_settings: bool = True) -> ApplianceReading:
    """Everything an audit reads; `client_settings` False skips each client's own settings
    (see read_appliance): an audit always reads them, it checks them."""
    with connect(appliance, connection) as client:
        return read_appliance(client, identifier=appliance.identifier, progress=progress,
                              client_settings=client_settings)


def audit(appliance: Appliance, connection: Connection, baseline: Baseline,
          options: rules.AuditOptions, accepted: list[waivers.Waiver],
          progress: Progress | None = None) -> Audit:
    reading = read(appliance, connection, progress)
    log.info("application des règles du référentiel %s", baseline.path)
    judged = waivers.apply(rules.audit(reading, baseline, options), accepted)
    log.info("%s, %s, %s", count(len(judged.findings), "contrôle"),
             count(len(judged.failures), "écart"), count(len(judged.waived), "dérogation"))
    return judged

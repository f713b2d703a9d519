"""An UrBackup 2.5 server emulator: a real HTTP server answering as the real one does.

`python -m checks.emulator --port N --scenario NAME` serves one; from Python,
`with Emulator("datis-conforme") as url: ...`.
"""

from checks.emulator.cost import ServerCost
from checks.emulator.faults import Fault
from checks.emulator.server import Emulator

__all__ = ["Emulator", "Fault", "ServerCost"]

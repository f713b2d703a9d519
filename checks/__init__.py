"""datis-docs checks: what the audit, the docs and the emulator know of an UrBackup appliance.

The pipeline reads in file order: identity -> client -> catalogue -> baseline -> rules ->
findings -> reports. Nothing here imports Sphinx; the Sphinx extension imports this package.
"""

__version__ = "0.1.0"

"""Moved to checks.settings.catalogue: this name stays for code written before the move."""

from checks.settings.catalogue import *  # noqa: F403

"""Moved to checks.settings.values: this name stays for code written before the move."""

from checks.settings.values import *  # noqa: F403

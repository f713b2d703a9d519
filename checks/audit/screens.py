"""Moved to checks.settings.screens: this name stays for code written before the move."""

from checks.settings.screens import *  # noqa: F403

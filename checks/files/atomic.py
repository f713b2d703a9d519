"""Files are written whole or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _read_umask() -> int:
    """Read once at import: os.umask can only be read by setting it, which threads must not see."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def _mode_for(target: Path) -> int:
    """The target's current mode, or what a plain open() would give a new file."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def write_text(path: str | Path, text: str) -> None:
    target = Path(path)
    if target.exists() and not target.is_file() and not target.is_dir():
        _write_through(target, text)
        return
    mode = _mode_for(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                               dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_through(target: Path, text: str) -> None:
    """A device or a pipe (`--output /dev/null`, `/dev/stdout`) is written to, never replaced:
    a rename would put a plain file in the device's place."""
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)

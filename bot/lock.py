"""One bot process per database: two would submit every job twice and post every result twice."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class LockError(Exception):
    """The database cannot be used by this process; the message says why in one line."""


def lock_database(path: Path) -> None:
    """Create the database's directory and lock `<path>.lock` until the process exits.

    The descriptor is never closed: the lock lasts as long as the process, and the OS drops it
    however the process ends (kill -9 included), so no stale lock is left behind.
    """
    lock_path = path.with_name(f"{path.name}.lock")
    if path.is_dir():
        raise LockError(f"DATABASE_URL names {path}, which is a directory; name a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise LockError(
            f"DATABASE_URL names {path}, where the bot cannot write ({error.strerror}); "
            "choose a writable path"
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LockError(
            f"another mjbot process is using {path} (lock file {lock_path}); stop it first"
        ) from None

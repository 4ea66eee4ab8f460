"""Reading files the clerk names, and writing files only the user may read.

A file to import or attach must be a regular file: a link could point anywhere (``/etc/shadow``), a
device such as ``/dev/zero`` never ends. Its size is checked before anything is read, and the read
stops at the limit even if the file grows meanwhile.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from clerk_desk.errors import ValidationError

#: Modes for what Clerk Desk writes on the clerk's behalf: readable by the user only.
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def _megabytes(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def open_regular(path: Path, field: str, limit: int) -> tuple[int, int]:
    """Open ``path`` for reading if it is a regular file (not a link) of at most ``limit`` bytes.

    Returns the open descriptor and the file's size; the caller closes the descriptor.
    """
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise ValidationError(field, f"cannot read {path}: {exc.strerror}") from exc
    if stat.S_ISLNK(info.st_mode):
        raise ValidationError(field, f"{path} is a link; choose the file itself")
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(field, f"{path} is not a file")
    if info.st_size > limit:
        raise ValidationError(field, f"{path.name} is larger than {_megabytes(limit)}")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise ValidationError(field, f"cannot read {path}: {exc.strerror}") from exc
    opened = os.fstat(descriptor)
    if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
        os.close(descriptor)
        raise ValidationError(field, f"{path} changed while it was being opened; try again")
    return descriptor, opened.st_size


def read_regular(path: Path, field: str, limit: int) -> bytes:
    """The whole of a regular file of at most ``limit`` bytes, or a ValidationError naming ``field``."""
    descriptor, _ = open_regular(path, field, limit)
    try:
        with os.fdopen(descriptor, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ValidationError(field, f"cannot read {path}: {exc.strerror}") from exc
    if len(data) > limit:
        raise ValidationError(field, f"{path.name} is larger than {_megabytes(limit)}")
    return data


def create_private(path: Path) -> None:
    """Create ``path`` as a new, empty file only the user may read, before anything is written to it
    (a copy of the council's records: a backup, an archive, the copy made before migrating)."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))


def make_private_dir(path: Path) -> None:
    """Create a folder (and its missing parents) that only the user may open."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    path.mkdir(parents=True, exist_ok=True)
    for folder in missing:
        os.chmod(folder, PRIVATE_DIR)

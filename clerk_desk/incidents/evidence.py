"""Evidence files: copied into the app's data folder with their SHA-256, never silently replaced."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import event
from sqlalchemy.orm import Session

from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import Evidence
from clerk_desk.storage import config, files
from clerk_desk.storage.clock import clock_of

MAX_BYTES = 200 * 1024 * 1024


def evidence_dir() -> Path:
    """Where evidence files are kept: ``evidence/`` in the data folder."""
    return config.data_dir() / "evidence"


def _safe(name: str) -> str:
    cleaned = re.sub(r"[^\w.\- ]+", "_", name).strip(" .") or "file"
    return cleaned[:120]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def attach(session: Session, incident_id: int, source: Path, folder: Path | None = None) -> Evidence:
    """Copy a file into the incident's evidence folder and record its SHA-256.

    Only a regular file is copied: a link (which could point at any file on the PC) or a device is
    refused. The copy and its folders are readable by the user only. The copy is named by its hash, so a
    different file with the same name sits beside the first one instead of replacing it; attaching the
    same content twice is refused. If the transaction is rolled back, the copy it wrote is removed.
    """
    incident = incidents.get(session, incident_id)
    root = folder or evidence_dir()
    descriptor, size = files.open_regular(source, "file", MAX_BYTES)
    partial: Path | None = None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            files.make_private_dir(root / incident.reference)
            partial = root / incident.reference / f".{secrets.token_hex(8)}.partial"
            digest = _copy(handle, partial)
    except BaseException as exc:
        if partial is not None:
            partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ClerkDeskError(f"Cannot copy {source.name} into {root}: {exc.strerror}") from exc
        raise
    for existing in incident.evidence:
        if existing.sha256 == digest:
            partial.unlink(missing_ok=True)
            raise ValidationError("file", f"{source.name} is already attached as {existing.filename}")
    relative = Path(incident.reference) / f"{digest[:16]}-{_safe(source.name)}"
    target = root / relative
    try:
        if target.exists():  # identical content already stored: nothing to write, nothing replaced
            partial.unlink()
        else:
            partial.replace(target)
            _remove_on_rollback(session, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ClerkDeskError(f"Cannot copy {source.name} into {target.parent}: {exc.strerror}") from exc
    item = Evidence(
        incident=incident,
        filename=source.name,
        stored_as=relative.as_posix(),
        sha256=digest,
        size=size,
        added_at=clock_of(session).now(),
        added_by=str(session.info.get("actor")),
    )
    session.add(item)
    session.flush()
    return item


def _copy(handle: BinaryIO, target: Path) -> str:
    """Write what ``handle`` holds to a new file only the user may read; returns its SHA-256."""
    digest = hashlib.sha256()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(target, flags, files.PRIVATE_FILE), "wb") as out:
        copied = 0
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            copied += len(block)
            if copied > MAX_BYTES:
                raise ValidationError("file", f"{target.name} grew past 200 MB while it was copied")
            digest.update(block)
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def _remove_on_rollback(session: Session, path: Path) -> None:
    """Remove a copy written in this transaction if the transaction does not commit."""
    written: list[Path] | None = session.info.get(_WRITTEN)
    if written is None:
        written = session.info[_WRITTEN] = []

        @event.listens_for(session, "after_rollback")
        def remove(_session: Session) -> None:
            for copy in session.info.get(_WRITTEN, []):
                copy.unlink(missing_ok=True)
            session.info[_WRITTEN] = []

        @event.listens_for(session, "after_commit")
        def keep(_session: Session) -> None:
            session.info[_WRITTEN] = []

    written.append(path)


_WRITTEN = "clerk_desk.evidence_written"


def path_of(item: Evidence, folder: Path | None = None) -> Path:
    """The stored copy, checked against its recorded SHA-256 before anyone relies on it."""
    path = (folder or evidence_dir()) / item.stored_as
    if not path.is_file():
        raise ClerkDeskError(f"The evidence file {item.filename} is missing from {path.parent}")
    if sha256_of(path) != item.sha256:
        raise ClerkDeskError(f"The evidence file {item.filename} has been altered since it was attached")
    return path

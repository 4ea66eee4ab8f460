"""Evidence files, kept in the database with their SHA-256, so every PC sees them and backups hold them.

A file is never silently replaced: attaching the same content twice to one incident is refused. A file
larger than the council's limit (setting ``evidence_max_mib``) is refused with the limit named. Opening
one checks its hash and writes a temporary copy, readable by this user only, for the system viewer.
Only a regular file is taken in: a link (which could point at any file on the PC, ``/etc/shadow``) or a
device such as ``/dev/zero`` is refused before anything is read.
Files that earlier versions kept in a PC's data folder are moved in by migration 0006; one that PC did
not have is read from the folder here if this PC has it.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import sys
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from clerk_desk.errors import ClerkDeskError, NotFoundError, ValidationError
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import Evidence
from clerk_desk.register import settings
from clerk_desk.storage import config, files
from clerk_desk.storage.clock import clock_of

MIB = 1024 * 1024


def evidence_dir() -> Path:
    """Where earlier versions kept evidence files: ``evidence/`` in the data folder."""
    return config.data_dir() / "evidence"


def safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\- ]+", "_", name).strip(" .") or "file"
    return cleaned[:120]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(MIB), b""):
            digest.update(block)
    return digest.hexdigest()


def limit_bytes(session: Session) -> int:
    return settings.load(session).evidence_max_mib * MIB


def attach(session: Session, incident_id: int, source: Path) -> Evidence:
    """Keep a file in the database as evidence for the incident, with its SHA-256, size and type."""
    incident = incidents.get(session, incident_id)
    limit = limit_bytes(session)
    too_large = ValidationError(
        "file", f"{source.name} is larger than the limit of {limit // MIB} MiB for an evidence file"
    )
    # A link or a special file is refused; what is read is the file that was checked (not followed).
    descriptor, size = files.open_regular(source, "file", sys.maxsize)
    try:
        with os.fdopen(descriptor, "rb") as handle:
            if size > limit:
                raise too_large
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ClerkDeskError(f"Cannot read {source.name}: {exc.strerror}") from exc
    if len(data) > limit:  # it grew while being read
        raise too_large
    digest = hashlib.sha256(data).hexdigest()
    for existing in incident.evidence:
        if existing.sha256 == digest:
            raise ValidationError("file", f"{source.name} is already attached as {existing.filename}")
    item = Evidence(
        incident=incident,
        filename=source.name,
        stored_as=None,
        sha256=digest,
        size=len(data),
        media_type=mimetypes.guess_type(source.name)[0] or "application/octet-stream",
        content=data,
        added_at=clock_of(session).now(),
        added_by=str(session.info.get("actor")),
    )
    session.add(item)
    session.flush()
    return item


def for_incident(session: Session, reference: str) -> list[Evidence]:
    """An incident's evidence, by its reference, without reading the files."""
    incident = incidents.by_reference(session, reference)
    if incident is None:
        raise NotFoundError(f"There is no incident {reference}.")
    return sorted(incident.evidence, key=lambda e: (e.added_at, e.id))


def named(session: Session, reference: str, name: str) -> Evidence:
    """One evidence file of an incident, by its file name."""
    found = [e for e in for_incident(session, reference) if e.filename == name]
    if not found:
        raise NotFoundError(f"Incident {reference} has no evidence file called {name}.")
    return found[-1]


def content_of(session: Session, evidence_id: int) -> bytes:
    """The file's bytes, checked against the SHA-256 recorded when it was attached."""
    item = session.execute(
        select(Evidence).options(undefer(Evidence.content)).where(Evidence.id == evidence_id)
    ).scalar_one_or_none()
    if item is None:
        raise NotFoundError("That evidence file no longer exists.")
    data = item.content
    if data is None:
        data = _from_old_folder(item)
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise ClerkDeskError(f"The evidence file {item.filename} has been altered since it was attached")
    return data


def _from_old_folder(item: Evidence) -> bytes:
    path = evidence_dir() / (item.stored_as or "")
    if not item.stored_as or not path.is_file() or path.is_symlink():
        raise ClerkDeskError(
            f"The evidence file {item.filename} was attached on another PC by an earlier version of Clerk "
            "Desk and is not in this database; open Clerk Desk on that PC once to move it in."
        )
    return path.read_bytes()


def write_copy(session: Session, evidence_id: int, target: Path) -> Path:
    """Write the checked file to ``target`` (readable by this user only)."""
    data = content_of(session, evidence_id)
    try:
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
    except OSError as exc:
        raise ClerkDeskError(f"Cannot write {target}: {exc.strerror}") from exc
    return target


def open_copy(session: Session, evidence_id: int) -> Path:
    """A temporary copy for the system viewer, in a folder only this user can read."""
    item = session.get(Evidence, evidence_id)
    if item is None:
        raise NotFoundError("That evidence file no longer exists.")
    folder = Path(tempfile.mkdtemp(prefix="clerk-desk-evidence-"))
    return write_copy(session, evidence_id, folder / safe_name(item.filename))

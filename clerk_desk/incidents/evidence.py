"""Evidence files: copied into the app's data folder with their SHA-256, never silently replaced."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from sqlalchemy.orm import Session

from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import Evidence
from clerk_desk.storage import config
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

    The copy is named by its hash, so a different file with the same name sits beside the first one
    instead of replacing it; attaching the same content twice is refused.
    """
    incident = incidents.get(session, incident_id)
    if not source.is_file():
        raise ValidationError("file", f"{source} is not a file")
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError("file", f"{source.name} is larger than 200 MB")
    digest = sha256_of(source)
    for existing in incident.evidence:
        if existing.sha256 == digest:
            raise ValidationError("file", f"{source.name} is already attached as {existing.filename}")
    root = folder or evidence_dir()
    relative = Path(incident.reference) / f"{digest[:16]}-{_safe(source.name)}"
    target = root / relative
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():  # identical content already stored: nothing to write, nothing replaced
            partial = target.with_name(f".{target.name}.partial")
            shutil.copyfile(source, partial)
            if sha256_of(partial) != digest:
                partial.unlink(missing_ok=True)
                raise ClerkDeskError(f"{source.name} changed while it was being copied; attach it again")
            partial.replace(target)
    except OSError as exc:
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


def path_of(item: Evidence, folder: Path | None = None) -> Path:
    """The stored copy, checked against its recorded SHA-256 before anyone relies on it."""
    path = (folder or evidence_dir()) / item.stored_as
    if not path.is_file():
        raise ClerkDeskError(f"The evidence file {item.filename} is missing from {path.parent}")
    if sha256_of(path) != item.sha256:
        raise ClerkDeskError(f"The evidence file {item.filename} has been altered since it was attached")
    return path

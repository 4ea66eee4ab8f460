"""Checkpoints: the head of the chain (sequence number and hash), signed, kept where a trail cut short
cannot take them along.

A checkpoint is made at each annual report and when the window closes (and with ``audit --checkpoint``).
It is stored in the database (``audit_checkpoints``, append-only on PostgreSQL) when the acting person is
the clerk or deputy clerk, and always in an anchor file in this PC's data folder. ``check`` compares the
trail with every checkpoint it can see: a trail shorter than a checkpoint, or with another hash at the
checkpoint's entry, was cut short or rewritten.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.audit import keys
from clerk_desk.models import AuditCheckpoint, AuditEntry, DatabaseIdentity
from clerk_desk.register import authority
from clerk_desk.storage import config
from clerk_desk.storage.clock import clock_of

if TYPE_CHECKING:
    from clerk_desk.storage.db import Database

log = logging.getLogger(__name__)

ANCHOR_FILE = "audit-anchors.json"
_KEPT_PER_DATABASE = 50
GENESIS = "0" * 64


@dataclass(frozen=True)
class Checkpoint:
    """One checkpoint, from the database or from an anchor file."""

    seq: int
    hash: str
    at: str  # ISO 8601, UTC
    made_by: str
    reason: str
    signer_key: str | None = None
    signature: str | None = None

    def describe(self, where: str) -> str:
        return (
            f"the checkpoint of {self.at[:16].replace('T', ' ')} ({self.reason}, by {self.made_by}, {where})"
        )


def message(identity: str, point: Checkpoint) -> bytes:
    """What a signature covers: the database, the head of the chain, when, by whom and why."""
    return "\n".join(
        [
            "clerk-desk audit checkpoint",
            identity,
            str(point.seq),
            point.hash,
            point.at,
            point.made_by,
            point.reason,
        ]
    ).encode("utf-8")


def identity(session: Session) -> str | None:
    """The database's identity (None if someone removed it)."""
    return session.execute(select(DatabaseIdentity.uuid).order_by(DatabaseIdentity.id).limit(1)).scalar()


def head(session: Session) -> tuple[int, str]:
    """The newest entry's sequence number and hash (0 and the genesis hash for an empty trail)."""
    row = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def make(session: Session, reason: str, *, in_database: bool) -> Checkpoint:
    """Record the head of the chain now: signed if the acting person has a signing key on this PC, in the
    database if ``in_database`` (the clerk or deputy clerk), and always in this PC's anchor file."""
    seq, hash_ = head(session)
    at = clock_of(session).now().isoformat()
    actor = str(session.info.get("actor") or "unknown")
    point = Checkpoint(seq, hash_, at, actor, reason)
    database_id = identity(session) or ""
    signer = keys.signer(session)
    if signer is not None:
        point = Checkpoint(
            seq, hash_, at, actor, reason, signer.verify_key, signer.sign(message(database_id, point))
        )
    if in_database:
        session.add(
            AuditCheckpoint(
                seq=point.seq,
                hash=point.hash,
                at=clock_of(session).now(),
                made_by=point.made_by,
                reason=point.reason,
                signer_key=point.signer_key,
                signature=point.signature,
            )
        )
        session.flush()
    write_anchor(database_id, point)
    return point


def record(database: Database, actor: str, reason: str) -> Checkpoint:
    """Make a checkpoint as ``actor``, in one transaction: in the database too if they are the clerk or
    deputy clerk in post (no one else may write there), in this PC's anchor file always."""
    with database.transaction(actor) as session:
        person = authority.acting_person(session)
        manager = person is not None and authority.may_manage(person, clock_of(session).today())
        return make(session, reason, in_database=manager)


def in_database(session: Session) -> list[Checkpoint]:
    rows = session.execute(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).scalars()
    return [
        Checkpoint(r.seq, r.hash, r.at.isoformat(), r.made_by, r.reason, r.signer_key, r.signature)
        for r in rows
    ]


def anchor_path() -> Path:
    return config.data_dir() / ANCHOR_FILE


def _read_anchors() -> dict[str, list[dict[str, object]]]:
    try:
        data = json.loads(anchor_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("cannot read the anchor file %s: %s", anchor_path(), exc)
        return {}
    return data if isinstance(data, dict) else {}


def anchors(database_id: str) -> list[Checkpoint]:
    """The checkpoints of this database kept in this PC's anchor file."""
    found = []
    for item in _read_anchors().get(database_id, []):
        try:
            found.append(Checkpoint(**item))  # type: ignore[arg-type]
        except TypeError:
            continue
    return found


def write_anchor(database_id: str, point: Checkpoint) -> None:
    """Add a checkpoint to this PC's anchor file (written whole, then moved into place)."""
    data = _read_anchors()
    kept = [*data.get(database_id, []), asdict(point)][-_KEPT_PER_DATABASE:]
    data[database_id] = kept
    path = anchor_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        log.warning("cannot write the anchor file %s: %s", path, exc)


@dataclass
class CheckpointResult:
    """What the checkpoints showed."""

    checked: int = 0
    signed: int = 0
    problems: list[str] | None = None
    not_checked: list[str] | None = None


def check(session: Session, hashes: dict[int, str], head_seq: int) -> CheckpointResult:
    """Compare the trail (``hashes`` by sequence number) with every checkpoint in the database and in this
    PC's anchor file."""
    result = CheckpointResult(problems=[], not_checked=[])
    assert result.problems is not None and result.not_checked is not None
    database_id = identity(session)
    if database_id is None:
        result.problems.append(
            "the database's identity was removed, so this PC's anchor file cannot be matched"
        )
        database_id = ""
    signers = keys.known_signers(session)
    seen: set[tuple[int, str, str]] = set()
    unsigned = 0
    sources = [(p, "kept in the database") for p in in_database(session)]
    sources += [(p, f"kept in {anchor_path()}") for p in anchors(database_id)]
    for point, where in sources:
        if (point.seq, point.hash, point.at) in seen:
            continue
        seen.add((point.seq, point.hash, point.at))
        label = point.describe(where)
        if point.signature is not None:
            holder = signers.get(point.signer_key or "")
            if holder is None:
                result.problems.append(
                    f"{label} is signed by a key that is not a known key holder's: not trusted"
                )
                continue
            if not keys.verify_signature(
                point.signer_key or "", message(database_id, point), point.signature
            ):
                result.problems.append(f"{label} has a signature that does not match it: it was altered")
                continue
            result.signed += 1
        else:
            unsigned += 1
        result.checked += 1
        if head_seq < point.seq:
            missing = (
                f"entry {point.seq} was"
                if head_seq + 1 == point.seq
                else f"entries {head_seq + 1}–{point.seq} were"
            )
            result.problems.append(
                f"the trail ends at entry {head_seq} but {label} saw it reach entry {point.seq}: "
                f"{missing} removed"
            )
        elif point.seq > 0 and hashes.get(point.seq) != point.hash:
            result.problems.append(
                f"entry {point.seq} differs from {label}: the trail up to it was rewritten"
            )
    if unsigned:
        result.not_checked.append(
            f"who made {unsigned} unsigned checkpoint(s): they were made without a signing key, so they "
            "show what the trail held but not that a key holder saw it"
        )
    return result

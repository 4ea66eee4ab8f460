"""The hash-chained audit trail: who changed what, when, with the fields before and after.

Every flush of a session made by ``clerk_desk.storage.db`` passes through ``_after_flush``, so no service can
forget to record a change. Each entry carries the hash of the previous one; ``verify`` recomputes the
chain and reports any entry that was edited or removed. (Removing the newest entries leaves a shorter
chain that is still consistent; the annual report prints the entry count so a paper trail exists.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from clerk_desk.models import AuditEntry, Person
from clerk_desk.storage.clock import session_clock

GENESIS = "0" * 64
# Any number works; it only has to be the same in every Clerk Desk writing to one PostgreSQL database.
_PG_AUDIT_LOCK = 0x0C1E_4D35
_SKIPPED_COLUMNS = frozenset({"id", "version"})


@dataclass(frozen=True)
class Change:
    """One entry to append, before it is chained."""

    action: str
    subject_type: str
    subject_id: str
    subject_label: str
    changes: dict[str, list[Any]]


def install(factory: sessionmaker[Session]) -> None:
    """Record every create, update and archive made through sessions of this factory."""
    event.listen(factory, "after_flush", _after_flush)


def record(
    session: Session,
    action: str,
    subject_type: str,
    subject_id: str,
    label: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Record an action that changes no row, such as revealing a password (never the secret itself)."""
    changes = {key: [None, _plain(value)] for key, value in (details or {}).items()}
    _append(session, [Change(action, subject_type, subject_id, label, changes)])


def _after_flush(session: Session, flush_context: object) -> None:
    pending: list[Change] = []
    for obj in session.new:
        if hasattr(obj, "audit_action"):
            pending.append(_describe(session, obj, created=True))
    for obj in session.dirty:
        if hasattr(obj, "audit_action") and session.is_modified(obj, include_collections=False):
            change = _describe(session, obj, created=False)
            if change.changes:
                pending.append(change)
    for obj in session.deleted:
        if hasattr(obj, "audit_action"):
            pending.append(Change("delete", _type(obj), _pk(obj), _label(obj), {}))
    if pending:
        _append(session, pending)


def _describe(session: Session, obj: Any, *, created: bool) -> Change:
    state = inspect(obj)
    mapper = state.mapper
    changes: dict[str, list[Any]] = {}
    for column_attr in mapper.column_attrs:
        key = column_attr.key
        if key in _SKIPPED_COLUMNS or key in obj.audit_exclude:
            continue
        history = state.attrs[key].history
        if created:
            value = state.attrs[key].value
            if value is None:
                continue
            changes[key] = [None, value]
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                changes[key] = [before, after]
    # A reference to a person is recorded by name, which a clerk can read; the id means nothing.
    readable: dict[str, list[Any]] = {}
    conn = session.connection()
    for key, (before, after) in changes.items():
        column = mapper.columns[key]
        if any(fk.column.table.name == Person.__tablename__ for fk in column.foreign_keys):
            name = key.removesuffix("_id")
            readable[name] = [_person_name(conn, before), _person_name(conn, after)]
        else:
            readable[key] = [_plain(before), _plain(after)]
    plain_changes = {k: v for k, v in readable.items()}
    action = "create" if created else obj.audit_action({k: tuple(v) for k, v in plain_changes.items()})
    return Change(action, _type(obj), _pk(obj), _label(obj), plain_changes)


def _person_name(conn: Connection, person_id: Any) -> str | None:
    if person_id is None:
        return None
    return conn.execute(select(Person.name).where(Person.id == person_id)).scalar_one_or_none()


def _label(obj: Any) -> str:
    return str(getattr(obj, obj.audit_label_field))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _append(session: Session, changes: Sequence[Change]) -> None:
    actor = session.info.get("actor")
    clock = session_clock(session)
    if not actor or clock is None:
        raise RuntimeError("a session that writes must be opened with an actor and a clock")
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # Two PCs appending at once would fork the chain; the lock is held until commit.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK})
    last = conn.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
    at = clock.now()
    rows = []
    for change in changes:
        seq += 1
        changes_json = json.dumps(change.changes, sort_keys=True, ensure_ascii=False, default=str)
        row = {
            "seq": seq,
            "at": at,
            "actor": str(actor),
            "action": change.action,
            "subject_type": change.subject_type,
            "subject_id": change.subject_id,
            "subject_label": change.subject_label[:300],
            "changes": changes_json,
            "prev_hash": prev,
        }
        row["hash"] = entry_hash(row)
        prev = row["hash"]
        rows.append(row)
    conn.execute(insert(AuditEntry), rows)


def entry_hash(row: dict[str, Any]) -> str:
    """The SHA-256 of an entry's fields and the previous entry's hash."""
    at: datetime = row["at"]
    payload = json.dumps(
        [
            row["seq"],
            at.isoformat(),
            row["actor"],
            row["action"],
            row["subject_type"],
            row["subject_id"],
            row["subject_label"],
            row["changes"],
            row["prev_hash"],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    """What ``verify`` found."""

    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session) -> VerifyResult:
    """Recompute the chain; every edited, reordered or removed entry is a problem."""
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    count = 0
    for entry in _iter_entries(session):
        count += 1
        if entry.seq != expected_seq:
            problems.append(f"entries {expected_seq}–{entry.seq - 1} are missing (removed)")
        row = {
            c: getattr(entry, c)
            for c in (
                "seq",
                "at",
                "actor",
                "action",
                "subject_type",
                "subject_id",
                "subject_label",
                "changes",
                "prev_hash",
            )
        }
        if entry.prev_hash != prev:
            problems.append(f"entry {entry.seq} does not follow the entry before it")
        if entry_hash(row) != entry.hash:
            problems.append(f"entry {entry.seq} was edited after it was written")
        prev = entry.hash
        expected_seq = entry.seq + 1
    return VerifyResult(count, problems)


def _iter_entries(session: Session) -> Iterable[AuditEntry]:
    return session.execute(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)
    ).scalars()


def _pk(obj: Any) -> str:
    # The identity key is set only after the flush ends; the primary key is already known here.
    return str(inspect(obj).mapper.primary_key_from_instance(obj)[0])


def _type(obj: Any) -> str:
    """The kind of record, as the trail shows it (a model may give a friendlier name)."""
    return str(getattr(obj, "audit_type", type(obj).__name__))

"""The hash-chained audit trail: who changed what, when, with the fields before and after.

Every flush of a session made by ``clerk_desk.storage.db`` passes through ``_after_flush``, so no service can
forget to record a change. Each entry carries the hash of the previous one. When the writer holds the
council audit key (``clerk_desk.audit.keys``) the hash is an HMAC with it, so a chain recomputed without
the key is detected; otherwise it is a plain SHA-256. ``verify`` recomputes the chain and reports any
entry that was edited or removed; removing the newest entries is caught by the checkpoints
(``clerk_desk.audit.checkpoints``) and changes made outside the app by the replay
(``clerk_desk.audit.replay``).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, event, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from clerk_desk.audit import canonical, keys
from clerk_desk.models import AuditEntry, Person
from clerk_desk.storage import many
from clerk_desk.storage.clock import session_clock

GENESIS = "0" * 64
# Any number works; it only has to be the same in every Clerk Desk writing to one PostgreSQL database.
_PG_AUDIT_LOCK = 0x0C1E_4D35
_SKIPPED_COLUMNS = frozenset({"id", "version"})
_AUDIT_TABLE = cast(Table, AuditEntry.__table__)
HASHED_FIELDS = (
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
_AUDIT_COLUMNS = (*HASHED_FIELDS, "key_id", "hash")


class Change(NamedTuple):
    """One entry to append, before it is chained."""

    action: str
    subject_type: str
    subject_id: str
    subject_label: str
    #: The fields before and after, or their text already written (``created_all``).
    changes: dict[str, list[Any]] | str


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
    plain_changes = _readable(session, mapper, changes)
    action = "create" if created else obj.audit_action({k: tuple(v) for k, v in plain_changes.items()})
    return Change(action, _type(obj), _pk(obj), _label(obj), plain_changes)


def _readable(session: Session, mapper: Any, changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    # A reference to a person is recorded by name, which a clerk can read; the id means nothing.
    readable: dict[str, list[Any]] = {}
    to_people = _person_keys(mapper)
    for key, (before, after) in changes.items():
        if key in to_people:
            name = key.removesuffix("_id")
            readable[name] = [_person_name(session, before), _person_name(session, after)]
        else:
            readable[key] = [_plain(before), _plain(after)]
    return readable


@functools.cache
def _person_keys(mapper: Any) -> frozenset[str]:
    """The columns of a table that refer to a person."""
    return frozenset(
        attr.key
        for attr in mapper.column_attrs
        if any(fk.column.table.name == Person.__tablename__ for fk in attr.columns[0].foreign_keys)
    )


@functools.cache
def _audited_keys(mapper: Any) -> tuple[str, ...]:
    return tuple(
        attr.key
        for attr in mapper.column_attrs
        if attr.key not in _SKIPPED_COLUMNS and attr.key not in mapper.class_.audit_exclude
    )


def created(session: Session, obj: Any, model: type[Any] | None = None) -> Change:
    """The entry for a record an import wrote itself, many in one statement rather than through a flush:
    the same entry the flush would have recorded for it. ``model`` is the mapped class of a plain record
    holding its columns (an import's draft)."""
    return created_all(session, [obj], model or type(obj))[0]


def created_all(session: Session, records: Sequence[Any], model: type[Any]) -> list[Change]:
    """``created`` for each of many records of one kind, in their order."""
    kind: Any = model
    mapper, keys, audit_type, label_field = _kind(kind)
    if _person_keys(mapper):  # people named by their id: each value as ``_readable`` gives it
        return [
            Change(
                "create",
                audit_type,
                str(record.id),
                str(getattr(record, label_field)),
                _readable(
                    session, mapper, {k: [None, v] for k in keys if (v := record.__dict__.get(k)) is not None}
                ),
            )
            for record in records
        ]
    label_of = operator.attrgetter(label_field)
    converted = _converted_keys(kind)
    write = _writer(kind)
    texts: dict[Any, Any] = {}  # each moment as text, once per distinct moment (a record's steps share some)

    def plain(value: Any) -> Any:
        text = texts.get(value)
        if text is None:
            text = texts[value] = _plain(value)
        return text

    made = []
    for record in records:
        values = record.__dict__
        changes: str | dict[str, list[Any]] | None = write(values, plain)
        if changes is None:  # a value the writer does not know: the dictionary, for the encoder
            changes = {
                key: [None, plain(value) if key in converted else value]
                for key in keys
                if (value := values.get(key)) is not None
            }
        made.append(Change("create", audit_type, str(values["id"]), str(label_of(record)), changes))
    return made


@functools.cache
def _writer(kind: Any) -> Any:
    """The text of a new record's changes, written straight from its values (``canonical.created_writer``)."""
    _, keys, _, _ = _kind(kind)
    return canonical.created_writer(keys, _converted_keys(kind))


@functools.cache
def _converted_keys(kind: Any) -> tuple[str, ...]:
    """A mapped class's audited columns whose values ``_plain`` may write differently."""
    mapper, keys, _, _ = _kind(kind)
    return tuple(key for key in keys if _may_change(mapper.columns[key].type))


def _may_change(column_type: Any) -> bool:
    """Moments, dates and bytes, and a column whose Python type is not known (``object``)."""
    try:
        known = column_type.python_type
    except NotImplementedError:
        return True
    return known is object or issubclass(known, date | bytes)


@functools.cache
def _kind(kind: Any) -> tuple[Any, tuple[str, ...], str, str]:
    """A mapped class's mapper, audited columns, kind of record as the trail shows it, and label field."""
    mapper = inspect(kind)
    audit_type = str(getattr(kind, "audit_type", kind.__name__))
    return mapper, _audited_keys(mapper), audit_type, kind.audit_label_field


def append(session: Session, changes: Sequence[Change]) -> None:
    """Chain entries for records written without a flush (a batch of an import), in one statement."""
    if changes:
        _append(session, changes)


def _person_name(session: Session, person_id: Any) -> str | None:
    if person_id is None:
        return None
    # A person the session holds has the name the database now holds (the flush has been written).
    held = session.identity_map.get(session.identity_key(Person, person_id))
    if isinstance(held, Person) and "name" in held.__dict__:
        return held.name
    conn = session.connection()
    return conn.execute(select(Person.name).where(Person.id == person_id)).scalar_one_or_none()


def _label(obj: Any) -> str:
    return str(getattr(obj, obj.audit_label_field))


def _plain(value: Any) -> Any:
    if isinstance(value, date):  # a datetime too
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
    audit_key = keys.audit_key(session, writing=True)
    at = clock.now()
    actor_name = str(actor)
    key_id, secret = (audit_key.key_id, audit_key.secret) if audit_key else (None, None)
    encode = canonical.changes_text
    payload = canonical.payload_writer(at.isoformat(), actor_name, secret is not None, key_id)
    digest = canonical.hasher(secret)
    rows = []
    for action, subject_type, subject_id, subject_label, data in changes:
        seq += 1
        label = subject_label[:300]
        changes_json = data if type(data) is str else encode(data)
        # ``HASHED_FIELDS`` in their order, as ``entry_hash`` reads them, then the key's id and the hash.
        row = (seq, at, actor_name, action, subject_type, subject_id, label, changes_json, prev)
        prev = digest(
            payload(seq, action, subject_type, subject_id, label, changes_json, prev).encode("utf-8")
        )
        rows.append((*row, key_id, prev))
    many.insert_rows(conn, _AUDIT_TABLE, _AUDIT_COLUMNS, rows)


def entry_hash(row: dict[str, Any], key: bytes | None = None) -> str:
    """The hash of an entry's fields and the previous entry's hash: an HMAC-SHA-256 with the council
    audit key when ``key`` is given (the key's id is hashed too), else a plain SHA-256."""
    at: datetime = row["at"]
    values: list[Any] = [row[name] if name != "at" else at.isoformat() for name in HASHED_FIELDS]
    return canonical.digest(values, row["key_id"] if key is not None else None, key)


@dataclass
class ChainResult:
    """What ``verify`` found in the chain itself."""

    entries: int = 0
    keyed: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)
    hashes: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session) -> ChainResult:
    """Recompute the chain: every edited, reordered or removed entry is a problem, and so is an entry
    by a holder of the council audit key that was re-hashed without it."""
    result = ChainResult()
    known = keys.audit_keys(session)
    holders = keys.audit_key_holders(session)
    prev = GENESIS
    expected_seq = 1
    unverifiable = 0
    plain_by_holders = 0
    keyed_since: int | None = None
    for entry in _iter_entries(session):
        result.entries += 1
        if entry.seq != expected_seq:
            result.problems.append(f"entries {expected_seq}–{entry.seq - 1} are missing (removed)")
        row = {name: getattr(entry, name) for name in (*HASHED_FIELDS, "key_id")}
        if entry.prev_hash != prev:
            result.problems.append(f"entry {entry.seq} does not follow the entry before it")
        if entry.key_id is None:
            if entry_hash(row) != entry.hash:
                result.problems.append(f"entry {entry.seq} was edited after it was written")
            elif keyed_since is not None and entry.actor in holders:
                plain_by_holders += 1
        else:
            keyed_since = keyed_since or entry.seq
            result.keyed += 1
            secret = known.get(entry.key_id)
            if secret is None:
                unverifiable += 1
            elif entry_hash(row, secret) != entry.hash:
                result.problems.append(
                    f"entry {entry.seq} was edited after it was written (its keyed hash does not match)"
                )
        prev = entry.hash
        result.hashes[entry.seq] = entry.hash
        result.head_seq, result.head_hash = entry.seq, entry.hash
        expected_seq = entry.seq + 1
    if unverifiable:
        result.not_checked.append(
            f"the keyed hashes of {unverifiable} entries, because the council audit key is not available "
            "to you on this PC (their order and links were checked)"
        )
    if plain_by_holders:
        result.not_checked.append(
            f"{plain_by_holders} entries by holders of the audit key, written after it came into use, have "
            "a plain hash (written on a PC without their key, or re-hashed by someone without it): only the "
            "checkpoints and the replay protect them"
        )
    return result


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

"""Replaying the trail: does the register hold what the trail says was written to it?

Every create and change the app makes is in the trail with the fields after it (``chain._describe``).
Replaying those values in order gives what every audited row should hold now; comparing that with the
rows as they are finds a row changed, added or deleted outside the app (with ``sqlite3``, ``psql`` or a
database tool), by table, record and field.

What it cannot see: fields the trail does not record (the search keys derived from a name, a logo's
bytes, the link of a step to its incident), the links between designations or incidents and their
accounts and people (kept in link tables), and version counters.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, inspect, select
from sqlalchemy.orm import Mapper, Session

from clerk_desk.models import AuditEntry, Base, Person

#: Rows an upgrade of Clerk Desk wrote without a trail entry: (table, column, value). Schema 0002 moved
#: each account's last-changed date into the rotation history as "Clerk Desk upgrade".
UPGRADE_ROWS = frozenset({("password_rotations", "recorded_by", "Clerk Desk upgrade")})
ROW_ACTIONS = frozenset({"create", "update", "archive", "approve", "delete"})
_SKIPPED = frozenset({"id", "version"})


@dataclass
class ReplayResult:
    """What the replay compared and what differed."""

    tables: list[str] = field(default_factory=list)
    rows: int = 0
    upgraded: int = 0
    problems: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)


@dataclass
class _Kind:
    """One audited model: its name in the trail, its fields, which of them name a person."""

    mapper: Mapper[Any]
    name: str
    table: str
    fields: dict[str, str]  # trail field -> column attribute key
    person_fields: frozenset[str]
    moments: frozenset[str]
    excluded: frozenset[str]


def audited_kinds() -> list[_Kind]:
    """Every model the trail records (those with ``audit_action``)."""
    kinds = []
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if not hasattr(cls, "audit_action"):
            continue
        excluded = frozenset(cls.audit_exclude)
        fields: dict[str, str] = {}
        people: set[str] = set()
        moments: set[str] = set()
        for attr in mapper.column_attrs:
            if attr.key in _SKIPPED or attr.key in excluded:
                continue
            column = mapper.columns[attr.key]
            name = attr.key
            if any(fk.column.table.name == Person.__tablename__ for fk in column.foreign_keys):
                name = attr.key.removesuffix("_id")
                people.add(name)
            if isinstance(column.type, DateTime) or isinstance(getattr(column.type, "impl", None), DateTime):
                moments.add(name)
            fields[name] = attr.key
        kinds.append(
            _Kind(
                mapper,
                str(getattr(cls, "audit_type", cls.__name__)),
                str(mapper.local_table.name),  # type: ignore[attr-defined]
                fields,
                frozenset(people),
                frozenset(moments),
                excluded,
            )
        )
    return sorted(kinds, key=lambda k: k.table)


def replay(session: Session, entries: Iterable[AuditEntry] | None = None) -> ReplayResult:
    """Compare the current rows of every audited table with the trail's before/after values."""
    kinds = audited_kinds()
    by_name = {k.name: k for k in kinds}
    state: dict[str, dict[str, dict[str, Any]]] = {k.name: {} for k in kinds}
    deleted: dict[str, set[str]] = {k.name: set() for k in kinds}
    result = ReplayResult(tables=[k.table for k in kinds])
    source = entries if entries is not None else _entries(session)
    for entry in source:
        kind = by_name.get(entry.subject_type)
        if kind is None or entry.action not in ROW_ACTIONS:
            continue
        try:
            changes = json.loads(entry.changes)
        except ValueError:
            continue  # the chain check reports an entry that was tampered with
        rows = state[kind.name]
        if entry.action == "delete":
            rows.pop(entry.subject_id, None)
            deleted[kind.name].add(entry.subject_id)
            continue
        if entry.action == "create":
            rows[entry.subject_id] = {}
            deleted[kind.name].discard(entry.subject_id)
        row = rows.setdefault(entry.subject_id, {})
        for name, pair in changes.items():
            if isinstance(pair, list) and len(pair) == 2:
                row[name] = pair[1]
        if kind.name == _person_kind(kinds) and "name" in changes:
            before, after = changes["name"]
            if entry.action != "create" and before != after:
                _rename(state, kinds, before, after)
    names = {p.id: p.name for p in session.execute(select(Person)).scalars()}
    for kind in kinds:
        _compare(session, kind, state[kind.name], deleted[kind.name], names, result)
    if result.upgraded:
        result.not_checked.append(
            f"{result.upgraded} password history rows written by the upgrade to schema 0002 (before the "
            "trail recorded password changes)"
        )
    excluded = sorted({f"{k.table}.{f}" for k in kinds for f in k.excluded})
    result.not_checked.append(
        "fields the trail does not record (" + ", ".join(excluded) + "), version counters, and the link "
        "tables between designations or incidents and their accounts and people"
    )
    return result


def _by_upgrade(kind: _Kind, obj: Any) -> bool:
    return any(
        table == kind.table and getattr(obj, column, None) == value for table, column, value in UPGRADE_ROWS
    )


def _person_kind(kinds: list[_Kind]) -> str:
    return next(k.name for k in kinds if k.mapper.class_ is Person)


def _rename(state: dict[str, dict[str, dict[str, Any]]], kinds: list[_Kind], old: Any, new: Any) -> None:
    """A person renamed: references recorded by the old name now read the new one."""
    for kind in kinds:
        for row in state[kind.name].values():
            for name in kind.person_fields:
                if row.get(name) == old:
                    row[name] = new


def _entries(session: Session) -> Iterable[AuditEntry]:
    return session.execute(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)
    ).scalars()


def _compare(
    session: Session,
    kind: _Kind,
    expected: dict[str, dict[str, Any]],
    deleted: set[str],
    names: dict[int, str],
    result: ReplayResult,
) -> None:
    cls = kind.mapper.class_
    seen: set[str] = set()
    with session.no_autoflush:
        for obj in session.execute(select(cls)).unique().scalars():
            result.rows += 1
            key = str(inspect(obj).identity[0]) if inspect(obj).identity else ""
            seen.add(key)
            label = f"{kind.table} record {key} ({_label(obj)})"
            if key not in expected and _by_upgrade(kind, obj):
                result.upgraded += 1
                continue
            if key not in expected:
                was = " after the trail recorded it deleted" if key in deleted else ""
                result.problems.append(
                    f"{label} was added outside Clerk Desk{was}: the trail never recorded it"
                )
                continue
            trail = expected[key]
            for name, attr in kind.fields.items():
                value = getattr(obj, attr)
                current = (
                    names.get(value) if name in kind.person_fields and value is not None else _plain(value)
                )
                recorded = trail.get(name)
                if not _same(current, recorded, name in kind.moments):
                    result.problems.append(
                        f"{label}: {name} is {_show(current)} in the database but {_show(recorded)} in the "
                        "trail: it was changed outside Clerk Desk"
                    )
    for key in sorted(set(expected) - seen, key=_sort_key):
        result.problems.append(
            f"{kind.table} record {key} ({expected[key].get(_label_field(kind)) or '?'}) is in the trail but "
            "not in the database: it was deleted outside Clerk Desk"
        )


def _label(obj: Any) -> str:
    try:
        return str(getattr(obj, obj.audit_label_field))
    except Exception:  # a label built from a relationship that is itself damaged
        return "?"


def _label_field(kind: _Kind) -> str:
    field_name = str(kind.mapper.class_.audit_label_field)
    return field_name if field_name in kind.fields else "name"


def _sort_key(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (0, key)


def _plain(value: Any) -> Any:
    """A value as the trail writes it (JSON), so both sides compare alike."""
    if value is None:
        return None
    return json.loads(json.dumps(value.isoformat() if hasattr(value, "isoformat") else value, default=str))


def _same(current: Any, recorded: Any, moment: bool) -> bool:
    if current == recorded:
        return True
    if moment and isinstance(current, str) and isinstance(recorded, str):
        try:
            return datetime.fromisoformat(current) == datetime.fromisoformat(recorded)
        except ValueError:
            return False
    return False


def _show(value: Any) -> str:
    if value is None or value == "":
        return "empty"
    return f"'{value}'"

"""What an import of many incidents reads once instead of once a row: the incidents its references name,
the people and accounts it links, and the next free reference of each year.

``records.save`` given a ``Batch`` applies the same rules and messages as without one; it only leaves the
writing to the import, which flushes many incidents at once (one audit entry for each record).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, inspect, select
from sqlalchemy.orm import Session

from clerk_desk.audit import chain
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents.drafts import Draft
from clerk_desk.models import FollowUp, Incident, IncidentAssessment
from clerk_desk.models.incidents import incident_accounts, incident_people
from clerk_desk.register import lookups
from clerk_desk.storage import many
from clerk_desk.storage.clock import clock_of

#: How many references one query asks about (well under every database's limit on parameters).
CHUNK = 500


class Batch:
    """The state one import shares between its rows."""

    def __init__(self, session: Session, references: Iterable[str]) -> None:
        self.session = session
        self.now: datetime = clock_of(session).now()
        self.names = lookups.Names(session)
        self._stored: dict[str, int] = {}
        self._pending: dict[str, Incident] = {}
        self._held: list[Incident] = []
        self._new: list[Draft] = []
        #: The highest number of each year: stored before the import, and given out by it.
        self._stored_highest: dict[int, int] = {}
        self._highest: dict[int, int] = {}
        wanted = sorted({ref.strip().upper() for ref in references if ref.strip()})
        for start in range(0, len(wanted), CHUNK):
            query = select(Incident.reference, Incident.id).where(
                Incident.reference.in_(wanted[start : start + CHUNK])
            )
            self._stored.update({ref: incident_id for ref, incident_id in self.session.execute(query)})

    def load_stored(self) -> None:
        """Read the stored incidents the file names, many to a query, so ``save`` finds them in hand."""
        wanted = sorted(set(self._stored.values()))
        for start in range(0, len(wanted), CHUNK):
            query = select(Incident).where(Incident.id.in_(wanted[start : start + CHUNK]))
            self._held.extend(self.session.execute(query).unique().scalars())

    def by_reference(self, reference: str) -> Incident | None:
        """The incident holding a reference: one stored, or one this import has added."""
        reference = reference.strip().upper()
        if reference in self._pending:
            return self._pending[reference]
        stored = self._stored.get(reference)
        return None if stored is None else self.session.get(Incident, stored)

    def next_reference(self, year: int) -> str:
        """As ``lifecycle.next_reference``, counting the references this import has given out."""
        if year not in self._stored_highest:
            self._stored_highest[year] = _number(incidents.next_reference(self.session, year)) - 1
        self._highest[year] = max(self._stored_highest[year], self._highest.get(year, 0)) + 1
        return f"INC-{year}-{self._highest[year]:03d}"

    def pending(self, reference: str) -> bool:
        """An incident of this import holds the reference and is not written yet."""
        return reference.strip().upper() in self._pending

    def holds_new(self) -> bool:
        """New incidents are waiting to be written."""
        return bool(self._new)

    def new_incident(self, reference: str, status: str) -> Incident:
        """A new incident for ``save`` to fill in: a draft with an incident's attributes, which the batch
        writes (never a mapped record in the session)."""
        return cast(Incident, Draft(reference, status))

    def added(self, incident: Incident) -> None:
        """Take an incident ``save`` has applied a row to: a new one (a draft) is written with the batch, a
        stored one by the session's flush. No later row takes its reference."""
        self._pending[incident.reference] = incident
        if isinstance(incident, Draft):
            self._new.append(incident)
        if match := incidents.REFERENCE.match(incident.reference):
            year = int(match.group(1))
            self._highest[year] = max(self._highest.get(year, 0), int(match.group(2)))

    def flush(self) -> None:
        """Write the incidents added since the last flush, with one audit entry for each record; the
        import lets go of them."""
        self.session.flush()
        _write(self.session, self._new)
        self._stored.update({ref: incident.id for ref, incident in self._pending.items()})
        self._pending.clear()
        self._new.clear()


def _write(session: Session, new: Sequence[Draft]) -> None:
    """Insert new incidents with their steps, assessments and links, a statement for each table, and
    chain the audit entry the flush would have written for each record, in the order it would have."""
    if not new:
        return
    _insert(session, Incident, new)
    steps = []
    entries = []
    for incident in new:
        for step in incident.steps:
            step.__dict__["incident_id"] = incident.id
            steps.append(step)
        for entry in incident.assessments:
            entry.__dict__["incident_id"] = incident.id
            entries.append(entry)
    _insert(session, FollowUp, steps)
    _insert(session, IncidentAssessment, entries)
    conn = session.connection()
    links = [(i.id, a.id) for i in new for a in i.accounts]
    many.insert_rows(conn, incident_accounts, ("incident_id", "account_id"), links)
    links = [(i.id, p.id) for i in new for p in i.people]
    many.insert_rows(conn, incident_people, ("incident_id", "person_id"), links)
    # Each incident's entry, then its assessment's and its steps', as a flush of each would order them.
    step_changes = iter(chain.created_all(session, steps, FollowUp))
    entry_changes = iter(chain.created_all(session, entries, IncidentAssessment))
    changes = []
    for incident, change in zip(new, chain.created_all(session, new, Incident), strict=True):
        changes.append(change)
        changes.extend(itertools.islice(entry_changes, len(incident.assessments)))
        changes.extend(itertools.islice(step_changes, len(incident.steps)))
    chain.append(session, changes)


@functools.cache
def _columns(mapper: Any) -> tuple[tuple[str, ...], tuple[tuple[str, Any], ...]]:
    """The columns an insert writes (each attribute is named as its column), and the value a flush writes
    for None in each column that has one (the first version, or the column's default)."""
    written, defaults = [], []
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if column.primary_key:
            continue
        assert attr.key == column.name
        default = column.default.arg if column.default is not None and column.default.is_scalar else None
        if column is mapper.version_id_col:
            default = 1
        written.append(attr.key)
        if default is not None:
            defaults.append((attr.key, default))
    return tuple(written), tuple(defaults)


def _insert(session: Session, model: type[Any], records: Sequence[Any]) -> None:
    """Insert records of one kind (plain records holding a mapped class's columns) in one statement and
    give each its id, as a flush would."""
    if not records:
        return
    mapper = inspect(model)
    table = mapper.local_table
    assert isinstance(table, Table)
    written, defaults = _columns(mapper)
    held = [record.__dict__ for record in records]
    for key, default in defaults:
        for values in held:
            if values.get(key) is None:
                values[key] = default  # as a flush leaves a default on the record
    rows = [tuple(map(values.get, written)) for values in held]
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        # SQLite gives each row the highest id plus one, and the write lock taken by the insert keeps
        # every other writer out until commit, so the new ids are the last len(rows) ones.
        many.insert_rows(conn, table, written, rows)
        last = conn.execute(select(func.max(table.c.id))).scalar_one()
        ids: Sequence[int] = range(last - len(rows) + 1, last + 1)
    else:
        returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids = conn.execute(returning, [dict(zip(written, row, strict=True)) for row in rows]).scalars().all()
    for record, record_id in zip(records, ids, strict=True):
        record.__dict__["id"] = record_id


def _number(reference: str) -> int:
    match = incidents.REFERENCE.match(reference)
    assert match is not None
    return int(match.group(2))

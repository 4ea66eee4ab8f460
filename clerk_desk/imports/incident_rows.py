"""Incidents applied many at a time: the references, people and accounts a file names are read once, and
the incidents are written in batches (each record still with its one audit entry)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy.orm import Session

from clerk_desk.incidents import bulk
from clerk_desk.incidents import records as incident_records
from clerk_desk.models import Incident
from clerk_desk.register import settings


class IncidentRows:
    """The rows of one incidents file, applied with the same rules and messages as one at a time."""

    def __init__(self, session: Session, rows: Sequence[Mapping[str, str]]) -> None:
        self.session = session
        self.batch = bulk.Batch(session, ((row.get("reference") or "") for row in rows))
        self.batch.load_stored()
        self.zone = settings.time_zone(session)

    def _named(self, values: Mapping[str, str]) -> tuple[incident_records.IncidentData, Incident | None]:
        data = incident_records.parse(values, self.zone)
        if not data.reference:
            return data, None
        if self.batch.pending(data.reference):
            self.batch.flush()  # a reference given out earlier in the file: the row updates that incident
        return data, self.batch.by_reference(data.reference)

    def current(self, values: Mapping[str, str]) -> Mapping[str, str] | None:
        _, incident = self._named(values)
        return incident_records.as_row(incident, self.zone) if incident else None

    def apply(self, values: Mapping[str, str], today: date) -> bool:
        data, existing = self._named(values)
        if existing is not None and self.batch.holds_new():
            # The new incidents of the rows above are written first, so every record is written, and
            # audited, in the order of the file, as one at a time.
            self.batch.flush()
        incident_records.save(
            self.session, data, incident_id=existing.id if existing else None, batch=self.batch
        )
        return existing is None

    def flush(self) -> None:
        self.batch.flush()

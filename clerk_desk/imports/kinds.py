"""The kinds of record a CSV file holds: their columns, and how a row is applied and exported."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clerk_desk.access import acknowledgements, officers
from clerk_desk.access import grants as access
from clerk_desk.elections import moderation
from clerk_desk.errors import ClerkDeskError
from clerk_desk.imports.grant_rows import GrantRows
from clerk_desk.imports.incident_rows import IncidentRows
from clerk_desk.incidents import assessment_records
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents import records as incident_records
from clerk_desk.register import accounts, people, settings


@dataclass(frozen=True)
class Kind:
    """One kind of record that can be imported and exported."""

    columns: tuple[str, ...]
    optional: frozenset[str]
    key: Callable[[Mapping[str, str]], str]
    apply: Callable[[Session, Mapping[str, str], date], bool]  # True when a row was added
    rows: Callable[[Session], Iterable[Mapping[str, str]]]
    #: Columns an import also reads but an export does not write.
    import_only: tuple[str, ...] = ()
    #: The stored record a row names, as an export row (None for a new record): a column the file
    #: leaves out keeps its stored value.
    current: Callable[[Session, Mapping[str, str]], Mapping[str, str] | None] = lambda session, row: None
    #: How many rows are applied: by default one at a time; a kind with many rows to a file reads what
    #: they name once and writes them in batches.
    batched: Callable[[Session, Sequence[Mapping[str, str]]], Rows] | None = None

    def many(self, session: Session, rows: Sequence[Mapping[str, str]]) -> Rows:
        """The way this kind applies a file's rows."""
        return self.batched(session, rows) if self.batched else OneByOne(self, session)


class Rows(Protocol):
    """Applies the rows of one file, in order."""

    def current(self, values: Mapping[str, str]) -> Mapping[str, str] | None:
        """The stored record a row names, as an export row (None for a new record)."""

    def apply(self, values: Mapping[str, str], today: date) -> bool:
        """Apply a row; True when it added a record."""

    def flush(self) -> None:
        """Write what the rows applied since the last flush hold back."""


@dataclass(frozen=True)
class OneByOne:
    """Each row applied, and written, through the kind's own functions."""

    kind: Kind
    session: Session

    def current(self, values: Mapping[str, str]) -> Mapping[str, str] | None:
        return self.kind.current(self.session, values)

    def apply(self, values: Mapping[str, str], today: date) -> bool:
        return self.kind.apply(self.session, values, today)

    def flush(self) -> None:
        pass


def _apply_person(session: Session, values: Mapping[str, str], today: date) -> bool:
    data = people.parse(values)
    existing = people.by_name(session, data.name)
    people.save(session, data, person_id=existing.id if existing else None)
    if any((values.get(column) or "").strip() for column in ("policy_version", "acknowledged_on")):
        # A people file may carry each person's acknowledgement of the policy in the same row.
        acknowledgements.save(session, acknowledgements.parse({**values, "person": data.name}), today)
    return existing is None


def _apply_grant(session: Session, values: Mapping[str, str], today: date) -> bool:
    data = access.parse(values)
    person = access.resolve_person(session, data.person)
    account = access.resolve_account(session, data.account)
    existing = access.find(session, person, account, data.granted_on)
    access.save(session, data, today, grant_id=existing.id if existing else None)
    return existing is None


def _apply_officer(session: Session, values: Mapping[str, str], today: date) -> bool:
    data = officers.parse(values)
    existing = officers.find(session, access.resolve_person(session, data.person), data.designated_on)
    officers.save(session, data, today, designation_id=existing.id if existing else None)
    return existing is None


def _apply_acknowledgement(session: Session, values: Mapping[str, str], today: date) -> bool:
    return acknowledgements.save(session, acknowledgements.parse(values), today)[1]


def _apply_incident(session: Session, values: Mapping[str, str], today: date) -> bool:
    data = incident_records.parse(values, settings.time_zone(session))
    existing = incidents.by_reference(session, data.reference) if data.reference else None
    incident_records.save(session, data, incident_id=existing.id if existing else None)
    return existing is None


def _cell(row: Mapping[str, str], *columns: str) -> str:
    return "|".join((row.get(column) or "").strip().casefold() for column in columns)


def _current_person(session: Session, values: Mapping[str, str]) -> Mapping[str, str] | None:
    person = people.by_name(session, people.parse(values).name)
    if person is None:
        return None
    row = people.as_row(person)
    version = (values.get("policy_version") or "").strip()
    if version:
        ack = acknowledgements.find(session, person, version)
        if ack is not None:
            row.update(acknowledgements.as_row(ack))
            del row["person"]
    return row


def _current_account(session: Session, values: Mapping[str, str]) -> Mapping[str, str] | None:
    account = accounts.by_name(session, accounts.parse(values).name)
    return accounts.as_row(account) if account else None


def _current_grant(session: Session, values: Mapping[str, str]) -> Mapping[str, str] | None:
    data = access.parse(values)
    person = access.resolve_person(session, data.person)
    grant = access.find(session, person, access.resolve_account(session, data.account), data.granted_on)
    return access.as_row(grant) if grant else None


def _current_officer(session: Session, values: Mapping[str, str]) -> Mapping[str, str] | None:
    data = officers.parse(values)
    designation = officers.find(session, access.resolve_person(session, data.person), data.designated_on)
    return officers.as_row(designation) if designation else None


def _current_acknowledgement(session: Session, values: Mapping[str, str]) -> Mapping[str, str] | None:
    data = acknowledgements.parse(values)
    ack = acknowledgements.find(session, access.resolve_person(session, data.person), data.policy_version)
    return acknowledgements.as_row(ack) if ack else None


def _current_incident(session: Session, values: Mapping[str, str]) -> Mapping[str, str] | None:
    zone = settings.time_zone(session)
    data = incident_records.parse(values, zone)
    incident = incidents.by_reference(session, data.reference) if data.reference else None
    return incident_records.as_row(incident, zone) if incident else None


def _exported(
    session: Session, as_row: Callable[[Any, ZoneInfo], Mapping[str, str]], records: Iterable[Any]
) -> Iterator[Mapping[str, str]]:
    """Rows whose moments are written in the council's time zone, with their offset."""
    zone = settings.time_zone(session)
    return (as_row(record, zone) for record in records)


def _apply_account(session: Session, values: Mapping[str, str], today: date) -> bool:
    data = accounts.parse(values)
    existing = accounts.by_name(session, data.name)
    accounts.save(session, data, today, account_id=existing.id if existing else None)
    return existing is None


KINDS: dict[str, Kind] = {
    "people": Kind(
        people.COLUMNS,
        frozenset({"email", "job_title", "login", "started_on", "left_on", *acknowledgements.COLUMNS[1:]}),
        lambda row: (row.get("name") or "").strip().casefold(),
        _apply_person,
        lambda session: (people.as_row(p) for p in people.all_people(session)),
        import_only=acknowledgements.COLUMNS[1:],
        current=_current_person,
    ),
    "accounts": Kind(
        accounts.COLUMNS,
        frozenset(accounts.COLUMNS) - {"platform", "handle", "status"},
        lambda row: f"{(row.get('platform') or '').strip()}:{(row.get('handle') or '').strip()}".casefold(),
        _apply_account,
        lambda session: (accounts.as_row(a) for a in accounts.all_accounts(session)),
        current=_current_account,
    ),
    "grants": Kind(
        access.COLUMNS,
        frozenset({"business_case", "approved_by", "expires_on", "revoked_on", "revoke_reason"}),
        lambda row: _cell(row, "person", "account", "granted_on"),
        _apply_grant,
        lambda session: (access.as_row(g) for g in access.all_grants(session)),
        current=_current_grant,
        batched=GrantRows,
    ),
    "officers": Kind(
        officers.COLUMNS,
        frozenset({"ended_on"}),
        lambda row: _cell(row, "person", "designated_on"),
        _apply_officer,
        lambda session: (officers.as_row(d) for d in officers.all_designations(session)),
        current=_current_officer,
    ),
    "incidents": Kind(
        incident_records.COLUMNS,
        frozenset(incident_records.COLUMNS) - incident_records.REQUIRED,
        lambda row: _cell(row, "reference") if (row.get("reference") or "").strip() else f"row-{id(row)}",
        _apply_incident,
        lambda session: _exported(session, incident_records.as_row, incidents.all_incidents(session)),
        current=_current_incident,
        batched=IncidentRows,
    ),
    "assessments": Kind(
        assessment_records.COLUMNS,
        frozenset(assessment_records.COLUMNS) - assessment_records.REQUIRED,
        lambda row: _cell(row, "reference", "assessed_at"),
        assessment_records.apply_row,
        lambda session: _exported(
            session, assessment_records.as_row, assessment_records.all_entries(session)
        ),
        current=assessment_records.current_row,
    ),
    "moderation": Kind(
        moderation.COLUMNS,
        frozenset(moderation.COLUMNS) - moderation.REQUIRED,
        lambda row: _cell(row, "account", "at", "content"),
        moderation.apply_row,
        lambda session: _exported(session, moderation.as_row, moderation.all_entries(session)),
        current=moderation.current_row,
    ),
    "acknowledgements": Kind(
        acknowledgements.COLUMNS,
        frozenset({"training_on"}),
        lambda row: _cell(row, "person", "policy_version"),
        _apply_acknowledgement,
        lambda session: (acknowledgements.as_row(a) for a in acknowledgements.all_acknowledgements(session)),
        current=_current_acknowledgement,
    ),
}


def kind_of(name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        raise ClerkDeskError(f"'{name}' cannot be imported or exported; the kinds are {', '.join(KINDS)}")
    return kind

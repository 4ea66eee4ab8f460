"""CSV import and export (design.md, "CSV columns"): all or nothing, errors name the row and column.

Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clerk_desk.access import acknowledgements, officers
from clerk_desk.access import grants as access
from clerk_desk.elections import moderation
from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.incidents import assessment_records
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents import records as incident_records
from clerk_desk.register import accounts, people, settings
from clerk_desk.storage import files

# Cells that a spreadsheet would run as a formula are written with a leading apostrophe, and read back
# without it, so an exported file is safe to open in Excel and still imports unchanged. A leading "@" is
# escaped only in a function-call shape: handles such as "@ThornburyTC" stay exactly as they are.
_FORMULA_START = ("=", "+", "-", "\t", "\r")


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


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


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


#: The largest CSV file read: far more rows than a council keeps, and the size is checked before reading.
MAX_CSV_BYTES = 50 * 1024 * 1024


def read_csv(path: Path) -> str:
    """The file's text; Excel's byte-order mark and Windows line ends are accepted."""
    try:
        raw = files.read_regular(path, "file", MAX_CSV_BYTES)
    except ValidationError as exc:
        raise ClerkDeskError(f"Cannot read {path}: {exc.message}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ClerkDeskError(
            f"{path} is not UTF-8 text; save it from the spreadsheet as 'CSV UTF-8'"
        ) from None


def import_rows(session: Session, kind_name: str, content: str, today: date) -> ImportResult:
    """Apply every row in one go; the first bad row raises, naming the row and column.

    The caller's transaction makes it all or nothing.
    """
    kind = kind_of(kind_name)
    reader = csv.DictReader(io.StringIO(content, newline=""))
    try:
        header = [name.strip() for name in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise ClerkDeskError(f"row 1: cannot be read as CSV ({_csv_problem(exc)})") from None
    _check_header(header, kind)
    reader.fieldnames = header
    # A column the file leaves out keeps what is stored; an empty cell in a column it has clears it.
    absent = [name for name in (*kind.columns, *kind.import_only) if name not in header]
    seen: dict[str, int] = {}
    added = updated = 0
    for number, raw in enumerate(_rows(reader), start=2):
        if None in raw:
            raise ValidationError(header[-1], "has more cells than the header has columns", row=number)
        values = {key: _unescape(value or "") for key, value in raw.items()}
        if not any(value.strip() for value in values.values()):
            continue
        key = kind.key(values)
        if key in seen:
            raise ValidationError(kind.columns[0], f"repeats row {seen[key]}", row=number)
        seen[key] = number
        try:
            if absent:
                values = _keep_absent(session, kind, values, absent)
            if kind.apply(session, values, today):
                added += 1
            else:
                updated += 1
        except ValidationError as exc:
            raise exc.at_row(number) from None
    return ImportResult(added, updated)


def _keep_absent(
    session: Session, kind: Kind, values: Mapping[str, str], absent: Sequence[str]
) -> dict[str, str]:
    """The row with each column the file leaves out filled in from the stored record it names."""
    try:
        stored = kind.current(session, values)
    except ValidationError:
        stored = None  # the row is bad: applying it names the field
    kept = dict(values)
    for name in absent:
        if stored is not None and name in stored:
            kept[name] = stored[name]
    return kept


def _rows(reader: csv.DictReader[str]) -> Iterator[dict[str, str | None]]:
    """The reader's rows; a row the csv module cannot read is a one-line error naming it."""
    number = 1
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ClerkDeskError(f"row {number}: cannot be read as CSV ({_csv_problem(exc)})") from None
        yield row


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is longer than {csv.field_size_limit() // 1024} KB; no field is that long"
    if "NUL" in text:
        return "it holds a NUL character; save the file from the spreadsheet again as 'CSV UTF-8'"
    return text


def _check_header(header: Sequence[str], kind: Kind) -> None:
    if not header:
        raise ValidationError(
            "header",
            f"the file is empty; the first row must name the columns: {', '.join(kind.columns)}",
            row=1,
        )
    repeated = next((name for index, name in enumerate(header) if name in header[:index]), None)
    if repeated is not None:
        raise ValidationError(repeated, "appears more than once in the header row", row=1)
    known = (*kind.columns, *kind.import_only)
    unknown = [name for name in header if name not in known]
    if unknown:
        raise ValidationError(
            unknown[0], f"is not a column of this file; the columns are {', '.join(known)}", row=1
        )
    missing = [name for name in kind.columns if name not in header and name not in kind.optional]
    if missing:
        raise ValidationError(missing[0], "is missing from the header row", row=1)


def export_rows(session: Session, kind_name: str) -> str:
    """Every record of a kind as CSV text, with the same columns the import reads."""
    kind = kind_of(kind_name)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=kind.columns, lineterminator="\r\n")
    writer.writeheader()
    for row in kind.rows(session):
        writer.writerow({key: _escape(value) for key, value in row.items()})
    return out.getvalue()


def write_csv(path: Path, content: str) -> None:
    """Write the whole file, or leave any existing file as it was.

    The file starts with UTF-8's byte-order mark, so Excel opened by a double-click reads "Zoë", not
    "ZoÃ«"; ``read_csv`` accepts it.
    """
    write_bytes(path, content.encode("utf-8-sig"))


def write_bytes(path: Path, content: bytes) -> None:
    """Write the whole file, or leave any existing file as it was."""
    temp = path.with_name(f".{path.name}.partial")
    try:
        temp.write_bytes(content)
        temp.replace(path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ClerkDeskError(f"Cannot write {path}: {exc.strerror}") from exc


def _is_formula(text: str) -> bool:
    return text.startswith(_FORMULA_START) or (text.startswith("@") and "(" in text)


def _escape(value: Any) -> str:
    text = str(value)
    # Text that already starts with apostrophes before a formula gets one more, so that it reads back as is.
    return f"'{text}" if _is_formula(text.lstrip("'")) else text


def _unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and _is_formula(value.lstrip("'")) else value

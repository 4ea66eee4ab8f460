"""The moderation log: content removed or hidden on a council account, when, by whom and why.

Kept during the pre-election period (the LGA's guidance: monitor the channels and remove politically
controversial content) and at any other time, so that a complaint can be answered from the record.
Exported and imported as the CSV kind ``moderation``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import council_time, fields
from clerk_desk.errors import ValidationError
from clerk_desk.incidents.times import moment
from clerk_desk.models import ModerationAction, ModerationEntry
from clerk_desk.register import lookups, settings
from clerk_desk.storage.clock import clock_of

COLUMNS = ("account", "at", "action", "content", "reason", "done_by")
REQUIRED = frozenset({"account", "at", "action", "content", "reason"})


@dataclass(frozen=True)
class EntryData:
    account: str
    at: datetime
    action: ModerationAction
    content: str
    reason: str
    done_by: str | None = None


def parse(values: Mapping[str, str | None], zone: ZoneInfo) -> EntryData:
    """Read an entry from text, naming the first bad field; a moment without an offset is local time."""
    account = fields.required_text(values, "account", max_length=320)
    at = moment(values, "at", zone)
    if at is None:
        raise ValidationError("at", "is required: when the content was removed or hidden")
    action = fields.choice(values, "action", ModerationAction)
    assert isinstance(action, ModerationAction)
    return EntryData(
        account=account,
        at=at,
        action=action,
        content=fields.required_text(values, "content", max_length=4000, multiline=True),
        reason=fields.required_text(values, "reason", max_length=4000, multiline=True),
        done_by=fields.text(values, "done_by"),
    )


def all_entries(session: Session) -> list[ModerationEntry]:
    """The whole log, the latest first."""
    query = select(ModerationEntry).order_by(ModerationEntry.at.desc(), ModerationEntry.id.desc())
    return list(session.execute(query).unique().scalars())


def between(entries: list[ModerationEntry], start: date, end: date, zone: ZoneInfo) -> list[ModerationEntry]:
    """The entries made from ``start`` to ``end`` (both included) on the council's calendar."""
    return [e for e in entries if start <= council_time.local_date(e.at, zone) <= end]


def find(session: Session, data: EntryData) -> ModerationEntry | None:
    """The entry for the same account, moment and content (an import updates it)."""
    account = lookups.resolve_account(session, data.account, "account")
    query = select(ModerationEntry).where(
        ModerationEntry.account_id == account.id, ModerationEntry.at == data.at
    )
    return next((e for e in session.execute(query).scalars() if e.content == data.content), None)


def record(session: Session, data: EntryData, *, entry_id: int | None = None) -> ModerationEntry:
    """Add an entry to the log (or correct one, found by ``entry_id``)."""
    account = lookups.resolve_account(session, data.account, "account")
    if data.at > clock_of(session).now():
        raise ValidationError("at", "is in the future")
    entry = session.get(ModerationEntry, entry_id) if entry_id is not None else None
    if entry is None:
        entry = ModerationEntry()
        session.add(entry)
    entry.account = account
    entry.at = data.at
    entry.action = data.action.value
    entry.content = data.content
    entry.reason = data.reason
    entry.done_by = data.done_by or entry.done_by or str(session.info.get("actor") or "")
    session.flush()
    return entry


def as_row(entry: ModerationEntry, zone: ZoneInfo) -> dict[str, str]:
    return {
        "account": entry.account.name,
        "at": council_time.iso(entry.at, zone),
        "action": entry.action,
        "content": entry.content,
        "reason": entry.reason,
        "done_by": entry.done_by,
    }


def current_row(session: Session, values: Mapping[str, str]) -> dict[str, str] | None:
    """The entry a row names as it is stored, for the columns a file leaves out; None when there is none."""
    zone = settings.time_zone(session)
    existing = find(session, parse(values, zone))
    return as_row(existing, zone) if existing else None


def apply_row(session: Session, values: Mapping[str, str], today: date) -> bool:
    """One CSV row: True when it added an entry."""
    data = parse(values, settings.time_zone(session))
    existing = find(session, data)
    record(session, data, entry_id=existing.id if existing else None)
    return existing is None

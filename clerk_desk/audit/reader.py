"""Reading the audit trail: filter by person, subject and date, and describe an entry in words."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clerk_desk import council_time
from clerk_desk.models import AuditEntry


def search(
    session: Session,
    *,
    person: str | None = None,
    subject: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
    zone: ZoneInfo | None = None,
) -> list[AuditEntry]:
    """Entries newest first, in one query. ``subject`` matches the record's name or type, ignoring case.
    ``since`` and ``until`` are days on the council's calendar (``zone``, which they need)."""
    query = select(AuditEntry).order_by(AuditEntry.seq.desc())
    if person:
        query = query.where(func.lower(AuditEntry.actor) == person.strip().lower())
    if subject:
        # % and _ in what the clerk typed are meant literally, not as wildcards.
        typed = subject.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{typed}%"
        query = query.where(
            func.lower(AuditEntry.subject_label).like(pattern, escape="\\")
            | func.lower(AuditEntry.subject_type).like(pattern, escape="\\")
        )
    if (since or until) and zone is None:
        raise ValueError("days to search between need the council's time zone")
    if since and zone:
        query = query.where(AuditEntry.at >= council_time.start_of(since, zone))
    if until and zone:
        query = query.where(AuditEntry.at < council_time.start_of(until + timedelta(days=1), zone))
    if limit:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def actors(session: Session) -> list[str]:
    """Everyone who appears in the trail, for the filter."""
    return list(session.execute(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)).scalars())


def summary(entry: AuditEntry) -> str:
    """The fields before and after, e.g. ``status: proposed → active; approved_by: — → Zoë Hartley``."""
    try:
        changes = json.loads(entry.changes)
    except ValueError:
        return one_line(entry.changes)
    parts = []
    for field, pair in changes.items():
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        if entry.action == "create" or (
            before is None and entry.action not in ("update", "approve", "archive")
        ):
            parts.append(f"{field}: {_show(after)}")
        else:
            parts.append(f"{field}: {_show(before)} → {_show(after)}")
    return "; ".join(parts)


def _show(value: object) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return one_line(str(value))


def one_line(text: str) -> str:
    """Text on one line: each line break shows as "⏎" and any other control character as an escape
    (``\\x1b``), so a multi-line description, or a value recorded before such values were refused,
    can never pass for another entry in a listing."""
    for brk in ("\r\n", "\r", "\n", "\x85", "\u2028", "\u2029"):
        text = text.replace(brk, " ⏎ ")
    return "".join(f"\\x{ord(ch):02x}" if unicodedata.category(ch) == "Cc" else ch for ch in text)

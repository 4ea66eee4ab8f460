"""Key holders who leave: their sealed copies go in the same transaction, and every password they
could read is due for a change now (Thornbury 9.4). Also the rotate-now flags this raises, and the
source that hands them to the checks (``checks.engine.ROTATE_NOW_SOURCES``).

A person stops being a key holder when they leave or stop being clerk or deputy clerk, however that is
saved (the People page, a CSV import, Record leaving), so the copies are removed by a hook on every
flush rather than by each of those paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from clerk_desk.credentials import copies, keys
from clerk_desk.credentials.rotation import RotateNowEvent
from clerk_desk.models import KeyState, Person, PersonKey, RotateNowFlag, RotationReason
from clerk_desk.storage.clock import clock_of, session_clock

KEY_HOLDER_LEFT = "key holder left"
RECOVERED = "recovered with the recovery key"


def install(factory: sessionmaker[Session]) -> None:
    """Retire the keys of anyone who stops being a key holder, in the flush that records it."""
    event.listen(factory, "before_flush", _before_flush)


def _before_flush(session: Session, flush_context: object, instances: object) -> None:
    if session_clock(session) is None:
        return
    changed = [
        obj
        for obj in session.dirty
        if isinstance(obj, Person)
        and (
            inspect(obj).attrs.role.history.has_changes() or inspect(obj).attrs.left_on.history.has_changes()
        )
    ]
    if not changed:
        return
    with session.no_autoflush:
        for person in changed:
            if keys.eligible(person, session):
                continue
            for key in keys.keys_of(session, person):
                retire_key(session, key, f"{person.name} is no longer a clerk or deputy clerk in post")


def retire_key(session: Session, key: PersonKey, reason: str, *, flag: bool = True) -> set[int]:
    """Retire a key and delete its copies; flag what it could read (unless it is the same person's
    key being replaced). Returns the accounts it could read."""
    readable = copies.delete_for_key(session, key) if key.state == KeyState.APPROVED else set()
    keys.retire(session, key, reason)
    if flag and readable:
        raise_flags(
            session, readable, RotationReason.KEYHOLDER_LEFT, f"{KEY_HOLDER_LEFT} ({key.person.name})"
        )
    return readable


def sweep(session: Session) -> None:
    """Retire the keys of people whose leaving date has since come (a leaving recorded in advance)."""
    for key in keys.all_keys(session):
        if not keys.eligible(key.person, session):
            retire_key(session, key, f"{key.person.name} is no longer a clerk or deputy clerk in post")


def raise_flags(session: Session, account_ids: Iterable[int], reason: RotationReason, detail: str) -> None:
    today = clock_of(session).today()
    actor = str(session.info.get("actor") or "unknown")
    for account_id in sorted(set(account_ids)):
        session.add(
            RotateNowFlag(
                account_id=account_id, raised_on=today, reason=reason, detail=detail, raised_by=actor
            )
        )


def flagged(session: Session) -> Iterable[RotateNowEvent]:
    """The rotate-now source for key holders who left and recoveries (``ROTATE_NOW_SOURCES``)."""
    for flag in session.execute(select(RotateNowFlag).order_by(RotateNowFlag.id)).scalars():
        yield RotateNowEvent(flag.account_id, flag.raised_on, flag.detail, RotationReason(flag.reason))


def flags_since(session: Session, since: date) -> list[RotateNowFlag]:
    return list(session.execute(select(RotateNowFlag).where(RotateNowFlag.raised_on >= since)).scalars())

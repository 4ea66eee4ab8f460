"""Password rotation history and the events that make a change due at once (Thornbury 9.4).

Every new password stored for an account is an entry in its history, and the account's "last changed"
date is kept equal to the newest entry. The events that demand a change now — a suspected compromise,
a keyholder leaving — come from the sources listed in ``checks.engine.ROTATE_NOW_SOURCES``;
``outstanding`` says which of them an account's password has not been changed since.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import clauses
from clerk_desk.errors import ValidationError
from clerk_desk.models import Account, PasswordRotation, RotationReason
from clerk_desk.storage.clock import clock_of

CLAUSE = clauses.ROTATION


def history(session: Session, account_id: int) -> list[PasswordRotation]:
    """An account's password changes, newest first."""
    return list(
        session.execute(
            select(PasswordRotation)
            .where(PasswordRotation.account_id == account_id)
            .order_by(PasswordRotation.rotated_on.desc(), PasswordRotation.id.desc())
        ).scalars()
    )


def record(
    session: Session,
    account: Account,
    rotated_on: date,
    reason: RotationReason,
    today: date,
    note: str | None = None,
) -> PasswordRotation:
    """Add a password change to the account's history and move its "last changed" date on."""
    if rotated_on > today:
        raise ValidationError("last_rotated_on", "is in the future")
    entry = PasswordRotation(
        account_id=account.id,
        rotated_on=rotated_on,
        recorded_at=clock_of(session).now(),
        recorded_by=str(session.info.get("actor") or "unknown"),
        reason=reason.value,
        note=note,
        account_name=account.name,
    )
    session.add(entry)
    if account.last_rotated_on is None or rotated_on > account.last_rotated_on:
        account.last_rotated_on = rotated_on
    session.flush()
    return entry


@dataclass(frozen=True)
class RotateNowEvent:
    """Something after which an account's password must be changed at once."""

    account_id: int
    since: date
    reason: str  # e.g. "INC-2026-004, a suspected compromise", "Ayşe Ağca, who held access, left"
    rotation_reason: RotationReason
    clause: str = CLAUSE


RotateNowSource = Callable[[Session], Iterable[RotateNowEvent]]


def outstanding(accounts: Iterable[Account], events: Iterable[RotateNowEvent]) -> dict[int, RotateNowEvent]:
    """For each account still to be changed, the latest event its password has not been changed since."""
    by_id = {a.id: a for a in accounts}
    result: dict[int, RotateNowEvent] = {}
    for event in events:
        account = by_id.get(event.account_id)
        if account is None or (
            account.last_rotated_on is not None and account.last_rotated_on >= event.since
        ):
            continue
        current = result.get(account.id)
        if current is None or event.since > current.since:
            result[account.id] = event
    return result

"""Pre-election periods, from the notice of election to the close of poll, and their checklist.

During the period council publicity on every channel is restricted (the Code of Recommended Practice
on Local Authority Publicity; the LGA's guidance on social media in the pre-election period), even when
the seats are uncontested. For each active account the clerk records that followers were told the
channel is governed by the period (the pre-election notice) and that scheduled posts were reviewed;
once for the period, that partnership profiles were handled and staff and officers briefed.
Exceptions are approved by the clerk or deputy, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import clauses, fields
from clerk_desk.errors import NotFoundError, StaleEditError, ValidationError
from clerk_desk.models import (
    Account,
    AccountCheck,
    AccountStatus,
    Candidacy,
    ElectionException,
    ElectionPeriod,
    Person,
)
from clerk_desk.register import authority, lookups
from clerk_desk.storage.clock import clock_of

CLAUSE = clauses.PRE_ELECTION
#: The items done once for the whole period: key, label.
PERIOD_ITEMS = {
    "partnership": "Partnership profiles handled",
    "briefing": "Staff and officers briefed",
}


@dataclass(frozen=True)
class PeriodData:
    notice_on: date
    poll_on: date
    name: str | None = None
    elections: str | None = None


def parse(values: Mapping[str, str | None]) -> PeriodData:
    """Read a period from text, naming the first bad field."""
    notice = fields.iso_date(values, "notice_on", required=True)
    poll = fields.iso_date(values, "poll_on", required=True)
    assert notice is not None and poll is not None
    return PeriodData(
        notice_on=notice,
        poll_on=poll,
        name=fields.text(values, "name", max_length=200),
        elections=fields.text(values, "elections", max_length=2000, multiline=True),
    )


def all_periods(session: Session) -> list[ElectionPeriod]:
    """Every period, the latest first."""
    query = select(ElectionPeriod).order_by(ElectionPeriod.notice_on.desc(), ElectionPeriod.id.desc())
    return list(session.execute(query).unique().scalars())


def get(session: Session, period_id: int) -> ElectionPeriod:
    period = session.get(ElectionPeriod, period_id)
    if period is None:
        raise NotFoundError(f"Pre-election period {period_id} no longer exists")
    return period


def open_periods(periods: list[ElectionPeriod], today: date) -> list[ElectionPeriod]:
    """The periods under way today (the notice given, the poll not yet closed)."""
    return [p for p in periods if p.covers(today)]


def default_name(poll_on: date) -> str:
    return f"Elections of {poll_on.day} {poll_on:%B %Y}"


def save(
    session: Session, data: PeriodData, *, period_id: int | None = None, expected_version: int | None = None
) -> ElectionPeriod:
    """Add a period, or change one's dates, name or the elections it covers."""
    authority.require_manager(session, "set a pre-election period")
    if data.poll_on < data.notice_on:
        raise ValidationError("poll_on", "is before the notice of election")
    if (data.poll_on - data.notice_on).days > 120:
        raise ValidationError("notice_on", "is more than 120 days before polling day")
    period = get(session, period_id) if period_id is not None else None
    if period is not None and expected_version is not None and period.version != expected_version:
        raise StaleEditError(f"Pre-election period {period.name}")
    for other in all_periods(session):
        if other is not period and other.notice_on <= data.poll_on and data.notice_on <= other.poll_on:
            raise ValidationError("notice_on", f"overlaps the period '{other.name}'; change that one instead")
    if period is None:
        period = ElectionPeriod()
        session.add(period)
    period.notice_on, period.poll_on = data.notice_on, data.poll_on
    period.name = data.name or default_name(data.poll_on)
    period.elections = data.elections
    session.flush()
    return period


@dataclass(frozen=True)
class ChecklistRow:
    """One account's line of the checklist."""

    account: Account
    check: AccountCheck | None
    #: "Active", or "Suspended for the period" (no notice needed: the account is closed for it).
    state: str

    @property
    def needs_notice(self) -> bool:
        return self.state == "Active"

    @property
    def notice_posted_on(self) -> date | None:
        return self.check.notice_posted_on if self.check else None

    @property
    def posts_reviewed_on(self) -> date | None:
        return self.check.posts_reviewed_on if self.check else None


def suspended_for(account: Account, period: ElectionPeriod) -> bool:
    """Suspended, and the suspension covers the whole period."""
    return (
        account.status == AccountStatus.SUSPENDED
        and (account.suspended_from is None or account.suspended_from <= period.notice_on)
        and (account.suspended_to is None or account.suspended_to >= period.poll_on)
    )


def checklist(period: ElectionPeriod, accounts: list[Account]) -> list[ChecklistRow]:
    """Every active account, and every suspended one, with what has been recorded for it."""
    checks = {c.account_id: c for c in period.checks}
    rows = []
    for account in accounts:
        if account.status == AccountStatus.ACTIVE:
            state = "Active"
        elif account.status == AccountStatus.SUSPENDED:
            state = (
                "Suspended for the period" if suspended_for(account, period) else "Suspended for part of it"
            )
        else:
            continue
        rows.append(ChecklistRow(account, checks.get(account.id), state))
    return rows


def _day(on: date | None, session: Session, field: str) -> date:
    today = clock_of(session).today()
    on = on or today
    if on > today:
        raise ValidationError(field, "is in the future")
    return on


def record_account(
    session: Session,
    period_id: int,
    account_name: str,
    *,
    notice_posted_on: date | None = None,
    posts_reviewed_on: date | None = None,
) -> AccountCheck:
    """Record the pre-election notice posted, or the scheduled posts reviewed, on one account."""
    period = get(session, period_id)
    account = lookups.resolve_account(session, account_name, "account")
    check = next((c for c in period.checks if c.account_id == account.id), None)
    if check is None:
        check = AccountCheck(account=account)
        period.checks.append(check)
    for field, value in (("notice_posted_on", notice_posted_on), ("posts_reviewed_on", posts_reviewed_on)):
        if value is not None:
            if value > clock_of(session).today():
                raise ValidationError(field, "is in the future")
            setattr(check, field, value)
    check.recorded_by = str(session.info.get("actor") or "")
    session.flush()
    return check


def record_period_item(
    session: Session, period_id: int, item: str, on: date | None, note: str
) -> ElectionPeriod:
    """Partnership profiles handled, or staff and officers briefed, for the whole period."""
    period = get(session, period_id)
    if item not in PERIOD_ITEMS:
        raise ValidationError("item", f"'{item}' is not one of {', '.join(PERIOD_ITEMS)}")
    day = _day(on, session, "on")
    text = fields.text({"note": note}, "note", max_length=4000, multiline=True)
    if item == "partnership":
        period.partnership_handled_on, period.partnership_note = day, text
    else:
        period.staff_briefed_on, period.staff_briefed_note = day, text
    session.flush()
    return period


def mark_candidate(session: Session, period_id: int, person_name: str) -> Candidacy:
    """Flag a person as standing for election in this period."""
    authority.require_manager(session, "record who is standing for election")
    period = get(session, period_id)
    person: Person = lookups.resolve_person(session, person_name, "person")
    if any(c.person_id == person.id for c in period.candidates):
        raise ValidationError("person", f"{person.name} is already marked as standing in {period.name}")
    candidacy = Candidacy(
        person=person, marked_on=clock_of(session).today(), marked_by=str(session.info.get("actor") or "")
    )
    period.candidates.append(candidacy)
    session.flush()
    return candidacy


def approve_exception(
    session: Session, period_id: int, what: str, reason: str, on: date | None = None
) -> ElectionException:
    """An exception to the restrictions, approved by the clerk or deputy, with the reason."""
    authority.require_manager(session, "approve an exception to the pre-election restrictions")
    period = get(session, period_id)
    exception = ElectionException(
        what=fields.required_text({"what": what}, "what", max_length=4000, multiline=True),
        reason=fields.required_text({"reason": reason}, "reason", max_length=4000, multiline=True),
        approved_on=_day(on, session, "approved_on"),
        approved_by=str(session.info.get("actor") or ""),
    )
    period.exceptions.append(exception)
    session.flush()
    return exception


def unmark_candidate(session: Session, period_id: int, candidacy_id: int) -> str:
    """Take a person off those standing in this period (they withdrew, or were marked in error); the
    audit trail keeps both the marking and its removal. Returns the person's name."""
    authority.require_manager(session, "record who is standing for election")
    period = get(session, period_id)
    candidacy = next((c for c in period.candidates if c.id == candidacy_id), None)
    if candidacy is None:
        raise ValidationError("person", f"is no longer marked as standing in {period.name}; reload the page")
    name = candidacy.person.name
    session.delete(candidacy)
    session.flush()
    session.expire(period, ["candidates"])
    return name


def withdraw_exception(session: Session, period_id: int, exception_id: int) -> None:
    """Withdraw an approved exception (the publicity will not go ahead under it); its approval, with
    what and why, stays in the audit trail."""
    authority.require_manager(session, "withdraw an exception to the pre-election restrictions")
    period = get(session, period_id)
    exception = next((e for e in period.exceptions if e.id == exception_id), None)
    if exception is None:
        raise ValidationError(
            "what", f"the exception is no longer recorded in {period.name}; reload the page"
        )
    session.delete(exception)
    session.flush()
    session.expire(period, ["exceptions"])

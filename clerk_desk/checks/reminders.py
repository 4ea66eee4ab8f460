"""What is due and when: password changes now, overdue and within the next 14 days.

Each kind of reminder is a source named in ``SOURCES``. The
Home page, the tray notification and ``clerk-desk reminders [--ics FILE]`` all read ``due``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clerk_desk import clauses, council_time
from clerk_desk.access import grants as access
from clerk_desk.checks import engine as checks
from clerk_desk.checks.findings import Register
from clerk_desk.checks.findings import Reminder as Reminder
from clerk_desk.checks.findings import Urgency as Urgency
from clerk_desk.errors import ValidationError
from clerk_desk.incidents import rules as incident_rules
from clerk_desk.storage.clock import Clock

WINDOW_DAYS = 14
#: The furthest ahead reminders look: ten years covers every interval a council sets.
MAX_WINDOW_DAYS = 3660


ReminderSource = Callable[[Register, int], Iterable[Reminder]]


def password_changes(register: Register, within_days: int) -> Iterable[Reminder]:
    """Password changes due now (an event), overdue, or due within the window (Thornbury 9.4)."""
    horizon = register.today + timedelta(days=within_days)
    for account in register.accounts:
        if account.status not in ("active", "suspended"):
            continue
        uid = f"password-{account.uuid}"
        event = register.rotate_now.get(account.id)
        if event is not None:
            yield Reminder(
                Urgency.NOW,
                register.today,
                account.name,
                "Change the password now",
                f"{event.reason} on {event.since.isoformat()}",
                event.clause,
                "account",
                account.id,
                f"{uid}-now-{event.since.isoformat()}",
            )
            continue
        interval = account.rotation_days or register.settings.rotation_days
        due = checks.rotation_due(account, register.settings)
        if due is None:
            # No change and no opening date recorded: the password-overdue check flags it, so it is due.
            yield Reminder(
                Urgency.OVERDUE,
                register.today,
                account.name,
                "Change the password",
                f"no password change recorded; every {interval} days",
                clauses.ROTATION,
                "account",
                account.id,
                f"{uid}-unrecorded",
            )
            continue
        if due > horizon:
            continue
        urgency = Urgency.OVERDUE if due < register.today else Urgency.SOON
        last = account.last_rotated_on.isoformat() if account.last_rotated_on else "never recorded"
        yield Reminder(
            urgency,
            due,
            account.name,
            "Change the password",
            f"last changed {last}; every {interval} days",
            clauses.ROTATION,
            "account",
            account.id,
            f"{uid}-{due.isoformat()}",
        )


def grant_expiries(register: Register, within_days: int) -> Iterable[Reminder]:
    """Delegated access that expires within the window, or expired without being revoked (Thornbury 9.1)."""
    for grant in access.expiring(register.grants, register.today, within_days):
        assert grant.expires_on is not None
        urgency = Urgency.OVERDUE if grant.expires_on <= register.today else Urgency.SOON
        what = "Revoke or renew access" if urgency == Urgency.OVERDUE else "Access expires"
        yield Reminder(
            urgency,
            grant.expires_on,
            f"{grant.person.name} → {grant.account.name}",
            what,
            f"{grant.level} access granted {grant.granted_on.isoformat()}",
            access.CONTROL_CLAUSE,
            "grant",
            grant.id,
            f"grant-{grant.id}-{grant.expires_on.isoformat()}",
        )


#: Where suspending an account before an election comes from.
SUSPENSION_CLAUSE = "Stalbridge 4"


def suspension_ends(register: Register, within_days: int) -> Iterable[Reminder]:
    """A suspended account (e.g. closed before an election) whose suspension ends within the window, or
    has ended while the account is still marked suspended: the clerk resumes it or extends the dates."""
    horizon = register.today + timedelta(days=within_days)
    for account in register.accounts:
        end = account.suspended_to
        if account.status != "suspended" or end is None or end > horizon:
            continue
        over = end < register.today
        since = account.suspended_from.isoformat() if account.suspended_from else "an unrecorded date"
        yield Reminder(
            Urgency.OVERDUE if over else Urgency.SOON,
            end,
            account.name,
            "Resume the account" if over else "Suspension ends",
            f"suspended since {since}{', and still marked suspended' if over else ''}",
            SUSPENSION_CLAUSE,
            "account",
            account.id,
            f"suspension-{account.id}-{end.isoformat()}",
        )


#: Every kind of reminder.
SOURCES: tuple[ReminderSource, ...] = (
    password_changes,
    grant_expiries,
    suspension_ends,
    incident_rules.incident_deadlines,
)


def due(
    session: Session | None,
    register: Register | None = None,
    *,
    clock: Clock | None = None,
    within_days: int = WINDOW_DAYS,
) -> list[Reminder]:
    """Everything due, most urgent first, from a register already loaded or loaded here."""
    if not 0 <= within_days <= MAX_WINDOW_DAYS:
        raise ValidationError("days", f"must be between 0 and {MAX_WINDOW_DAYS} (ten years)")
    if register is None:
        if session is None or clock is None:
            raise TypeError("due() needs a register, or a session and a clock")
        register = checks.load(session, clock)
    found = [r for source in SOURCES for r in source(register, within_days)]
    return sorted(found, key=lambda r: (r.urgency.rank, r.due, r.subject.casefold()))


def summary(reminders: Sequence[Reminder], today: date) -> str:
    """A few lines for a notification: counts, then the most urgent items."""
    if not reminders:
        return ""
    now = sum(1 for r in reminders if r.urgency == Urgency.NOW)
    overdue = sum(1 for r in reminders if r.urgency == Urgency.OVERDUE)
    soon = len(reminders) - now - overdue
    counts = ", ".join(
        part
        for part in (
            f"{now} now" if now else "",
            f"{overdue} overdue" if overdue else "",
            f"{soon} within {WINDOW_DAYS} days" if soon else "",
        )
        if part
    )
    lines = [f"{r.what}: {r.subject} ({r.when(today)})" for r in reminders[:3]]
    more = [f"…and {len(reminders) - 3} more"] if len(reminders) > 3 else []
    return "\n".join([counts.capitalize() + ".", *lines, *more])


#: When a timed reminder (the ICO deadline) sounds before it is due.
ALARMS_BEFORE = (timedelta(hours=24), timedelta(hours=4))


def to_ics(
    reminders: Sequence[Reminder], council_name: str, today: date, stamp: datetime, zone: ZoneInfo
) -> bytes:
    """An iCalendar file with one event per due date, for Outlook or any calendar.

    A reminder due at a moment (the ICO's deadline) is a timed event at that moment, with alarms
    24 hours and 4 hours before; the rest are all-day events. Overdue and "now" items whose moment has
    passed are placed on today, so they are not lost in the past. A timed event is written in the
    council's time zone (``DTSTART;TZID=Europe/London``, with the zone's VTIMEZONE), so a calendar
    shows it at the council's time whatever the PC's own zone is.
    """
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Clerk Desk//Social media governance//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{council_name or 'Clerk Desk'}: social media reminders")
    for reminder in reminders:
        day = max(reminder.due, today)
        event = Event()
        # The source's uid already names the due date or event; an overdue or "now" item is placed on
        # today, so its own due date must not be what tells one day's file from the next.
        key = reminder.uid or f"{reminder.subject}-{reminder.due.isoformat()}"
        event.add("uid", f"{key}@clerk-desk")
        event.add("dtstamp", stamp)
        if reminder.at is not None and reminder.at > stamp:
            start = council_time.local(reminder.at, zone)
            event.add("dtstart", start)
            event.add("dtend", council_time.local(start + timedelta(minutes=30), zone))
            for before in ALARMS_BEFORE:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{reminder.what}: {reminder.subject}")
                alarm.add("trigger", -before)
                event.add_component(alarm)
        else:
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
        state = {Urgency.NOW: " (now)", Urgency.OVERDUE: " (overdue)", Urgency.SOON: ""}[reminder.urgency]
        event.add("summary", f"{reminder.what}: {reminder.subject}{state}")
        event.add("description", f"{reminder.detail}. Due {reminder.due.isoformat()} ({reminder.clause}).")
        event.add("categories", ["Clerk Desk"])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()

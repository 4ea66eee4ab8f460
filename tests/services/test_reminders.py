"""Reminders: password changes due now, overdue, or within 14 days, and the iCalendar file for Outlook."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import factories
import pytest
from icalendar import Calendar
from sqlalchemy.orm import Session

from clerk_desk.checks import engine as checks
from clerk_desk.checks import reminders
from clerk_desk.checks.reminders import Reminder, Urgency
from clerk_desk.credentials import rotation
from clerk_desk.models import AccountStatus, Role, RotationReason
from clerk_desk.register import accounts, settings
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database

TODAY = date(2026, 11, 21)
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ACTOR = "Zoë Hartley"
COUNCIL = "Little Ashcombe Town Council"
SINCE = date(2026, 11, 10)
REASON = "INC-2026-004, a suspected compromise"

Register = Callable[[rotation.RotateNowSource], rotation.RotateNowSource]


@pytest.fixture
def council(db: Database) -> Database:
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        settings.update(session, {"council_name": COUNCIL, "email_domains": "town.gov.uk"})
    return db


def add(db: Database, handle: str, platform: str = "Facebook", **fields: Any) -> int:
    with db.transaction(ACTOR) as session:
        return factories.approved_account(session, TODAY, platform=platform, handle=handle, **fields).id


def due(db: Database, clock: FixedClock, **kwargs: Any) -> list[Reminder]:
    with db.read() as session:
        return reminders.due(session, clock=clock, **kwargs)


def listed(found: list[Reminder], today: date = TODAY) -> list[tuple[str, str, str]]:
    return [(r.subject, r.urgency.value, r.when(today)) for r in found]


# --- what is due ------------------------------------------------------------------------------------


def test_overdue_and_due_within_14_days_but_not_15(council: Database, clock: FixedClock) -> None:
    # Every 30 days; today is 2026-11-21.
    add(council, "@overdue", rotation_days=30, last_rotated_on=date(2026, 10, 1))  # due 2026-10-31
    add(council, "@today", rotation_days=30, last_rotated_on=date(2026, 10, 22))  # due 2026-11-21
    add(council, "@in14", rotation_days=30, last_rotated_on=date(2026, 11, 5))  # due 2026-12-05
    add(council, "@in15", rotation_days=30, last_rotated_on=date(2026, 11, 6))  # due 2026-12-06
    add(council, "@fine", rotation_days=30, last_rotated_on=TODAY)
    assert listed(due(council, clock)) == [
        ("Facebook:@overdue", "overdue", "21 days overdue"),
        ("Facebook:@today", "soon", "today"),
        ("Facebook:@in14", "soon", "in 14 days"),
    ]
    assert "Facebook:@in15" in {r.subject for r in due(council, clock, within_days=15)}


def test_a_reminder_says_what_when_and_why(council: Database, clock: FixedClock) -> None:
    account_id = add(council, "@Town", rotation_days=30, last_rotated_on=date(2026, 10, 1))
    [reminder] = due(council, clock)
    assert reminder == Reminder(
        Urgency.OVERDUE,
        date(2026, 10, 31),
        "Facebook:@Town",
        "Change the password",
        "last changed 2026-10-01; every 30 days",
        "Thornbury 9.4",
        "account",
        account_id,
        reminder.uid,
    )
    assert reminder.uid


def test_the_councils_interval_applies_when_the_account_has_none(
    council: Database, clock: FixedClock
) -> None:
    add(council, "@Town", last_rotated_on=date(2026, 6, 1))  # 180 days: due 2026-11-28
    [reminder] = due(council, clock)
    assert (reminder.due, reminder.detail) == (date(2026, 11, 28), "last changed 2026-06-01; every 180 days")
    with council.transaction(ACTOR) as session:
        settings.update(session, {"rotation_days": "365"})
    assert due(council, clock) == []


def test_never_changed_counts_from_the_day_the_account_opened(council: Database, clock: FixedClock) -> None:
    add(council, "@Town", last_rotated_on=None, opened_on=date(2026, 5, 30))  # due 2026-11-26
    [reminder] = due(council, clock)
    assert (reminder.due, reminder.detail) == (
        date(2026, 11, 26),
        "last changed never recorded; every 180 days",
    )


def test_an_account_the_check_calls_overdue_is_never_missing_from_the_reminders(
    council: Database, clock: FixedClock
) -> None:
    add(council, "@dated", rotation_days=30, last_rotated_on=date(2026, 10, 1))
    add(council, "@nodates", last_rotated_on=None, opened_on=None)
    with council.read() as session:
        overdue = {f.subject for f in checks.run(session, clock) if f.rule == "password-overdue"}
    assert overdue == {"Facebook:@dated", "Facebook:@nodates"}
    found = {r.subject: r for r in due(council, clock)}
    assert overdue <= set(found)
    nodates = found["Facebook:@nodates"]
    assert (nodates.urgency, nodates.due, nodates.when(TODAY)) == (Urgency.OVERDUE, TODAY, "today")
    assert nodates.detail == "no password change recorded; every 180 days"


@pytest.mark.parametrize(
    ("fields", "listed_"),
    [
        pytest.param(
            dict(status=AccountStatus.PROPOSED, approved_by=None, approved_on=None), False, id="proposed"
        ),
        pytest.param(dict(status=AccountStatus.CLOSED, closed_on=TODAY), False, id="closed"),
        pytest.param(
            dict(status=AccountStatus.SUSPENDED, suspended_from=date(2026, 11, 1)), True, id="suspended"
        ),
    ],
)
def test_only_accounts_in_use_are_reminded(
    council: Database, clock: FixedClock, rotate_now_sources: Register, fields: dict[str, Any], listed_: bool
) -> None:
    account_id = add(council, "@Town", rotation_days=30, last_rotated_on=date(2026, 1, 1), **fields)
    assert bool(due(council, clock)) is listed_

    @rotate_now_sources
    def incident(session: Session) -> Iterable[rotation.RotateNowEvent]:
        yield rotation.RotateNowEvent(account_id, SINCE, REASON, RotationReason.SUSPECTED_COMPROMISE)

    assert [r.urgency for r in due(council, clock)] == ([Urgency.NOW] if listed_ else [])


def test_an_event_makes_the_change_due_now(
    council: Database, clock: FixedClock, rotate_now_sources: Register
) -> None:
    # Overdue as well, but "now" says it all: one reminder per account.
    account_id = add(council, "@Town", rotation_days=30, last_rotated_on=date(2026, 10, 1))

    @rotate_now_sources
    def incident(session: Session) -> Iterable[rotation.RotateNowEvent]:
        yield rotation.RotateNowEvent(account_id, SINCE, REASON, RotationReason.SUSPECTED_COMPROMISE)

    [reminder] = due(council, clock)
    assert (reminder.urgency, reminder.due, reminder.when(TODAY)) == (Urgency.NOW, TODAY, "now")
    assert (reminder.what, reminder.detail, reminder.clause) == (
        "Change the password now",
        f"{REASON} on 2026-11-10",
        "Thornbury 9.4",
    )
    assert (reminder.subject_kind, reminder.subject_id) == ("account", account_id)
    # Changed since the event: back to the ordinary interval (every 30 days, so not due for a while).
    with council.transaction(ACTOR) as session:
        account = accounts.get(session, account_id)
        rotation.record(session, account, SINCE, RotationReason.SUSPECTED_COMPROMISE, TODAY)
    assert due(council, clock) == []
    assert listed(due(council, clock, within_days=30)) == [("Facebook:@Town", "soon", "in 19 days")]


def test_the_most_urgent_come_first(
    council: Database, clock: FixedClock, rotate_now_sources: Register
) -> None:
    add(council, "@soon-b", rotation_days=30, last_rotated_on=date(2026, 11, 1))
    add(council, "@soon-a", rotation_days=30, last_rotated_on=date(2026, 11, 1))
    add(council, "@soon-first", rotation_days=30, last_rotated_on=date(2026, 10, 25))
    add(council, "@overdue-recent", rotation_days=30, last_rotated_on=date(2026, 10, 15))
    add(council, "@overdue-long", rotation_days=30, last_rotated_on=date(2026, 8, 1))
    now_id = add(council, "@now", rotation_days=30, last_rotated_on=date(2026, 11, 1))

    @rotate_now_sources
    def incident(session: Session) -> Iterable[rotation.RotateNowEvent]:
        yield rotation.RotateNowEvent(now_id, SINCE, REASON, RotationReason.SUSPECTED_COMPROMISE)

    assert [r.subject for r in due(council, clock)] == [
        "Facebook:@now",
        "Facebook:@overdue-long",
        "Facebook:@overdue-recent",
        "Facebook:@soon-first",
        "Facebook:@soon-a",
        "Facebook:@soon-b",
    ]


def test_nothing_due_is_an_empty_list(council: Database, clock: FixedClock) -> None:
    add(council, "@Town", last_rotated_on=TODAY)
    assert due(council, clock) == []


@pytest.mark.parametrize(
    ("urgency", "due_on", "words"),
    [
        (Urgency.NOW, TODAY, "now"),
        (Urgency.NOW, date(2026, 1, 1), "now"),
        (Urgency.OVERDUE, TODAY - timedelta(days=1), "1 day overdue"),
        (Urgency.OVERDUE, TODAY - timedelta(days=3), "3 days overdue"),
        (Urgency.SOON, TODAY, "today"),
        (Urgency.SOON, TODAY + timedelta(days=1), "in 1 day"),
        (Urgency.SOON, TODAY + timedelta(days=5), "in 5 days"),
    ],
)
def test_when_in_words(urgency: Urgency, due_on: date, words: str) -> None:
    assert Reminder(urgency, due_on, "X:@Town", "Change the password", "", "").when(TODAY) == words


# --- the iCalendar file -----------------------------------------------------------------------------


@pytest.fixture
def mixed(council: Database, rotate_now_sources: Register) -> Database:
    """One reminder of each kind: now, overdue and soon."""
    now_id = add(council, "@now", rotation_days=30, last_rotated_on=date(2026, 11, 1))
    add(council, "@overdue", platform="X", rotation_days=30, last_rotated_on=date(2026, 10, 1))
    add(council, "@soon", platform="Instagram", rotation_days=30, last_rotated_on=date(2026, 11, 1))

    @rotate_now_sources
    def incident(session: Session) -> Iterable[rotation.RotateNowEvent]:
        yield rotation.RotateNowEvent(now_id, SINCE, REASON, RotationReason.SUSPECTED_COMPROMISE)

    return council


def events(content: bytes) -> list[Any]:
    calendar = Calendar.from_ical(content)
    return list(calendar.walk("VEVENT"))


def ics(db: Database, clock: FixedClock) -> bytes:
    found = due(db, clock)
    return reminders.to_ics(found, COUNCIL, clock.today(), clock.now(), LONDON)


def test_the_ics_file_has_one_all_day_event_per_reminder(mixed: Database, clock: FixedClock) -> None:
    content = ics(mixed, clock)
    calendar = Calendar.from_ical(content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Clerk Desk//Social media governance//EN"
    assert str(calendar["X-WR-CALNAME"]) == f"{COUNCIL}: social media reminders"
    found = events(content)
    assert len(found) == len(due(mixed, clock)) == 3
    by_summary = {str(e["SUMMARY"]): e for e in found}
    assert set(by_summary) == {
        "Change the password now: Facebook:@now (now)",
        "Change the password: X:@overdue (overdue)",
        "Change the password: Instagram:@soon",
    }
    for event in found:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        # All-day: a date, not a date and time.
        assert type(start) is date and type(end) is date
        assert end == start + timedelta(days=1)
        assert event.decoded("DTSTAMP") == NOW
    # Overdue and "now" are placed on today, not lost in the past; the rest on their due date.
    assert by_summary["Change the password now: Facebook:@now (now)"].decoded("DTSTART") == TODAY
    overdue = by_summary["Change the password: X:@overdue (overdue)"]
    assert overdue.decoded("DTSTART") == TODAY
    assert str(overdue["DESCRIPTION"]) == (
        "last changed 2026-10-01; every 30 days. Due 2026-10-31 (Thornbury 9.4)."
    )
    assert by_summary["Change the password: Instagram:@soon"].decoded("DTSTART") == date(2026, 12, 1)
    assert "\r\n" in content.decode("utf-8")  # iCalendar line ends, as Outlook expects


def test_the_ics_uids_are_unique_and_stable_across_runs_and_days(mixed: Database, clock: FixedClock) -> None:
    first = {str(e["SUMMARY"]): str(e["UID"]) for e in events(ics(mixed, clock))}
    assert len(set(first.values())) == 3
    assert all(uid.endswith("@clerk-desk") for uid in first.values())
    # The same file again, a little later: the same events, so a calendar updates rather than adds.
    clock.moment = NOW + timedelta(hours=3)
    assert {str(e["SUMMARY"]): str(e["UID"]) for e in events(ics(mixed, clock))} == first
    # And the next day: the overdue and "now" items move to the new today but stay the same events.
    clock.moment = NOW + timedelta(days=1)
    again = {str(e["SUMMARY"]): str(e["UID"]) for e in events(ics(mixed, clock))}
    assert again == first
    for event in events(ics(mixed, clock)):
        if "(overdue)" in str(event["SUMMARY"]) or "(now)" in str(event["SUMMARY"]):
            assert event.decoded("DTSTART") == TODAY + timedelta(days=1)


def test_a_password_with_no_recorded_change_is_one_event_from_day_to_day(
    council: Database, clock: FixedClock
) -> None:
    add(council, "@Town", last_rotated_on=None, opened_on=None)
    [first] = events(ics(council, clock))
    assert str(first["SUMMARY"]) == "Change the password: Facebook:@Town (overdue)"
    clock.moment = NOW + timedelta(days=1)
    [after] = events(ics(council, clock))
    assert str(after["UID"]) == str(first["UID"])
    assert after.decoded("DTSTART") == TODAY + timedelta(days=1)


def test_a_new_due_date_is_a_new_event(council: Database, clock: FixedClock) -> None:
    account_id = add(council, "@Town", rotation_days=30, last_rotated_on=date(2026, 10, 1))
    [before] = events(ics(council, clock))
    with council.transaction(ACTOR) as session:
        rotation.record(session, accounts.get(session, account_id), TODAY, RotationReason.SCHEDULED, TODAY)
    assert events(ics(council, clock)) == []
    clock.moment = NOW + timedelta(days=20)
    [after] = events(ics(council, clock))
    assert after.decoded("DTSTART") == date(2026, 12, 21)
    assert str(after["UID"]) != str(before["UID"])


def test_an_empty_ics_file_is_still_a_calendar() -> None:
    content = reminders.to_ics([], "", TODAY, NOW, LONDON)
    calendar = Calendar.from_ical(content)
    assert list(calendar.walk("VEVENT")) == []
    assert str(calendar["X-WR-CALNAME"]) == "Clerk Desk: social media reminders"


# --- delegated access about to expire, and incident deadlines ---------------------------------------


@pytest.fixture
def keyholders(council: Database) -> Database:
    """Facebook (its password changed on 2026-11-20) and three people who may hold keys to it."""
    with council.transaction(ACTOR) as session:
        factories.approved_account(session, TODAY, last_rotated_on=date(2026, 11, 20))
        for name in ("Nguyễn Thu Hà", "Tom Beckett", "Priya Shah"):
            factories.person(session, name, Role.EMPLOYEE)
    return council


def give(db: Database, person: str, **fields: Any) -> int:
    with db.transaction(ACTOR) as session:
        return factories.grant(session, TODAY, person=person, **fields).id


def test_grants_expiring_within_14_days_are_reminded_but_not_15(
    keyholders: Database, clock: FixedClock
) -> None:
    in_14 = give(keyholders, "Nguyễn Thu Hà", expires_on=date(2026, 12, 5))
    give(keyholders, "Tom Beckett", expires_on=date(2026, 12, 6))
    give(keyholders, "Priya Shah")  # no expiry
    [reminder] = due(keyholders, clock)
    assert reminder == Reminder(
        Urgency.SOON,
        date(2026, 12, 5),
        "Nguyễn Thu Hà → Facebook:@TownCouncil",
        "Access expires",
        "post access granted 2026-06-01",
        "Thornbury 9.1",
        "grant",
        in_14,
        f"grant-{in_14}-2026-12-05",
    )
    assert reminder.when(TODAY) == "in 14 days"
    assert listed(due(keyholders, clock, within_days=15)) == [
        ("Nguyễn Thu Hà → Facebook:@TownCouncil", "soon", "in 14 days"),
        ("Tom Beckett → Facebook:@TownCouncil", "soon", "in 15 days"),
    ]


def test_a_grant_expired_but_not_revoked_is_overdue(keyholders: Database, clock: FixedClock) -> None:
    give(keyholders, "Nguyễn Thu Hà", expires_on=date(2026, 11, 10))
    give(keyholders, "Tom Beckett", expires_on=TODAY)
    assert [(r.subject, r.urgency.value, r.what, r.when(TODAY)) for r in due(keyholders, clock)] == [
        # Tom's access ended today, after the password was last changed.
        ("Facebook:@TownCouncil", "now", "Change the password now", "now"),
        ("Nguyễn Thu Hà → Facebook:@TownCouncil", "overdue", "Revoke or renew access", "11 days overdue"),
        ("Tom Beckett → Facebook:@TownCouncil", "overdue", "Revoke or renew access", "today"),
    ]


def test_revoked_grants_and_leavers_are_not_reminded(keyholders: Database, clock: FixedClock) -> None:
    from clerk_desk.register import people

    give(keyholders, "Nguyễn Thu Hà", expires_on=date(2026, 12, 1), revoked_on=TODAY, revoke_reason="Done")
    give(keyholders, "Tom Beckett", expires_on=date(2026, 12, 1))
    with keyholders.transaction(ACTOR) as session:
        tom = people.by_name(session, "Tom Beckett")
        assert tom is not None
        people.record_leaving(session, tom.id, tom.version, date(2026, 11, 20))
    # Tom's leaving is a password to change now, not an expiry to remember.
    assert [(r.subject, r.what) for r in due(keyholders, clock)] == [
        ("Facebook:@TownCouncil", "Change the password now")
    ]


def test_an_expiry_is_one_calendar_event_from_day_to_day(keyholders: Database, clock: FixedClock) -> None:
    give(keyholders, "Nguyễn Thu Hà", expires_on=date(2026, 11, 25))
    [before] = events(ics(keyholders, clock))
    assert str(before["SUMMARY"]) == "Access expires: Nguyễn Thu Hà → Facebook:@TownCouncil"
    clock.moment = NOW + timedelta(days=10)  # now expired and not revoked
    [after] = [e for e in events(ics(keyholders, clock)) if "Nguyễn" in str(e["SUMMARY"])]
    assert str(after["SUMMARY"]) == "Revoke or renew access: Nguyễn Thu Hà → Facebook:@TownCouncil (overdue)"
    assert str(after["UID"]) == str(before["UID"])


def test_an_ico_deadline_is_due_now_then_overdue(council: Database, clock: FixedClock) -> None:
    from clerk_desk.incidents import assessment
    from clerk_desk.incidents import lifecycle as incidents
    from clerk_desk.incidents.assessment import AssessmentData
    from clerk_desk.models import IcoDecision, IncidentCategory, RiskLevel

    clock.moment = NOW - timedelta(hours=30)
    with council.transaction(ACTOR) as session:
        incident_id = incidents.log(
            session, "List sent to the wrong group", IncidentCategory.PERSONAL_DATA, "x"
        ).id
    clock.moment = NOW
    [reminder] = due(council, clock)
    assert (reminder.urgency, reminder.due, reminder.subject, reminder.what, reminder.clause) == (
        Urgency.NOW,
        date(2026, 11, 23),
        "INC-2026-001",
        "Decide on notifying the ICO",
        "UK GDPR Art. 33",
    )
    clock.moment = NOW + timedelta(hours=50)
    assert [r.urgency for r in due(council, clock)] == [Urgency.OVERDUE]
    with council.transaction(ACTOR) as session:
        assessment.assess(
            session,
            incident_id,
            AssessmentData(living_people=True, likelihood=RiskLevel.LOW, severity=RiskLevel.LOW),
        )
        incidents.record_ico_decision(
            session,
            incident_id,
            IcoDecision.NOT_NOTIFIABLE,
            clock.now(),
            reason="Low risk",
            delay_reasons="Ill",
        )
    assert due(council, clock) == []


def test_incident_steps_still_to_do_are_due_a_week_after_the_report(
    council: Database, clock: FixedClock
) -> None:
    from clerk_desk.incidents import lifecycle as incidents
    from clerk_desk.models import IncidentCategory

    clock.moment = NOW - timedelta(days=10)
    with council.transaction(ACTOR) as session:
        incident_id = incidents.log(session, "Fake page", IncidentCategory.IMPERSONATION, "Bank details").id
    clock.moment = NOW
    assert [(r.subject, r.what, r.clause, r.when(TODAY)) for r in due(council, clock)] == [
        ("INC-2026-001", "Report the fraudulent account to the platform", "Thornbury 8", "3 days overdue"),
        ("INC-2026-001", "Tell the public about the fraudulent account", "Thornbury 8", "3 days overdue"),
    ]
    with council.transaction(ACTOR) as session:
        incidents.settle_step(session, incident_id, "platform_notified", done_at=clock.now())
    assert [r.what for r in due(council, clock)] == ["Tell the public about the fraudulent account"]


def test_the_end_of_a_suspension_is_reminded(council: Database, clock: FixedClock) -> None:
    """A pre-election suspension does not end silently: the clerk is told to resume the account."""
    add(
        council,
        "@ends",
        status=AccountStatus.SUSPENDED,
        suspended_from=date(2026, 11, 1),
        suspended_to=date(2026, 11, 28),
    )
    add(
        council,
        "@later",
        status=AccountStatus.SUSPENDED,
        suspended_from=date(2026, 11, 1),
        suspended_to=date(2027, 1, 10),
    )
    add(
        council,
        "@ended",
        status=AccountStatus.SUSPENDED,
        suspended_from=date(2026, 10, 1),
        suspended_to=date(2026, 11, 20),
    )
    found = [r for r in due(council, clock) if r.clause == reminders.SUSPENSION_CLAUSE]
    assert [(r.subject, r.what, r.urgency.value, r.when(TODAY)) for r in found] == [
        ("Facebook:@ended", "Resume the account", "overdue", "1 day overdue"),
        ("Facebook:@ends", "Suspension ends", "soon", "in 7 days"),
    ]
    assert found[1].detail == "suspended since 2026-11-01"
    assert found[1].uid == f"suspension-{found[1].subject_id}-2026-11-28"

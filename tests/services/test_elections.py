"""The pre-election period: the checklist, its findings, candidates, exceptions and the moderation log."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import factories
import pytest
from acting import act_as

from clerk_desk import cli, imports
from clerk_desk.checks import engine as checks
from clerk_desk.elections import moderation, periods
from clerk_desk.errors import PermissionDenied, ValidationError
from clerk_desk.models import AccountStatus, ModerationAction, Role
from clerk_desk.register import accounts, authority
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database
from services.helpers import row_counts

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ACTOR = "Zoë Hartley"
STAFF = "Nguyễn Thu Hà"
FACEBOOK = "Facebook:@TownCouncil"
X = "X:@Town"


@pytest.fixture
def council(db: Database) -> Database:
    with db.transaction(ACTOR) as session:
        # On PostgreSQL the acting person is the one whose login is the database user (issue 12).
        login = authority.database_user(session)
        factories.person(session, ACTOR, Role.CLERK, login=login)
        factories.person(session, STAFF, Role.EMPLOYEE)
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
        factories.approved_account(
            session,
            TODAY,
            platform="Nextdoor",
            handle="Town",
            status=AccountStatus.SUSPENDED,
            suspended_from=date(2026, 11, 1),
            suspended_to=date(2026, 12, 31),
        )
        factories.account(session, TODAY, platform="TikTok", handle="@town")  # proposed: not in the checklist
    return db


def add_period(db: Database, notice: str = "2026-11-10", poll: str = "2026-12-10") -> int:
    with db.transaction(ACTOR) as session:
        return periods.save(session, periods.parse({"notice_on": notice, "poll_on": poll})).id


def findings(db: Database, clock: FixedClock, rule: str) -> list[str]:
    with db.read() as session:
        return [f.subject for f in checks.run(session, clock) if f.rule == rule]


def test_election_add_then_check_names_each_active_account_until_its_notice_is_recorded(
    council: Database, clock: FixedClock, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = council.url
    council.dispose()
    if url.startswith("sqlite"):
        act_as(monkeypatch, url, ACTOR)
    assert cli.main(["--database", url, "election", "add", "--notice", "2026-11-10",
                     "--poll", "2026-12-10", "--name", "Town council elections"]) == 0  # fmt: skip
    assert "Added the pre-election period Town council elections" in capsys.readouterr().out
    assert cli.main(["--database", url, "check", "--json"]) == 1
    found = json.loads(capsys.readouterr().out)
    notices = [f for f in found if f["rule"] == "pre-election-notice-missing"]
    # Nextdoor is suspended for the whole period: shown as such, no notice needed.
    assert [f["subject"] for f in notices] == [FACEBOOK, X]
    assert {(f["severity"], f["clause"]) for f in notices} == {("medium", periods.CLAUSE)}
    for name in (FACEBOOK, X):
        assert cli.main(["--database", url, "election", "notice", name, "--on", "2026-11-11"]) == 0
    capsys.readouterr()
    cli.main(["--database", url, "check", "--json"])
    assert "pre-election-notice-missing" not in capsys.readouterr().out
    assert cli.main(["--database", url, "election", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Nextdoor:Town (Suspended for the period)" in listing
    assert f"{FACEBOOK} (Active): notice 2026-11-11" in listing


def test_no_finding_before_the_notice_of_election_or_after_the_poll(
    council: Database, clock: FixedClock
) -> None:
    add_period(council, "2026-11-25", "2026-12-20")
    assert findings(council, clock, "pre-election-notice-missing") == []
    clock.moment = NOW + timedelta(days=4)
    assert findings(council, clock, "pre-election-notice-missing") == [FACEBOOK, X]
    clock.moment = NOW + timedelta(days=30)
    assert findings(council, clock, "pre-election-notice-missing") == []


@pytest.mark.parametrize(
    ("notice", "poll", "message"),
    [
        ("2026-12-10", "2026-11-10", "poll_on: is before the notice of election"),
        ("2026-13-01", "2026-12-10", "notice_on: '2026-13-01' is not a date"),
        ("2026-01-01", "2026-12-10", "notice_on: is more than 120 days before polling day"),
    ],
)
def test_a_bad_period_is_refused(council: Database, notice: str, poll: str, message: str) -> None:
    before = row_counts(council)
    with pytest.raises(ValidationError) as caught, council.transaction(ACTOR) as session:
        periods.save(session, periods.parse({"notice_on": notice, "poll_on": poll}))
    assert str(caught.value).startswith(message)
    assert row_counts(council) == before


def test_overlapping_periods_are_refused(council: Database) -> None:
    add_period(council)
    with pytest.raises(ValidationError, match="overlaps the period 'Elections of 10 December 2026'"):
        add_period(council, "2026-12-01", "2026-12-20")


def test_only_the_clerk_or_deputy_sets_a_period_or_approves_an_exception(council: Database) -> None:
    period_id = add_period(council)
    with pytest.raises(PermissionDenied), council.transaction(STAFF) as session:
        periods.save(session, periods.parse({"notice_on": "2027-04-01", "poll_on": "2027-05-06"}))
    with pytest.raises(PermissionDenied), council.transaction(STAFF) as session:
        periods.approve_exception(session, period_id, "Flood warning", "Public safety")
    with council.transaction(ACTOR) as session:
        periods.approve_exception(session, period_id, "Flood warning posts", "Public safety information")
        period = periods.get(session, period_id)
        assert [(e.what, e.reason, e.approved_by) for e in period.exceptions] == [
            ("Flood warning posts", "Public safety information", ACTOR)
        ]


def test_the_period_items_are_recorded_once(council: Database) -> None:
    period_id = add_period(council)
    with council.transaction(STAFF) as session:
        periods.record_period_item(
            session, period_id, "partnership", None, "Handed the tourism page to the BID"
        )
        periods.record_period_item(session, period_id, "briefing", date(2026, 11, 12), "")
    with council.read() as session:
        period = periods.get(session, period_id)
        assert (period.partnership_handled_on, period.partnership_note) == (
            TODAY,
            "Handed the tourism page to the BID",
        )
        assert period.staff_briefed_on == date(2026, 11, 12)


def test_a_candidate_holding_access_or_a_designation_is_a_high_finding(
    council: Database, clock: FixedClock
) -> None:
    period_id = add_period(council)
    with council.transaction(ACTOR) as session:
        factories.grant(session, TODAY - timedelta(days=30), STAFF, FACEBOOK)
    assert findings(council, clock, "pre-election-grant-to-candidate") == []
    with council.transaction(ACTOR) as session:
        periods.mark_candidate(session, period_id, STAFF)
    with council.read() as session:
        [finding] = [f for f in checks.run(session, clock) if f.rule == "pre-election-grant-to-candidate"]
    assert (finding.severity, finding.subject) == ("high", STAFF)
    assert FACEBOOK in finding.message
    with pytest.raises(ValidationError, match="already marked"), council.transaction(ACTOR) as session:
        periods.mark_candidate(session, period_id, STAFF)
    clock.moment = NOW + timedelta(days=30)  # the poll is over
    assert findings(council, clock, "pre-election-grant-to-candidate") == []


def test_a_candidate_who_withdraws_and_a_withdrawn_exception_leave_the_period_but_not_the_trail(
    council: Database, clock: FixedClock
) -> None:
    from sqlalchemy import select

    from clerk_desk.models import AuditEntry

    period_id = add_period(council)
    with council.transaction(ACTOR) as session:
        factories.grant(session, TODAY - timedelta(days=30), STAFF, FACEBOOK)
        candidacy_id = periods.mark_candidate(session, period_id, STAFF).id
        exception_id = periods.approve_exception(session, period_id, "Flood warnings", "Public safety").id
    assert len(findings(council, clock, "pre-election-grant-to-candidate")) == 1
    with council.transaction(ACTOR) as session:
        assert periods.unmark_candidate(session, period_id, candidacy_id) == STAFF
        periods.withdraw_exception(session, period_id, exception_id)
    assert findings(council, clock, "pre-election-grant-to-candidate") == []
    with council.read() as session:
        period = periods.get(session, period_id)
        assert (period.candidates, period.exceptions) == ([], [])
        actions = [(e.action, e.subject_type) for e in session.scalars(select(AuditEntry))]
    assert ("delete", "Standing for election") in actions and ("delete", "Pre-election exception") in actions
    # Gone already (another PC did it): a message, not a traceback.
    with pytest.raises(ValidationError, match="no longer marked"), council.transaction(ACTOR) as session:
        periods.unmark_candidate(session, period_id, candidacy_id)
    with pytest.raises(ValidationError, match="no longer recorded"), council.transaction(ACTOR) as session:
        periods.withdraw_exception(session, period_id, exception_id)
    with pytest.raises(PermissionDenied), council.transaction(STAFF) as session:
        periods.withdraw_exception(session, period_id, exception_id)


def test_the_moderation_log_exports_and_imports(council: Database, fresh_database) -> None:
    with council.transaction(STAFF) as session:
        moderation.record(
            session,
            moderation.EntryData(
                FACEBOOK,
                NOW - timedelta(hours=2),
                ModerationAction.HIDDEN,
                "=SUM(A1) party leaflet",
                "Political",
            ),
        )
    with council.read() as session:
        exported = imports.export_rows(session, "moderation")
    assert exported.splitlines()[0] == "account,at,action,content,reason,done_by"
    assert f"{FACEBOOK},2026-11-21T10:00+00:00,hidden,'=SUM(A1) party leaflet,Political,{STAFF}" in exported
    other = fresh_database()
    with other.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        factories.approved_account(session, TODAY)
        assert imports.import_rows(session, "moderation", exported, TODAY).added == 1
        assert imports.import_rows(session, "moderation", exported, TODAY).updated == 1
    with other.read() as session:
        assert imports.export_rows(session, "moderation") == exported


def test_a_bad_moderation_row_names_its_row_and_column(council: Database) -> None:
    content = "account,at,action,content,reason\nFacebook:@TownCouncil,2026-11-20T10:00,deleted,Post,Spam\n"
    before = row_counts(council)
    with pytest.raises(ValidationError) as caught, council.transaction(ACTOR) as session:
        imports.import_rows(session, "moderation", content, TODAY)
    assert str(caught.value) == "row 2, column action: 'deleted' is not one of removed, hidden"
    assert row_counts(council) == before


def test_the_checklist_shows_suspended_accounts_as_such(council: Database) -> None:
    period_id = add_period(council)
    with council.read() as session:
        rows = periods.checklist(periods.get(session, period_id), accounts.all_accounts(session))
    assert [(r.account.name, r.state) for r in rows] == [
        (FACEBOOK, "Active"),
        ("Nextdoor:Town", "Suspended for the period"),
        (X, "Active"),
    ]


def test_the_annual_review_has_a_section_per_period_counts_only_in_public(
    council: Database, clock: FixedClock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from clerk_desk.reports import annual, period

    period_id = add_period(council)
    with council.transaction(ACTOR) as session:
        periods.record_account(session, period_id, FACEBOOK, notice_posted_on=date(2026, 11, 11))
        periods.approve_exception(session, period_id, "Flood warnings", "Public safety information")
        moderation.record(
            session,
            moderation.EntryData(
                X,
                NOW - timedelta(days=1),
                ModerationAction.REMOVED,
                "Vote Zebedee Quill",
                "Political content",
            ),
        )

    def text(public: bool) -> str:
        out = tmp_path / f"review-{public}.pdf"
        with council.read() as session:
            chosen = period.parse("2026-04-01", "2026-11-21", TODAY)
            annual.create(session, clock, chosen, out, public=public)
        raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True)
        return " ".join(raw.stdout.decode().split())

    confidential, public = text(False), text(True)
    for version in (confidential, public):
        assert "Pre-election periods" in version
        assert "Pre-election notice posted 1 of 2 active accounts" in version
        assert "Content removed or hidden in the period 1" in version
        assert "Exceptions approved 1" in version
    assert "Vote Zebedee Quill" in confidential and "Public safety information" in confidential
    assert "Vote Zebedee Quill" not in public and "Public safety information" not in public

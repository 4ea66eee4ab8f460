"""Importing many incidents at once: the same rules and messages as one at a time, all or nothing, one audit
entry for each record, the same entries as saving each incident on its own, and progress as it goes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import factories
import pytest
from sqlalchemy import func, select

from clerk_desk import imports
from clerk_desk.audit import chain as audit
from clerk_desk.errors import ValidationError
from clerk_desk.imports import ImportResult
from clerk_desk.imports.reading import BATCH
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents import records
from clerk_desk.models import AuditEntry, FollowUp, Incident, IncidentAssessment, Role
from clerk_desk.register import settings
from clerk_desk.storage.db import Database
from services.helpers import row_counts

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ACTOR = "Zoë Hartley"
CATEGORIES = ("account_compromise", "personal_data", "impersonation", "harassment", "policy_breach", "other")
STEP_DONE = (
    "change_passwords_at",
    "review_access_at",
    "platform_notified_at",
    "public_notified_at",
    "reported_to_clerk_at",
    "referral_at",
)


def as_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=records.COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def council(db: Database) -> Database:
    """The people and accounts incidents name."""
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK, email="zoe.hartley@town.gov.uk", login="zhartley")
        factories.person(session, "Łukasz Nowak", Role.DEPUTY_CLERK, login="lnowak")
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
    return db


def incident_rows(count: int, *, start: int = 0) -> list[dict[str, str]]:
    """Incidents of every category: most closed with their steps done, personal-data breaches assessed
    and judged not notifiable, some with people named, some with a step not applicable, and some
    without a reference (they get the next free one)."""
    rows = []
    for i in range(start, start + count):
        reported = NOW - timedelta(hours=5 + (i * 7919) % (3 * 365 * 24))
        closed = i % 5 != 0 and reported < NOW - timedelta(days=3)
        category = CATEGORIES[i % len(CATEGORIES)]
        done = (reported + timedelta(days=2)).isoformat(timespec="minutes") if closed else ""
        row = {
            "reference": "" if i % 7 == 3 else f"INC-{reported.year}-{i + 100:05d}",
            "category": category,
            "severity": ("low", "medium", "high", "critical")[i % 4],
            "title": f"Incident {i}",
            "description": f"What happened in incident {i}.",
            "reported_by": ACTOR,
            "reported_at": reported.isoformat(timespec="minutes"),
            "discovered_at": reported.isoformat(timespec="minutes"),
            "accounts": ("Facebook:@TownCouncil", "X:@Town", "X:@Town;Facebook:@TownCouncil")[i % 3],
            "people": "Tom Beckett" if i % 4 == 1 else "",
            "status": "closed" if closed else "open",
            "resolved_at": done,
            "outcome": "Dealt with." if closed else "",
        }
        if closed:
            row.update(dict.fromkeys(STEP_DONE, done))
            if i % 3 == 0:
                row["review_access_at"] = "not applicable: no one else holds access"
            if category == "personal_data":
                row.update(risk_likelihood="low", risk_severity="low", mitigation="Contained the same day.")
                row.update(ico_decision="not_notifiable", outcome="No risk to anyone: not notifiable.")
        rows.append(row)
    return rows


def import_rows(db: Database, rows: list[dict[str, str]], **kwargs: object) -> ImportResult:
    with db.transaction(ACTOR) as session:
        return imports.import_rows(session, "incidents", as_csv(rows), TODAY, **kwargs)  # type: ignore[arg-type]


def save_one_at_a_time(db: Database, rows: list[dict[str, str]]) -> None:
    """The per-row path: each incident saved through the service on its own, as the edit form does."""
    with db.transaction(ACTOR) as session:
        zone = settings.time_zone(session)
        for row in rows:
            data = records.parse(row, zone)
            existing = incidents.by_reference(session, data.reference) if data.reference else None
            records.save(session, data, incident_id=existing.id if existing else None)


def trail(db: Database, after: int = 0) -> list[tuple[str, str, str, str, str]]:
    """The entries after ``after``, without their time and hashes: what was recorded about what."""
    with db.read() as session:
        entries = session.execute(
            select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
        ).scalars()
        return [(e.action, e.subject_type, e.subject_id, e.subject_label, e.changes) for e in entries]


def head(db: Database) -> int:
    with db.read() as session:
        return session.execute(select(func.coalesce(func.max(AuditEntry.seq), 0))).scalar_one()


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_the_batch_writes_the_same_records_and_audit_entries_as_saving_one_at_a_time(
    db: Database, fresh_database: Callable[[], Database]
) -> None:
    stored = incident_rows(30, start=5000)
    rows = incident_rows(BATCH + 240)
    # The file also updates incidents stored before it, and closes one of them.
    changed = [dict(row, title=f"{row['title']} (updated)") for row in stored[:20] if row["reference"]]
    changed[0].update(status="closed", outcome="Dealt with.", resolved_at=changed[0]["reported_at"])
    changed[0].update(dict.fromkeys(STEP_DONE, changed[0]["reported_at"]))
    fast, slow = council(fresh_database()), council(fresh_database())
    for database in (fast, slow):
        save_one_at_a_time(database, stored)
    start = head(fast)
    assert start == head(slow)

    assert import_rows(fast, rows + changed) == ImportResult(added=len(rows), updated=len(changed))
    save_one_at_a_time(slow, rows + changed)

    assert row_counts(fast) == row_counts(slow)
    with fast.read() as a, slow.read() as b:
        assert imports.export_rows(a, "incidents") == imports.export_rows(b, "incidents")
        assert imports.export_rows(a, "assessments") == imports.export_rows(b, "assessments")
        assert audit.verify(a).ok and audit.verify(b).ok
    # Every entry the same, down to the fields it records, and the records created in the same order.
    # (The records one flush changes are recorded in the session's own order, in both.)
    fast_trail, slow_trail = trail(fast, start), trail(slow, start)
    assert sorted(fast_trail) == sorted(slow_trail)
    assert [e for e in fast_trail if e[0] == "create"] == [e for e in slow_trail if e[0] == "create"]
    updated = {e[3] for e in fast_trail if e[0] != "create" and e[1] == "Incident"}
    assert updated == {row["reference"] for row in changed}


def test_each_record_an_import_creates_has_exactly_one_audit_entry_and_the_chain_verifies(
    db: Database,
) -> None:
    council(db)
    start = head(db)
    rows = incident_rows(2 * BATCH + 17)
    assert import_rows(db, rows) == ImportResult(added=len(rows), updated=0)
    entries = trail(db, start)
    by_type: dict[str, list[str]] = {}
    for action, subject_type, subject_id, _, _ in entries:
        assert action == "create"
        by_type.setdefault(subject_type, []).append(subject_id)
    for subject_type, model in (
        ("Incident", Incident),
        ("Incident step", FollowUp),
        ("Incident assessment", IncidentAssessment),
    ):
        ids = by_type.pop(subject_type)
        assert len(ids) == len(set(ids)) == count(db, model)
    assert by_type == {}
    with db.read() as session:
        assert len(session.execute(select(Incident.id)).all()) == len(rows)
        result = audit.verify(session)
    assert result.ok, result.problems
    assert result.entries == head(db)


def test_a_bad_row_deep_in_a_large_file_is_named_and_nothing_is_saved(db: Database) -> None:
    council(db)
    before = row_counts(db)
    rows = [
        {
            "reference": f"INC-2026-{i:05d}",
            "category": "other",
            "title": f"Spam {i}",
            "description": "Removed",
        }
        for i in range(40_321)
    ]
    rows[40_123]["category"] = "spam"  # row 40,125 of the file, counting the header as row 1
    with pytest.raises(ValidationError) as caught:
        import_rows(db, rows)
    assert str(caught.value).startswith("row 40125, column category: 'spam' is not one of ")
    assert row_counts(db) == before  # 40,123 incidents applied and written in batches, all rolled back
    with db.read() as session:
        assert audit.verify(session).ok


def test_a_reference_repeated_in_one_file_is_named_whatever_its_case(db: Database) -> None:
    council(db)
    before = row_counts(db)
    rows = incident_rows(BATCH + 10)
    rows[BATCH + 5]["reference"] = rows[3 if rows[3]["reference"] else 4]["reference"].lower()
    with pytest.raises(ValidationError) as caught:
        import_rows(db, rows)
    first = 5 if rows[3]["reference"] else 6
    assert str(caught.value) == f"row {BATCH + 7}, column reference: repeats row {first}"
    assert row_counts(db) == before


def test_a_reference_the_file_gives_out_and_then_names_updates_that_incident(db: Database) -> None:
    """As one at a time: a row without a reference takes the next one, and a later row naming it
    updates that incident rather than adding a second."""
    council(db)
    rows = [
        {"category": "other", "title": "First", "description": "Spam", "reported_at": "2026-03-01T10:00"},
        {"reference": "INC-2026-001", "category": "other", "title": "First, retitled", "description": "Spam"},
    ]
    assert import_rows(db, rows) == ImportResult(added=1, updated=1)
    with db.read() as session:
        assert [(i.reference, i.title) for i in incidents.all_incidents(session)] == [
            ("INC-2026-001", "First, retitled")
        ]


def test_rows_for_stored_incidents_update_them_with_one_entry_each(db: Database) -> None:
    council(db)
    stored = incident_rows(12)
    import_rows(db, stored)
    start = head(db)
    named = [row for row in stored if row["reference"]]
    changed = [dict(row, severity="critical", title=f"{row['title']}!") for row in named[:6]]
    rows = changed + incident_rows(3, start=900)
    assert import_rows(db, rows) == ImportResult(added=3, updated=6)
    updates = [entry for entry in trail(db, start) if entry[0] != "create"]
    assert sorted(label for _, _, _, label, _ in updates) == sorted(row["reference"] for row in changed)
    assert all(kind == "Incident" for _, kind, _, _, _ in updates)
    with db.read() as session:
        for row in changed:
            incident = incidents.by_reference(session, row["reference"])
            assert incident is not None
            assert (incident.title, incident.severity) == (row["title"], "critical")
        assert audit.verify(session).ok


def test_an_unknown_account_deep_in_a_file_is_named_as_one_at_a_time(db: Database) -> None:
    council(db)
    rows = incident_rows(BATCH + 50)
    rows[BATCH + 20]["accounts"] = "Facebook:@TownCouncil;TikTok:@nobody"
    with pytest.raises(ValidationError) as caught:
        import_rows(db, rows)
    assert str(caught.value) == (
        f"row {BATCH + 22}, column accounts: 'TikTok:@nobody' is not in the register (write it as "
        "Platform:handle)"
    )


def test_progress_is_told_from_none_to_every_row(db: Database) -> None:
    council(db)
    rows = incident_rows(2 * BATCH + 30)
    told: list[tuple[int, int]] = []
    import_rows(db, rows, progress=lambda done, total: told.append((done, total)))
    total = len(rows)
    assert told[0] == (0, total) and told[-1] == (total, total)
    assert all(t == total for _, t in told)
    assert [d for d, _ in told] == sorted(d for d, _ in told)
    assert len(told) <= total // BATCH + 2


def test_progress_is_told_for_the_kinds_applied_one_row_at_a_time(db: Database) -> None:
    council(db)
    told: list[tuple[int, int]] = []
    content = "name,role\nAnna Price,volunteer\nBen Ode,employee\n"
    with db.transaction(ACTOR) as session:
        imports.import_rows(session, "people", content, TODAY, lambda done, total: told.append((done, total)))
    assert told == [(0, 2), (2, 2)]


def test_what_the_window_froze_at_start_up_stays_frozen_after_an_import(db: Database) -> None:
    """The window freezes what it made at start-up; an import thaws only what it froze itself."""
    import gc

    council(db)
    gc.unfreeze()
    import_rows(db, incident_rows(3))
    assert gc.get_freeze_count() == 0  # from the command line: nothing frozen before, nothing after
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        import_rows(db, incident_rows(3, start=3))
        # Still frozen (a few of those objects were freed meanwhile, as any may be).
        assert gc.get_freeze_count() > before // 2 > 0
    finally:
        gc.unfreeze()

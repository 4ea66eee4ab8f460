"""The council's time zone: moments stored in UTC, shown and typed on the council's clock everywhere."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import factories
import pytest
from icalendar import Calendar

from clerk_desk import council_time, imports
from clerk_desk.checks import reminders
from clerk_desk.errors import ValidationError
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import IncidentCategory, Role
from clerk_desk.register import settings
from clerk_desk.reports import annual, period
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database

ACTOR = "Zoë Hartley"
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
#: 02:11 in London in summer (BST, UTC+1) and 09:00 in winter (GMT, UTC+0).
SUMMER = datetime(2026, 7, 1, 1, 11, tzinfo=UTC)
WINTER = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 21)


@pytest.fixture
def far_away(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PC's own zone is Auckland: nothing the council reads may follow it."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# --- the module ---------------------------------------------------------------------------------------


def test_a_moment_is_shown_on_the_councils_clock_not_the_pcs(far_away: None) -> None:
    assert council_time.show(SUMMER, LONDON) == "2026-07-01 02:11"
    assert council_time.show(WINTER, LONDON) == "2026-01-05 09:00"
    assert council_time.show_named(SUMMER, LONDON) == "2026-07-01 02:11 BST"
    assert council_time.show_named(WINTER, LONDON) == "2026-01-05 09:00 GMT"
    assert council_time.spoken(SUMMER, LONDON) == "1 Jul 2026 02:11 BST"
    assert council_time.iso(SUMMER, LONDON) == "2026-07-01T02:11+01:00"
    assert council_time.iso(WINTER, LONDON) == "2026-01-05T09:00+00:00"
    assert council_time.show(None, LONDON) == ""


def test_another_zone_shows_its_own_time() -> None:
    assert council_time.show_named(SUMMER, NEW_YORK) == "2026-06-30 21:11 EDT"
    assert council_time.iso(WINTER, NEW_YORK) == "2026-01-05T04:00-05:00"
    assert council_time.parse("2026-06-30 21:11", NEW_YORK, "at") == SUMMER


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-07-01 02:11", SUMMER),  # no offset: the council's local time (BST)
        ("2026-07-01T02:11", SUMMER),
        ("2026-01-05 09:00", WINTER),  # GMT
        ("2026-07-01T02:11+01:00", SUMMER),  # an offset is kept as given
        ("2026-07-01T01:11+00:00", SUMMER),  # an old export in UTC
        ("2026-07-01T01:11Z", SUMMER),
        ("2026-07-01", datetime(2026, 6, 30, 23, 0, tzinfo=UTC)),  # a date alone is local midnight
        ("  ", None),
    ],
)
def test_a_typed_moment_is_local_time_unless_it_carries_an_offset(
    far_away: None, raw: str, expected: datetime | None
) -> None:
    assert council_time.parse(raw, LONDON, "occurred_at") == expected


def test_a_time_the_clocks_skip_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        council_time.parse("2027-03-28 01:30", LONDON, "occurred_at")
    assert caught.value.field == "occurred_at"
    assert str(caught.value) == (
        "occurred_at: 2027-03-28 01:30 does not exist in Europe/London: the clocks skip it when they go "
        "forward on 2027-03-28; give the time the clock showed"
    )


def test_a_time_that_happens_twice_is_refused_asking_for_the_offset() -> None:
    with pytest.raises(ValidationError) as caught:
        council_time.parse("2026-10-25 01:30", LONDON, "discovered_at")
    assert caught.value.field == "discovered_at"
    assert str(caught.value) == (
        "discovered_at: 2026-10-25 01:30 happens twice on 2026-10-25 in Europe/London: "
        "add +01:00 (BST) or +00:00 (GMT)"
    )
    first = council_time.parse("2026-10-25 01:30+01:00", LONDON, "discovered_at")
    second = council_time.parse("2026-10-25 01:30+00:00", LONDON, "discovered_at")
    assert first is not None and second is not None
    assert (second - first).total_seconds() == 3600
    assert council_time.show_named(first, LONDON) == "2026-10-25 01:30 BST"
    assert council_time.show_named(second, LONDON) == "2026-10-25 01:30 GMT"


@pytest.mark.parametrize("raw", ["Europe/Londn", "", "../../etc/passwd", "/etc/localtime", "Mars/Olympus"])
def test_an_unknown_zone_name_is_refused_naming_the_field(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        council_time.zone(raw)
    assert caught.value.field == "time_zone"
    assert "is not a time zone name (for example Europe/London)" in str(caught.value)


# --- the setting ------------------------------------------------------------------------------------------


@pytest.fixture
def council(db: Database) -> Database:
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        settings.update(session, {"council_name": "Thornbury Town Council"})
    return db


def test_the_time_zone_setting_is_checked_and_stored(council: Database) -> None:
    with pytest.raises(ValidationError) as caught, council.transaction(ACTOR) as session:
        settings.update(session, {"council_name": "Renamed", "time_zone": "Europe/Londn"})
    assert str(caught.value) == (
        "time_zone: 'Europe/Londn' is not a time zone name (for example Europe/London)"
    )
    with council.read() as session:
        assert settings.load(session).council_name == "Thornbury Town Council"  # nothing saved
        assert settings.time_zone(session) == LONDON  # the default
    with council.transaction(ACTOR) as session:
        settings.update(session, {"time_zone": " America/New_York "})
    with council.read() as session:
        assert settings.load(session)["time_zone"] == "America/New_York"
        assert settings.time_zone(session) == NEW_YORK


# --- CSV -------------------------------------------------------------------------------------------------


def _log_at(db: Database, clock: FixedClock, moment: datetime, title: str) -> None:
    clock.moment = moment
    with db.transaction(ACTOR) as session:
        incidents.log(session, title, IncidentCategory.OTHER, "Seen on the page")
    clock.moment = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _rows(content: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content, newline="")))


def _reported(db: Database) -> dict[str, datetime]:
    with db.read() as session:
        return {i.title: i.reported_at for i in incidents.all_incidents(session)}


def test_an_export_writes_local_time_with_its_offset_and_reads_back_the_same(
    council: Database, clock: FixedClock, far_away: None
) -> None:
    _log_at(council, clock, SUMMER, "Summer")
    _log_at(council, clock, WINTER, "Winter")
    with council.read() as session:
        content = imports.export_rows(session, "incidents")
    written = {r["title"]: r["reported_at"] for r in _rows(content)}
    assert written == {"Summer": "2026-07-01T02:11+01:00", "Winter": "2026-01-05T09:00+00:00"}
    # The file read back as new incidents (no reference) gives the same moments.
    again = content.replace("INC-2026-001", "").replace("INC-2026-002", "")
    again = again.replace("Summer", "Summer again").replace("Winter", "Winter again")
    with council.transaction(ACTOR) as session:
        imports.import_rows(session, "incidents", again, TODAY)
    stored = _reported(council)
    assert stored["Summer again"] == stored["Summer"] == SUMMER
    assert stored["Winter again"] == stored["Winter"] == WINTER


def test_an_old_export_in_utc_and_a_file_typed_in_local_time_both_import(council: Database) -> None:
    content = (
        "category,title,description,reported_at\r\n"
        "other,Old file,Exported before the time zone,2026-07-01T01:11+00:00\r\n"
        "other,Typed,Typed by hand in summer,2026-07-01 02:11\r\n"
    )
    with council.transaction(ACTOR) as session:
        imports.import_rows(session, "incidents", content, TODAY)
    assert _reported(council) == {"Old file": SUMMER, "Typed": SUMMER}


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("2027-03-28 01:30", "does not exist in Europe/London"), ("2026-10-25 01:30", "happens twice")],
)
def test_an_import_with_a_skipped_or_doubled_time_is_refused_naming_row_and_column(
    council: Database, typed: str, problem: str
) -> None:
    content = f"category,title,description,reported_at\r\nother,Odd,Seen,{typed}\r\n"
    with pytest.raises(ValidationError) as caught, council.transaction(ACTOR) as session:
        imports.import_rows(session, "incidents", content, TODAY)
    assert "row 2" in str(caught.value) and "reported_at" in str(caught.value)
    assert problem in str(caught.value)
    assert _reported(council) == {}


def test_a_council_in_new_york_exports_new_york_time(council: Database, clock: FixedClock) -> None:
    with council.transaction(ACTOR) as session:
        settings.update(session, {"time_zone": "America/New_York"})
    _log_at(council, clock, SUMMER, "Summer")
    with council.read() as session:
        [row] = _rows(imports.export_rows(session, "incidents"))
    assert row["reported_at"] == "2026-06-30T21:11-04:00"


# --- the calendar file -----------------------------------------------------------------------------------


def test_the_ico_deadline_in_the_ics_is_at_the_councils_time_with_its_zone(
    council: Database, clock: FixedClock, far_away: None
) -> None:
    clock.moment = SUMMER
    with council.transaction(ACTOR) as session:
        incidents.log(session, "Spreadsheet emailed", IncidentCategory.PERSONAL_DATA, "To the wrong list")
    with council.read() as session:
        due = reminders.due(session, clock=clock)
        content = reminders.to_ics(due, "Thornbury", clock.today(), clock.now(), settings.time_zone(session))
    text = content.decode()
    # 72 hours after 02:11 BST on 1 July: 02:11 BST on 4 July, written in London's zone.
    assert "DTSTART;TZID=Europe/London:20260704T021100" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/London" in text
    [ico] = [e for e in Calendar.from_ical(content).walk("VEVENT") if str(e["uid"]).startswith("ico-")]
    assert ico.decoded("dtstart") == datetime(2026, 7, 4, 1, 11, tzinfo=UTC)


# --- the annual review -----------------------------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


def test_the_review_prints_moments_on_the_councils_clock(
    council: Database, clock: FixedClock, tmp_path: Path, far_away: None
) -> None:
    _log_at(council, clock, SUMMER, "Summer")
    _log_at(council, clock, WINTER, "Winter")
    covered = period.Period(date(2026, 1, 1), date(2026, 11, 21))
    with council.read() as session:
        confidential = annual.create(session, council.clock, covered, tmp_path / "review.pdf")
    text = _pdf_text(confidential)
    assert "1 Jul 2026 02:11 BST" in text
    assert "5 Jan 2026 09:00 GMT" in text
    assert "UTC" not in text

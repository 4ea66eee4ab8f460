"""The annual review: what a period includes, the public version, the PDF itself, and its errors."""

from __future__ import annotations

import io
import os
import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import factories
import pytest
from PIL import Image as PILImage

from clerk_desk import cli
from clerk_desk.access import acknowledgements
from clerk_desk.errors import ClerkDeskError, PermissionDenied, StaleEditError, ValidationError
from clerk_desk.incidents import assessment as incident_assessment
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents import records as incident_records
from clerk_desk.incidents.assessment import AssessmentData
from clerk_desk.models import (
    AccessLevel,
    AccountStatus,
    IcoDecision,
    IncidentCategory,
    IncidentSeverity,
    IncidentStatus,
    RiskLevel,
    Role,
    TwoFactorCodes,
)
from clerk_desk.register import settings
from clerk_desk.reports import annual, assessment, data, figures, output, period, public_data
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database

TODAY = date(2026, 11, 21)
ACTOR = "Zoë Hartley"
PERIOD = period.Period(date(2025, 5, 1), date(2026, 4, 30))

#: Handles, references, names and texts that belong to PERIOD, and ones that do not.
INSIDE_HANDLES = ["@InPeriodTC", "@ClosedInPeriod"]
OUTSIDE_HANDLES = ["@closed-before", "@opened-after"]
INSIDE_REFERENCES = ["INC-2025-001", "INC-2025-002", "INC-2026-001"]
OUTSIDE_REFERENCES = ["INC-2024-007", "INC-2026-003"]
INSIDE_NAMES = ["Zoë Hartley", "Łukasz Nowak", "Nguyễn Thu Hà", "Tomasz Wiśniewski", "Cllr Margaret Oduya"]
INVOLVED = ["Grace Ó Briain", "Ayşe Ağca"]  # named only by incidents in the period
OUTSIDE_NAMES = ["Olwen Outside", "Piotr Późny", "Priya Early"]
INSIDE_DESCRIPTIONS = ["asked residents for bank details", "spam under the fete post", "wrong mailing list"]
OUTSIDE_DESCRIPTIONS = ["left the office door", "projector cable"]
EXTERNAL_PARTY = "facebook.com/impostor.page"


def moment(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def pdf_text(path: Path) -> str:
    """The PDF's text as poppler extracts it, with line breaks made spaces (cells wrap)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


def font_sizes(path: Path) -> list[float]:
    """Every font size the PDF's pages set (the ``Tf`` operator), from the decoded content streams."""
    import base64
    import zlib

    sizes: list[float] = []
    for stream in re.findall(rb">>\s*stream\r?\n(.*?)endstream", path.read_bytes(), re.DOTALL):
        data = stream.strip()
        if data.endswith(b"~>"):  # ASCII85, then Flate
            data = base64.a85decode(data, adobe=True)
        try:
            content = zlib.decompress(data)
        except zlib.error:
            continue  # not a content stream (an embedded font, an image)
        sizes += [float(size) for size in re.findall(rb"/F[\w+]+ ([\d.]+) Tf", content)]
    return sizes


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True, check=True)
    pairs = (line.split(":", 1) for line in out.stdout.decode("utf-8").splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


@pytest.fixture
def council(db: Database) -> Database:
    """A council with records inside PERIOD and on both sides of it."""
    with db.transaction(ACTOR) as session:
        settings.update(
            session,
            {
                "council_name": "Little Ashcombe Town Council",
                "email_domains": "town.gov.uk",
                "policy_version": "2.1",
                "policy_adopted_on": "2024-05-01",
                "policy_reviewed_on": "2026-05-14",
            },
        )
        factories.person(session, ACTOR, Role.CLERK, email="zoe.hartley@town.gov.uk")
        factories.person(session, "Łukasz Nowak", Role.DEPUTY_CLERK)
        factories.person(session, "Cllr Margaret Oduya", Role.COUNCILLOR, job_title="Chair of Council")
        factories.person(session, "Cllr Ben Vice", Role.COUNCILLOR, job_title="Vice-Chair")
        for name in ("Nguyễn Thu Hà", "Tomasz Wiśniewski", "Ayşe Ağca", "Piotr Późny"):
            factories.person(session, name, Role.EMPLOYEE)
        for name in ("Grace Ó Briain", "Olwen Outside"):
            factories.person(session, name, Role.VOLUNTEER)
        factories.person(session, "Priya Early", Role.CONTRACTOR)

        old = dict(approved_on=date(2023, 1, 5), opened_on=date(2023, 1, 5))
        factories.approved_account(
            session,
            TODAY,
            handle="@InPeriodTC",
            recovery_phone="01632 960 777",
            two_factor_codes=TwoFactorCodes.SAFE,
            **old,
        )
        factories.approved_account(
            session,
            TODAY,
            platform="X",
            handle="@ClosedInPeriod",
            status=AccountStatus.CLOSED,
            closed_on=date(2025, 12, 1),
            last_rotated_on=date(2025, 6, 1),
            **old,
        )
        factories.approved_account(
            session,
            TODAY,
            platform="Flickr",
            handle="@closed-before",
            status=AccountStatus.CLOSED,
            closed_on=date(2024, 12, 1),
            last_rotated_on=date(2024, 6, 1),
            **old,
        )
        factories.approved_account(
            session,
            TODAY,
            platform="Mastodon",
            handle="@opened-after",
            approved_on=date(2026, 6, 1),
            opened_on=date(2026, 6, 1),
        )
        facebook = "Facebook:@InPeriodTC"
        factories.grant(
            session,
            TODAY,
            person="Priya Early",
            account=facebook,
            granted_on=date(2024, 1, 1),
            revoked_on=date(2024, 6, 1),
            revoke_reason="Work finished",
        )
        factories.grant(
            session, TODAY, person="Tomasz Wiśniewski", account=facebook, granted_on=date(2025, 9, 1)
        )
        factories.grant(
            session,
            TODAY,
            person="Łukasz Nowak",
            account=facebook,
            level=AccessLevel.MANAGE,
            granted_on=date(2023, 2, 1),
        )
        factories.designation(session, TODAY, accounts=(facebook,), designated_on=date(2025, 6, 1))
        for name in ("Nguyễn Thu Hà", "Tomasz Wiśniewski", "Łukasz Nowak"):
            acknowledgements.save(
                session, acknowledgements.AcknowledgementData(name, "2.1", date(2025, 6, 2)), TODAY
            )
    with db.transaction("Łukasz Nowak") as session:
        _incidents(session)
    return db


def _incidents(session) -> None:  # type: ignore[no-untyped-def]
    Data = incident_records.IncidentData
    records = [
        Data(
            IncidentCategory.IMPERSONATION,
            "Fake council page",
            "A page called Ashcombe Official asked residents for bank details.",
            IncidentSeverity.HIGH,
            reference="INC-2025-001",
            reported_at=moment(date(2025, 6, 10)),
            people=("Grace Ó Briain",),
            external_party=EXTERNAL_PARTY,
        ),
        Data(
            IncidentCategory.CONTENT_REMOVED,
            "Spam comments removed",
            "Commercial spam under the fete post.",
            IncidentSeverity.LOW,
            reference="INC-2025-002",
            reported_at=moment(date(2025, 9, 3)),
            accounts=("Facebook:@InPeriodTC",),
            people=("Ayşe Ağca",),
            status=IncidentStatus.CLOSED,
            outcome="Comments removed.",
        ),
        Data(
            IncidentCategory.PERSONAL_DATA,
            "Newsletter sent to the wrong list",
            "The allotment newsletter went to the wrong mailing list.",
            IncidentSeverity.MEDIUM,
            reference="INC-2026-001",
            reported_at=moment(date(2026, 2, 1)),
        ),
        Data(
            IncidentCategory.OTHER,
            "Door left open",
            "Someone left the office door open overnight.",
            reference="INC-2024-007",
            reported_at=moment(date(2024, 11, 2)),
            people=("Olwen Outside",),
            status=IncidentStatus.CLOSED,
            outcome="Reminded staff.",
        ),
        Data(
            IncidentCategory.OTHER,
            "Projector cable",
            "A projector cable went missing after the meeting.",
            reference="INC-2026-003",
            reported_at=moment(date(2026, 7, 1)),
            people=("Piotr Późny",),
            status=IncidentStatus.CLOSED,
            outcome="Replaced.",
        ),
    ]
    saved = {d.reference: incident_records.save(session, d) for d in records}
    incident_assessment.assess(
        session,
        saved["INC-2026-001"].id,
        AssessmentData(living_people=True, likelihood=RiskLevel.LOW, severity=RiskLevel.LOW),
        at=moment(date(2026, 2, 1), 19),
    )
    incidents.record_ico_decision(
        session,
        saved["INC-2026-001"].id,
        IcoDecision.NOT_NOTIFIABLE,
        moment(date(2026, 2, 1), 20),
        reason="Names only; recipients confirmed deletion.",
    )
    incidents.add_action(session, saved["INC-2025-001"].id, "Reported the page to the platform.")


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """A folder for the PDFs, apart from the SQLite file, so a test can see all that was left in it."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def build(db: Database, tmp_path: Path, *, public: bool = False, name: str = "review.pdf") -> Path:
    with db.read() as session:
        return annual.create(
            session,
            db.clock,
            PERIOD,
            tmp_path / name,
            public=public,
            meeting="Full council, 12 May 2026, item 7",
            prepared_by=ACTOR,
        )


# --- what the period includes ----------------------------------------------------------------------------


def test_the_review_names_everything_in_the_period_and_nothing_outside_it(
    council: Database, tmp_path: Path
) -> None:
    text = pdf_text(build(council, tmp_path))
    for expected in INSIDE_HANDLES + INSIDE_REFERENCES + INSIDE_NAMES + INVOLVED + INSIDE_DESCRIPTIONS:
        assert expected in text, expected
    for unexpected in OUTSIDE_HANDLES + OUTSIDE_REFERENCES + OUTSIDE_NAMES + OUTSIDE_DESCRIPTIONS:
        assert unexpected not in text, unexpected
    assert EXTERNAL_PARTY in text
    assert "Reported the page to the platform." in text  # an action
    assert "Judged not notifiable to the ICO: Names only" in text
    assert "Full council, 12 May 2026, item 7" in text
    assert "Social media annual review" in text and "1 May 2025 to 30 April 2026" in text
    assert "Recovery: 01632 960 777" in text
    # The cell wraps beside the next column's, so its words come out interleaved with that column's.
    assert "2FA codes kept:" in text and "Backup codes or key in" in text and "the council safe" in text


def test_the_public_review_prints_only_what_may_be_published(council: Database, tmp_path: Path) -> None:
    text = pdf_text(build(council, tmp_path, public=True))
    for expected in ["@InPeriodTC", "@ClosedInPeriod", ACTOR, "Cllr Margaret Oduya"]:  # the sign-off names
        assert expected in text, expected
    for category in (
        "Impersonation (fraudulent account)",
        "Content removed or user blocked",
        "Personal data",
    ):
        assert category in text, category
    assert "June 2025" in text and "September 2025" in text and "February 2026" in text  # months, not days
    withheld = INSIDE_DESCRIPTIONS + INVOLVED + INSIDE_REFERENCES + [EXTERNAL_PARTY]
    withheld += ["Fake council page", "Comments removed.", "Reported the page to the platform."]  # titles…
    withheld += ["Łukasz Nowak", "Nguyễn Thu Hà", "Tomasz Wiśniewski"]  # keyholders and officers
    for unexpected in withheld + OUTSIDE_HANDLES + OUTSIDE_REFERENCES + OUTSIDE_NAMES + OUTSIDE_DESCRIPTIONS:
        assert unexpected not in text, unexpected
    assert "PUBLIC" in text and "CONFIDENTIAL" not in text
    assert "01632 960 777" not in text  # recovery details are for the confidential version only


def test_the_public_version_prints_the_clerks_public_summary_and_job_titles(
    council: Database, clock: FixedClock
) -> None:
    with council.transaction("Łukasz Nowak") as session:
        record = incidents.by_reference(session, "INC-2025-001")
        assert record is not None
        record.public_summary = "A page pretending to be the council was reported and taken down."
    with council.read() as session:
        review = public_data.gather(session, clock, PERIOD, prepared_by="Łukasz Nowak")
    assert [(i.month, i.category, i.severity, i.status, i.summary) for i in review.incidents] == [
        (
            "June 2025",
            "Impersonation (fraudulent account)",
            "High",
            "Open",
            "A page pretending to be the council was reported and taken down.",
        ),
        ("September 2025", "Content removed or user blocked", "Low", "Closed", ""),
        ("February 2026", "Personal data breach", "Medium", "Open", ""),
    ]
    assert [o.job_title for o in review.officers] == ["Employee"]  # no job title recorded: the role
    assert review.prepared_by == "Deputy clerk"
    assert all("@" not in text and "Grace" not in text for text, _ in review.gaps)


def test_an_account_closed_before_the_period_is_left_out_and_one_closed_in_it_is_listed(
    council: Database, clock: FixedClock
) -> None:
    with council.read() as session:
        review = data.gather(session, clock, PERIOD)
    rows = {a.handle: a for a in review.accounts}
    assert set(rows) == {"@InPeriodTC", "@ClosedInPeriod"}
    assert rows["@ClosedInPeriod"].status == "Closed 1 Dec 2025"
    assert rows["@InPeriodTC"].council_mailbox == "Yes" and rows["@InPeriodTC"].next_due == "30 Mar 2027"
    assert {g.person for g in review.grants} == {"Tomasz Wiśniewski", "Łukasz Nowak"}
    assert [c.what for c in review.changes] == [
        "Officer designated",
        "Policy acknowledged",
        "Policy acknowledged",
        "Policy acknowledged",
        "Access granted",
    ]
    assert (review.chair, review.clerk) == ("Cllr Margaret Oduya", ACTOR)


def test_the_headline_figures(council: Database, clock: FixedClock) -> None:
    with council.read() as session:
        h = data.gather(session, clock, PERIOD).headline
    assert (h.accounts_active, h.accounts_opened, h.accounts_closed) == (1, 0, 1)
    assert (h.officers, h.officers_designated, h.officers_ended) == (1, 1, 0)
    assert (h.grants_in_force, h.grants_made, h.grants_revoked, h.grants_expired) == (2, 1, 0, 0)
    assert (h.incidents, h.incidents_open) == (3, 2)
    assert h.incident_matrix == {
        "Content removed or user blocked": {"low": 1, "medium": 0, "high": 0, "critical": 0},
        "Impersonation (fraudulent account)": {"low": 0, "medium": 0, "high": 1, "critical": 0},
        "Personal data breach": {"low": 0, "medium": 1, "high": 0, "critical": 0},
    }
    # INC-2025-002 was reported on 3 Sep 2025 and closed when it was saved, on TODAY at noon.
    closed = (datetime(2026, 11, 21, 12, tzinfo=UTC) - moment(date(2025, 9, 3))).total_seconds() / 86400
    assert h.median_days_to_close == pytest.approx(closed)
    assert (h.ico_decisions, h.ico_within_72_hours, h.ico_awaiting) == (1, 1, 0)
    # @ClosedInPeriod was changed on 1 Jun 2025, due again on 28 Nov 2025, closed on 1 Dec 2025 unchanged.
    assert (h.password_changes, h.passwords_due, h.passwords_due_met) == (1, 1, 0)
    assert sum(h.findings_by_severity.values()) > 0


def test_password_changes_due_count_each_due_date_in_the_period_once() -> None:
    class Account:
        def __init__(self, account_id: int, opened: date, days: int | None = None) -> None:
            self.id, self.opened_on, self.approved_on, self.closed_on = account_id, opened, None, None
            self.rotation_days = days

    class Change:
        def __init__(self, account_id: int, on: date) -> None:
            self.account_id, self.rotated_on = account_id, on

    year = period.Period(date(2025, 1, 1), date(2025, 12, 31))
    # Opened 1 Oct 2024, every 90 days: due 30 Dec 2024 (before), changed 1 Jan 2025 (late, not counted),
    # due 1 Apr 2025 (met early on 15 Mar), due 13 Jun 2025 (met late on 1 Jul), due 29 Sep 2025 (open).
    account = Account(1, date(2024, 10, 1), 90)
    changes = [Change(1, d) for d in (date(2025, 1, 1), date(2025, 3, 15), date(2025, 7, 1))]
    assert figures.passwords_due([account], changes, 180, year) == (3, 1)  # type: ignore[arg-type]


# --- the written assessment ------------------------------------------------------------------------------


def test_the_assessment_is_kept_per_period_and_printed(council: Database, tmp_path: Path) -> None:
    with council.transaction(ACTOR) as session:
        row = assessment.save(session, PERIOD, "A quiet year.\n\nTwo-factor is now on everywhere.")
        version = row.version
    other = period.Period(date(2024, 5, 1), date(2025, 4, 30))
    with council.read() as session:
        assert assessment.get(session, other) is None
    text = pdf_text(build(council, tmp_path))
    assert "A quiet year." in text and "Two-factor is now on everywhere." in text and f"— {ACTOR}" in text
    with pytest.raises(StaleEditError), council.transaction(ACTOR) as session:
        assessment.save(session, PERIOD, "An older edit", None)
    with council.transaction(ACTOR) as session:
        assert assessment.save(session, PERIOD, "Revised.", version).text == "Revised."
    with pytest.raises(PermissionDenied), council.transaction("Grace Ó Briain") as session:
        assessment.save(session, PERIOD, "Not mine to write", version + 1)


# --- the PDF ---------------------------------------------------------------------------------------------


def test_the_font_is_embedded_and_the_metadata_set(council: Database, tmp_path: Path) -> None:
    path = build(council, tmp_path)
    raw = path.read_bytes()
    assert raw.startswith(b"%PDF-")
    assert b"DejaVuSans" in raw and b"/FontFile2" in raw  # a TrueType font program, embedded
    assert b"/Helvetica" not in raw  # no font the reader would have to substitute
    info = pdf_info(path)
    assert info["Title"] == "Social media annual review 2025–26 — Little Ashcombe Town Council"
    assert info["Author"] == ACTOR
    assert info["Subject"].startswith("Little Ashcombe Town Council: review of social-media governance")
    assert "(Confidential)" in info["Subject"]
    pages = int(info["Pages"])
    text = pdf_text(path)
    assert f"Page {pages} of {pages}" in text and "Page 1 of" in text
    assert text.count("CONFIDENTIAL") >= 2 * pages  # header and footer of every page
    assert "Generated" not in text or "generated 21 November 2026" in text
    assert b"/Lang (en-GB)" in raw and b"/DisplayDocTitle true" in raw
    assert b"/PageMode /UseOutlines" in raw and b"/Outlines" in raw
    for section in (b"Cover", b"1  Summary", b"4  Incidents", b"6  Assertion 10 evidence", b"7  Sign-off"):
        assert b"/Title (" + section + b")" in raw, section


def test_no_text_in_either_pdf_is_under_9_points(council: Database, tmp_path: Path) -> None:
    for public in (False, True):
        sizes = font_sizes(build(council, tmp_path, public=public, name=f"{public}.pdf"))
        assert sizes and min(sizes) >= 9, sorted(sizes)[:5]


def test_the_logo_is_printed_on_the_cover(council: Database, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 30), (31, 78, 121)).save(buffer, "PNG")
    logo = tmp_path / "crest.png"
    logo.write_bytes(buffer.getvalue())
    with council.transaction(ACTOR) as session:
        settings.set_logo(session, logo)
    assert b"/Subtype /Image" in build(council, tmp_path).read_bytes()


def test_progress_is_reported_up_to_done(council: Database, tmp_path: Path) -> None:
    seen: list[tuple[int, str]] = []
    with council.read() as session:
        annual.create(
            session, council.clock, PERIOD, tmp_path / "r.pdf", progress=lambda p, m: seen.append((p, m))
        )
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[-1] == 100 and len(seen) > 3


def test_a_year_with_no_records_still_renders(db: Database, tmp_path: Path) -> None:
    with db.read() as session:
        path = annual.create(session, db.clock, PERIOD, tmp_path / "empty.pdf")
    text = pdf_text(path)
    assert "No incidents were reported in the period." in text and "No account existed in the period." in text


# --- errors ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        ("2026-04-30", "2025-05-01", "to", "reversed"),
        ("2026-01-01", "2026-01-01", "to", "empty"),
        ("2027-01-01", "2027-12-31", "from", "empty"),
        ("", "2026-04-30", "from", "required"),
        ("2025-05-01", "30/04/2026", "to", "not a date"),
    ],
)
def test_an_empty_or_reversed_period_is_refused(start: str, end: str, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        period.parse(start, end, TODAY)
    assert caught.value.field == field and words in caught.value.message


@pytest.mark.parametrize("where", ["missing folder", "a folder", "under a file"])
def test_an_unwritable_path_is_refused_and_leaves_nothing(
    council: Database, out_dir: Path, where: str
) -> None:
    target = {
        "missing folder": out_dir / "no such folder" / "review.pdf",
        "a folder": out_dir,
        "under a file": out_dir / "notes.txt" / "review.pdf",
    }[where]
    (out_dir / "notes.txt").write_text("not a folder")
    before = sorted(out_dir.iterdir())
    with pytest.raises(ValidationError) as caught, council.read() as session:
        annual.create(session, council.clock, PERIOD, target)
    assert caught.value.field == "out"
    assert sorted(out_dir.iterdir()) == before


def test_a_folder_that_cannot_be_written_to_is_refused(
    council: Database, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.os, "open", denied)  # tests may run as root, who may write anywhere
    with pytest.raises(ValidationError, match=r"cannot write to the folder .*Permission denied"):
        build(council, out_dir)
    assert list(out_dir.iterdir()) == []


def test_a_pdf_open_in_a_viewer_is_reported_and_left_as_it_was(
    council: Database, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = out_dir / "review.pdf"
    existing.write_bytes(b"%PDF- last year's review")

    def locked(source: object, target: object) -> None:  # what Windows does to a file open in a viewer
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(output.os, "replace", locked)
    with pytest.raises(ClerkDeskError, match="open in another program"):
        build(council, out_dir)
    assert existing.read_bytes() == b"%PDF- last year's review"
    assert list(out_dir.iterdir()) == [existing]


def test_a_failure_while_writing_leaves_no_partial_file(
    council: Database, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.platypus import BaseDocTemplate

    def half_written(self: BaseDocTemplate, *args: object, **kwargs: object) -> None:
        Path(self.filename).write_bytes(b"%PDF-1.4 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(BaseDocTemplate, "build", half_written)
    with pytest.raises(ClerkDeskError, match="No space left on device"):
        build(council, out_dir)
    assert list(out_dir.iterdir()) == []


def test_a_meeting_reference_that_is_too_long_is_refused(council: Database, out_dir: Path) -> None:
    with pytest.raises(ValidationError) as caught, council.read() as session:
        annual.create(session, council.clock, PERIOD, out_dir / "r.pdf", meeting="x" * 201)
    assert caught.value.field == "meeting" and not os.listdir(out_dir)


# --- presets and the command line ------------------------------------------------------------------------


def test_the_presets_follow_the_municipal_year() -> None:
    found = {p.key: p for p in period.presets(TODAY, 5)}
    assert found["municipal-last"].period == period.Period(date(2025, 5, 1), date(2026, 4, 30))
    assert found["municipal-last"].label == "Municipal year 2025–26"
    assert found["municipal-current"].period == period.Period(date(2026, 5, 1), TODAY)
    assert found["calendar-last"].period == period.Period(date(2025, 1, 1), date(2025, 12, 31))
    assert found["calendar-current"].period == period.Period(date(2026, 1, 1), TODAY)
    assert found["last-12-months"].period == period.Period(date(2025, 11, 22), TODAY)
    april = {p.key: p.period for p in period.presets(date(2027, 3, 3), 4)}
    assert april["municipal-last"] == period.Period(date(2025, 4, 1), date(2026, 3, 31))
    assert period.municipal_year(date(2026, 1, 15), 1) == period.Period(date(2026, 1, 1), date(2026, 12, 31))


def test_the_report_command(council: Database, out_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = council.url
    council.dispose()
    out = out_dir / "agenda pack.pdf"
    base = ["--database", url, "report", "--from", "2025-05-01", "--to", "2026-04-30"]
    assert cli.main([*base, "--out", str(out), "--public", "--meeting", "Annual meeting, item 9"]) == 0
    assert "Wrote the public annual review for 1 May 2025 to 30 April 2026" in capsys.readouterr().out
    text = pdf_text(out)
    assert "Annual meeting, item 9" in text and "PUBLIC" in text and "Grace Ó Briain" not in text
    reversed_period = ["--database", url, "report", "--from", "2026-04-30", "--to", "2025-05-01"]
    assert cli.main([*reversed_period, "--out", str(out_dir / "x.pdf")]) == 2
    assert "the period is reversed" in capsys.readouterr().err
    assert cli.main([*base, "--out", str(out_dir / "missing" / "x.pdf")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert sorted(p.name for p in out_dir.iterdir()) == ["agenda pack.pdf"]


def test_moments_on_the_last_day_of_the_period_are_in_it() -> None:
    """The period's days are the council's: in London both ends are in BST, an hour ahead of UTC."""
    london = ZoneInfo("Europe/London")
    assert PERIOD.contains_moment(datetime(2026, 4, 30, 22, 59, tzinfo=UTC), london)  # 23:59 BST
    assert not PERIOD.contains_moment(datetime(2026, 4, 30, 23, 0, tzinfo=UTC), london)  # 1 May 00:00
    assert PERIOD.contains_moment(datetime(2025, 4, 30, 23, 0, tzinfo=UTC), london)  # 1 May 00:00 BST
    assert not PERIOD.contains_moment(datetime(2025, 4, 30, 23, 0, tzinfo=UTC) - timedelta(seconds=1), london)
    assert PERIOD.contains_moment(datetime(2026, 4, 30, 23, 59, tzinfo=UTC), ZoneInfo("UTC"))
    assert len(PERIOD.months()) == 12


def test_no_password_ever_reaches_the_pdf(council: Database, out_dir: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    """Every account's password is in the keyring and the review reads the keyring's state; none is
    printed."""
    from clerk_desk.credentials import service as credentials
    from clerk_desk.register import accounts as accounts_service

    secrets_set = []
    with council.transaction(ACTOR) as session:
        for number, account in enumerate(accounts_service.all_accounts(session)):
            secret = f"Pdf-Leak-Probe-{number}-xQ7!"
            credentials.set_password(session, account.id, secret, changed_on_platform=True)
            secrets_set.append(secret)
    with council.read() as session:
        snapshot = credentials.snapshot(accounts_service.all_accounts(session))
        assert snapshot.status.ok and snapshot.stored
        paths = [
            annual.create(
                session,
                council.clock,
                PERIOD,
                out_dir / f"{kind}.pdf",
                public=kind == "public",
                prepared_by=ACTOR,
                vault=snapshot,
            )
            for kind in ("confidential", "public")
        ]
    for path in paths:
        raw, text = path.read_bytes(), pdf_text(path)
        for secret in secrets_set:
            assert secret not in text and secret.encode() not in raw


# --- long words -----------------------------------------------------------------------------------------


def test_wrapping_a_long_word_takes_time_linear_in_its_length() -> None:
    """A field at its maximum length, all one word, lays out at once: 20,000 characters used to take
    minutes, the break being found one character at a time by measuring the whole prefix again."""
    import time

    from clerk_desk.reports import layout

    layout.register_fonts()

    def timed(n: int) -> float:
        word = ("Facebook:@Town" + "x" * n)[:n]
        started = time.perf_counter()
        lines = layout.wrap(f"Seen {word} today", 200)
        elapsed = time.perf_counter() - started
        assert "".join(lines.split("\n")).replace(" ", "") == f"Seen{word}today"
        assert all(layout.text_width(line) <= 200 for line in lines.split("\n"))
        return elapsed

    timed(1000)  # fonts loaded and widths cached
    at_most, ten_times = timed(20_000), timed(200_000)
    assert at_most < 0.5
    assert ten_times < 25 * at_most  # linear: ten times the length, about ten times the time


def test_a_long_word_still_breaks_after_a_colon_or_slash_near_the_end() -> None:
    from clerk_desk.reports import layout

    layout.register_fonts()
    lines = layout.wrap("Facebook:@LittleAshcombeTownCouncil", layout.text_width("Facebook:@Little"))
    assert lines.split("\n")[0] == "Facebook:"


def test_a_description_at_its_maximum_length_in_one_word_renders(council: Database, tmp_path: Path) -> None:
    import time

    data = incident_records.IncidentData(
        IncidentCategory.OTHER,
        "Spam " + "z" * 290,
        "y" * 20_000,
        IncidentSeverity.LOW,
        reference="INC-2025-009",
        reported_at=moment(date(2025, 7, 1)),
        outcome="o" * 20_000,
    )
    with council.transaction(ACTOR) as session:
        incident_records.save(session, data)
    started = time.perf_counter()
    path = build(council, tmp_path)
    assert time.perf_counter() - started < 30
    assert "INC-2025-009" in pdf_text(path)


def test_a_fact_tables_labels_fit_their_column() -> None:
    """ "People involved" in bold is wider than the default label column: the column grows to fit it."""
    from reportlab.pdfbase import pdfmetrics

    from clerk_desk.reports import layout

    table = layout.fact_table("INC-1", [("Reported", "today"), ("People involved", "Zoë Hartley")])
    label_column = table._colWidths[0]
    widest = pdfmetrics.stringWidth("People involved", layout.BOLD, 9) + 2 * layout.CELL_PAD
    assert label_column >= widest
    assert label_column + table._colWidths[1] == layout.FRAME_WIDTH

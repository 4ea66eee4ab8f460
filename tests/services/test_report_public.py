"""The public review built from an allow-list: a council whose records are full of names, email addresses,
phone numbers, confidential incident text and per-account gaps publishes none of them, in the PDF
(as pdftotext reads it) nor in the HTML (its text and its markup)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import factories
import pytest

from clerk_desk.access import acknowledgements
from clerk_desk.checks import engine as checks
from clerk_desk.incidents import assessment as breach_assessment
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents import records as incident_records
from clerk_desk.models import (
    IcoDecision,
    IncidentCategory,
    IncidentSeverity,
    IncidentStatus,
    RiskLevel,
    Role,
    TwoFactor,
)
from clerk_desk.register import settings
from clerk_desk.reports import annual, assessment, period
from clerk_desk.storage.db import Database
from services.test_report import pdf_text

TODAY = date(2026, 11, 21)
PERIOD = period.Period(date(2025, 5, 1), date(2026, 4, 30))
CLERK = "Zoë Hartley"
CHAIR = "Cllr Margaret Oduya"
#: Everyone but the Clerk and the Chair, who sign the review.
HIDDEN_NAMES = [
    "Tom Beckett",
    "Łukasz Nowak",
    "Nguyễn Thu Hà",
    "Ayşe Ağca",
    "Grace Ó Briain",
    "Priya Leaver",
    "Rhodri Unacknowledged",
]
#: How the free text names them: a first name alone, an initial and surname, a surname.
NAME_FORMS = ["Tom", "T. Beckett", "Beckett", "Nowak", "Ağca", "Briain", "Rhodri", "Leaver"]
EMAILS = [
    "tom.beckett@gmail.com",
    "zoe.hartley@ashcombe.gov.uk",
    "press@impostor-news.example",
    "g.obriain@hotmail.co.uk",
]
PHONES = ["07700 900123", "+44 1632 960001", "01632 960 777"]
CONFIDENTIAL = [
    "Threatening messages to the clerk",
    "reported to the police",
    "asked residents for bank details",
    "left the laptop on the train",
    "disciplinary hearing",
    "apologised in writing",
    "crime reference 4471/26",
    "recipients confirmed deletion",
    "Lessons: lock the screen",
]
PUBLIC_SUMMARY = "A page pretending to be the council was reported to the platform and removed."
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE_PATTERN = re.compile(r"(\+44\s?\d{4}|\b0\d{4})\s?\d{3}\s?\d{3}")


def moment(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def hidden(db: Database) -> Database:
    """A council whose records hold everything the public review must not print."""
    with db.transaction(CLERK) as session:
        settings.update(
            session,
            {
                "council_name": "Little Ashcombe Town Council",
                "email_domains": "ashcombe.gov.uk",
                "policy_version": "3.0",
                "policy_adopted_on": "2024-05-01",
                "policy_reviewed_on": "2025-05-14",
            },
        )
        factories.person(session, CLERK, Role.CLERK, email=EMAILS[1], job_title="Town Clerk")
        factories.person(session, "Łukasz Nowak", Role.DEPUTY_CLERK, email="l.nowak@ashcombe.gov.uk")
        factories.person(session, CHAIR, Role.COUNCILLOR, job_title="Chair of Council")
        factories.person(session, "Tom Beckett", Role.VOLUNTEER, email=EMAILS[0])
        factories.person(session, "Nguyễn Thu Hà", Role.EMPLOYEE, job_title="Communications Officer")
        factories.person(session, "Ayşe Ağca", Role.EMPLOYEE)
        factories.person(session, "Grace Ó Briain", Role.VOLUNTEER, email=EMAILS[3])
        factories.person(session, "Rhodri Unacknowledged", Role.EMPLOYEE, job_title="Events Assistant")
        factories.person(
            session, "Priya Leaver", Role.CONTRACTOR, started_on=date(2024, 1, 1), left_on=date(2026, 2, 3)
        )
        opened = dict(approved_on=date(2023, 1, 5), opened_on=date(2023, 1, 5))
        factories.approved_account(
            session,
            TODAY,
            handle="@AshcombeTC",
            sign_in_email=EMAILS[1],  # the clerk's own mailbox: a per-account gap
            business_case=f"Agreed with Tom Beckett on {PHONES[0]}",
            two_factor=TwoFactor.APP,
            **opened,
        )
        factories.approved_account(
            session,
            TODAY,
            platform="Instagram",
            handle="@ashcombe",
            sign_in_email="social@ashcombe.gov.uk",
            two_factor=TwoFactor.NONE,  # another gap
            **opened,
        )
        for person, account in (
            ("Nguyễn Thu Hà", "Facebook:@AshcombeTC"),
            ("Priya Leaver", "Instagram:@ashcombe"),  # has left and still holds access
            ("Rhodri Unacknowledged", "Instagram:@ashcombe"),
        ):
            factories.grant(
                session,
                TODAY,
                person=person,
                account=account,
                granted_on=date(2025, 6, 1),
                business_case=f"Cover for {person}, call {PHONES[1]}",
            )
        factories.designation(
            session,
            TODAY,
            person="Nguyễn Thu Hà",
            accounts=("Facebook:@AshcombeTC",),
            designated_on=date(2025, 6, 1),
        )
        factories.designation(
            session,
            TODAY,
            person="Rhodri Unacknowledged",
            accounts=("Instagram:@ashcombe",),
            designated_on=date(2025, 6, 1),
        )
        acknowledgements.save(
            session, acknowledgements.AcknowledgementData("Nguyễn Thu Hà", "3.0", date(2025, 6, 2)), TODAY
        )
        assessment.save(session, PERIOD, "Thanks to Tom Beckett and Ayşe Ağca (07700 900123) for their help.")
    with db.transaction("Łukasz Nowak") as session:
        _incidents(session)
    return db


def _incidents(session) -> None:  # type: ignore[no-untyped-def]
    Data = incident_records.IncidentData
    harassment = incident_records.save(
        session,
        Data(
            IncidentCategory.HARASSMENT,
            "Threatening messages to the clerk from Tom",
            f"Tom posted abuse; Threatening messages to the clerk were reported to the police, "
            f"crime reference "
            f"4471/26. Contact {EMAILS[0]} or {PHONES[2]}.",
            IncidentSeverity.HIGH,
            reported_at=moment(date(2025, 7, 2)),
            people=("Tom Beckett", CLERK),
            clerk_is_target=True,
            status=IncidentStatus.INVESTIGATING,
            outcome="T. Beckett apologised in writing after a disciplinary hearing.",
            lessons="Lessons: lock the screen",
        ),
    )
    incidents.add_action(session, harassment.id, f"Rang Grace Ó Briain on {PHONES[0]}.")
    impersonation = incident_records.save(
        session,
        Data(
            IncidentCategory.IMPERSONATION,
            "Fake page run by Beckett",
            "A page asked residents for bank details.",
            IncidentSeverity.HIGH,
            reported_at=moment(date(2025, 9, 3)),
            external_party=EMAILS[2],
            public_summary=PUBLIC_SUMMARY,
        ),
    )
    incidents.add_action(session, impersonation.id, f"Wrote to {EMAILS[2]}.")
    breach = incident_records.save(
        session,
        Data(
            IncidentCategory.PERSONAL_DATA,
            "Ayşe Ağca left the laptop on the train",
            "Ayşe Ağca left the laptop on the train with the volunteers' list.",
            IncidentSeverity.MEDIUM,
            reported_at=moment(date(2026, 2, 1)),
            people=("Ayşe Ağca",),
        ),
    )
    breach_assessment.assess(
        session,
        breach.id,
        breach_assessment.AssessmentData(
            living_people=True,
            likelihood=RiskLevel.LOW,
            severity=RiskLevel.LOW,
            mitigation="The laptop is encrypted and the recipients confirmed deletion.",
        ),
        at=moment(date(2026, 2, 1), 19),
    )
    incidents.record_ico_decision(
        session,
        breach.id,
        IcoDecision.NOT_NOTIFIABLE,
        moment(date(2026, 2, 1), 20),
        reason="Encrypted laptop; recipients confirmed deletion.",
    )


def html_text(page: str) -> str:
    """The words of an HTML page, as a reader meets them."""

    class Words(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    words = Words()
    words.feed(page)
    return re.sub(r"\s+", " ", " ".join(words.parts))


def written(db: Database, out: Path) -> Path:
    with db.read() as session:
        return annual.create(session, db.clock, PERIOD, out, public=True, prepared_by="Łukasz Nowak")


@pytest.mark.parametrize("kind", ["pdf", "html"])
def test_the_public_review_publishes_nothing_from_the_confidential_record(
    hidden: Database, tmp_path: Path, kind: str
) -> None:
    path = written(hidden, tmp_path / f"public.{kind}")
    raw = path.read_text(encoding="utf-8") if kind == "html" else ""
    texts = [pdf_text(path)] if kind == "pdf" else [html_text(raw), raw]
    with hidden.read() as session:
        findings = checks.run(session, hidden.clock)
    assert {"no-two-factor", "signin-email-not-council", "keyholder-left"} <= {f.rule for f in findings}
    for text in texts:
        for name in HIDDEN_NAMES + NAME_FORMS:
            assert re.search(rf"\b{re.escape(name)}\b", text) is None, name
        for secret in EMAILS + PHONES + CONFIDENTIAL:
            assert secret not in text, secret
        assert EMAIL_PATTERN.search(text) is None, EMAIL_PATTERN.search(text)
        assert PHONE_PATTERN.search(text) is None, PHONE_PATTERN.search(text)
        for finding in findings:  # which account or person a gap concerns is never said
            assert finding.message not in text, finding.message
        assert "Facebook:@AshcombeTC lacks" not in text and "Instagram:@ashcombe has" not in text
    text = texts[0]
    # What may be published is there: the summary the clerk wrote, totals, job titles, the sign-off names.
    assert PUBLIC_SUMMARY in text
    assert "1 of 2 accounts lacks two-factor sign-in" in text
    assert "1 of 2 accounts does not sign in with a shared council mailbox" in text
    assert "1 person who has left still holds access" in text
    assert "Communications Officer" in text and "Events Assistant" in text
    assert "Harassment of staff" in text and "July 2025" in text
    assert CLERK in text and CHAIR in text
    assert "@AshcombeTC" in text and "@ashcombe" in text


def test_the_confidential_review_still_holds_the_full_record(hidden: Database, tmp_path: Path) -> None:
    """The same records do reach the confidential version: the test above is not passing by accident."""
    with hidden.read() as session:
        path = annual.create(session, hidden.clock, PERIOD, tmp_path / "confidential.pdf", prepared_by=CLERK)
    text = pdf_text(path)
    for expected in ["Tom Beckett", "T. Beckett apologised", EMAILS[2], PHONES[2], "crime reference 4471/26"]:
        assert expected in text, expected

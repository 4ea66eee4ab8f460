"""Assertion 10's credential-handover requirement, from the council's recovery key and key holders."""

from __future__ import annotations

from clerk_desk.credentials import enrolment
from clerk_desk.credentials import service as credentials
from clerk_desk.register import accounts
from clerk_desk.reports import assertion10, source
from clerk_desk.storage.db import Database
from services.test_report import ACTOR, PERIOD, council  # noqa: F401 (the fixture)

HANDOVER = "Credentials are handed over when the clerk changes"


def handover(db: Database) -> assertion10.Requirement:
    with db.read() as session:
        evidence = assertion10.evaluate(session, source.load(session, db.clock, PERIOD))
    assert [r.name for r in evidence.requirements][-1] == HANDOVER
    return evidence.requirements[-1]


def test_with_no_passwords_and_no_recovery_key_the_handover_is_not_recorded(
    council: Database,  # noqa: F811
) -> None:
    requirement = handover(council)
    assert requirement.status == assertion10.NOT_RECORDED
    assert "no recovery key has been made" in requirement.evidence and requirement.missing


def test_the_recovery_key_and_the_key_holders_are_the_evidence(council: Database) -> None:  # noqa: F811
    with council.transaction(ACTOR) as session:
        made = enrolment.set_up(session)
        assert made.recovery is not None
        account = accounts.by_name(session, "Facebook:@InPeriodTC")
        assert account is not None
        credentials.set_password(session, account.id, "Handover-Probe-9!x", changed_on_platform=True)
    requirement = handover(council)
    assert requirement.status == assertion10.MET
    assert f"sealed for the people who hold a key ({ACTOR})" in requirement.evidence
    with council.read() as session:
        fingerprint = enrolment.recovery_fingerprint(session)
    assert fingerprint and fingerprint in requirement.evidence
    assert requirement.missing == ()  # the recovery key settles the single-holder finding too
    assert "Handover-Probe-9!x" not in requirement.evidence + " ".join(requirement.missing)

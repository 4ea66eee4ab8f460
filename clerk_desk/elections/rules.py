"""The pre-election rules: each active account carries the notice once the period has started, and
nobody standing for election holds the council's keys or speaks in its name."""

from __future__ import annotations

from collections.abc import Iterable

from clerk_desk import clauses
from clerk_desk.checks.findings import Finding, Register, Severity
from clerk_desk.elections import periods

CANDIDATE_CLAUSE = clauses.PRE_ELECTION_CANDIDATE


def pre_election_notice_missing(register: Register) -> Iterable[Finding]:
    """Followers are told the channel is governed by the pre-election period (LGA guidance)."""
    for period in periods.open_periods(register.election_periods, register.today):
        for row in periods.checklist(period, register.accounts):
            if row.needs_notice and row.notice_posted_on is None:
                yield Finding(
                    "pre-election-notice-missing",
                    periods.CLAUSE,
                    Severity.MEDIUM,
                    row.account.name,
                    f"{period.name} began on {period.notice_on.isoformat()}: post the pre-election notice "
                    f"on {row.account.name} and record it.",
                    "election",
                    period.id,
                )


def pre_election_grant_to_candidate(register: Register) -> Iterable[Finding]:
    """Someone standing for election holds access to an account or is a designated officer."""
    today = register.today
    for period in register.election_periods:
        if period.poll_on < today:
            continue
        for candidacy in period.candidates:
            person = candidacy.person
            grants = [
                g.account.name for g in register.grants if g.person_id == person.id and g.in_force(today)
            ]
            designated = any(d.person_id == person.id and d.in_force(today) for d in register.designations)
            if not grants and not designated:
                continue
            holds = []
            if grants:
                holds.append(f"access to {', '.join(sorted(grants))}")
            if designated:
                holds.append("a designation as an officer who posts for the council")
            yield Finding(
                "pre-election-grant-to-candidate",
                CANDIDATE_CLAUSE,
                Severity.HIGH,
                person.name,
                f"{person.name} is standing in {period.name} and holds {' and '.join(holds)}; revoke or "
                "suspend it for the period.",
                "person",
                person.id,
            )


RULES = (pre_election_notice_missing, pre_election_grant_to_candidate)

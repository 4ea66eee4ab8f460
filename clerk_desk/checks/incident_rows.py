"""An incident not yet closed as the checks read it: plain rows, not a whole ``Incident``.

``incidents.facts`` reads them; the rules and the lifecycle helpers (``required_steps``,
``step_settled``, ``ico_deadline`` …) take either one of these or a full ``Incident`` (``IncidentLike``).
They sit with the checks' own types so that ``checks.findings`` needs nothing from the incidents
capability (delegated access and incidents stay independent).

A row and its steps are named tuples: immutable, and built for thousands of open incidents in a
fraction of the time a frozen dataclass takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from clerk_desk.models import Account, Incident, RiskLevel


class StepFacts(NamedTuple):
    """One follow-up step as recorded: done, or not applicable (with its reason)."""

    step: str
    done_at: datetime | None
    not_applicable: str | None

    @property
    def settled(self) -> bool:
        return self.done_at is not None or bool(self.not_applicable)


@dataclass(frozen=True, slots=True)
class AssessmentFacts:
    """One risk assessment, reduced to the risk it found."""

    risk_level: RiskLevel


class OpenIncident(NamedTuple):
    """An incident not closed, with the relations and fields the checks read."""

    #: The steps settled (done, or not applicable with a reason), as ``Incident.steps``; a step not yet
    #: settled is left out, which the rules read the same as a step with no row (``step_settled``).
    steps: Sequence[StepFacts]
    #: For a personal-data breach, every assessment, oldest first as ``Incident.assessments`` (only a
    #: personal-data breach's risk is read by a rule: ``needs_subjects_told``); for any other incident
    #: none are loaded.
    assessments: Sequence[AssessmentFacts]
    #: For a suspected compromise, the accounts named, from the register already loaded (their password
    #: dates are read); for any other incident no rule reads them, and they are not loaded.
    accounts: Sequence[Account]
    id: int
    reference: str
    title: str
    category: str
    severity: str
    status: str
    reported_at: datetime
    discovered_at: datetime | None
    external_party: str | None
    personal_data: bool
    near_miss: bool
    clerk_is_target: bool
    ico_decision: str | None


IncidentLike = Incident | OpenIncident

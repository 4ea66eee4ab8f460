"""An import's new incidents before they are written: plain records with an incident's fields, its steps and
its assessment, which ``records.save`` fills in with the same rules as an ``Incident``, and which the import
writes many at a time without building a mapped object for each (``bulk``).

A draft's attribute names are the columns' own, so an insert and an audit entry read them as they would
read a mapped record's; its steps and assessment point back at it, as their labels need.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import inspect

from clerk_desk.models import FollowUp, Incident, IncidentAssessment

#: Every column of an incident, each None until a row sets it (as on a new ``Incident``).
_BLANK: dict[str, Any] = dict.fromkeys(attr.key for attr in inspect(Incident).column_attrs)


class Draft:
    """A new incident of an import, not yet written: ``id`` is set when it is."""

    id: int
    reference: str
    status: str
    category: str
    personal_data: bool
    near_miss: bool
    clerk_is_target: bool
    discovered_at: datetime | None
    reported_at: datetime

    def __init__(self, reference: str, status: str) -> None:
        self.__dict__.update(_BLANK)
        self.reference = reference
        self.status = status
        self.steps: list[DraftStep] = []
        self.assessments: list[DraftAssessment] = []
        self.accounts: list[Any] = []
        self.people: list[Any] = []
        self.actions: list[Any] = []
        self.evidence: list[Any] = []

    def new_step(self, step: str) -> DraftStep:
        """A step row of this incident (``lifecycle.add_step`` appends it)."""
        return DraftStep(self, step)

    def new_assessment(self, **values: Any) -> DraftAssessment:
        """An assessment of this incident (``assessment.add`` appends it)."""
        return DraftAssessment(self, values)


class DraftStep:
    """A follow-up step of a draft: the columns of ``FollowUp``."""

    settled = FollowUp.settled
    label = FollowUp.label

    def __init__(self, incident: Draft, step: str) -> None:
        self.incident = incident
        self.step = step
        self.done_at: datetime | None = None
        self.done_by: str | None = None
        self.not_applicable: str | None = None
        self.note: str | None = None


class DraftAssessment:
    """An assessment of a draft: the columns of ``IncidentAssessment``."""

    risk_level = IncidentAssessment.risk_level
    label = IncidentAssessment.label

    def __init__(self, incident: Draft, values: dict[str, Any]) -> None:
        self.incident = incident
        self.__dict__.update(values)


def add_step(incident: Incident, key: str) -> FollowUp:
    """A new row for a step, appended to the incident's steps: a plain one for a draft."""
    row = incident.new_step(key) if isinstance(incident, Draft) else FollowUp(step=key)
    incident.steps.append(row)
    return cast(FollowUp, row)


def new_assessment(incident: Incident) -> Callable[..., Any]:
    """What makes an assessment of the incident: a plain one for a draft."""
    return incident.new_assessment if isinstance(incident, Draft) else IncidentAssessment

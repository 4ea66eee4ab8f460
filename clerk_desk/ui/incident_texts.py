"""The Incidents page's texts: the ICO countdown and its deadline, the follow-ups column and a step's
state, each on the council's clock."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from clerk_desk import council_time
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import Incident


def ico_deadline_text(incident: Incident, zone: ZoneInfo) -> str | None:
    """The ICO deadline on the council's clock, e.g. "Decide by 2026-07-04 02:11 BST" (the countdown's
    tooltip); None when no decision is due."""
    deadline = incidents.ico_deadline(incident)
    if deadline is None or incident.ico_decision:
        return None
    return f"Decide by {council_time.show_named(deadline, zone)} (UK GDPR Art. 33: 72 hours from discovery)"


def ico_text(incident: Incident, now) -> str:  # type: ignore[no-untyped-def]
    """The ICO countdown: hours left or overdue, or the decision."""
    if incident.ico_decision == "notify":
        return "Notified"
    if incident.ico_decision == "not_notifiable":
        return "Not notifiable"
    deadline = incidents.ico_deadline(incident)
    if deadline is None:
        return ""
    hours = incidents.hours_until(deadline, now)
    return f"{hours} h left" if hours >= 0 else f"{-hours} h overdue"


def follow_up_text(incident: Incident, now) -> str:  # type: ignore[no-untyped-def]
    """Steps still to do, marked ⚠ once overdue (a week after the incident was reported)."""
    required = incidents.required_steps(incident)
    missing = incidents.outstanding_steps(incident)
    if not required:
        return ""
    if not missing:
        return "All done"
    overdue = now - incident.reported_at > incidents.FOLLOW_UP_DAYS
    return f"{len(missing)} to do" + (" ⚠ overdue" if overdue else "")


def step_state(incident: Incident, key: str, zone: ZoneInfo) -> str:
    """A follow-up step's state in the Follow-ups tab; the moment it was done on the council's clock."""
    row = incidents.step_row(incident, key)
    if row is not None and row.done_at:
        return f"Done {council_time.show(row.done_at, zone)} by {row.done_by or ''}".strip()
    if row is not None and row.not_applicable:
        return f"Not applicable: {row.not_applicable}"
    if key == "change_passwords" and incidents.passwords_changed(incident):
        return "Done: every account's password changed since discovery"
    if key == "ico_decision" and incident.ico_decision:
        return "Done: " + ("notified" if incident.ico_decision == "notify" else "not notifiable")
    if key == "subjects_told":
        return "To do: the risk to the people affected is high"
    return "To do"

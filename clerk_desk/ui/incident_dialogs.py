"""Dialogs for incidents: log one in seconds, edit the record, record the ICO decision, close it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from clerk_desk import council_time, fields
from clerk_desk.errors import ValidationError
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents import records as incident_records
from clerk_desk.models import (
    AccountStatus,
    IcoDecision,
    Incident,
    IncidentCategory,
    IncidentSeverity,
    IncidentStatus,
)
from clerk_desk.register import accounts, people
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import (
    FormDialog,
    check_field,
    choice_field,
    line_field,
    multi_field,
    record_dialog,
    text_field,
)

CATEGORIES = [(c.value, c.label) for c in IncidentCategory]
SEVERITIES = [(s.value, s.value.capitalize()) for s in IncidentSeverity]


def _moment_field(name: str, label: str, zone: ZoneInfo):  # type: ignore[no-untyped-def]
    """A date and time typed on the council's clock; an offset (+01:00) may be added."""
    return line_field(name, label, council_time.hint(zone))


def log_dialog(context: Context, parent: QWidget | None = None) -> FormDialog:
    """Ctrl+N: only title, category and description; everything else can be added later."""

    def write(session: Session, values: dict[str, str]) -> Incident:
        category = fields.choice(values, "category", IncidentCategory)
        severity = fields.choice(values, "severity", IncidentSeverity, default=IncidentSeverity.MEDIUM)
        assert isinstance(category, IncidentCategory) and isinstance(severity, IncidentSeverity)
        return incidents.log(
            session, values.get("title", ""), category, values.get("description", ""), severity=severity
        )

    return record_dialog(
        context,
        "Log incident",
        [
            line_field("title", "Title"),
            # No category is chosen for the clerk: the category decides the follow-ups.
            choice_field("category", "Category", [("", "Choose a category…"), *CATEGORIES]),
            text_field("description", "Description"),
            choice_field("severity", "Severity", SEVERITIES),
        ],
        write,
        parent,
        values={"severity": IncidentSeverity.MEDIUM.value},
        intro="Log it now; add the accounts, people, dates and evidence afterwards.",
        save_text="Log incident",
    )


def edit_dialog(context: Context, incident: Incident, parent: QWidget | None = None) -> FormDialog:
    """Everything about the incident except its status and follow-ups."""

    def load(session):  # type: ignore[no-untyped-def]
        return (
            [a.name for a in accounts.all_accounts(session) if a.status != AccountStatus.CLOSED],
            [p.name for p in people.all_people(session)],
        )

    account_names, names = context.read(load)
    account_names = sorted({*account_names, *(a.name for a in incident.accounts)}, key=str.casefold)
    zone = context.zone
    row = incident_records.as_row(incident, zone)
    row["occurred_at"] = council_time.show(incident.occurred_at, zone)
    row["discovered_at"] = council_time.show(incident.discovered_at, zone)

    def write(session: Session, values: dict[str, str]) -> Incident:
        merged = {**incident_records.as_row(incident, zone), **values}
        data = incident_records.parse(merged, zone)
        return incident_records.save(
            session, data, incident_id=incident.id, expected_version=incident.version
        )

    return record_dialog(
        context,
        f"Edit {incident.reference}",
        [
            line_field("title", "Title"),
            choice_field("category", "Category", CATEGORIES),
            choice_field("severity", "Severity", SEVERITIES),
            text_field("description", "Description"),
            _moment_field("occurred_at", "Occurred at", zone),
            _moment_field("discovered_at", "Discovered at", zone),
            multi_field("accounts", "Accounts affected", account_names),
            multi_field("people", "People involved", names),
            line_field("external_party", "External party", "e.g. the impersonating page's address"),
            check_field("personal_data", "Personal data involved"),
            check_field("near_miss", "Near miss"),
            check_field("clerk_is_target", "The clerk is the target"),
            text_field("outcome", "Outcome"),
            text_field("lessons", "Lessons learned"),
            text_field("public_summary", "Public summary"),
        ],
        write,
        parent,
        values=row,
    )


def ico_dialog(context: Context, incident: Incident, parent: QWidget | None = None) -> FormDialog:
    """The decision to notify the ICO, or not, with its reason (UK GDPR Art. 33)."""
    zone = context.zone
    now = council_time.show(context.clock.now(), zone)
    deadline = incidents.ico_deadline(incident)

    def write(session: Session, values: dict[str, str]) -> Incident:
        decision = fields.choice(values, "decision", IcoDecision)
        assert isinstance(decision, IcoDecision)
        decided_at = council_time.parse(values.get("decided_at"), zone, "decided_at")
        if decided_at is None:
            raise ValidationError("decided_at", "is required")
        notified_at = council_time.parse(values.get("notified_at"), zone, "notified_at")
        return incidents.record_ico_decision(
            session,
            incident.id,
            decision,
            decided_at,
            notified_at=notified_at,
            ico_reference=values.get("ico_reference"),
            reason=values.get("reason"),
            delay_reasons=values.get("delay_reasons"),
        )

    return record_dialog(
        context,
        f"ICO decision for {incident.reference}",
        [
            choice_field(
                "decision",
                "Decision",
                [
                    (IcoDecision.NOTIFY.value, "Notify the ICO"),
                    (IcoDecision.NOT_NOTIFIABLE.value, "Not notifiable"),
                ],
            ),
            _moment_field("decided_at", "Decided at", zone),
            _moment_field("notified_at", "ICO notified at", zone),
            line_field("ico_reference", "ICO reference"),
            text_field("reason", "Reason it is not notifiable"),
            text_field("delay_reasons", "Reasons for any delay"),
        ],
        write,
        parent,
        values={"decided_at": now},
        intro="A personal-data breach is reported to the ICO within 72 hours of discovery unless it is "
        "unlikely to risk people's rights and freedoms (UK GDPR Art. 33). "
        f"Deadline: {council_time.show_named(deadline, zone)}.",
        save_text="Record decision",
    )


def status_dialog(
    context: Context, incident: Incident, status: IncidentStatus, parent: QWidget | None = None
) -> FormDialog:
    """Move the incident on; closing is refused while a follow-up step is still to do."""

    def write(session: Session, values: dict[str, str]) -> Incident:
        return incidents.set_status(
            session,
            incident.id,
            incident.version,
            status,
            outcome=values.get("outcome"),
            lessons=values.get("lessons"),
        )

    return record_dialog(
        context,
        f"{status.label}: {incident.reference}",
        [text_field("outcome", "Outcome"), text_field("lessons", "Lessons learned")],
        write,
        parent,
        values={"outcome": incident.outcome or "", "lessons": incident.lessons or ""},
        save_text=status.label,
        intro="Closing needs every follow-up step done or marked not applicable with a reason."
        if status == IncidentStatus.CLOSED
        else None,
    )


def not_applicable_dialog(
    context: Context, incident: Incident, step: str, parent: QWidget | None = None
) -> FormDialog:
    spec = incidents.STEPS[step]

    def write(session: Session, values: dict[str, str]) -> object:
        return incidents.settle_step(session, incident.id, step, not_applicable=values.get("not_applicable"))

    return record_dialog(
        context,
        f"Not applicable: {spec.label}",
        [text_field("not_applicable", "Reason")],
        write,
        parent,
        intro=f"Say why this step ({spec.clause}) does not apply to {incident.reference}.",
        save_text="Mark not applicable",
    )

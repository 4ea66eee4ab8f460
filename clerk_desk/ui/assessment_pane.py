"""The incident's ICO assessment and its history, telling the people affected (Art. 34), and the
one-page breach record: a tab of the Incidents page, and its dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QTableView, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from clerk_desk import council_time, fields
from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.incidents import assessment
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents.lifecycle import ART34_CLAUSE
from clerk_desk.models import Incident, IncidentAssessment, RiskLevel
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import FormDialog, check_field, choice_field, line_field, record_dialog, text_field
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import button

LEVELS = [(level.value, level.value.capitalize()) for level in RiskLevel]

HISTORY_COLUMNS: list[Column[IncidentAssessment]] = [
    Column("Assessed", lambda a: a.assessed_at),
    Column("By", lambda a: a.assessed_by),
    Column("Living people", lambda a: "Yes" if a.living_people else "No"),
    Column("Likelihood", lambda a: a.likelihood.capitalize()),
    Column("Severity", lambda a: a.severity.capitalize()),
    Column("Risk level", lambda a: a.risk_level.value.capitalize()),
    Column("People", lambda a: "" if a.people_affected is None else str(a.people_affected)),
    Column("Records", lambda a: "" if a.records_affected is None else str(a.records_affected)),
    Column("Kinds of data", lambda a: a.data_kinds or ""),
    Column("Consequences", lambda a: a.consequences or "", tooltip=lambda a: a.consequences or ""),
    Column("Mitigation", lambda a: a.mitigation or "", tooltip=lambda a: a.mitigation or ""),
    Column("Reason", lambda a: a.reason, tooltip=lambda a: a.reason),
]


def assessment_dialog(context: Context, incident: Incident, parent: QWidget | None = None) -> FormDialog:
    """The ICO's four questions and the breach log's figures; a reassessment adds to the history."""
    latest = assessment.current(incident)
    title = f"Reassess {incident.reference}" if latest else f"Assess {incident.reference}"
    values = {"living_people": "yes", "risk_likelihood": "low", "risk_severity": "low"}
    if latest is not None:
        values |= {
            "living_people": "yes" if latest.living_people else "no",
            "risk_likelihood": latest.likelihood,
            "risk_severity": latest.severity,
            "mitigation": latest.mitigation or "",
            "people_affected": "" if latest.people_affected is None else str(latest.people_affected),
            "records_affected": "" if latest.records_affected is None else str(latest.records_affected),
            "data_kinds": latest.data_kinds or "",
            "consequences": latest.consequences or "",
        }

    def write(session: Session, entered: dict[str, str]) -> IncidentAssessment:
        return assessment.assess(session, incident.id, assessment.parse(entered))

    return record_dialog(
        context,
        title,
        [
            check_field("living_people", "Living people's data is involved"),
            choice_field("risk_likelihood", "Likelihood of a risk to them", LEVELS),
            choice_field("risk_severity", "Severity of that risk", LEVELS),
            text_field("mitigation", "Mitigation: what was done"),
            line_field("people_affected", "People affected", "how many (a whole number)"),
            line_field("records_affected", "Records affected", "how many (a whole number)"),
            line_field("data_kinds", "Kinds of data", "e.g. names; email addresses"),
            text_field("consequences", "Likely consequences"),
            text_field("assessment_reason", "Reason for this assessment"),
        ],
        write,
        parent,
        values=values,
        intro="The ICO's self-assessment: does the breach involve living people's data, how likely is a "
        "risk to them, how severe, and has it been mitigated? A high risk means the people affected "
        f"are told ({ART34_CLAUSE}). A reassessment is added to the history with its reason.",
        save_text="Record assessment",
    )


def told_dialog(context: Context, incident: Incident, parent: QWidget | None = None) -> FormDialog:
    """The people affected were told: when, how and how many."""
    zone = context.zone

    def write(session: Session, values: dict[str, str]) -> Incident:
        told_at = council_time.parse(values.get("subjects_told_at"), zone, "subjects_told_at")
        if told_at is None:
            raise ValidationError("subjects_told_at", "is required")
        count = fields.integer(values, "subjects_told_count", minimum=1, maximum=assessment.MAX_COUNT)
        return assessment.record_told(
            session,
            incident.id,
            told_at,
            values.get("subjects_told_how", ""),
            count,
        )

    return record_dialog(
        context,
        f"Tell the people affected: {incident.reference}",
        [
            line_field("subjects_told_at", "Told at", council_time.hint(zone)),
            text_field("subjects_told_how", "How they were told"),
            line_field("subjects_told_count", "How many were told"),
        ],
        write,
        parent,
        values={"subjects_told_at": council_time.show(context.clock.now(), zone)},
        intro=f"The risk to them is high: they are told without undue delay ({ART34_CLAUSE}), in clear "
        "words: what happened, the likely consequences, what was done, and whom to contact.",
        save_text="Record",
    )


def not_required_dialog(context: Context, incident: Incident, parent: QWidget | None = None) -> FormDialog:
    """The people affected need not be told, on an Art. 34(3) ground."""

    def write(session: Session, values: dict[str, str]) -> Incident:
        return assessment.record_not_required(
            session, incident.id, values.get("ground", ""), values.get("subjects_told_reason", "")
        )

    return record_dialog(
        context,
        f"Not required: {incident.reference}",
        [
            choice_field("ground", "Ground", [(g.key, g.label) for g in assessment.GROUNDS.values()]),
            text_field("subjects_told_reason", "Details"),
        ],
        write,
        parent,
        intro="The people affected need not be told if the data was unintelligible to anyone not "
        "authorised, if later measures removed the high risk, or if telling each would need "
        "disproportionate effort; then a public notice tells them instead (Art. 34(3)).",
        save_text="Record",
    )


class AssessmentPane(QWidget):
    """The Assessment tab: the latest answers in words, the history, and the Art. 34 actions."""

    def __init__(
        self, context: Context, run_dialog: Callable[[FormDialog], bool], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.run_dialog = run_dialog
        self.incident: Incident | None = None
        self.state = plain.label()
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Assessment")
        self.model: RowTableModel[IncidentAssessment] = RowTableModel(
            HISTORY_COLUMNS, self, zone=lambda: context.zone
        )
        self.history = a11y.Table()
        self.history.setModel(self.model)
        self.history.setAccessibleName("Assessment history")
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.assess_button = button("Assess risk…", "Answer the ICO's questions; a reassessment is kept too")
        self.told_button = button("People told…", "Record when and how the people affected were told")
        self.not_required_button = button(
            "Not required…", "Record the Art. 34(3) ground for not telling them"
        )
        self.record_button = button("Breach record PDF…", "Save the one-page breach record for the ICO")
        row = QHBoxLayout()
        for widget in (self.assess_button, self.told_button, self.not_required_button, self.record_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.history, 1)
        layout.addLayout(row)
        self.assess_button.clicked.connect(self.assess)
        self.told_button.clicked.connect(self.told)
        self.not_required_button.clicked.connect(self.not_required)
        self.record_button.clicked.connect(self.choose_record)

    def show_incident(self, incident: Incident | None) -> None:
        self.incident = incident
        self.model.set_rows(list(incident.assessments) if incident else [])
        self.history.resizeColumnsToContents()
        personal = incident is not None and assessment.is_personal(incident)
        self.assess_button.setEnabled(personal)
        art34 = incident is not None and incidents.needs_subjects_told(incident)
        self.told_button.setEnabled(art34)
        self.not_required_button.setEnabled(art34)
        self.record_button.setEnabled(incident is not None)
        self.state.setText(self._summary(incident, self.context.zone))

    @staticmethod
    def _summary(incident: Incident | None, zone: ZoneInfo) -> str:
        if incident is None:
            return ""
        if not assessment.is_personal(incident):
            return "No personal data is involved, so there is nothing to assess."
        latest = assessment.current(incident)
        if latest is None:
            return "Not assessed yet. A breach judged not notifiable needs the assessment recorded."
        text = (
            f"Risk level {latest.risk_level.value} (likelihood {latest.likelihood}, severity "
            f"{latest.severity}); {len(incident.assessments)} in the history."
        )
        if incidents.needs_subjects_told(incident):
            row = incidents.step_row(incident, "subjects_told")
            if row is not None and row.done_at is not None:
                text += f" The people affected were told {council_time.show_named(row.done_at, zone)}."
            elif row is not None and row.not_applicable:
                text += f" Not told: {row.not_applicable}."
            else:
                text += f" Tell the people affected ({ART34_CLAUSE})."
        return text

    def assess(self) -> None:
        if self.incident is not None:
            self.run_dialog(assessment_dialog(self.context, self.incident, self))

    def told(self) -> None:
        if self.incident is not None:
            self.run_dialog(told_dialog(self.context, self.incident, self))

    def not_required(self) -> None:
        if self.incident is not None:
            self.run_dialog(not_required_dialog(self.context, self.incident, self))

    def choose_record(self) -> None:
        if self.incident is None:
            return
        name = f"{self.incident.reference} breach record.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Save the breach record", name, "PDF (*.pdf)")
        if path:
            self.save_record(Path(path))

    def save_record(self, path: Path) -> bool:
        """Write the breach record PDF of the selected incident."""
        if self.incident is None:
            return False
        from clerk_desk.reports import breach_record

        incident_id = self.incident.id
        try:
            self.context.read(lambda s: breach_record.create(s, self.context.clock, incident_id, path))
        except ClerkDeskError as exc:
            plain.warning(self, "Breach record", str(exc))
            return False
        return True

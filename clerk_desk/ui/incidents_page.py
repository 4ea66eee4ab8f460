"""Incidents: the table with filters and deadlines, and the selected incident's follow-ups,
timeline and evidence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.errors import ClerkDeskError
from clerk_desk.incidents import evidence
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import Evidence, Incident, IncidentAction, IncidentCategory, IncidentStatus
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.assessment_pane import AssessmentPane
from clerk_desk.ui.context import Context
from clerk_desk.ui.incident_dialogs import (
    edit_dialog,
    ico_dialog,
    log_dialog,
    not_applicable_dialog,
    status_dialog,
)
from clerk_desk.ui.incident_texts import follow_up_text, ico_deadline_text, ico_text, step_state
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import TablePage, button


def _columns(context: Context) -> list[Column[Incident]]:
    now = context.clock.now
    return [
        Column("Reference", lambda i: i.reference),
        Column("Reported", lambda i: i.reported_at),
        Column("Category", lambda i: IncidentCategory(i.category).label),
        Column(
            "Severity",
            lambda i: i.severity.capitalize(),
            sort=lambda i: ["low", "medium", "high", "critical"].index(i.severity),
        ),
        Column("Status", lambda i: IncidentStatus(i.status).label),
        Column("Follow-ups", lambda i: follow_up_text(i, now())),
        Column("ICO", lambda i: ico_text(i, now()), tooltip=lambda i: ico_deadline_text(i, context.zone)),
        Column("Reported by", lambda i: i.reported_by),
        Column("Title", lambda i: i.title, tooltip=lambda i: i.description),
    ]


def _step_columns(context: Context) -> list[Column[tuple[Incident, str]]]:
    return [
        Column("Step", lambda r: incidents.STEPS[r[1]].label),
        Column("Clause", lambda r: incidents.STEPS[r[1]].clause),
        Column("State", lambda r: step_state(*r, context.zone)),
    ]


ACTION_COLUMNS: list[Column[IncidentAction]] = [
    Column("When", lambda a: a.at),
    Column("Who", lambda a: a.author),
    Column("Action", lambda a: a.text),
]
EVIDENCE_COLUMNS: list[Column[Evidence]] = [
    Column("File", lambda e: e.filename),
    Column("Added", lambda e: e.added_at),
    Column("By", lambda e: e.added_by),
    Column("SHA-256", lambda e: e.sha256),
]


def _small_table(model: RowTableModel, name: str) -> QTableView:
    view = a11y.Table()
    view.setModel(model)
    view.setAccessibleName(name)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    return view


class IncidentsPage(TablePage):
    """Every incident, with its follow-ups and ICO countdown; the selected one in detail below."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Incidents", RowTableModel(_columns(context), zone=lambda: context.zone), parent)
        self.context = context
        self.log_button = button("&Log incident", "Log an incident now (Ctrl+N from anywhere)")
        self.edit_button = button("&Edit", "Edit the selected incident (or double-click it)")
        self.investigate_button = button("&Investigating")
        self.resolve_button = button("Resol&ve")
        self.close_button = button("&Close incident")
        for widget in (
            self.log_button,
            self.edit_button,
            self.investigate_button,
            self.resolve_button,
            self.close_button,
        ):
            self.add_action(widget)
        self.finish_actions()
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)

        self.status_filter = self._combo(
            "Stat&us", [("All statuses", "")] + [(s.label, s.value) for s in IncidentStatus]
        )
        self.category_filter = self._combo(
            "C&ategory", [("All categories", "")] + [(c.label, c.value) for c in IncidentCategory]
        )
        self.period_filter = self._combo(
            "Pe&riod", [("Any time", 0), ("Last 30 days", 30), ("Last 90 days", 90), ("Last 12 months", 365)]
        )

        self.detail = QTabWidget()
        self.detail.setAccessibleName("Incident detail")
        self.steps_model: RowTableModel[tuple[Incident, str]] = RowTableModel(
            _step_columns(context), self, zone=lambda: context.zone
        )
        self.steps_view = _small_table(self.steps_model, "Follow-ups")
        self.done_button = button("&Mark done", "The selected step is done now")
        self.na_button = button("&Not applicable…", "The selected step does not apply; give the reason")
        self.ico_button = button("Record ICO &decision…")
        self.detail.addTab(
            self._pane(self.steps_view, [self.done_button, self.na_button, self.ico_button]), "Follow-ups"
        )
        self.actions_model: RowTableModel[IncidentAction] = RowTableModel(
            ACTION_COLUMNS, self, zone=lambda: context.zone
        )
        self.actions_view = _small_table(self.actions_model, "Timeline")
        self.action_text = QLineEdit()
        self.action_text.setAccessibleName("New action")
        self.action_text.setPlaceholderText("What was done, e.g. 'Reported the page to Facebook'")
        self.add_action_button = button("Add to &timeline")
        self.detail.addTab(
            self._pane(self.actions_view, [self.action_text, self.add_action_button]), "Timeline"
        )
        self.evidence_model: RowTableModel[Evidence] = RowTableModel(
            EVIDENCE_COLUMNS, self, zone=lambda: context.zone
        )
        self.evidence_view = _small_table(self.evidence_model, "Evidence")
        self.attach_button = button("Attach &file…")
        self.open_evidence_button = button("&Open file")
        self.detail.addTab(
            self._pane(self.evidence_view, [self.attach_button, self.open_evidence_button]), "Evidence"
        )
        self.assessment = AssessmentPane(context, self._run_for_current, self)
        self.detail.addTab(self.assessment, "Assessment")
        self.detail_heading = a11y.heading("", 2)
        self.detail_heading.setWordWrap(True)
        self.body.addWidget(self.detail_heading)
        self.body.addWidget(self.detail, 1)

        self.log_button.clicked.connect(self.log)
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.activated.connect(self.edit)
        self.investigate_button.clicked.connect(lambda: self.move_on(IncidentStatus.INVESTIGATING))
        self.resolve_button.clicked.connect(lambda: self.move_on(IncidentStatus.RESOLVED))
        self.close_button.clicked.connect(lambda: self.move_on(IncidentStatus.CLOSED))
        self.done_button.clicked.connect(self.mark_done)
        self.na_button.clicked.connect(self.mark_not_applicable)
        self.ico_button.clicked.connect(self.record_ico)
        self.add_action_button.clicked.connect(self.add_to_timeline)
        self.action_text.returnPressed.connect(self.add_to_timeline)
        self.attach_button.clicked.connect(self.choose_evidence)
        self.open_evidence_button.clicked.connect(self.open_evidence)
        self.selection_changed.connect(self.show_detail)

    def _combo(self, name: str, items: Sequence[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(self._apply_filters)
        self.add_filter(name, combo)
        return combo

    @staticmethod
    def _pane(view: QWidget, controls: list[QWidget]) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.addWidget(view, 1)
        row = QHBoxLayout()
        for control in controls:
            row.addWidget(control, 1 if isinstance(control, QLineEdit) else 0)
        if not any(isinstance(c, QLineEdit) for c in controls):
            row.addStretch(1)
        layout.addLayout(row)
        return pane

    def reload(self) -> None:
        rows = self.context.read(incidents.all_incidents)
        self.replace_rows(rows, key=lambda i: i.id)
        self.fit_columns()
        self.show_detail()

    def _apply_filters(self) -> None:
        status, category = self.status_filter.currentData(), self.category_filter.currentData()
        days = self.period_filter.currentData()
        since = self.context.clock.now() - timedelta(days=days) if days else None
        self.proxy.set_predicate(
            lambda i: (
                (not status or i.status == status)
                and (not category or i.category == category)
                and (since is None or i.reported_at >= since)
            )
        )

    def clear_filters(self) -> None:
        super().clear_filters()
        for combo in (self.status_filter, self.category_filter, self.period_filter):
            combo.setCurrentIndex(0)

    def select_incident(self, incident_id: int) -> bool:
        self.clear_filters()
        return self.select_where(lambda i: i.id == incident_id)

    def show_detail(self) -> None:
        incident = self.current()
        self.detail.setEnabled(incident is not None)
        for widget in (self.edit_button, self.investigate_button, self.resolve_button, self.close_button):
            widget.setEnabled(incident is not None)
        if incident is None:
            self.detail_heading.setText("Select an incident to see its follow-ups, timeline and evidence.")
            for model in (self.steps_model, self.actions_model, self.evidence_model):
                model.set_rows([])
            self.assessment.show_incident(None)
            return
        involved = ", ".join([a.name for a in incident.accounts] + [p.name for p in incident.people])
        self.detail_heading.setText(
            f"{incident.reference}: {incident.title}" + (f" — {involved}" if involved else "")
        )
        self.steps_model.set_rows([(incident, key) for key in incidents.required_steps(incident)])
        self.actions_model.set_rows(incident.actions)
        self.evidence_model.set_rows(incident.evidence)
        for view in (self.steps_view, self.actions_view, self.evidence_view):
            view.resizeColumnsToContents()
        self.ico_button.setEnabled(incidents.needs_ico_decision(incident))
        self.assessment.show_incident(incident)

    def _run_for_current(self, dialog: QDialog) -> bool:
        """Run a dialog about the selected incident, then show it again with what changed."""
        incident = self.current()
        saved = self.run_dialog(dialog, select=False)
        if saved and incident is not None:
            self._after(incident.id)
        return saved

    def _after(self, incident_id: int) -> None:
        self.reload()
        self.select_where(lambda i: i.id == incident_id)

    def _attempt(self, title: str, action) -> bool:  # type: ignore[no-untyped-def]
        try:
            with self.context.write() as session:
                action(session)
        except ClerkDeskError as exc:
            plain.warning(self, title, str(exc))
            return False
        return True

    def log(self) -> None:
        dialog = log_dialog(self.context, self)
        if self.run_dialog(dialog):
            self.select_incident(dialog.result_value.id)

    def edit(self, incident: Incident | None) -> None:
        if incident is not None:
            self.run_dialog(edit_dialog(self.context, incident, self))

    def move_on(self, status: IncidentStatus) -> None:
        incident = self.current()
        if incident is not None:
            self.run_dialog(status_dialog(self.context, incident, status, self))

    def _selected_step(self) -> str | None:
        index = self.steps_view.currentIndex()
        return self.steps_model.row_at(index.row())[1] if index.isValid() else None

    def mark_done(self) -> None:
        incident, step = self.current(), self._selected_step()
        if incident is None or step is None:
            return
        if step == "ico_decision":
            self.record_ico()
            return
        if step == "subjects_told":
            self.assessment.told()
            return
        now = self.context.clock.now()
        if self._attempt("Follow-up", lambda s: incidents.settle_step(s, incident.id, step, done_at=now)):
            self._after(incident.id)
            self.show_message(f"{incident.reference}: “{incidents.STEPS[step].label}” is done.")

    def mark_not_applicable(self) -> None:
        incident, step = self.current(), self._selected_step()
        if step == "subjects_told":
            self.assessment.not_required()
            return
        if incident is not None and step is not None:
            self.run_dialog(not_applicable_dialog(self.context, incident, step, self), select=False)
            self._after(incident.id)

    def record_ico(self) -> None:
        incident = self.current()
        if incident is not None:
            self.run_dialog(ico_dialog(self.context, incident, self))

    def add_to_timeline(self) -> None:
        incident, text = self.current(), self.action_text.text()
        if incident is not None and self._attempt(
            "Timeline", lambda s: incidents.add_action(s, incident.id, text)
        ):
            self.action_text.clear()
            self._after(incident.id)
            self.show_message(f"{incident.reference}: added to the timeline.")

    def choose_evidence(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Attach evidence")
        if path:
            self.attach(Path(path))

    def attach(self, path: Path) -> bool:
        incident = self.current()
        if incident is None:
            return False
        if self._attempt("Evidence", lambda s: evidence.attach(s, incident.id, path)):
            self._after(incident.id)
            self.show_message(f"{incident.reference}: {path.name} attached as evidence.")
            return True
        return False

    def open_evidence(self) -> None:
        index = self.evidence_view.currentIndex()
        if not index.isValid():
            return
        try:
            item_id = self.evidence_model.row_at(index.row()).id
            path = self.context.read(lambda s: evidence.open_copy(s, item_id))
        except ClerkDeskError as exc:
            plain.warning(self, "Evidence", str(exc))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

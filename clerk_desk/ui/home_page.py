"""Home: the state of the register at a glance, and everything that needs attention."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QWidget

from clerk_desk.checks import engine as checks
from clerk_desk.checks import reminders
from clerk_desk.checks.engine import Finding, Severity
from clerk_desk.checks.reminders import Reminder
from clerk_desk.collector import fewer_collections
from clerk_desk.continuity import backup
from clerk_desk.credentials.service import VaultSnapshot
from clerk_desk.models import AccountStatus
from clerk_desk.ui import a11y
from clerk_desk.ui.backup_panel import describe as describe_backup
from clerk_desk.ui.context import Context
from clerk_desk.ui.election_checklist import ElectionChecklist
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import SAMPLE_ROWS, ActivatingTableView, TablePage

SEVERITY_COLOURS = {
    Severity.HIGH: QColor("#b3261e"),
    Severity.MEDIUM: QColor("#7a4f00"),  # 5.3:1 on a selected row
    Severity.LOW: QColor("#3d5a80"),
}

COLUMNS: list[Column[Finding]] = [
    Column("Severity", lambda f: f.severity.value.capitalize(), sort=lambda f: f.severity.rank),
    Column("Subject", lambda f: f.subject),
    Column("Clause", lambda f: f.clause),
    Column("Rule", lambda f: f.rule),
    Column("Needs attention", lambda f: f.message, tooltip=lambda f: f.message),
]


class FindingsModel(RowTableModel[Finding]):
    """Findings, with the severity in its colour."""

    def data(self, index, role=0):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.column() == 0:
            return SEVERITY_COLOURS[self.row_at(index.row()).severity]
        return super().data(index, role)


class DueTable(ActivatingTableView):
    """The reminders: what must be done now, what is overdue and what falls due within 14 days."""

    activated_reminder = Signal(object)

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = context.clock.today
        self.model_: RowTableModel[Reminder] = RowTableModel(
            [
                Column("When", lambda r: r.when(today()), sort=lambda r: (r.urgency.rank, r.due.isoformat())),
                Column("Due", lambda r: r.due),
                Column("Subject", lambda r: r.subject),
                Column("To do", lambda r: r.what),
                Column("Clause", lambda r: r.clause),
                Column("Why", lambda r: r.detail),
            ],
            self,
            zone=lambda: context.zone,
        )
        self.setModel(self.model_)
        self.setAccessibleName("Due")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setResizeContentsPrecision(SAMPLE_ROWS)
        self.fitted = False
        self.shown: list[Reminder] | None = None
        self.doubleClicked.connect(self._activate)
        self.enter_pressed.connect(self._activate)

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated_reminder.emit(self.model_.row_at(index.row()))

    def set_rows(self, rows: list[Reminder]) -> None:
        """Show these reminders; the same reminders as shown already leave the table as it is."""
        if rows != self.shown:  # reminders are immutable: equal ones show the same
            self.shown = rows
            self.model_.set_rows(rows)
        if rows and not self.fitted:  # once: a reload keeps the widths
            self.fitted = True
            for column in range(self.model_.columnCount() - 1):
                self.resizeColumnToContents(column)


class HomePage(TablePage):
    """Lists every finding with its clause, and what is due; opening one goes to its subject."""

    open_subject = Signal(str, object)  # kind ("account", "settings", …) and id

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Needs attention", FindingsModel(COLUMNS, zone=lambda: context.zone), parent)
        self.context = context
        self.finish_actions()
        self.table.setAccessibleName("Needs attention")
        self.activated.connect(lambda f: self.open_subject.emit(f.subject_kind, f.subject_id))
        self.overview = self.summary
        self.due_heading = a11y.heading("Due", 2)
        self.due = DueTable(context)
        self.due.activated_reminder.connect(lambda r: self.open_subject.emit(r.subject_kind, r.subject_id))
        self.body.addWidget(self.due_heading)
        self.body.addWidget(self.due, 1)
        self.election = ElectionChecklist(self)
        self.election.activated_period.connect(
            lambda period_id: self.open_subject.emit("election", period_id)
        )
        self.body.addWidget(self.election)
        self.body.setStretchFactor(self.table, 2)
        self.register: checks.Register | None = None
        self.findings: list[Finding] | None = None  # as shown

    def reload(self) -> None:
        snapshot = self.context.vault
        state = backup.status_for(self.context.database.url)
        # A large council's register and its findings are tens of thousands of new objects, few in cycles.
        with fewer_collections():
            self.show_register(
                self.context.read(lambda s: checks.load(s, self.context.clock, snapshot, state))
            )

    def show_vault(self, snapshot: VaultSnapshot) -> None:
        """Add what the password store holds to the findings, without reading the register again."""
        if self.register is None:
            self.reload()
        else:
            self.show_register(replace(self.register, vault=snapshot))

    def show_register(self, register: checks.Register) -> None:
        with fewer_collections():
            self._show(register)

    def _show(self, register: checks.Register) -> None:
        self.register = register
        snapshot = register.vault
        findings = checks.evaluate(register)
        due = reminders.due(None, register)
        if findings != self.findings:  # findings are immutable: equal ones show the same, so the table stays
            self.findings = findings
            self.replace_rows(findings, key=lambda f: (f.rule, f.subject))
        self.fit_columns()
        self.due.set_rows(due)
        self.due_heading.setText(
            f"Due: {len(due)} in the next {reminders.WINDOW_DAYS} days, or now"
            if due
            else f"Due: nothing in the next {reminders.WINDOW_DAYS} days"
        )
        self.election.show_register(register)
        statuses = Counter(a.status for a in register.accounts)
        today = register.today
        current = sum(1 for p in register.people if not p.has_left(today))
        in_use = statuses[AccountStatus.ACTIVE] + statuses[AccountStatus.SUSPENDED]
        severities = Counter(f.severity for f in findings)
        name = register.settings.council_name or "Clerk Desk"
        self.heading.setText(f"{name} — needs attention")  # its accessible name is what it shows
        counts = (
            ", ".join(f"{severities[s]} {s.value}" for s in Severity if severities[s])
            or "nothing outstanding"
        )
        checking = " · Checking the password store…" if snapshot is None else ""
        self.overview.setText(
            f"Accounts: {in_use} in use, {statuses[AccountStatus.PROPOSED]} proposed, "
            f"{statuses[AccountStatus.CLOSED]} closed · People: {current} current · "
            f"Findings: {counts}{checking}\n{describe_backup(register.backup, self.context.zone)}"
        )

    def _update_summary(self) -> None:
        """The overview line replaces the row count on this page."""

"""Home: the state of the register at a glance, and everything that needs attention."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from clerk_desk import checks
from clerk_desk.checks import Finding, Severity
from clerk_desk.models import AccountStatus
from clerk_desk.ui.context import Context
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import TablePage

SEVERITY_COLOURS = {
    Severity.HIGH: QColor("#b3261e"),
    Severity.MEDIUM: QColor("#8a5a00"),
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
        from PySide6.QtCore import Qt

        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.column() == 0:
            return SEVERITY_COLOURS[self.row_at(index.row()).severity]
        return super().data(index, role)


class HomePage(TablePage):
    """Lists every finding with its clause; opening one goes to its subject."""

    open_subject = Signal(str, object)  # kind ("account", "settings", …) and id

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Needs attention", FindingsModel(COLUMNS), parent)
        self.context = context
        self.finish_actions()
        self.table.setAccessibleName("Needs attention")
        self.activated.connect(lambda f: self.open_subject.emit(f.subject_kind, f.subject_id))
        self.overview = self.summary

    def reload(self) -> None:
        register = self.context.read(lambda s: checks.load(s, self.context.clock))
        findings = checks.evaluate(register)
        self.model.set_rows(findings)
        self.fit_columns()
        statuses = Counter(a.status for a in register.accounts)
        today = register.today
        current = sum(1 for p in register.people if not p.has_left(today))
        in_use = statuses[AccountStatus.ACTIVE] + statuses[AccountStatus.SUSPENDED]
        severities = Counter(f.severity for f in findings)
        name = register.settings.council_name or "Clerk Desk"
        self.heading.setText(f"{name} — needs attention")
        self.heading.setAccessibleName("Needs attention")
        counts = (
            ", ".join(f"{severities[s]} {s.value}" for s in Severity if severities[s])
            or "nothing outstanding"
        )
        self.overview.setText(
            f"Accounts: {in_use} in use, {statuses[AccountStatus.PROPOSED]} proposed, "
            f"{statuses[AccountStatus.CLOSED]} closed · People: {current} current · Findings: {counts}"
        )

    def _update_summary(self) -> None:
        """The overview line replaces the row count on this page."""

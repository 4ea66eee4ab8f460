"""Home's view of an open pre-election period: its checklist for each account, and what is done once."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QVBoxLayout, QWidget

from clerk_desk.checks.findings import Register
from clerk_desk.elections import periods
from clerk_desk.elections.periods import ChecklistRow
from clerk_desk.ui import plain
from clerk_desk.ui.elections_page import CHECKLIST, period_text
from clerk_desk.ui.table_model import RowTableModel
from clerk_desk.ui.table_page import ActivatingTableView


class ElectionChecklist(QWidget):
    """Shown only while a period is open; Enter or a double-click opens the Elections page."""

    activated_period = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.period_id: int | None = None
        self.heading = plain.label()
        self.heading.setObjectName("sectionHeading")
        self.info = plain.label()
        self.info.setWordWrap(True)
        self.model: RowTableModel[ChecklistRow] = RowTableModel(CHECKLIST, self)
        self.table = ActivatingTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Pre-election checklist")
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setMaximumHeight(170)
        self.table.doubleClicked.connect(self._activate)
        self.table.enter_pressed.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.info)
        layout.addWidget(self.table)
        self.setVisible(False)

    def _activate(self, index: QModelIndex) -> None:
        if self.period_id is not None:
            self.activated_period.emit(self.period_id)

    def show_register(self, register: Register) -> None:
        current = periods.open_periods(register.election_periods, register.today)
        if not current:
            self.period_id = None
            self.model.set_rows([])
            self.setVisible(False)
            return
        period = current[0]
        self.period_id = period.id
        rows = periods.checklist(period, register.accounts)
        missing = sum(1 for r in rows if r.needs_notice and r.notice_posted_on is None)
        self.heading.setText(
            f"Pre-election period: {period.name} — "
            + (
                f"{missing} account{'s' if missing != 1 else ''} without the notice"
                if missing
                else "every notice posted"
            )
        )
        self.heading.setAccessibleName("Pre-election period")
        self.info.setText(period_text(period))
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.setVisible(True)

"""The audit trail: who did what and when, filterable by person, record and date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QWidget

from clerk_desk.audit import reader as audit_log
from clerk_desk.audit import verify
from clerk_desk.models import AuditEntry
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import DATE_HINT
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import TablePage, button

COLUMNS: list[Column[AuditEntry]] = [
    Column("When", lambda e: e.at, sort=lambda e: e.seq),
    Column("Who", lambda e: e.actor),
    Column("Action", lambda e: e.action.capitalize()),
    Column("Record type", lambda e: e.subject_type),
    Column("Record", lambda e: e.subject_label),
    Column("Changes", audit_log.summary, tooltip=audit_log.summary),
]


def _labelled_edit(label: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(label)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    return edit


class AuditPage(TablePage):
    """Every change recorded in the hash-chained trail, newest first."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Audit trail", RowTableModel(COLUMNS, zone=lambda: context.zone), parent)
        self.context = context
        self.verify_button = button(
            "&Verify trail",
            "Check that no entry was edited or removed, against the checkpoints, and that the register "
            "matches the trail",
        )
        self.add_action(self.verify_button)
        self.finish_actions()
        self.verify_button.clicked.connect(self.verify)

        self.person = QComboBox()
        self.subject = _labelled_edit("Record", "Record name or type")
        self.since = _labelled_edit("From", DATE_HINT)
        self.until = _labelled_edit("To", DATE_HINT)
        self.filter_error = plain.label()
        self.filter_error.setObjectName("fieldError")
        for label, widget in (
            ("&Person", self.person),
            ("&Record", self.subject),
            ("&From", self.since),
            ("&To", self.until),
        ):
            self.add_filter(label, widget)
        self.filters_bar.addWidget(self.filter_error)
        self.person.currentIndexChanged.connect(self._load_entries)
        for edit in (self.subject, self.since, self.until):
            edit.editingFinished.connect(self._load_entries)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)

    def reload(self) -> None:
        chosen = self.person.currentData()
        names = self.context.read(audit_log.actors)
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem("Everyone", "")
        for name in names:
            self.person.addItem(name, name)
        index = self.person.findData(chosen) if chosen else 0
        self.person.setCurrentIndex(max(index, 0))
        self.person.blockSignals(False)
        self._load_entries()

    def _date(self, edit: QLineEdit, label: str) -> tuple[date | None, str | None]:
        raw = edit.text().strip()
        if not raw:
            return None, None
        try:
            return date.fromisoformat(raw), None
        except ValueError:
            return None, f"{label}: '{raw}' is not a date; write it as {DATE_HINT}"

    def _load_entries(self) -> None:
        since, since_error = self._date(self.since, "From")
        until, until_error = self._date(self.until, "To")
        error = since_error or until_error
        if error:
            a11y.show_message(self.filter_error, error, assertive=True)
            return
        self.filter_error.clear()
        entries = self.context.read(
            lambda s: audit_log.search(
                s,
                person=self.person.currentData() or None,
                subject=self.subject.text() or None,
                since=since,
                until=until,
                zone=self.context.zone,
            )
        )
        self.model.set_rows(entries)
        self.fit_columns()

    def verify(self) -> None:
        """Check the chain, the checkpoints and the register against the trail, and say what was checked,
        what was found and what could not be checked (the same words as ``clerk-desk audit --verify``)."""
        report = self.context.read(lambda s: verify.verify(s, self.context.actor.name))
        box = plain.box(
            self,
            QMessageBox.Icon.Information if report.ok else QMessageBox.Icon.Critical,
            "Audit trail intact" if report.ok else "Audit trail altered",
            report.summary(),
            "\n".join(report.lines()[:-1][:60]),
        )
        box.setAccessibleName("Verification of the audit trail")
        self.last_report = report
        box.exec()

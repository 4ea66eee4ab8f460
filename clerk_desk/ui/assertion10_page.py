"""Assertion 10: the AGAR 2025/26 digital and data compliance evidence for the internal auditor, each
requirement with its status and evidence, what is still missing with its clause, saved as PDF or HTML."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QFileDialog, QPlainTextEdit, QWidget

from clerk_desk.errors import ClerkDeskError
from clerk_desk.register import settings as council_settings
from clerk_desk.reports import assertion10, period
from clerk_desk.reports.assertion10 import Requirement
from clerk_desk.ui import plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import TablePage, button

COLUMNS: list[Column[Requirement]] = [
    Column("Requirement", lambda r: r.name),
    Column("Status", lambda r: r.status),
    Column("Clause", lambda r: r.clause),
    Column("Evidence", lambda r: r.evidence, tooltip=lambda r: r.evidence),
]
WIDTHS = (280, 110, 220)


class Assertion10Page(TablePage):
    """The evidence for a period (the last municipal year first), read from the register."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Assertion 10", RowTableModel(COLUMNS, zone=lambda: context.zone), parent)
        self.context = context
        self.evidence: assertion10.Evidence | None = None
        self.last_written: Path | None = None
        # In the order of the requirements, each row tall enough for its evidence.
        self.table.setSortingEnabled(False)
        self.proxy.sort(-1)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.table.setAccessibleName("Assertion 10 requirements")
        note = plain.label(assertion10.SOURCE_NOTE)
        note.setObjectName("pageSummary")
        note.setWordWrap(True)
        self.period_choice = QComboBox()
        self.period_choice.setAccessibleName("Period")
        self.period_choice.currentIndexChanged.connect(lambda *_: self._load())
        self.save_pdf = button("Save as PDF", "Save the evidence as a PDF for the internal auditor")
        self.save_pdf.clicked.connect(lambda: self.choose_and_save("pdf"))
        self.save_html = button("Save as HTML", "Save the evidence as accessible HTML")
        self.save_html.clicked.connect(lambda: self.choose_and_save("html"))
        self.missing = QPlainTextEdit()
        self.missing.setReadOnly(True)
        self.missing.setTabChangesFocus(True)
        self.missing.setAccessibleName("What is still missing")
        self.missing.setMaximumHeight(180)
        self.message = plain.label()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        period_label = plain.label("Period:")
        period_label.setBuddy(self.period_choice)
        for widget in (period_label, self.period_choice, self.save_pdf, self.save_html):
            self.add_action(widget)
        self.finish_actions()
        missing_label = plain.label("What is still missing:")
        missing_label.setBuddy(self.missing)
        self.body.insertWidget(1, note)
        self.body.addWidget(missing_label)
        self.body.addWidget(self.missing)
        self.body.addWidget(self.message)

    def reload(self) -> None:
        """Offer the periods from the council's municipal year and read the evidence again."""
        today = self.context.clock.today()
        start_month = self.context.read(lambda s: council_settings.load(s).year_start_month)
        chosen = self.period_choice.currentData()
        self.period_choice.blockSignals(True)
        self.period_choice.clear()
        for preset in period.presets(today, start_month):
            self.period_choice.addItem(preset.label, preset)
        keys = [self.period_choice.itemData(i).key for i in range(self.period_choice.count())]
        key = getattr(chosen, "key", None)
        self.period_choice.setCurrentIndex(keys.index(key) if key in keys else 0)
        self.period_choice.blockSignals(False)
        self._load()

    def _load(self) -> None:
        preset = self.period_choice.currentData()
        if not isinstance(preset, period.Preset):
            return
        from clerk_desk.reports import source

        self.evidence = self.context.read(
            lambda s: assertion10.evaluate(
                s, source.load(s, self.context.clock, preset.period, self.context.vault)
            )
        )
        self.replace_rows(list(self.evidence.requirements), key=lambda r: r.name)
        for column, width in enumerate(WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.resizeRowsToContents()
        missing = self.evidence.missing()
        self.missing.setPlainText(
            "\n".join(f"• {item} ({clause}; {name})" for item, name, clause in missing)
            or "Nothing: every requirement is met from the register."
        )
        items = "1 item" if len(missing) == 1 else f"{len(missing)} items"
        self.summary.setText(f"{items} still missing for {preset.period.label}.")

    def choose_and_save(self, fmt: str) -> None:
        """Ask where to save the evidence, then write it and open it."""
        if self.evidence is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = f"Assertion-10-evidence-{period.year_label(self.evidence.period).replace(' ', '-')}.{fmt}"
        wanted = "PDF files (*.pdf)" if fmt == "pdf" else "HTML files (*.html)"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the Assertion 10 evidence", str(Path(folder or Path.home()) / name), wanted
        )
        if path:
            self.save(Path(path), fmt)

    def save(self, out: Path, fmt: str) -> bool:
        """Write the evidence shown to ``out`` as ``fmt``; False with the reason on the page when it fails."""
        from clerk_desk.reports import annual

        self.message.clear()
        if self.evidence is None:
            return False
        try:
            written = annual.write(assertion10.document(self.evidence, self.context.actor.name), out, fmt)
        except ClerkDeskError as exc:
            self.message.setText(f"Nothing was saved: {exc}")
            return False
        self.last_written = written
        self.summary.setText(f"Saved {written}.")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(written)))
        return True

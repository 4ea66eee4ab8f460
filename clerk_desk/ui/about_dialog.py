"""Help > About Clerk Desk: the version, the database, where backups go and where copies go before an
upgrade."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from clerk_desk import about
from clerk_desk.ui import plain


def _value(text: str, name: str) -> QLabel:
    """A plain-text value the clerk can select and copy (a path to give to IT, say)."""
    label = plain.label(text)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


class AboutDialog(QDialog):
    def __init__(self, database_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Clerk Desk")
        self.facts = about.describe(database_url)
        title = plain.label("Clerk Desk")
        title.setObjectName("aboutTitle")
        intro = plain.label("Social-media governance for town and parish council clerks.")
        form = QFormLayout()
        self.version = _value(self.facts.version, "Version")
        self.database = _value(self.facts.database, "Database")
        self.copies = _value(self.facts.copies, "Copies before an upgrade")
        self.backups = _value(self.facts.backups, "Backups")
        self.data_folder = _value(self.facts.data_folder, "Data folder")
        form.addRow("Version:", self.version)
        form.addRow("Database:", self.database)
        form.addRow("Backups:", self.backups)
        form.addRow("Before an upgrade:", self.copies)
        form.addRow("Data folder:", self.data_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

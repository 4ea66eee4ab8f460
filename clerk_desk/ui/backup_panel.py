"""Settings, "This PC": where the automatic backups go, and a backup made at once.

The folder belongs to this PC (a OneDrive or network folder is usual), not to the council's database,
so it is kept in this PC's configuration. A PostgreSQL council is backed up by its server.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from clerk_desk import council_time
from clerk_desk.continuity import backup, restore
from clerk_desk.errors import ClerkDeskError
from clerk_desk.storage import config
from clerk_desk.storage.db import sqlite_file
from clerk_desk.ui import plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import line_field
from clerk_desk.ui.table_page import button


def describe(state: backup.BackupStatus | None, zone: ZoneInfo) -> str:
    """The last good backup in words, for Home and Settings; its time on the council's clock."""
    if state is None:
        return "Backups: made by the database server (PostgreSQL)"
    if state.problem:
        return f"Backups: {state.problem}"
    if state.last is None:
        return f"Last good backup: none yet (folder {state.folder})"
    return f"Last good backup: {council_time.show_named(state.last.made_at, zone)} in {state.folder}"


class BackupPanel(QWidget):
    """The backups folder of this PC, Back up now, and Restore a backup."""

    #: The database was replaced by a backup: every page must read it again.
    restored = Signal()

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        heading = plain.label("This PC")
        heading.setObjectName("sectionHeading")
        self.folder = line_field("backup_folder", "Backups folder", str(config.default_backup_folder()))
        self.folder.widget.setToolTip(
            "Where this PC keeps a checked copy of the database each day when the window closes "
            "(7 daily, 5 weekly, 12 monthly). A OneDrive or network folder is the usual choice."
        )
        self.choose_button = button("Choose folder…", "Pick the folder for this PC's backups")
        self.choose_button.clicked.connect(self.choose_folder)
        self.save_button = button("Save folder")
        self.save_button.clicked.connect(self.save_folder)
        self.backup_button = button("Back up now", "Make a checked backup into the folder at once")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = button(
            "Restore a backup…", "Replace the database with a backup; the current one is set aside first"
        )
        self.restore_button.clicked.connect(self.choose_backup)
        self.state = plain.label()
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Backups")
        row = QHBoxLayout()
        row.addWidget(self.folder.widget, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.save_button)
        form = QFormLayout()
        label = plain.label(f"{self.folder.label}:")
        label.setBuddy(self.folder.widget)
        column = QVBoxLayout()
        column.addLayout(row)
        column.addWidget(self.folder.error)
        form.addRow(label, column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(heading)
        layout.addLayout(form)
        actions = QHBoxLayout()
        actions.addWidget(self.backup_button)
        actions.addWidget(self.restore_button)
        actions.addWidget(self.state, 1)
        layout.addLayout(actions)
        self.folder.widget.returnPressed.connect(self.save_folder)  # type: ignore[attr-defined]

    def reload(self, manage: bool = True) -> None:
        """Show this PC's folder; only the clerk or deputy may restore (it replaces every record)."""
        self.folder.set_value(str(config.backup_folder()))
        sqlite = sqlite_file(self.context.database.url) is not None
        for widget in (self.folder.widget, self.choose_button, self.save_button, self.backup_button):
            widget.setEnabled(sqlite)
        self.restore_button.setEnabled(sqlite and manage)
        self.state.setText(describe(backup.status_for(self.context.database.url), self.context.zone))

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Choose the backups folder", self.folder.value())
        if chosen:
            self.folder.set_value(chosen)
            self.save_folder()

    def save_folder(self) -> bool:
        text = self.folder.value().strip()
        folder = Path(text).expanduser() if text else None
        if folder is not None and not folder.is_absolute():
            self.folder.error.setText(
                "Backups folder: give a full path, e.g. C:\\Users\\clerk\\OneDrive\\Backups"
            )
            self.folder.error.setVisible(True)
            return False
        self.folder.error.setVisible(False)
        config.set_backup_folder(folder)
        self.reload()
        return True

    def back_up_now(self) -> bool:
        try:
            made = backup.make(
                self.context.database,
                config.backup_folder(),
                self.context.clock.now(),
                checkpoint_as=self.context.actor.name,
            )
        except ClerkDeskError as exc:
            self.state.setText(str(exc))
            return False
        self.state.setText(f"Backed up to {made.path} (checked).")
        return True

    def choose_backup(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the backup to restore", str(config.backup_folder()), "Clerk Desk backups (*.db)"
        )
        if not path:
            return
        answer = plain.question(
            self,
            "Restore this backup?",
            f"Replace the council's database with {path}? The database as it is now is copied aside first.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from(Path(path))

    def restore_from(self, file: Path) -> bool:
        """Restore ``file`` into the open database; a refused file leaves it as it was."""
        try:
            restored = restore.restore_open(self.context.database, file)
        except ClerkDeskError as exc:
            self.state.setText(str(exc))
            return False
        aside = f" The database as it was is kept at {restored.set_aside}." if restored.set_aside else ""
        self.context.settings_changed()  # the restored council may keep another time zone
        self.restored.emit()  # the pages read the restored records (and this panel its folder) again
        self.state.setText(restored.summary() + aside)
        return True

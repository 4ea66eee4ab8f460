"""Keys to the sealed passwords: set up this PC, give a new keyholder the passwords after comparing
fingerprints, recover with the recovery key, and make a new recovery key (issue 10)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGridLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.credentials import enrolment
from clerk_desk.credentials.enrolment import KeyRow
from clerk_desk.credentials.recovery import NewRecoveryKey
from clerk_desk.errors import ClerkDeskError
from clerk_desk.models import KeyState
from clerk_desk.register import settings
from clerk_desk.ui import a11y, keepass_actions, plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import button

KEY_COLUMNS: list[Column[KeyRow]] = [
    Column("Person", lambda r: r.person),
    Column("Fingerprint", lambda r: r.fingerprint),
    Column("State", lambda r: r.state.label),
    Column("On this PC", lambda r: "Yes" if r.on_this_pc else "No"),
]


class KeysDialog(QDialog):
    """Who holds a key to the passwords, and the actions on keys."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Keys to the passwords")
        self.model: RowTableModel[KeyRow] = RowTableModel(KEY_COLUMNS, zone=lambda: context.zone)
        self.table = a11y.Table()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Keys")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.recovery_label = plain.label()
        self.message = plain.label()
        self.message.setWordWrap(True)
        self.set_up_button = button("Set up this PC", "Make your key on this PC (its fingerprint is shown)")
        self.give_button = button(
            "Give the passwords", "Approve the selected key after comparing fingerprints"
        )
        self.recover_button = button(
            "Recover with the recovery key", "Type in the key from the emergency sheet"
        )
        self.replace_button = button("New recovery key", "Make a new recovery key; the old one stops working")
        self.export_button = button(
            "Save to a KeePass file",
            "Write every stored password to a new KeePass file, locked with a passphrase",
        )
        self.import_button = button(
            "Store from a KeePass file", "Store the passwords of a KeePass file the council already keeps"
        )
        close = button("Close")
        close.clicked.connect(self.accept)
        # Two rows, so the buttons keep their words at 200% (WCAG 1.4.4).
        actions = QGridLayout()
        for index, widget in enumerate(
            (
                self.set_up_button,
                self.give_button,
                self.recover_button,
                self.replace_button,
                self.export_button,
                self.import_button,
            )
        ):
            actions.addWidget(widget, index // 2, index % 2)
        actions.setColumnStretch(2, 1)
        actions.addWidget(close, 2, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.recovery_label)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        self.set_up_button.clicked.connect(self.set_up)
        self.give_button.clicked.connect(self.give_passwords)
        self.recover_button.clicked.connect(self.recover)
        self.replace_button.clicked.connect(self.replace_recovery)
        self.export_button.clicked.connect(
            lambda: self._report(keepass_actions.export_file(self.context, self))
        )
        self.import_button.clicked.connect(
            lambda: self._report(keepass_actions.import_file(self.context, self))
        )
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.setMinimumWidth(640)
        self.reload()

    def reload(self) -> None:
        rows, recovery = self.context.read(
            lambda s: (enrolment.list_keys(s), enrolment.recovery_fingerprint(s))
        )
        self.model.set_rows(rows)
        self.recovery_label.setText(
            f"Recovery key fingerprint: {recovery}" if recovery else "The council has no recovery key yet."
        )
        self._update_buttons()

    def selected(self) -> KeyRow | None:
        index = self.table.currentIndex()
        return self.model.rows()[index.row()] if index.isValid() else None

    def _update_buttons(self) -> None:
        row = self.selected()
        waiting = row is not None and row.state == KeyState.AWAITING
        self.give_button.setEnabled(waiting)
        text = f"Give {row.person} the passwords" if waiting and row is not None else "Give the passwords"
        self.give_button.setText(text)
        self.give_button.setAccessibleName(text)

    def _report(self, text: str | None) -> None:
        if text:
            self.message.setText(text)
            a11y.announce(self.message, text)

    def _attempt(self, action: Callable[[Any], Any]) -> Any:
        try:
            with self.context.write() as session:
                return action(session)
        except ClerkDeskError as exc:
            self.message.setText(str(exc))
            return None

    def set_up(self) -> None:
        result = self._attempt(enrolment.set_up)
        if result is None:
            return
        state = "approved" if result.approved else "waiting for another keyholder to approve it"
        self.message.setText(f"Your key on this PC: fingerprint {result.key.fingerprint}, {state}.")
        if result.recovery is not None:
            self.show_recovery_key(result.recovery)
        self.reload()

    def give_passwords(self) -> None:
        row = self.selected()
        if row is None or row.state != KeyState.AWAITING:
            return
        typed, ok = QInputDialog.getText(
            self,
            f"Give {row.person} the passwords",
            f"Type the fingerprint {row.person}'s PC shows (compare it with them, not from this screen):",
        )
        if not ok:
            return
        if self._attempt(lambda s: enrolment.approve(s, row.person, typed)) is not None:
            self.message.setText(f"{row.person} can now read the council's passwords.")
            self.reload()

    def recover(self) -> None:
        typed, ok = QInputDialog.getText(
            self, "Recover with the recovery key", "Recovery key:", QLineEdit.EchoMode.Password
        )
        if not ok:
            return
        result = self._attempt(lambda s: enrolment.recover(s, typed))
        if result is not None:
            self.message.setText(
                result.message
                + (
                    " Every account is now due for a password change; then make a new recovery key."
                    if result.ok
                    else ""
                )
            )
            self.reload()

    def replace_recovery(self) -> None:
        answer = plain.question(
            self,
            "New recovery key?",
            "Make a new recovery key? The one on the emergency sheet in the safe will stop working.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        made = self._attempt(enrolment.replace_recovery_key)
        if made is not None:
            self.show_recovery_key(made)
            self.reload()

    def show_recovery_key(self, made: NewRecoveryKey) -> None:
        a11y.exec_dialog(RecoveryKeyDialog(self.context, made, self))


class RecoveryKeyDialog(QDialog):
    """Shows a new recovery key once, with a button to save its emergency sheet."""

    def __init__(self, context: Context, made: NewRecoveryKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.made = context, made
        self.setWindowTitle("The council's recovery key")
        intro = plain.label(
            "This is shown only now. Save the emergency sheet, print it and keep it in the council's safe."
        )
        intro.setWordWrap(True)
        self.field = QLineEdit(made.text)
        self.field.setReadOnly(True)
        self.field.setAccessibleName("Recovery key")
        fingerprint = plain.label(f"Fingerprint: {made.fingerprint}")
        self.save_button = button("Save emergency sheet", "Write the emergency sheet as a PDF")
        self.save_button.clicked.connect(lambda: self.save_sheet())
        self.status = plain.label()
        done = button("Close")
        done.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (intro, self.field, fingerprint, self.save_button, self.status, done):
            layout.addWidget(widget)

    def save_sheet(self, path: Path | None = None) -> bool:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Save emergency sheet", "emergency-sheet.pdf", "PDF (*.pdf)"
            )
            if not chosen:
                return False
            path = Path(chosen)
        from clerk_desk.reports import emergency

        try:
            name = self.context.read(lambda s: settings.load(s).council_name)
            emergency.write(
                path,
                name,
                self.context.clock.today(),
                self.made.text,
                self.made.fingerprint,
                self.context.actor.name,
            )
        except ClerkDeskError as exc:
            self.status.setText(str(exc))
            return False
        self.status.setText(f"Saved the emergency sheet to {path}.")
        return True

    def done(self, result: int) -> None:
        self.field.clear()  # the key does not outlive the dialog
        super().done(result)

"""Dialogs for an account's password: set (with generator and strength), reveal, rotate, history."""

from __future__ import annotations

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.credentials import passwords, rotation
from clerk_desk.credentials import service as credentials
from clerk_desk.errors import ClerkDeskError
from clerk_desk.models import Account, PasswordRotation, RotationReason
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.password_editor import (
    EXPOSURE_MS,
    ClipboardGuard,
    PasswordEditor,
    labelled,
    reason_combo,
    store_with_reuse_check,
)
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import button


class SetPasswordDialog(QDialog):
    """Store a password for an account, as sealed copies.

    The clerk says which of two things this is (Thornbury 9.4): the password the account already has,
    which is not a change and leaves any change that is due still due; or a password just changed on the
    platform, which is an entry in the account's rotation history.
    """

    def __init__(self, context: Context, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.account = account
        self.setWindowTitle(f"Set password for {account.name}")
        self.editor = PasswordEditor((account.handle, account.platform, account.sign_in_email or ""))
        self.existing = QRadioButton("The password the account already has (not a change)")
        self.changed = QRadioButton("A new password, changed on the platform just now")
        self.kind = QButtonGroup(self)
        for choice in (self.existing, self.changed):
            choice.setAccessibleName(choice.text())
            self.kind.addButton(choice)
        kind_box = QWidget()
        kind_box.setAccessibleName("This password is")
        kind_layout = QVBoxLayout(kind_box)
        kind_layout.setContentsMargins(0, 0, 0, 0)
        kind_layout.addWidget(self.existing)
        kind_layout.addWidget(self.changed)
        self.kind_help = plain.label(
            "Recording the existing password does not restart the interval and does not settle a change "
            "that is due (after a compromise or a leaver): change it on the platform for that."
        )
        self.kind_help.setWordWrap(True)
        kind_layout.addWidget(self.kind_help)
        self.reason = reason_combo(None)
        self.reason.setEnabled(False)
        self.changed.toggled.connect(self.reason.setEnabled)
        form = QFormLayout()
        caption = plain.label("Password:")
        caption.setBuddy(self.editor.field)
        form.addRow(caption, self.editor)
        form.addRow(plain.label("This password is:"), kind_box)
        labelled(form, "Reason", self.reason)
        self.message = plain.label()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setAccessibleName("Save")
        save.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        intro = plain.label(
            "The password is kept only as sealed copies that the approved keys and the council's "
            "recovery key can open, never as plain text. Give every account its own password "
            "(Thornbury 9.3)."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def save(self) -> None:
        password = self.editor.text()
        if not password:
            a11y.show_message(self.message, "Password: type one or press Generate.", assertive=True)
            a11y.tie_error(self.editor.field, self.message.text())
            self.editor.field.setFocus()
            return
        if not (self.existing.isChecked() or self.changed.isChecked()):
            a11y.show_message(
                self.message,
                "This password is: choose whether it is the password the account already has or one "
                "changed on the platform.",
                assertive=True,
            )
            a11y.tie_error(self.existing, self.message.text())
            self.existing.setFocus()
            return
        changed = self.changed.isChecked()
        data = self.reason.currentData()
        reason = RotationReason(data) if changed and data else None

        def attempt(confirm_reuse: bool, confirm_weak: bool) -> None:
            with self.context.write() as session:
                credentials.set_password(
                    session,
                    self.account.id,
                    password,
                    reason,
                    changed_on_platform=changed,
                    confirm_reuse=confirm_reuse,
                    confirm_weak=confirm_weak,
                )

        try:
            if not store_with_reuse_check(self, attempt):
                return
        except ClerkDeskError as exc:
            a11y.show_message(self.message, str(exc), assertive=True)
            return
        self.accept()


class RevealDialog(QDialog):
    """Shows a password for 30 seconds, then hides it and closes."""

    def __init__(
        self, account: Account, password: str, parent: QWidget | None = None, interval_ms: int = EXPOSURE_MS
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Password for {account.name}")
        self.field = QLineEdit(password)
        self.field.setReadOnly(True)
        self.field.setAccessibleName("Password")
        self.countdown = plain.label(f"Hidden again in {interval_ms // 1000} seconds.")
        close = button("Close")
        close.clicked.connect(self.accept)
        close.setDefault(True)
        form = QFormLayout()
        labelled(form, "Password", self.field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.countdown)
        layout.addWidget(close)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide_password)
        self.timer.start(interval_ms)
        self.setMinimumWidth(460)

    def hide_password(self) -> None:
        self.field.clear()
        self.countdown.setText("Hidden.")
        self.accept()

    def done(self, result: int) -> None:
        self.field.clear()  # the secret does not outlive the dialog
        super().done(result)


class RotateDialog(QDialog):
    """Two-phase rotation: a new password waits beside the old until the platform has accepted it."""

    def __init__(
        self,
        context: Context,
        account: Account,
        parent: QWidget | None = None,
        default_reason: RotationReason = RotationReason.SCHEDULED,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.account = account
        self.clipboard = ClipboardGuard()
        self.setWindowTitle(f"Rotate the password of {account.name}")
        self.steps = plain.label(
            "1. Copy the new password below.\n"
            "2. Open the platform's security settings and change the password there.\n"
            "3. When the platform has accepted it, confirm here. Until then the current password is kept "
            "(Thornbury 9.4)."
        )
        self.steps.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setReadOnly(True)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_box = QCheckBox("Show")
        self.show_box.setAccessibleName("Show")
        self.show_box.toggled.connect(
            lambda on: self.field.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
            )
        )
        self.copy_button = button("Copy new password", "Copied for 30 seconds")
        self.copy_button.clicked.connect(lambda: self.clipboard.copy(self.field.text()))
        self.open_button = button("Open security settings", credentials.security_page(account) or "")
        self.open_button.setEnabled(bool(credentials.security_page(account)))
        self.open_button.clicked.connect(self.open_settings)
        self.reason = reason_combo(default_reason)
        self.message = plain.label()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.confirm_button = button("The platform accepted it")
        self.confirm_button.setDefault(True)
        self.cancel_button = button("Cancel rotation", "Discard the new password and keep the current one")
        self.later_button = button("Decide later", "Keep the new password waiting; Rotate again to finish")
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.cancel_rotation)
        self.later_button.clicked.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(self.show_box)
        row.addWidget(self.copy_button)
        form = QFormLayout()
        caption = plain.label("New password:")
        caption.setBuddy(self.field)
        self.field.setAccessibleName("New password")
        form.addRow(caption, row)
        labelled(form, "Reason", self.reason)
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.later_button)
        actions.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        self.setMinimumWidth(620)

    def start(self) -> bool:
        """Resume a waiting rotation, or generate and store a new password. False when it cannot start."""
        try:
            with self.context.write() as session:
                waiting = credentials.pending(session, self.account.id)
                if waiting is None:
                    waiting = passwords.generate()
                    credentials.begin_rotation(session, self.account.id, waiting)
                else:
                    self.message.setText(
                        "A new password generated earlier is still waiting for confirmation."
                    )
        except ClerkDeskError as exc:
            plain.warning(self.parentWidget(), "Cannot rotate the password", str(exc))
            return False
        self.field.setText(waiting)
        return True

    def open_settings(self) -> None:
        page = credentials.security_page(self.account)
        if page:
            QDesktopServices.openUrl(QUrl(page))

    def confirm(self) -> None:
        reason = RotationReason(self.reason.currentData())

        def attempt(confirm_reuse: bool, confirm_weak: bool) -> None:
            with self.context.write() as session:
                credentials.confirm_rotation(
                    session, self.account.id, reason, confirm_reuse=confirm_reuse, confirm_weak=confirm_weak
                )

        try:
            if not store_with_reuse_check(self, attempt):
                return
        except ClerkDeskError as exc:
            a11y.show_message(self.message, str(exc), assertive=True)
            return
        self.accept()

    def cancel_rotation(self) -> None:
        answer = plain.question(
            self,
            "Cancel the rotation?",
            "Discard the new password? Do this only if you have NOT changed the password on the platform; "
            "the current password stays as it is.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.context.write() as session:
                credentials.cancel_rotation(session, self.account.id)
        except ClerkDeskError as exc:
            a11y.show_message(self.message, str(exc), assertive=True)
            return
        self.reject()

    def done(self, result: int) -> None:
        self.clipboard.clear()
        self.field.clear()
        super().done(result)


HISTORY_COLUMNS: list[Column[PasswordRotation]] = [
    Column("Changed on", lambda r: r.rotated_on),
    Column("Recorded by", lambda r: r.recorded_by),
    Column("Reason", lambda r: RotationReason(r.reason).label),
    Column("Note", lambda r: r.note),
]


class HistoryDialog(QDialog):
    """An account's password changes, newest first."""

    def __init__(self, context: Context, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Password history of {account.name}")
        self.model: RowTableModel[PasswordRotation] = RowTableModel(
            HISTORY_COLUMNS, self, zone=lambda: context.zone
        )
        self.model.set_rows(context.read(lambda s: rotation.history(s, account.id)))
        table = a11y.Table()
        table.setModel(self.model)
        table.setAccessibleName("Password history")
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeColumnsToContents()
        close = button("Close")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(close)
        self.resize(640, 320)

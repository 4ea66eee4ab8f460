"""The one-time "Who is using Clerk Desk?" choice, when the OS user is nobody's login."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from clerk_desk.ui import plain


class ActorDialog(QDialog):
    """Pick yourself from the current people; remembered on this PC for this database."""

    def __init__(self, names: list[str], os_user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is using Clerk Desk?")
        intro = plain.label(
            f"Nobody in People has the login '{os_user}'. Choose who you are, so the audit trail records "
            "your changes under your name. Clerk Desk remembers the choice on this PC."
        )
        intro.setWordWrap(True)
        self.person = QComboBox()
        self.person.setAccessibleName("Person")
        self.person.addItems(names)
        label = plain.label("&Person:")
        label.setBuddy(self.person)
        form = QFormLayout()
        form.addRow(label, self.person)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("OK")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(f"Continue as {os_user}")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(f"Continue as {os_user}")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def chosen(self) -> str:
        return self.person.currentText()

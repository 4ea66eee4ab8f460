"""The password field with its generator and strength meter, the clipboard that forgets, and what Set
password and Rotate share: the reason list and the confirmation for a weak or reused password."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.credentials import passwords
from clerk_desk.credentials import service as credentials
from clerk_desk.errors import ClerkDeskError
from clerk_desk.models import RotationReason
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.table_page import button

#: How long a revealed or copied password stays visible or on the clipboard (design.md).
EXPOSURE_MS = 30_000


def labelled(form: QFormLayout, label: str, widget: QWidget) -> None:
    caption = plain.label(f"{label}:")
    caption.setBuddy(widget)
    widget.setAccessibleName(label)
    form.addRow(caption, widget)


def reason_combo(default: RotationReason | None) -> QComboBox:
    combo = QComboBox()
    if default is None:
        combo.addItem("First set, or changed outside Clerk Desk", "")
    for reason in RotationReason:
        combo.addItem(reason.label, reason.value)
    if default is not None:
        combo.setCurrentIndex(combo.findData(default.value))
    return combo


class ClipboardGuard:
    """Puts a password on the clipboard and takes it off again after 30 s, if it is still ours."""

    def __init__(self) -> None:
        self._text: str | None = None
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.clear)

    def copy(self, text: str, interval_ms: int = EXPOSURE_MS) -> None:
        QGuiApplication.clipboard().setText(text)
        self._text = text
        self.timer.start(interval_ms)

    def clear(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if self._text is not None and clipboard.text() == self._text:
            clipboard.clear()
        self._text = None


class PasswordEditor(QWidget):
    """A masked password field with Show, Generate (length and character classes) and a strength meter."""

    def __init__(self, context_words: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context_words = context_words
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Password")
        self.show_box = QCheckBox("Show")
        self.show_box.setAccessibleName("Show")
        self.show_box.toggled.connect(
            lambda on: self.field.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
            )
        )
        self.generate_button = button("Generate", "Make a random password with the settings below")
        self.length = QSpinBox()
        self.length.setRange(passwords.MIN_LENGTH, passwords.MAX_LENGTH)
        self.length.setValue(passwords.DEFAULT_LENGTH)
        self.length.setAccessibleName("Length")
        self.classes = {
            name: QCheckBox(text)
            for name, text in (("lower", "a–z"), ("upper", "A–Z"), ("digits", "0–9"), ("symbols", "Symbols"))
        }
        for box in self.classes.values():
            box.setChecked(True)
            box.setAccessibleName(box.text())
        self.strength = plain.label()
        self.strength.setWordWrap(True)
        self.error = plain.label()
        self.error.setObjectName("fieldError")

        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(self.show_box)
        row.addWidget(self.generate_button)
        recipe = QHBoxLayout()
        length_label = plain.label("Length:")
        length_label.setBuddy(self.length)
        recipe.addWidget(length_label)
        recipe.addWidget(self.length)
        for box in self.classes.values():
            recipe.addWidget(box)
        recipe.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addLayout(recipe)
        layout.addWidget(self.strength)
        layout.addWidget(self.error)
        self.generate_button.clicked.connect(self.generate)
        self._verdict = ""
        self.field.textChanged.connect(self._rate)
        self._rate("")

    def recipe(self) -> passwords.Recipe:
        return passwords.Recipe(self.length.value(), **{k: b.isChecked() for k, b in self.classes.items()})

    def generate(self) -> None:
        try:
            self.field.setText(passwords.generate(self.recipe()))
            self.error.clear()
        except ClerkDeskError as exc:
            a11y.show_message(self.error, str(exc), assertive=True)

    def text(self) -> str:
        return self.field.text()

    def _rate(self, text: str) -> None:
        verdict = passwords.strength(text, self.context_words)
        said = f"Strength: {verdict.label}. {verdict.advice}".strip()
        self.strength.setText(said)
        # The verdict is the label's name and the field's description, so it is read with the field;
        # a change of verdict is announced (not every keystroke: only when the verdict changes).
        self.strength.setAccessibleName(said)
        self.field.setAccessibleDescription(said)
        if text and verdict.label != self._verdict:
            a11y.announce(self.strength, said)
        self._verdict = verdict.label if text else ""


def store_with_reuse_check(parent: QWidget, attempt) -> bool:  # type: ignore[no-untyped-def]
    """Run ``attempt(confirm_reuse, confirm_weak)``; if the password is easy to guess or used elsewhere,
    ask before saving it anyway. False when the clerk decides not to."""
    reuse = weak = False
    while True:
        try:
            attempt(reuse, weak)
            return True
        except credentials.PasswordWeak as exc:
            title, weak = "Weak password", True
            message = str(exc)
        except credentials.PasswordReused as exc:
            title, reuse = "Password already in use", True
            message = str(exc)
        answer = plain.question(parent, title, f"{message}\n\nSave it anyway?")
        if answer != QMessageBox.StandardButton.Yes:
            return False

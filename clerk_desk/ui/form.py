"""Add/edit dialogs: labelled fields, each error shown beside its field, Enter saves, Esc cancels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.context import Context

T = TypeVar("T")

DATE_HINT = "YYYY-MM-DD"


class Field:
    """A labelled input; ``value()`` is its text as the services parse it."""

    def __init__(
        self, name: str, label: str, widget: QWidget, read: Callable[[], str], write: Callable[[str], None]
    ) -> None:
        self.name = name
        self.label = label
        self.widget = widget
        self._read = read
        self._write = write
        self.error = plain.label()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        widget.setAccessibleName(label)
        if isinstance(widget, QComboBox) and (edit := widget.lineEdit()) is not None:
            # The text field inside an editable combo is what gets the focus: it needs the name too.
            edit.setAccessibleName(label)

    def value(self) -> str:
        return self._read()

    def show_error(self, message: str) -> None:
        """Show the error beside the field and tie it to the field, so a screen reader reads it there."""
        self.error.setText(message)
        self.error.setVisible(True)
        a11y.tie_error(self.widget, message)

    def clear_error(self) -> None:
        self.error.clear()
        self.error.setVisible(False)
        a11y.tie_error(self.widget, "")

    def set_value(self, text: str) -> None:
        self._write(text)


def line_field(name: str, label: str, placeholder: str = "") -> Field:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    return Field(name, label, edit, edit.text, edit.setText)


def passphrase_field(name: str, label: str) -> Field:
    """A field whose text is never shown (a KeePass passphrase)."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return Field(name, label, edit, edit.text, edit.setText)


def date_field(name: str, label: str) -> Field:
    return line_field(name, label, DATE_HINT)


def text_field(name: str, label: str) -> Field:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(64)
    return Field(name, label, edit, edit.toPlainText, edit.setPlainText)


def choice_field(name: str, label: str, choices: Sequence[tuple[str, str]], editable: bool = False) -> Field:
    """A drop-down of (value, shown text) pairs; an editable one also accepts typed text."""
    combo = QComboBox()
    combo.setEditable(editable)
    for value, shown in choices:
        combo.addItem(shown, value)

    def read() -> str:
        index = combo.currentIndex()
        if editable:
            typed = combo.currentText().strip()
            return combo.itemData(index) if index >= 0 and combo.itemText(index) == typed else typed
        return combo.itemData(index) if index >= 0 else ""

    def write(text: str) -> None:
        index = combo.findData(text)
        if index >= 0:
            combo.setCurrentIndex(index)
        elif editable:
            combo.setEditText(text)

    return Field(name, label, combo, read, write)


def multi_field(name: str, label: str, choices: Sequence[str]) -> Field:
    """A list of ticks (Space toggles); its value is the ticked items separated by ``;``."""
    widget = QListWidget()
    widget.setFixedHeight(min(24 * max(len(choices), 3), 180))
    for text in choices:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)

    def read() -> str:
        items = (widget.item(row) for row in range(widget.count()))
        return ";".join(item.text() for item in items if item.checkState() == Qt.CheckState.Checked)

    def write(text: str) -> None:
        wanted = {part.strip().casefold() for part in text.split(";") if part.strip()}
        for row in range(widget.count()):
            item = widget.item(row)
            checked = item.text().casefold() in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    return Field(name, label, widget, read, write)


def check_field(name: str, label: str) -> Field:
    box = QCheckBox(label)
    return Field(
        name,
        label,
        box,
        lambda: "yes" if box.isChecked() else "no",
        lambda text: box.setChecked(text.strip().lower() in ("yes", "true", "1")),
    )


class FormDialog(QDialog):
    """A dialog of fields that calls ``submit`` on Save and stays open, showing the error, if it fails."""

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        parent: QWidget | None = None,
        intro: str | None = None,
        save_text: str = "Save",
        submit: Callable[[dict[str, str]], Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.fields = {f.name: f for f in fields}
        self.result_value: Any = None
        self.submit = submit
        self._fitted = False

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in fields:
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(f.widget)
            column.addWidget(f.error)
            if isinstance(f.widget, QCheckBox):
                form.addRow("", column)
            else:
                label = plain.label(f"{f.label}:")
                label.setBuddy(f.widget)
                form.addRow(label, column)
        self.general_error = plain.label()
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.setVisible(False)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(save_text)
        save.setAccessibleName(save_text)
        save.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)

        # The fields scroll; Save and Cancel stay below them, always in view (1.4.10 at 200%).
        self.body = QWidget()
        body_layout = QVBoxLayout(self.body)
        if intro:
            intro_label = plain.label(intro)
            intro_label.setWordWrap(True)
            body_layout.addWidget(intro_label)
        body_layout.addLayout(form)
        body_layout.addStretch(1)
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.form_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_area.setWidget(self.body)
        self.form_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form_area, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(min(520, self.screen().availableGeometry().width() - 48))

    def showEvent(self, event: QShowEvent) -> None:
        if not self._fitted:
            self._fitted = True
            chrome = self.sizeHint().height() - self.form_area.sizeHint().height()
            body = self.body.sizeHint()
            a11y.fit_to_screen(self, QSize(max(body.width() + 24, self.width()), body.height() + chrome + 8))
        super().showEvent(event)

    def values(self) -> dict[str, str]:
        return {name: f.value() for name, f in self.fields.items()}

    def set_values(self, values: dict[str, str]) -> None:
        for name, text in values.items():
            if name in self.fields:
                self.fields[name].set_value(text)

    def clear_errors(self) -> None:
        for f in self.fields.values():
            f.clear_error()
        self.general_error.setVisible(False)

    def show_error(self, field: str | None, message: str) -> None:
        """Show a message beside its field (or at the foot of the form), move the focus there, say it."""
        target = self.fields.get(field) if field else None
        if target is None:
            self.general_error.setText(message)
            self.general_error.setVisible(True)
            a11y.announce(self.general_error, message, assertive=True)
            return
        target.show_error(message)
        self.form_area.ensureWidgetVisible(target.widget)
        target.widget.setFocus(Qt.FocusReason.OtherFocusReason)
        a11y.announce(target.widget, message, assertive=True)

    def try_save(self) -> None:
        """Submit the values; on an error keep the dialog open with the message beside the field."""
        self.clear_errors()
        assert self.submit is not None
        try:
            self.result_value = self.submit(self.values())
        except ValidationError as exc:
            label = self.fields[exc.field].label if exc.field in self.fields else exc.field
            self.show_error(exc.field, f"{label}: {exc.message}")
            return
        except ClerkDeskError as exc:
            self.show_error(None, str(exc))
            return
        self.accept()


def record_dialog(
    context: Context,
    title: str,
    fields: Sequence[Field],
    write: Callable[[Session, dict[str, str]], T],
    parent: QWidget | None = None,
    *,
    values: dict[str, str] | None = None,
    intro: str | None = None,
    save_text: str = "Save",
) -> FormDialog:
    """An add/edit dialog whose Save runs ``write(session, values)`` as one service operation."""

    def submit(entered: dict[str, str]) -> T:
        with context.write() as session:
            return write(session, entered)

    dialog = FormDialog(title, fields, parent, intro=intro, save_text=save_text, submit=submit)
    if values:
        dialog.set_values(values)
    return dialog


def show_error(parent: QWidget | None, title: str, error: Exception) -> None:
    """A known error in a message box."""
    plain.warning(parent, title, str(error))

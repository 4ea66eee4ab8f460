"""Text from the register shown as plain text, never as markup.

Qt guesses whether a label's, a message box's or a tooltip's text is HTML; a name such as
``<img src="/etc/passwd">`` or ``<a href="…">`` would then load a file or become a live link. Every
label and message box in the window is made here with its text format set to plain text, and every
tooltip passes through ``tooltip`` (design.md: data is shown as plain text, never markup).
"""

from __future__ import annotations

import html
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

Button = QMessageBox.StandardButton


def label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows its text exactly as written."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    return widget


def tooltip(text: str | None) -> str:
    """A tooltip that reads as the plain text given, whatever characters it holds."""
    if not text:
        return ""
    if "<" not in text and "&" not in text:
        return text  # Qt shows such a tooltip as plain text already
    escaped = html.escape(text, quote=False).replace("\n", "<br>")
    return f"<qt>{escaped}</qt>"


def notification(text: str) -> str:
    """A tray notification's body that reads as the plain text given.

    On Linux the desktop's notification server reads the body as simple markup (``<b>``, ``<a href>``,
    ``<img src>``), so it is escaped there; Windows and macOS show the body as plain text already, and
    escaping would show the entities.
    """
    return html.escape(text, quote=False) if sys.platform.startswith("linux") else text


def box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    informative: str = "",
) -> QMessageBox:
    """A message box (not yet shown) whose text and informative text are plain text."""
    made = QMessageBox(parent)
    made.setIcon(icon)
    made.setWindowTitle(title)
    made.setTextFormat(Qt.TextFormat.PlainText)
    made.setText(text)
    if informative:
        made.setInformativeText(informative)
        # Qt guesses the informative text's format on its own label: make that plain text too.
        for shown in made.findChildren(QLabel):
            if shown.text() == informative:
                shown.setTextFormat(Qt.TextFormat.PlainText)
    return made


def message(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: Button = Button.Ok,
    default: Button = Button.NoButton,
) -> Button:
    """A modal message box whose text is plain text; returns the button pressed."""
    made = box(parent, icon, title, text)
    made.setStandardButtons(buttons)
    if default != Button.NoButton:
        made.setDefaultButton(default)
    return Button(made.exec())


def question(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: Button = Button.Yes | Button.No,
    default: Button = Button.NoButton,
) -> Button:
    return message(parent, QMessageBox.Icon.Question, title, text, buttons, default)


def information(parent: QWidget | None, title: str, text: str) -> Button:
    return message(parent, QMessageBox.Icon.Information, title, text)


def warning(parent: QWidget | None, title: str, text: str) -> Button:
    return message(parent, QMessageBox.Icon.Warning, title, text)


def critical(parent: QWidget | None, title: str, text: str) -> Button:
    return message(parent, QMessageBox.Icon.Critical, title, text)

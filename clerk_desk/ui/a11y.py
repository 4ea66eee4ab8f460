"""Accessibility in one place (WCAG 2.2 AA): tables Tab leaves, headings a screen reader knows as
headings, announced messages, focus back to the opener, tab order as laid out, windows that fit."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QObject, QRect, QSize, Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAccessibleWidget,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLayout,
    QScrollArea,
    QTableView,
    QTabWidget,
    QWidget,
)

from clerk_desk.ui import plain

#: Everything announced goes to these too (tests listen here; the screen reader hears the event).
LISTENERS: list[Callable[[QWidget, str], None]] = []

HEADING = "heading"  # a QLabel property: the label is a heading (level 1 page, level 2 section)


class Table(QTableView):
    """A data table: arrows move within it, Tab and Shift+Tab move on to the next control (2.1.2)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabKeyNavigation(False)


class _HeadingInterface(QAccessibleWidget):
    """A label exposed with the heading role; its name is the text it shows."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label, QAccessible.Role.Heading)
        self._label = label

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self._label.accessibleName() or self._label.text()
        return super().text(kind)


def _heading_factory(key: str, obj: QObject) -> QAccessibleWidget | None:
    if isinstance(obj, QLabel) and obj.property(HEADING):
        return _HeadingInterface(obj)
    return None


_factory_installed = False


def install() -> None:
    """Register the heading role with Qt's accessibility (once per process)."""
    global _factory_installed
    if not _factory_installed:
        QAccessible.installFactory(_heading_factory)
        _factory_installed = True


def heading(text: str, level: int = 1) -> QLabel:
    """A page (level 1) or section (level 2) heading."""
    install()
    label = plain.label(text)  # a heading can name a record: never markup
    label.setObjectName("pageHeading" if level == 1 else "sectionHeading")
    label.setProperty(HEADING, level)
    # With a screen reader running, Qt made the label's interface as the label was created, before it
    # was marked a heading: drop that one, so the next look goes through the factory.
    made = QAccessible.queryAccessibleInterface(label)
    if made is not None and made.role() != QAccessible.Role.Heading:
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(made))
    return label


def announce(widget: QWidget, text: str, assertive: bool = False) -> None:
    """Have a screen reader speak ``text`` (4.1.3) without moving the focus."""
    if not text:
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    if assertive:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)
    for listener in LISTENERS:
        listener(widget, text)


def show_message(label: QLabel, text: str, assertive: bool = False) -> None:
    """Show a message in a label and announce it."""
    label.setText(text)
    announce(label, text, assertive)


def tie_error(widget: QWidget, message: str) -> None:
    """Make a field's error its accessible description, so it is read with the field (3.3.1)."""
    widget.setAccessibleDescription(message)
    if isinstance(widget, QComboBox) and (edit := widget.lineEdit()) is not None:
        edit.setAccessibleDescription(message)


def exec_dialog(dialog: QDialog) -> int:
    """Run a modal dialog, then give the focus back to the control that opened it (2.4.3).

    When that control is gone or disabled (e.g. Revoke after revoking), the focus goes to the nearest
    table, so it is never lost.
    """
    opener = QApplication.focusWidget()
    result = dialog.exec()
    restore_focus(opener, dialog.parentWidget())
    return result


def restore_focus(opener: QWidget | None, fallback_root: QWidget | None) -> None:
    if opener is not None and _alive(opener) and opener.isEnabled() and opener.isVisible():
        opener.setFocus(Qt.FocusReason.PopupFocusReason)
        return
    root = fallback_root if fallback_root is not None and _alive(fallback_root) else None
    while root is not None:
        tables = [t for t in root.findChildren(QTableView) if t.isVisible()]
        if tables:
            tables[0].setFocus(Qt.FocusReason.PopupFocusReason)
            return
        root = root.parentWidget()


def _alive(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:  # deleted on the C++ side
        return False
    return True


def fit_to_screen(window: QWidget, wanted: QSize, margin: int = 48) -> None:
    """Size a window to ``wanted`` but never beyond the available screen, and place it on it (1.4.10)."""
    screen = window.screen() or QApplication.primaryScreen()
    available: QRect = screen.availableGeometry()
    limit = QSize(max(available.width() - margin, 200), max(available.height() - margin, 200))
    size = wanted.boundedTo(limit).expandedTo(window.minimumSize().boundedTo(limit))
    window.resize(size)
    x = available.x() + max((available.width() - size.width()) // 2, 0)
    y = available.y() + max((available.height() - size.height()) // 2, 0)
    window.move(x, y)


def _focusable(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def _walk(layout: QLayout, out: list[QWidget]) -> None:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is None:
            continue
        if (widget := item.widget()) is not None:
            _collect(widget, out)
        elif (inner := item.layout()) is not None:
            _walk(inner, out)


def _collect(widget: QWidget | None, out: list[QWidget]) -> None:
    if widget is None:
        return
    if isinstance(widget, QScrollArea) and widget.widget() is not None:
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scroll area is a frame, not a control
        _collect(widget.widget(), out)
    elif isinstance(widget, QTabWidget):
        out.append(widget)
        for index in range(widget.count()):
            _collect(widget.widget(index), out)
    elif isinstance(widget, (QAbstractButton, QAbstractScrollArea, QComboBox)) or _focusable(widget):
        if _focusable(widget):
            out.append(widget)
    elif (layout := widget.layout()) is not None:
        _walk(layout, out)


def tab_in_layout_order(root: QWidget) -> list[QWidget]:
    """Make Tab follow the layout (top to bottom, left to right), whatever order widgets were made in."""
    chain: list[QWidget] = []
    if (layout := root.layout()) is not None:
        _walk(layout, chain)
    for first, second in pairwise(chain):
        QWidget.setTabOrder(first, second)
    return chain


def interactive(widget: Any) -> bool:
    """Whether a widget takes the keyboard focus by Tab."""
    return isinstance(widget, QWidget) and _focusable(widget)

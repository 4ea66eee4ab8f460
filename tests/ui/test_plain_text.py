"""Text from the register is shown as plain text everywhere: never an image, a link or bold type.

The walk opens every page, selects every row in turn and presses every button, capturing each dialog
and message box it opens; wherever a name, handle, title or description appears, it must read as the
characters typed, not as markup (design.md: data is shown as plain text, never markup).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import factories
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import IncidentCategory, Role
from clerk_desk.register import people
from clerk_desk.storage.db import open_database
from clerk_desk.ui import plain
from clerk_desk.ui.main_window import MainWindow

IMAGE = '<img src="{path}">'
LINK = '<a href="https://evil.example/">Click</a>'
BOLD = "<b>Bold</b>"


@pytest.fixture
def marked_window(qtbot, demo_url, clock, monkeypatch, tmp_path: Path) -> Iterator[tuple[MainWindow, str]]:  # type: ignore[no-untyped-def]
    """The demo council with names, handles, titles and descriptions that Qt would take for HTML,
    including the acting clerk's own name; the window is opened on it as the clerk."""
    import clerk_desk.app as app_module
    from clerk_desk.storage import db as storage_db

    picture = tmp_path / "secret.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    image = IMAGE.format(path=picture)
    database = open_database(demo_url, clock)
    with database.transaction("Zoë Hartley") as session:  # changing People needs the clerk (Thornbury 9.1)
        clerk = people.by_login(session, "clerk-login")
        assert clerk is not None
        data = replace(people.parse(people.as_row(clerk)), name=f"Zoë {BOLD} Hartley")
        people.save(session, data, person_id=clerk.id)
        factories.person(session, f"Ann {image}", Role.EMPLOYEE, job_title=LINK)
        factories.approved_account(
            session,
            clock.today(),
            approver=f"Zoë {BOLD} Hartley",
            platform="Facebook",
            handle=LINK,
            purpose=image,
            business_case=f"{BOLD} and {image}",
        )
        incidents.log(session, f"Title {LINK}", IncidentCategory.OTHER, f"Description {image}\n{BOLD}")
    database.dispose()
    monkeypatch.setattr(storage_db, "open_database", lambda url: open_database(url, clock))
    window = app_module.create_main_window(demo_url, actor="clerk-login")
    qtbot.addWidget(window)
    window.show()
    yield window, image
    window.context.database.dispose()


def _markers(image: str) -> tuple[str, ...]:
    return (image, LINK, BOLD, "<img", "<a href", "<b>")


def _check_widget_tree(root: QWidget, markers: tuple[str, ...], where: str) -> list[str]:
    """Every label showing data is plain text; no tooltip or item tooltip carries raw markup."""
    problems = []
    for widget in [root, *root.findChildren(QWidget)]:
        shows_data = isinstance(widget, QLabel) and any(m in widget.text() for m in markers)
        if shows_data and widget.textFormat() != Qt.TextFormat.PlainText:  # type: ignore[union-attr]
            problems.append(f"{where}: label {widget.text()!r} is not plain text")
        if any(m in widget.toolTip() for m in markers):
            problems.append(f"{where}: tooltip {widget.toolTip()!r} holds markup")
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            delegate = widget.itemDelegate()
            # Qt's own delegates draw a cell's text as plain text; a delegate of our own might not.
            if delegate is not None and not type(delegate).__module__.startswith("PySide6"):
                problems.append(f"{where}: {type(delegate).__name__} may draw cells as rich text")
            model = widget.model()
            columns = model.columnCount(QModelIndex()) if isinstance(widget, QTableView) else 1
            for row in range(model.rowCount(QModelIndex())):
                for column in range(columns):
                    tip = model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole)
                    if isinstance(tip, str) and any(m in tip for m in markers):
                        problems.append(f"{where}: cell tooltip {tip!r} holds markup")
    return problems


def test_every_page_and_dialog_shows_data_as_plain_text(
    marked_window: tuple[MainWindow, str],
    memory_keyring,  # type: ignore[no-untyped-def]
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    window, image = marked_window
    markers = _markers(image)
    problems: list[str] = []
    seen_dialogs: list[str] = []
    boxes: list[str] = []

    def capture_dialog(self: QDialog) -> int:
        seen_dialogs.append(type(self).__name__)
        problems.extend(_check_widget_tree(self, markers, f"dialog {type(self).__name__}"))
        return int(QDialog.DialogCode.Rejected)

    def capture_box(self: QMessageBox) -> int:
        boxes.append(self.text())
        if any(m in self.text() for m in markers) and self.textFormat() != Qt.TextFormat.PlainText:
            problems.append(f"message box {self.text()!r} is not plain text")
        return int(QMessageBox.StandardButton.No)

    def static_box(parent: object, title: str, text: str, *rest: object) -> QMessageBox.StandardButton:
        # QMessageBox's own static functions guess the format: data in them could render as markup.
        if any(m in text for m in markers):
            problems.append(f"message box {text!r} guesses its text format")
        boxes.append(text)
        return QMessageBox.StandardButton.No

    for name in ("question", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, static_box)
    monkeypatch.setattr(QDialog, "exec", capture_dialog)
    monkeypatch.setattr(QMessageBox, "exec", capture_box)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda *a, **k: True)
    window.check_vault()
    assert any(m in window.actor_label.text() for m in markers)
    problems.extend(_check_widget_tree(window, markers, "status bar"))

    for title in window.page_titles():
        page = window.go_to_title(title)
        problems.extend(_check_widget_tree(page, markers, title))
        table = getattr(page, "table", None)
        rows = table.model().rowCount() if table is not None else 0
        marked_rows = [
            row
            for row in range(rows)
            if any(
                any(m in str(table.model().index(row, c).data()) for m in markers)
                for c in range(table.model().columnCount())
            )
        ]
        for row in marked_rows or [None]:
            if row is not None:
                table.selectRow(row)
            problems.extend(_check_widget_tree(page, markers, f"{title}, row {row}"))
            for push in page.findChildren(QPushButton):
                if push.isVisible() and push.isEnabled() and push.window() is window:
                    push.click()
                    window.go_to_title(title)
                    if table is not None and row is not None:
                        table.selectRow(row)
            problems.extend(_check_widget_tree(page, markers, f"{title}, row {row}, after its buttons"))
    assert problems == []
    # The walk did reach the dialogs and confirmations that show the marked records.
    assert {"FormDialog", "SetPasswordDialog", "RotateDialog", "HistoryDialog"} <= set(seen_dialogs)
    assert any(LINK in text for text in boxes)


@pytest.mark.parametrize("text", ['<img src="/etc/passwd">', "a < b & c", "<b>x</b>\nline two"])
def test_a_tooltip_reads_as_the_text_given(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(plain.tooltip(text))
    assert document.toPlainText() == text.replace("\n", "\u2028").replace("\u2028", "\n")
    assert "<img" not in plain.tooltip(text) and "<b>" not in plain.tooltip(text)


def test_a_label_and_a_message_box_are_plain_text(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    label = plain.label(LINK)
    qtbot.addWidget(label)
    assert (label.textFormat(), label.text()) == (Qt.TextFormat.PlainText, LINK)
    shown: list[tuple[Qt.TextFormat, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "exec",
        lambda box: shown.append((box.textFormat(), box.text())) or int(QMessageBox.StandardButton.Yes),
    )
    assert plain.question(None, "Sure?", LINK) == QMessageBox.StandardButton.Yes
    assert shown == [(Qt.TextFormat.PlainText, LINK)]


def test_labels_and_message_boxes_are_made_only_by_the_plain_text_helper() -> None:
    """A label or message box made directly would guess its text format again."""
    import re

    import clerk_desk

    root = Path(clerk_desk.__file__).parent
    direct = re.compile(
        r"\bQLabel\(|QMessageBox\.(question|information|warning|critical|about)\(|setTextFormat\("
    )
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        if path.name != "plain.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if direct.search(line)
    ]
    assert offenders == []


def test_the_tray_notification_reads_as_plain_text(window, database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A due item named with markup is escaped in the tray's body, which Linux desktops read as markup."""
    from clerk_desk import app
    from clerk_desk.checks import reminders
    from clerk_desk.ui import a11y

    shown: list[str] = []

    class Tray:
        def showMessage(self, title: str, body: str, *_: object) -> None:
            shown.append(body)

    monkeypatch.setattr(reminders, "summary", lambda items, today: f"Change the password of {LINK}")
    monkeypatch.setattr(a11y, "announce", lambda *args: None)
    monkeypatch.setattr(plain.sys, "platform", "linux")
    notifier = app.Notifier(window)
    notifier.tray = Tray()  # type: ignore[assignment]
    notifier.notify_if_new_day()
    assert len(shown) == 1 and "<a" not in shown[0] and "&lt;a href" in shown[0]
    assert plain.notification("a < b") == "a &lt; b"
    monkeypatch.setattr(plain.sys, "platform", "win32")
    assert plain.notification("a < b") == "a < b"

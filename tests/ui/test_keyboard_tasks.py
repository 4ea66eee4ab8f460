"""Tasks done with the keyboard alone, through the real dialogs: the keys a clerk presses, in order.

Each key goes to whatever has the focus, as it would for a person; nothing is clicked or set directly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel, QWidget

from clerk_desk.models import IncidentStatus
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.main_window import MainWindow

CTRL, ALT, SHIFT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ShiftModifier,
)


STUCK: list[str] = []


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def type_text(text: str) -> None:
    QTest.keyClicks(focused(), text)


def tab_to(text: str, limit: int = 30) -> None:
    """Press Tab until a button with this text has the focus."""
    for _ in range(limit):
        widget = focused()
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "") == text:
            return
        press(Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {text!r}")


def in_next_dialog(qtbot, keys: Callable[[], None]) -> list[bool]:  # type: ignore[no-untyped-def]
    """Press ``keys`` in the next modal dialog once it is up; returns a flag set when they were pressed."""
    done: list[bool] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, poll)
            return
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        keys()
        done.append(True)
        QTimer.singleShot(50, lambda: still_open(dialog))

    def still_open(dialog: QWidget) -> None:
        """A dialog the keys did not close would wait for ever: say why, and close it."""
        if dialog.isVisible() and dialog is QApplication.activeModalWidget():
            errors = [
                label.text() for label in dialog.findChildren(QLabel) if label.objectName() == "fieldError"
            ]
            STUCK.append(f"{dialog.windowTitle()}: {[e for e in errors if e]}")
            dialog.reject()

    QTimer.singleShot(0, poll)
    return done


def activate(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The window is active again (after a dialog closes the window manager does this; offscreen, not)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def closed(window: MainWindow, qtbot, pressed: list[bool]) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: bool(pressed) and QApplication.activeModalWidget() is None)
    assert STUCK == []
    activate(window, qtbot)


def test_grant_and_revoke_access_with_the_keyboard(window: MainWindow, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    activate(window, qtbot)
    window.navigation.setFocus()
    press(Qt.Key.Key_4, CTRL)  # Delegated access
    page = window.access
    assert window.current_page() is page

    def grant() -> None:
        press(Qt.Key.Key_A, CTRL)  # the Person field (an editable combo) has the focus
        type_text("Priya Shah")
        press(Qt.Key.Key_Tab)  # Account: the first one offered
        press(Qt.Key.Key_Tab)  # Level: Post (the default)
        press(Qt.Key.Key_Tab)  # Business case
        type_text("Posts the library opening times")
        press(Qt.Key.Key_Tab)  # Approved by: the clerk (the default)
        press(Qt.Key.Key_Tab)  # Granted on: today
        press(Qt.Key.Key_Return)  # Enter saves

    pressed = in_next_dialog(qtbot, grant)
    press(Qt.Key.Key_G, ALT)  # Grant access
    closed(window, qtbot, pressed)
    granted = page.current()
    assert granted is not None and granted.person.name == "Priya Shah"
    assert granted.business_case == "Posts the library opening times"
    assert focused() is window.navigation  # back where the focus was when the dialog opened
    while focused() is not page.table:  # Tab on to the table, where the new grant is selected
        press(Qt.Key.Key_Tab)

    # The reminder to change the password that follows (Thornbury 9.4) is a message box: Enter closes it.
    told: list[str] = []
    monkeypatch.setattr(plain, "information", lambda parent, title, text, *a: told.append(text))

    def revoke() -> None:
        press(Qt.Key.Key_Tab)  # from Revoked on (today) to Reason
        type_text("No longer posts for the library")
        tab_to("Revoke")
        press(Qt.Key.Key_Return)

    pressed = in_next_dialog(qtbot, revoke)
    press(Qt.Key.Key_R, ALT)  # Revoke the selected grant
    closed(window, qtbot, pressed)
    assert told and "Change the password" in told[0]
    page.reload()
    revoked = next(g for g in page.model.rows() if g.id == granted.id)
    assert revoked.revoked_on is not None and revoked.revoke_reason == "No longer posts for the library"
    assert focused() is page.table


def test_log_an_incident_and_take_it_to_closed_with_the_keyboard(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    screenshot = tmp_path / "fake-page.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n not really a picture, but evidence all the same")
    # The file chooser is Qt's own and is driven by the keyboard too; here it answers with the file.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(screenshot), ""))
    activate(window, qtbot)
    window.navigation.setFocus()

    def log() -> None:
        type_text("Fake council page on Facebook")
        press(Qt.Key.Key_Tab)  # Category
        type_text("Imp")  # Impersonation (fraudulent account)
        press(Qt.Key.Key_Tab)  # Description
        type_text("A page copying our name and crest.")
        press(Qt.Key.Key_Tab)  # Severity
        press(Qt.Key.Key_Return)  # Log incident

    pressed = in_next_dialog(qtbot, log)
    press(Qt.Key.Key_N, CTRL)  # from anywhere
    closed(window, qtbot, pressed)
    page = window.incidents
    incident = page.current()
    assert incident.title == "Fake council page on Facebook"
    assert focused() is page.table

    # Follow-ups: Tab to the tabs, Tab into the steps, arrow to a step, Alt+M marks it done.
    press(Qt.Key.Key_Tab)
    assert focused() is page.detail.tabBar()
    press(Qt.Key.Key_Tab)
    assert focused() is page.steps_view
    for row in range(page.steps_model.rowCount()):
        assert focused() is page.steps_view  # Alt+M leaves the focus on the steps
        press(Qt.Key.Key_Home, CTRL)  # the first step
        for _ in range(row):
            press(Qt.Key.Key_Down)
        press(Qt.Key.Key_M, ALT)
        qtbot.waitUntil(lambda r=row: page.steps_model.row_at(r)[1] in _done_steps(page))
    assert _done_steps(page) == {key for _, key in page.steps_model.rows()}

    # Timeline: Shift+Tab to the tabs, Right to Timeline, Tab Tab to the new action, Enter adds it.
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() is page.detail.tabBar()
    press(Qt.Key.Key_Right)
    press(Qt.Key.Key_Tab)
    assert focused() is page.actions_view
    press(Qt.Key.Key_Tab)
    assert focused() is page.action_text
    type_text("Reported the page to Facebook")
    press(Qt.Key.Key_Return)
    assert [a.text for a in page.current().actions][-1] == "Reported the page to Facebook"
    assert page.summary.text().endswith("added to the timeline.")

    # Evidence: Shift+Tab Shift+Tab to the tabs, Right to Evidence, Alt+F attaches a file.
    press(Qt.Key.Key_Tab, SHIFT)
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() is page.detail.tabBar()
    press(Qt.Key.Key_Right)
    press(Qt.Key.Key_F, ALT)
    qtbot.waitUntil(lambda: len(page.current().evidence) == 1)

    # Close: Alt+C, the outcome, Tab to Lessons, Tab to the Closed button, Enter.
    def close() -> None:
        type_text("The page was taken down.")
        press(Qt.Key.Key_Tab)
        type_text("Watch for copies of the crest.")
        tab_to(IncidentStatus.CLOSED.label)
        press(Qt.Key.Key_Return)

    pressed = in_next_dialog(qtbot, close)
    press(Qt.Key.Key_C, ALT)
    closed(window, qtbot, pressed)
    final = page.current()
    assert final.status == IncidentStatus.CLOSED.value and final.outcome == "The page was taken down."


def _done_steps(page) -> set[str]:  # type: ignore[no-untyped-def]
    from clerk_desk.incidents import lifecycle

    incident = page.current()
    outstanding = lifecycle.outstanding_steps(incident)
    return {key for key in lifecycle.required_steps(incident) if key not in outstanding}


def _sealed(window: MainWindow, account) -> str | None:  # type: ignore[no-untyped-def]
    """The account's current password, as the clerk's key on this PC opens it."""
    from clerk_desk.credentials import copies, keys
    from clerk_desk.models import CopyKind
    from clerk_desk.register import accounts

    with window.context.database.read() as session:
        session.info["actor"] = "Zoë Hartley"
        holder = keys.holder_key(session)
        return copies.open_copy(session, accounts.get(session, account.id), CopyKind.CURRENT, *holder)


def test_set_and_rotate_a_password_with_the_keyboard(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.check_vault()
    activate(window, qtbot)
    window.navigation.setFocus()
    press(Qt.Key.Key_2, CTRL)  # Accounts
    page = window.accounts
    while focused() is not page.table:
        press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Up)  # the first account (Facebook); arrows for another
    account = page.current().account

    def set_password() -> None:
        tab_to("Generate")
        press(Qt.Key.Key_Space)  # a random password, with its strength
        tab_to("The password the account already has (not a change)")
        press(Qt.Key.Key_Down)  # the other choice: a new password, changed on the platform just now
        press(Qt.Key.Key_Space)
        tab_to("Save")
        press(Qt.Key.Key_Return)

    pressed = in_next_dialog(qtbot, set_password)
    press(Qt.Key.Key_W, ALT)  # Set password
    closed(window, qtbot, pressed)
    first = _sealed(window, account)
    assert first is not None and len(first) >= 16
    assert focused() is page.table

    def rotate() -> None:
        tab_to("The platform accepted it")
        press(Qt.Key.Key_Return)

    pressed = in_next_dialog(qtbot, rotate)
    press(Qt.Key.Key_T, ALT)  # Rotate
    closed(window, qtbot, pressed)
    second = _sealed(window, account)
    assert second is not None and second != first
    assert focused() is page.table


def test_make_the_annual_report_with_the_keyboard(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QDesktopServices

    target = tmp_path / "review.pdf"
    # The save dialog is Qt's own (keyboard throughout); here it answers with the file name.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    heard: list[str] = []
    monkeypatch.setattr(a11y, "LISTENERS", [lambda widget, text: heard.append(text)])
    activate(window, qtbot)
    window.navigation.setFocus()
    press(Qt.Key.Key_8, CTRL)  # Reports
    page = window.reports
    assert window.current_page() is page
    press(Qt.Key.Key_Tab)  # the period: this year's preset, or arrows for another
    press(Qt.Key.Key_C, ALT)  # Create report
    qtbot.waitUntil(lambda: target.exists() and not page.busy, timeout=30000)
    assert any(text.startswith("Saved ") for text in heard)  # said, not only shown

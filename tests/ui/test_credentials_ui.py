"""Password actions in the window: the database holds only sealed copies, never the secret."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from acting import act_as
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMessageBox

from clerk_desk.audit import reader as audit_log
from clerk_desk.credentials import copies, keys, rotation, vault
from clerk_desk.models import CopyKind, RotationReason
from clerk_desk.register import accounts
from clerk_desk.storage.db import Database
from clerk_desk.ui import plain
from clerk_desk.ui.credential_dialogs import RevealDialog, RotateDialog, SetPasswordDialog
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.password_editor import ClipboardGuard

SECRET = "Kx9!vTq#2mWz$Lp7@bNc"


def _account(database: Database, name: str):  # type: ignore[no-untyped-def]
    with database.read() as session:
        return accounts.by_name(session, name)


def _sealed(database: Database, account, *, pending: bool = False) -> str | None:  # type: ignore[no-untyped-def]
    """What the clerk's key on this PC opens from the account's sealed copies; records nothing."""
    kind = CopyKind.PENDING if pending else CopyKind.CURRENT
    with database.read() as session:
        session.info["actor"] = "Zoë Hartley"
        holder = keys.holder_key(session)
        return copies.open_copy(session, accounts.get(session, account.id), kind, *holder)


def _database_bytes(database: Database) -> bytes:
    path = Path(database.engine.url.database or "")
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_a_password_set_in_the_window_is_sealed_and_never_in_the_database(
    window: MainWindow,
    database: Database,
    memory_keyring,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    account = _account(database, "Facebook:@LittleAshcombeTC")
    dialog = SetPasswordDialog(window.context, account, window)
    qtbot.addWidget(dialog)
    dialog.editor.field.setText(SECRET)
    assert "Strength: Very strong" in dialog.editor.strength.text()
    dialog.changed.setChecked(True)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert _sealed(database, account) == SECRET
    database.engine.dispose()
    assert SECRET.encode() not in _database_bytes(database)
    with database.read() as session:
        history = rotation.history(session, account.id)
        assert history[0].reason == RotationReason.OTHER  # the demo had recorded a change already
        assert all(SECRET not in e.changes for e in audit_log.search(session))


def test_set_password_asks_whether_the_password_is_new_on_the_platform(
    window: MainWindow,
    database: Database,
    memory_keyring,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    """The existing password is not a change: no history entry, and the reason is only for a change."""
    account = _account(database, "X:@AshcombeTC")
    with database.read() as session:
        before = [e.id for e in rotation.history(session, account.id)]
    dialog = SetPasswordDialog(window.context, account, window)
    qtbot.addWidget(dialog)
    dialog.editor.field.setText(SECRET)
    assert not dialog.existing.isChecked() and not dialog.changed.isChecked()
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.message.text().startswith("This password is: choose")
    with database.read() as session:
        assert not copies.exists(session, account.id)  # nothing stored
    assert not dialog.reason.isEnabled()
    dialog.existing.setChecked(True)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert _sealed(database, account) == SECRET
    with database.read() as session:
        assert [e.id for e in rotation.history(session, account.id)] == before
        assert accounts.get(session, account.id).last_rotated_on == account.last_rotated_on

    again = SetPasswordDialog(window.context, account, window)
    qtbot.addWidget(again)
    again.editor.field.setText("Changed-on-X-today-6!")
    again.changed.setChecked(True)
    assert again.reason.isEnabled()
    again.reason.setCurrentIndex(again.reason.findData(RotationReason.SCHEDULED.value))
    again.save()
    with database.read() as session:
        assert rotation.history(session, account.id)[0].reason == RotationReason.SCHEDULED


def test_generate_fills_a_strong_password_of_the_chosen_length(
    window: MainWindow, database: Database, qtbot
) -> None:  # type: ignore[no-untyped-def]
    dialog = SetPasswordDialog(window.context, _account(database, "X:@AshcombeTC"), window)
    qtbot.addWidget(dialog)
    dialog.editor.length.setValue(24)
    dialog.editor.classes["symbols"].setChecked(False)
    dialog.editor.generate()
    password = dialog.editor.text()
    assert len(password) == 24 and password.isalnum()


def test_reveal_hides_again(qtbot, window: MainWindow, database: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = RevealDialog(_account(database, "X:@AshcombeTC"), SECRET, window, interval_ms=50)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.field.text() == SECRET
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    assert dialog.field.text() == ""


def test_copy_clears_the_clipboard_only_if_it_still_holds_our_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    clipboard = QGuiApplication.clipboard()
    guard = ClipboardGuard()
    guard.copy(SECRET, interval_ms=50)
    assert clipboard.text() == SECRET
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=2000)
    guard.copy(SECRET, interval_ms=50)
    clipboard.setText("something the clerk copied since")
    qtbot.wait(150)
    assert clipboard.text() == "something the clerk copied since"


def test_rotation_keeps_the_old_password_until_confirmed(
    window: MainWindow,
    database: Database,
    memory_keyring,
    qtbot,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    account = _account(database, "X:@AshcombeTC")
    memory_keyring.entries[(vault.SERVICE, account.uuid)] = "the-old-password"
    dialog = RotateDialog(window.context, account, window)
    qtbot.addWidget(dialog)
    assert dialog.start()
    new = dialog.field.text()
    assert new and new != "the-old-password"
    assert _sealed(database, account) == "the-old-password"
    # Closing and reopening resumes the same waiting password.
    dialog.reject()
    again = RotateDialog(window.context, account, window)
    qtbot.addWidget(again)
    assert again.start() and again.field.text() == new
    again.confirm()
    assert _sealed(database, account) == new
    assert _sealed(database, account, pending=True) is None
    with database.read() as session:
        assert rotation.history(session, account.id)[0].reason == RotationReason.SCHEDULED
    window.go_to_title("Home")
    window.home.reload()
    assert not any(
        f.rule == "password-overdue" and f.subject == account.name for f in window.home.model.rows()
    )


def test_cancelling_a_rotation_keeps_the_old_password(
    window: MainWindow,
    database: Database,
    memory_keyring,
    qtbot,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(plain, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    account = _account(database, "X:@AshcombeTC")
    memory_keyring.entries[(vault.SERVICE, account.uuid)] = "the-old-password"
    dialog = RotateDialog(window.context, account, window)
    qtbot.addWidget(dialog)
    assert dialog.start()
    dialog.cancel_rotation()
    assert _sealed(database, account) == "the-old-password"
    assert _sealed(database, account, pending=True) is None


def test_without_a_keyring_the_window_runs_and_each_action_says_what_to_do(
    window: MainWindow,
    database: Database,
    qtbot,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    keyring.set_keyring(fail.Keyring())
    warnings: list[str] = []
    monkeypatch.setattr(plain, "warning", lambda parent, title, text, *a: warnings.append(text))
    window.check_vault()
    assert window.vault_label.text() == "Password store: unavailable"
    assert any(f.subject == "Password store" for f in window.home.model.rows())
    page = window.go_to_title("Accounts")
    assert page.select_account(_account(database, "X:@AshcombeTC").id)
    page.reveal()
    page.copy()
    rotate = RotateDialog(window.context, _account(database, "X:@AshcombeTC"), window)
    qtbot.addWidget(rotate)
    assert rotate.start() is False
    assert len(warnings) == 3
    assert all("GNOME Keyring" in text for text in warnings)
    dialog = SetPasswordDialog(window.context, _account(database, "X:@AshcombeTC"), window)
    qtbot.addWidget(dialog)
    dialog.editor.field.setText(SECRET)
    dialog.existing.setChecked(True)
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "GNOME Keyring" in dialog.message.text()


@pytest.mark.parametrize("actor", ["Tom Beckett", "Cllr Margaret Oduya"])
def test_only_the_clerk_or_deputy_may_use_password_actions(qtbot, demo_url, actor: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from clerk_desk.app import create_main_window

    act_as(monkeypatch, demo_url, actor)
    win = create_main_window(demo_url)
    qtbot.addWidget(win)
    page = win.go_to_title("Accounts")
    page.select_where(lambda row: True)
    assert not any(b.isEnabled() for b in page.credential_buttons)
    win.context.database.dispose()


def test_the_clerk_uses_the_password_actions_from_the_accounts_page(
    window: MainWindow,
    database: Database,
    memory_keyring,
    qtbot,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    def set_and_save(dialog: SetPasswordDialog) -> int:
        dialog.editor.field.setText(SECRET)
        dialog.changed.setChecked(True)
        dialog.save()
        return int(dialog.result())

    revealed: list[str] = []
    monkeypatch.setattr(SetPasswordDialog, "exec", set_and_save)
    monkeypatch.setattr(RevealDialog, "exec", lambda self: revealed.append(self.field.text()) or 0)
    window.check_vault()
    page = window.go_to_title("Accounts")
    x = _account(database, "X:@AshcombeTC")
    assert page.select_account(x.id)
    assert all(b.isEnabled() for b in page.credential_buttons)
    assert page.vault_state.text() == "Password store: ready"
    column = [
        page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())
    ].index("Password")

    def state() -> str:
        row = [r.account.id for r in page.model.rows()].index(x.id)
        return page.model.index(row, column).data()

    assert state() == "Not stored"
    page.set_password()
    assert _sealed(database, x) == SECRET
    assert state() == "Stored"
    page.reveal()
    assert revealed == [SECRET]
    page.copy()
    assert QGuiApplication.clipboard().text() == SECRET
    page.clipboard.clear()
    assert QGuiApplication.clipboard().text() == ""
    with database.read() as session:
        actions = [e.action for e in audit_log.search(session, subject="X:@AshcombeTC", limit=3)]
    assert actions[:2] == ["copy password", "reveal password"]


def test_a_weak_password_is_saved_only_when_the_clerk_confirms(
    window: MainWindow,
    database: Database,
    memory_keyring,
    qtbot,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(
        plain, "question", lambda parent, title, text, *a: asked.append(title) or answers.pop(0)
    )
    account = _account(database, "X:@AshcombeTC")
    for expected in (QDialog.DialogCode.Rejected, QDialog.DialogCode.Accepted):
        dialog = SetPasswordDialog(window.context, account, window)
        qtbot.addWidget(dialog)
        dialog.editor.field.setText("Password1!")
        dialog.changed.setChecked(True)
        dialog.save()
        assert (dialog.result() == QDialog.DialogCode.Accepted) == (expected == QDialog.DialogCode.Accepted)
    assert asked == ["Weak password", "Weak password"]
    assert _sealed(database, account) == "Password1!"

"""Add/edit dialogs: checked field by field, errors beside the field, nothing half-saved, keyboard only."""

from __future__ import annotations

from acting import act_as
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLineEdit

from clerk_desk.audit import reader as audit_log
from clerk_desk.models import AccountStatus
from clerk_desk.register import accounts, people
from clerk_desk.storage.db import Database
from clerk_desk.ui import form
from clerk_desk.ui.account_dialogs import account_dialog, approve_dialog, close_dialog
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.people_page import leaving_dialog, person_dialog


def _open(qtbot, dialog: QDialog) -> None:  # type: ignore[no-untyped-def]
    """Show the dialog as the active window, as it is when a person opens it."""
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


def _count_accounts(database: Database) -> int:
    with database.read() as session:
        return len(accounts.all_accounts(session))


def _account(database: Database, name: str):  # type: ignore[no-untyped-def]
    with database.read() as session:
        return accounts.by_name(session, name)


def test_add_account_from_the_keyboard(window: MainWindow, database: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = account_dialog(window.context, None, window)
    _open(qtbot, dialog)
    platform = dialog.fields["platform"].widget
    assert isinstance(platform, QComboBox)
    platform.setFocus()
    platform.lineEdit().clear()
    qtbot.keyClicks(platform, "Bluesky")
    qtbot.keyClick(platform, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.fields["handle"].widget, "@ashcombe.bsky.social")
    qtbot.keyClick(dialog.fields["handle"].widget, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = _account(database, "Bluesky:@ashcombe.bsky.social")
    assert saved is not None and saved.status == AccountStatus.PROPOSED


def test_bad_date_keeps_the_dialog_open_with_the_message_beside_the_field(
    window: MainWindow,
    database: Database,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    before = _count_accounts(database)
    dialog = account_dialog(window.context, None, window)
    _open(qtbot, dialog)
    dialog.set_values({"platform": "Threads", "handle": "@ashcombe", "opened_on": "31/02/2026"})
    dialog.try_save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    error = dialog.fields["opened_on"].error
    assert not error.isHidden()
    assert error.text() == "Opened on: '31/02/2026' is not a date; write it as YYYY-MM-DD"
    assert _count_accounts(database) == before


def test_policy_error_names_the_clause_beside_the_field(
    window: MainWindow, database: Database, qtbot
) -> None:  # type: ignore[no-untyped-def]
    proposal = _account(database, "TikTok:@ashcombeyouth")
    dialog = account_dialog(window.context, proposal, window)
    qtbot.addWidget(dialog)
    dialog.set_values({"status": "active"})
    dialog.try_save()
    message = dialog.fields["approved_by"].error.text()
    assert "Barling Magna; Stalbridge 4" in message
    assert _account(database, "TikTok:@ashcombeyouth").status == AccountStatus.PROPOSED


def test_approve_dialog_makes_a_proposal_active(window: MainWindow, database: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    proposal = _account(database, "TikTok:@ashcombeyouth")
    dialog = approve_dialog(window.context, proposal, window)
    _open(qtbot, dialog)
    assert dialog.fields["approved_by"].value() == "Zoë Hartley"
    qtbot.keyClick(dialog.fields["approved_on"].widget, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    approved = _account(database, "TikTok:@ashcombeyouth")
    assert approved.status == AccountStatus.ACTIVE
    assert approved.approved_by.name == "Zoë Hartley"
    with database.read() as session:
        assert audit_log.search(session, subject="TikTok", limit=1)[0].action == "approve"


def test_escape_cancels_without_saving(window: MainWindow, database: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    account = _account(database, "X:@AshcombeTC")
    dialog = close_dialog(window.context, account, window)
    _open(qtbot, dialog)
    qtbot.keyClick(dialog.fields["closed_on"].widget, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert _account(database, "X:@AshcombeTC").status == AccountStatus.ACTIVE


def test_close_keeps_the_row(window: MainWindow, database: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = close_dialog(window.context, _account(database, "X:@AshcombeTC"), window)
    qtbot.addWidget(dialog)
    dialog.try_save()
    closed = _account(database, "X:@AshcombeTC")
    assert closed.status == AccountStatus.CLOSED and closed.closed_on == window.context.clock.today()


def test_stale_edit_is_refused_and_overwrites_nothing(window: MainWindow, database: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    opened = _account(database, "Facebook:@LittleAshcombeTC")
    dialog = account_dialog(window.context, opened, window)
    qtbot.addWidget(dialog)
    with database.transaction("Łukasz Nowak") as session:
        other = accounts.get(session, opened.id)
        other.purpose = "Changed on the deputy's PC"
    dialog.set_values({"purpose": "Changed here"})
    dialog.try_save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "changed by someone else" in dialog.general_error.text()
    assert _account(database, "Facebook:@LittleAshcombeTC").purpose == "Changed on the deputy's PC"


def test_duplicate_person_name_is_shown_beside_the_name(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = person_dialog(window.context, None, window)
    qtbot.addWidget(dialog)
    dialog.set_values({"name": "ZOË HARTLEY", "role": "volunteer"})
    dialog.try_save()
    assert dialog.fields["name"].error.isHidden() is False
    assert "already in People" in dialog.fields["name"].error.text()


def test_leaving_is_a_date(window: MainWindow, database: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    with database.read() as session:
        person = people.by_name(session, "Tom Beckett")
    dialog = leaving_dialog(window.context, person, window)
    qtbot.addWidget(dialog)
    dialog.try_save()
    with database.read() as session:
        assert people.by_name(session, "Tom Beckett").left_on == window.context.clock.today()


def test_settings_page_shows_errors_beside_the_field_and_saves_nothing(
    window: MainWindow, database: Database
) -> None:  # type: ignore[no-untyped-def]
    page = window.go_to_title("Settings")
    page.fields["council_name"].set_value("Renamed Council")
    page.fields["rotation_days"].set_value("0")
    assert page.save() is False
    assert page.fields["rotation_days"].error.isHidden() is False
    assert "between 1 and 3650" in page.fields["rotation_days"].error.text()
    from clerk_desk.register import settings

    with database.read() as session:
        assert settings.load(session).council_name == "Little Ashcombe Town Council"
    page.fields["rotation_days"].set_value("90")
    assert page.save() is True
    with database.read() as session:
        assert settings.load(session).rotation_days == 90


def test_finding_on_home_opens_its_account(window: MainWindow, monkeypatch, qtbot) -> None:  # type: ignore[no-untyped-def]
    opened: list[str] = []
    monkeypatch.setattr(form.FormDialog, "exec", lambda self: opened.append(self.windowTitle()) or 0)
    home = window.go_to_title("Home")
    assert home.select_where(lambda f: f.rule == "no-two-factor")
    home.table.setFocus()
    qtbot.keyClick(home.table, Qt.Key.Key_Return)
    assert window.current_page() is window.accounts
    assert opened == ["Edit Instagram:@littleashcombe"]


def test_volunteer_cannot_change_the_register(qtbot, demo_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from clerk_desk.app import create_main_window

    act_as(monkeypatch, demo_url, "Tom Beckett")
    win = create_main_window(demo_url)
    qtbot.addWidget(win)
    page = win.go_to_title("Accounts")
    assert not page.add_button.isEnabled()
    settings_page = win.go_to_title("Settings")
    assert not settings_page.save_button.isEnabled()
    assert isinstance(settings_page.fields["council_name"].widget, QLineEdit)
    win.context.database.dispose()


def test_a_new_account_is_live_without_approval_only_when_the_clerk_says_so(
    window: MainWindow,
    database: Database,
    qtbot,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    """Active without an approver is refused; "already live, not yet approved" is saved, flagged at once."""
    from clerk_desk.ui import plain

    shown: list[str] = []
    monkeypatch.setattr(plain, "warning", lambda parent, title, text: shown.append(text))
    before = _count_accounts(database)
    dialog = account_dialog(window.context, None, window)
    qtbot.addWidget(dialog)
    dialog.set_values({"platform": "Threads", "handle": "@ashcombe", "status": AccountStatus.ACTIVE.value})
    dialog.try_save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Already live, not yet approved" in dialog.fields["status"].error.text()
    assert _count_accounts(database) == before
    dialog.set_values({"status": "live_unapproved"})
    dialog.try_save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = _account(database, "Threads:@ashcombe")
    assert saved is not None and (saved.status, saved.approved_by_id) == (AccountStatus.ACTIVE, None)
    assert len(shown) == 1 and "Threads:@ashcombe is active but has no recorded" in shown[0]
    assert "Barling Magna; Stalbridge 4" in shown[0]


def test_the_account_dialog_records_recovery_details_and_where_codes_are_kept(
    window: MainWindow,
    database: Database,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    dialog = account_dialog(window.context, None, window)
    _open(qtbot, dialog)
    dialog.set_values({"platform": "Threads", "handle": "@ashcombe", "recovery_phone": "call Zoë"})
    dialog.try_save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert (
        dialog.fields["recovery_phone"].error.text() == "Recovery phone: 'call Zoë' is not a telephone number"
    )
    dialog.set_values(
        {
            "recovery_phone": "01632 960 123",
            "recovery_email": "clerk@littleashcombe-tc.gov.uk",
            "two_factor_codes": "council_device",
        }
    )
    dialog.try_save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = _account(database, "Threads:@ashcombe")
    assert saved is not None
    assert (saved.recovery_phone, saved.recovery_email, saved.two_factor_codes) == (
        "01632 960 123",
        "clerk@littleashcombe-tc.gov.uk",
        "council_device",
    )

"""Delegated access, designated officers, acknowledgements and leavers, as the clerk uses them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QListWidget, QMessageBox

from clerk_desk.access import grants as access
from clerk_desk.checks import engine as checks
from clerk_desk.credentials import service as credentials
from clerk_desk.models import Role
from clerk_desk.register import people
from clerk_desk.storage.db import Database
from clerk_desk.ui import plain
from clerk_desk.ui.access_page import grant_dialog, revoke_dialog
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.officers_page import officer_dialog
from clerk_desk.ui.people_page import acknowledgement_dialog, leaving_dialog, person_dialog


def _open(qtbot, dialog: QDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


def _person(database: Database, name: str):  # type: ignore[no-untyped-def]
    with database.read() as session:
        return people.by_name(session, name)


def _findings(window: MainWindow) -> list[checks.Finding]:
    with window.context.database.read() as session:
        return checks.run(session, window.context.clock)


def test_a_grant_to_a_councillor_is_refused_in_the_dialog_citing_9_2(
    window: MainWindow, database: Database, qtbot
) -> None:  # type: ignore[no-untyped-def]
    dialog = grant_dialog(window.context, None, window)
    _open(qtbot, dialog)
    dialog.set_values(
        {"person": "Cllr Peter Lomas", "account": "X:@AshcombeTC", "business_case": "Wants to post"}
    )
    dialog.try_save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    error = dialog.fields["person"].error.text()
    assert "Thornbury 9.2" in error and "councillor" in error
    with database.read() as session:
        assert not [g for g in access.all_grants(session) if g.person.name == "Cllr Peter Lomas"]


def test_grant_from_the_keyboard_then_revoke(window: MainWindow, database: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = grant_dialog(window.context, None, window)
    _open(qtbot, dialog)
    dialog.set_values({"person": "Priya Shah", "account": "YouTube:Little Ashcombe Council Meetings"})
    business_case = dialog.fields["business_case"].widget
    business_case.setFocus()
    qtbot.keyClicks(business_case, "Upload the budget meeting")
    qtbot.keyClick(dialog.fields["expires_on"].widget, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    grant = dialog.result_value
    assert grant.approved_by.name == "Zoë Hartley"
    page = window.go_to_title("Delegated access")
    assert page.select_grant(grant.id)
    matrix = page.matrix_model
    assert "Priya Shah" in [p.name for p in matrix.people]
    revoke = revoke_dialog(window.context, grant, window)
    _open(qtbot, revoke)
    revoke.set_values({"revoke_reason": "Upload done"})
    revoke.try_save()
    assert revoke.result() == QDialog.DialogCode.Accepted
    page.reload()
    assert "Priya Shah" not in [p.name for p in page.matrix_model.people]
    with database.read() as session:
        revoked = access.get(session, grant.id)
        assert revoked.revoked_by.name == "Zoë Hartley" and revoked.revoke_reason == "Upload done"


def test_the_access_matrix_is_a_proper_model_and_keyboard_navigable(
    window: MainWindow, qtmodeltester, qtbot
) -> None:  # type: ignore[no-untyped-def]
    page = window.go_to_title("Delegated access")
    qtmodeltester.check(page.matrix_model)
    cells = {
        (page.matrix_model.people[r].name, page.matrix_model.accounts[c].name): page.matrix_model.index(
            r, c
        ).data()
        for r in range(page.matrix_model.rowCount())
        for c in range(page.matrix_model.columnCount())
    }
    assert cells[("Łukasz Nowak", "Facebook:@LittleAshcombeTC")] == "Manage"
    assert cells[("Nguyễn Thu Hà", "X:@AshcombeTC")] == "Post"
    page.matrix.setFocus()
    page.matrix.setCurrentIndex(page.matrix_model.index(0, 0))
    qtbot.keyClick(page.matrix, Qt.Key.Key_Right)
    assert page.matrix.currentIndex().column() == 1


def test_designate_an_officer_from_the_keyboard(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = officer_dialog(window.context, None, window)
    _open(qtbot, dialog)
    dialog.set_values({"person": "Tom Beckett"})
    sites = dialog.fields["accounts"].widget
    assert isinstance(sites, QListWidget)
    sites.setFocus()
    sites.setCurrentRow(0)
    qtbot.keyClick(sites, Qt.Key.Key_Space)
    assert dialog.fields["accounts"].value() == sites.item(0).text()
    qtbot.keyClick(dialog.fields["designated_on"].widget, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    page = window.go_to_title("Designated officers")
    assert "Tom Beckett" in [d.person.name for d in page.model.rows()]


def test_a_keyholder_becomes_a_councillor_only_with_access_revoked(
    window: MainWindow,
    database: Database,
    qtbot,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    asked: list[str] = []

    def answer(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(plain, "question", answer)
    person = _person(database, "Nguyễn Thu Hà")
    dialog = person_dialog(window.context, person, window)
    _open(qtbot, dialog)
    dialog.set_values({"role": "councillor"})
    dialog.try_save()  # declined: nothing changes, the clause is shown
    assert "Thornbury 9.2" in dialog.fields["role"].error.text()
    assert _person(database, "Nguyễn Thu Hà").role == Role.EMPLOYEE
    dialog.try_save()  # accepted: role and revocations in one step
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert _person(database, "Nguyễn Thu Hà").role == Role.COUNCILLOR
    with database.read() as session:
        held = [g for g in access.all_grants(session) if g.person.name == "Nguyễn Thu Hà"]
        assert held and all(g.revoked_on is not None for g in held)
    assert not [f for f in _findings(window) if f.rule == "councillor-access"]


def test_a_leaver_flags_their_accounts_until_access_is_revoked_and_passwords_changed(
    window: MainWindow,
    database: Database,
    qtbot,
    memory_keyring,  # type: ignore[no-untyped-def]
) -> None:
    leaver = _person(database, "Nguyễn Thu Hà")
    dialog = leaving_dialog(window.context, leaver, window)
    _open(qtbot, dialog)
    dialog.set_values({"revoke": "no"})
    dialog.try_save()
    findings = _findings(window)
    held = {"Facebook:@LittleAshcombeTC", "Instagram:@littleashcombe", "X:@AshcombeTC"}
    assert {f.subject for f in findings if f.rule == "rotate-now"} == held
    assert {f.subject for f in findings if f.rule == "keyholder-left"} == {"Nguyễn Thu Hà", "Ayşe Ağca"}
    with database.transaction("Zoë Hartley") as session:
        for grant in access.all_grants(session):
            if grant.revoked_on is None and grant.person.name in ("Nguyễn Thu Hà", "Ayşe Ağca"):
                access.revoke(
                    session,
                    grant.id,
                    grant.version,
                    window.context.clock.today(),
                    "Left",
                    window.context.clock.today(),
                )
    findings = _findings(window)
    assert not [f for f in findings if f.rule == "keyholder-left"]
    assert {f.subject for f in findings if f.rule == "rotate-now"} == held
    with database.transaction("Zoë Hartley") as session:
        for name in held:
            credentials.set_password(
                session,
                access.resolve_account(session, name).id,
                f"new-{name}-Q7!x",
                changed_on_platform=True,
            )
    assert not [f for f in _findings(window) if f.rule == "rotate-now"]


def test_the_leaving_step_revokes_ends_and_reports_the_accounts(
    window: MainWindow, database: Database, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    told: list[str] = []
    monkeypatch.setattr(plain, "information", lambda parent, title, text, *a: told.append(text))
    monkeypatch.setattr(QDialog, "exec", lambda self: (self.try_save(), self.result())[1])
    page = window.go_to_title("People")
    assert page.select_person(_person(database, "Nguyễn Thu Hà").id)
    page.record_leaving()
    assert told and "X:@AshcombeTC" in told[0] and "Thornbury 9.4" in told[0]
    with database.read() as session:
        assert all(
            g.revoked_on is not None for g in access.all_grants(session) if g.person.name == "Nguyễn Thu Hà"
        )


def test_acknowledgement_is_shown_on_people(window: MainWindow, database: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    person = _person(database, "Nguyễn Thu Hà")
    page = window.go_to_title("People")
    page.select_person(person.id)
    assert page.current().id == person.id
    column = [
        page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())
    ].index("Policy acknowledged")
    row = [p.id for p in page.model.rows()].index(person.id)
    assert page.model.index(row, column).data() == "Only 2.0 (current 2.1)"
    dialog = acknowledgement_dialog(window.context, person, "2.1", window)
    _open(qtbot, dialog)
    dialog.try_save()
    page.reload()
    assert page.model.index(row, column).data() == "2.1 on 2026-11-21"
    assert not [f for f in _findings(window) if f.rule == "officer-not-acknowledged"]

"""The ICO assessment and Art. 34 step on an incident, and the Elections page and Home's pre-election
checklist, driven from the keyboard."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import IncidentStatus
from clerk_desk.register import accounts
from clerk_desk.storage.db import Database
from clerk_desk.ui import form, plain
from clerk_desk.ui.assessment_pane import assessment_dialog, not_required_dialog, told_dialog
from clerk_desk.ui.incident_dialogs import status_dialog
from clerk_desk.ui.main_window import MainWindow


def tab_order(dialog: form.FormDialog, qtbot) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """The widgets Tab visits from the first field, in order, until it comes round again."""
    dialog.show()
    first = next(iter(dialog.fields.values())).widget
    first.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    seen: list[QWidget] = []
    for _ in range(40):
        widget = QApplication.focusWidget()
        if widget in seen:
            break
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return seen


def breach_incident(database: Database):  # type: ignore[no-untyped-def]
    with database.read() as session:
        return next(
            i for i in incidents.all_incidents(session) if i.category == "personal_data" and not i.near_miss
        )


def test_every_assessment_field_is_in_the_window_and_reached_by_tab(
    window: MainWindow, database: Database, qtbot
) -> None:  # type: ignore[no-untyped-def]
    incident = breach_incident(database)
    for dialog in (
        assessment_dialog(window.context, incident, window),
        told_dialog(window.context, incident, window),
        not_required_dialog(window.context, incident, window),
    ):
        qtbot.addWidget(dialog)
        order = tab_order(dialog, qtbot)
        for field in dialog.fields.values():
            assert field.widget in order, f"{field.label} is not reached by Tab"
            assert field.widget.accessibleName() == field.label
        dialog.reject()


def test_a_high_risk_breach_shows_the_art34_step_blocks_closing_and_keeps_reassessments(
    window: MainWindow, database: Database, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    page = window.go_to_title("Incidents")
    incident = breach_incident(database)
    assert page.select_incident(incident.id)
    steps = [page.steps_model.index(r, 0).data() for r in range(page.steps_model.rowCount())]
    assert "Tell the people affected (the risk to them is high)" in steps
    pane = page.assessment
    assert pane.model.rowCount() == 1
    assert "Risk level high" in pane.state.text() and "Tell the people affected" in pane.state.text()
    assert pane.told_button.isEnabled() and pane.not_required_button.isEnabled()

    # Reassess from the keyboard: the form opens with the latest answers; only the reason is typed.
    def reassess(dialog: form.FormDialog) -> int:
        dialog.show()
        reason = dialog.fields["assessment_reason"].widget
        reason.setFocus()
        qtbot.keyClicks(reason, "Twelve more recipients found")
        people = dialog.fields["people_affected"].widget
        people.selectAll()
        qtbot.keyClicks(people, "96")
        qtbot.keyClick(dialog.fields["data_kinds"].widget, Qt.Key.Key_Return)  # Enter saves
        return int(dialog.result())

    monkeypatch.setattr(form.FormDialog, "exec", reassess)
    pane.assess_button.click()
    assert page.current().id == incident.id
    assert pane.model.rowCount() == 2
    assert [pane.model.index(r, 6).data() for r in range(2)] == ["84", "96"]
    assert pane.model.index(1, 11).data() == "Twelve more recipients found"

    with database.read() as session:
        incident = incidents.get(session, incident.id)
    close = status_dialog(window.context, incident, IncidentStatus.CLOSED, window)
    qtbot.addWidget(close)
    close.set_values({"outcome": "Dealt with"})
    close.try_save()
    assert close.result() != QDialog.DialogCode.Accepted
    assert "UK GDPR Art. 34" in close.general_error.text() or "UK GDPR Art. 33" in close.general_error.text()
    assert "Tell the people affected" in close.general_error.text()

    # "Mark done" on the Art. 34 step opens the form that asks how and how many.
    def told(dialog: form.FormDialog) -> int:
        dialog.show()
        assert dialog.windowTitle().startswith("Tell the people affected")
        dialog.set_values(
            {"subjects_told_how": "Email to each person, with advice", "subjects_told_count": "96"}
        )
        dialog.try_save()
        return int(dialog.result())

    monkeypatch.setattr(form.FormDialog, "exec", told)
    row = steps.index("Tell the people affected (the risk to them is high)")
    page.steps_view.setCurrentIndex(page.steps_model.index(row, 0))
    page.done_button.click()
    assert page.steps_model.index(row, 2).data().startswith("Done")
    assert "were told" in pane.state.text()


def test_the_breach_record_pdf_is_one_page(window: MainWindow, database: Database, tmp_path: Path) -> None:
    page = window.go_to_title("Incidents")
    incident = breach_incident(database)
    page.select_incident(incident.id)
    out = tmp_path / "record.pdf"
    assert page.assessment.save_record(out)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True
    ).stdout
    words = " ".join(text.decode().split())
    for expected in (
        f"Breach record: {incident.reference}",
        "likelihood high, severity medium: risk level HIGH",
        "People 84",
        "Telling the people affected (UK GDPR Art. 34)",
        "Reporting to the ICO (UK GDPR Art. 33)",
    ):
        assert expected in words


def test_elections_page_from_the_keyboard_and_home_follows(
    window: MainWindow, database: Database, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    home = window.go_to_title("Home")
    assert home.election.isVisible()
    assert "every notice posted" in home.election.heading.text()
    # A new account goes live during the period: Home and check name it until its notice is recorded.
    with database.transaction("Zoë Hartley") as session:
        account = accounts.by_name(session, "Nextdoor:Little Ashcombe Town Council")
        account.status, account.suspended_from, account.suspended_to = "active", None, None
    home.reload()
    assert "1 account without the notice" in home.election.heading.text()
    finding = next(f for f in home.model.rows() if f.rule == "pre-election-notice-missing")
    assert finding.subject == "Nextdoor:Little Ashcombe Town Council"
    home.open_subject.emit(finding.subject_kind, finding.subject_id)
    page = window.current_page()
    assert page is window.elections
    window.go_to_title("Home")
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is page
    assert page.period_choice.currentText() == "Castle ward by-election (open)"

    def record(dialog: form.FormDialog) -> int:
        dialog.show()
        assert dialog.fields["on"].value() == "2026-11-21"
        dialog.try_save()
        return int(dialog.result())

    monkeypatch.setattr(form.FormDialog, "exec", record)
    assert page.select_where(lambda r: r.account.name == "Nextdoor:Little Ashcombe Town Council")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter on a row: the notice was posted
    row = page.current()
    assert row.account.name == "Nextdoor:Little Ashcombe Town Council"
    assert row.notice_posted_on.isoformat() == "2026-11-21"
    home = window.go_to_title("Home")
    assert not [f for f in home.model.rows() if f.rule == "pre-election-notice-missing"]
    assert "every notice posted" in home.election.heading.text()


def test_every_elections_form_is_reached_by_tab(window: MainWindow, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = window.go_to_title("Elections")
    opened: list[str] = []

    def check(dialog: form.FormDialog) -> int:
        qtbot.addWidget(dialog)
        order = tab_order(dialog, qtbot)
        for field in dialog.fields.values():
            assert field.widget in order, f"{dialog.windowTitle()}: {field.label}"
        opened.append(dialog.windowTitle())
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(form.FormDialog, "exec", check)
    page.select_where(lambda r: True)
    for widget in (
        page.add_button,
        page.edit_button,
        page.partnership_button,
        page.briefed_button,
        page.notice_button,
        page.reviewed_button,
        page.removal_button,
        page.exception_button,
        page.candidate_button,
    ):
        widget.click()
    assert len(opened) == 9


def test_recording_a_removal_an_exception_and_a_candidate(window: MainWindow, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = window.go_to_title("Elections")
    answers = iter(
        [
            {"content": "Leaflet for a candidate", "reason": "Political content", "action": "removed"},
            {"what": "Polling station locations", "reason": "Factual information from the returning officer"},
            {"person": "Tom Beckett"},
        ]
    )

    def fill(dialog: form.FormDialog) -> int:
        dialog.show()
        dialog.set_values(next(answers))
        dialog.try_save()
        return int(dialog.result())

    monkeypatch.setattr(form.FormDialog, "exec", fill)
    before = page.moderation_model.rowCount()
    page.removal_button.click()
    assert page.moderation_model.rowCount() == before + 1
    page.exception_button.click()
    assert page.exceptions_model.rowCount() == 2
    page.candidate_button.click()
    assert [page.candidates_model.index(r, 0).data() for r in range(page.candidates_model.rowCount())] == [
        "Tom Beckett"
    ]
    # Withdrawn: nothing selected, nothing to withdraw; selected and confirmed, gone from the period.
    assert not page.unmark_button.isEnabled() and not page.withdraw_button.isEnabled()
    monkeypatch.setattr(plain, "question", lambda *a: plain.Button.Yes)
    page.candidates_view.selectRow(0)
    assert page.unmark_button.isEnabled()
    page.unmark_button.click()
    assert page.candidates_model.rowCount() == 0
    page.exceptions_view.selectRow(1)
    page.withdraw_button.click()
    assert page.exceptions_model.rowCount() == 1

"""Incidents in the window: Ctrl+N from anywhere, deadlines on Home, closing only when followed up."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from clerk_desk import cli
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import IncidentCategory, IncidentStatus
from clerk_desk.storage.db import Database
from clerk_desk.ui import form, plain
from clerk_desk.ui.incident_dialogs import not_applicable_dialog, status_dialog
from clerk_desk.ui.main_window import MainWindow


def test_ctrl_n_from_anywhere_logs_an_incident_and_lands_on_it(
    window: MainWindow,
    database: Database,
    demo_url: str,
    qtbot,
    monkeypatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    def fill_and_save(dialog: form.FormDialog) -> int:
        dialog.show()
        title = dialog.fields["title"].widget
        title.setFocus()
        qtbot.keyClicks(title, "Phishing message to the council inbox")
        category = dialog.fields["category"].widget
        category.setCurrentIndex(category.findData("other"))
        qtbot.keyClicks(dialog.fields["description"].widget, "Clicked by nobody; reported at once.")
        dialog.try_save()
        return int(dialog.result())

    monkeypatch.setattr(form.FormDialog, "exec", fill_and_save)
    window.go_to_title("Settings")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page()
    assert page is window.incidents
    selected = page.current()
    assert selected.title == "Phishing message to the council inbox"
    assert selected.reference == "INC-2026-007" and selected.reported_by == "Zoë Hartley"
    assert "INC-2026-007" in page.detail_heading.text()
    database.dispose()
    assert cli.main(["--database", demo_url, "export", "incidents", "-"]) == 0
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows["INC-2026-007"]["reported_by"] == "Zoë Hartley"
    assert rows["INC-2026-007"]["title"] == "Phishing message to the council inbox"


def test_the_ico_countdown_is_on_home_and_in_check(
    window: MainWindow, database: Database, demo_url: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    home = window.go_to_title("Home")
    ico = [f for f in home.model.rows() if f.rule == "ico-deadline"]
    assert len(ico) == 1 and "42 hours left" in ico[0].message
    assert any(r.what == "Decide on notifying the ICO" for r in home.due.model_.rows())
    page = window.go_to_title("Incidents")
    assert page.select_where(lambda i: i.category == "personal_data")
    row = page.proxy.mapToSource(page.table.currentIndex()).row()
    assert page.model.index(row, 6).data() == "42 h left"


def test_a_non_council_device_incident_closes_only_when_the_chair_is_informed(
    window: MainWindow,
    database: Database,
    qtbot,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    with database.read() as session:
        incident = next(
            i for i in incidents.all_incidents(session) if i.category == IncidentCategory.NON_COUNCIL_DEVICE
        )
    close = status_dialog(window.context, incident, IncidentStatus.CLOSED, window)
    qtbot.addWidget(close)
    close.set_values({"outcome": "Volunteer reminded of the policy"})
    close.try_save()
    assert close.result() != QDialog.DialogCode.Accepted
    assert "Thornbury 9.7.1" in close.general_error.text()
    with database.read() as session:
        assert incidents.get(session, incident.id).status == IncidentStatus.INVESTIGATING
    na = not_applicable_dialog(window.context, incident, "chair_informed", window)
    qtbot.addWidget(na)
    na.try_save()  # no reason: refused
    assert na.result() != QDialog.DialogCode.Accepted
    na.set_values({"not_applicable": "The Chair was present at the fete and saw it happen"})
    na.try_save()
    assert na.result() == QDialog.DialogCode.Accepted
    with database.read() as session:
        incident = incidents.get(session, incident.id)
    close = status_dialog(window.context, incident, IncidentStatus.CLOSED, window)
    qtbot.addWidget(close)
    close.set_values({"outcome": "Volunteer reminded of the policy"})
    close.try_save()
    assert close.result() == QDialog.DialogCode.Accepted
    with database.read() as session:
        assert incidents.get(session, incident.id).status == IncidentStatus.CLOSED


def test_timeline_and_evidence(window: MainWindow, database: Database, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    monkeypatch.setattr(plain, "warning", lambda parent, title, text, *a: warnings.append(text))
    page = window.go_to_title("Incidents")
    assert page.select_where(lambda i: i.category == "impersonation")
    page.action_text.setText("Posted a warning on the council's own page")
    page.add_to_timeline()
    assert [a.text for a in page.actions_model.rows()] == ["Posted a warning on the council's own page"]
    assert page.actions_model.rows()[0].author == "Zoë Hartley"
    shot = tmp_path / "fake-page.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"screenshot" * 10)
    assert page.attach(shot)
    stored = page.evidence_model.rows()[0]
    assert stored.filename == "fake-page.png" and len(stored.sha256) == 64
    assert page.attach(shot) is False  # the same file again is refused, nothing replaced
    assert "already attached" in warnings[0]


@pytest.mark.parametrize("hours_ago", [30])
def test_the_countdown_moves_with_the_clock(window: MainWindow, hours_ago: int) -> None:
    window.context.clock.moment += timedelta(hours=50)  # type: ignore[attr-defined]
    page = window.go_to_title("Incidents")
    page.reload()
    assert page.select_where(lambda i: i.category == "personal_data")
    row = page.proxy.mapToSource(page.table.currentIndex()).row()
    assert page.model.index(row, 6).data() == "8 h overdue"


def test_the_quick_form_has_no_category_until_one_is_chosen(window, database, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A hurried incident must not get the follow-ups of a category nobody chose."""
    from services.helpers import row_counts

    from clerk_desk.ui.incident_dialogs import log_dialog

    dialog = log_dialog(window.context, window)
    qtbot.addWidget(dialog)
    assert dialog.values()["category"] == ""
    dialog.set_values({"title": "Odd message", "description": "Someone asked for the password."})
    before = row_counts(database)
    dialog.try_save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.fields["category"].error.text().startswith("Category: is required")
    assert row_counts(database) == before
    dialog.set_values({"category": IncidentCategory.OTHER.value})
    dialog.try_save()
    assert dialog.result() == dialog.DialogCode.Accepted

"""The window shows and takes moments on the council's clock (the time_zone setting), never the PC's."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import Incident, IncidentCategory
from clerk_desk.register import settings
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database
from clerk_desk.ui.assessment_pane import told_dialog
from clerk_desk.ui.election_dialogs import removal_dialog
from clerk_desk.ui.incident_dialogs import edit_dialog, ico_dialog
from clerk_desk.ui.main_window import MainWindow

SUMMER = datetime(2026, 7, 1, 1, 11, tzinfo=UTC)  # 02:11 BST
WINTER = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # 09:00 GMT
REPORTED = 1  # the Incidents table's "Reported" column
ICO = 6  # ... and its ICO countdown


@pytest.fixture(autouse=True)
def far_away(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The PC's own zone is Auckland (12 or 13 hours ahead): the window must not follow it."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _log_at(database: Database, clock: FixedClock, moment: datetime, title: str) -> Incident:
    now = clock.moment
    clock.moment = moment
    with database.transaction("Zoë Hartley") as session:
        incident = incidents.log(session, title, IncidentCategory.PERSONAL_DATA, "Sent to the wrong list")
        incident_id = incident.id
    clock.moment = now
    with database.read() as session:
        return incidents.get(session, incident_id)


def _reported_cells(window: MainWindow) -> dict[str, str]:
    page = window.go_to_title("Incidents")
    page.reload()
    model = page.model
    return {
        model.row_at(row).title: model.index(row, REPORTED).data()
        for row in range(model.rowCount())
        if model.row_at(row).title in ("Summer", "Winter")
    }


def test_the_incidents_table_shows_summer_and_winter_on_the_councils_clock(
    window: MainWindow, database: Database, clock: FixedClock
) -> None:
    _log_at(database, clock, SUMMER, "Summer")
    _log_at(database, clock, WINTER, "Winter")
    assert _reported_cells(window) == {"Summer": "2026-07-01 02:11", "Winter": "2026-01-05 09:00"}
    # The ICO countdown's tooltip gives the deadline on the council's clock: 72 hours on, in BST.
    model = window.incidents.model
    [row] = [r for r in range(model.rowCount()) if model.row_at(r).title == "Summer"]
    tip = model.index(row, ICO).data(Qt.ItemDataRole.ToolTipRole)
    assert "Decide by 2026-07-04 02:11 BST" in tip


def test_a_council_in_new_york_sees_new_york_time_once_the_setting_is_saved(
    window: MainWindow, database: Database, clock: FixedClock
) -> None:
    _log_at(database, clock, SUMMER, "Summer")
    page = window.go_to_title("Settings")
    page.fields["time_zone"].set_value("America/New_York")
    assert page.save()
    assert _reported_cells(window) == {"Summer": "2026-06-30 21:11"}


def test_a_wrong_zone_name_is_refused_beside_its_field(window: MainWindow, database: Database) -> None:
    page = window.go_to_title("Settings")
    page.fields["time_zone"].set_value("Europe/Londn")
    assert not page.save()
    assert page.fields["time_zone"].error.text() == (
        "Time zone: 'Europe/Londn' is not a time zone name (for example Europe/London)"
    )
    with database.read() as session:
        assert settings.time_zone(session).key == "Europe/London"


def test_dialogs_prefill_and_read_local_time(
    window: MainWindow, database: Database, clock: FixedClock
) -> None:
    summer = _log_at(database, clock, SUMMER, "Summer")
    clock.moment = SUMMER
    context = window.context
    ico = ico_dialog(context, summer)
    assert ico.fields["decided_at"].value() == "2026-07-01 02:11"
    assert any("Deadline: 2026-07-04 02:11 BST." in label.text() for label in ico.findChildren(QLabel))
    told = told_dialog(context, summer)
    assert told.fields["subjects_told_at"].value() == "2026-07-01 02:11"
    removal = removal_dialog(context, ["Facebook:@TownCouncil"])
    assert removal.fields["at"].value() == "2026-07-01 02:11"
    # Typed back as it was shown, the moment is the one the clock gave.
    edit = edit_dialog(context, summer)
    edit.fields["discovered_at"].set_value("2026-07-01 02:11")
    edit.fields["occurred_at"].set_value("2026-07-01 01:30")
    edit.try_save()
    assert edit.result() == QDialog.DialogCode.Accepted
    with database.read() as session:
        saved = incidents.get(session, summer.id)
    assert saved.discovered_at == SUMMER
    assert saved.occurred_at == datetime(2026, 7, 1, 0, 30, tzinfo=UTC)
    winter = _log_at(database, clock, WINTER, "Winter")
    clock.moment = WINTER
    ico = ico_dialog(context, winter)
    assert ico.fields["decided_at"].value() == "2026-01-05 09:00"


def test_a_doubled_hour_typed_in_a_dialog_asks_for_the_offset(
    window: MainWindow, database: Database, clock: FixedClock
) -> None:
    summer = _log_at(database, clock, SUMMER, "Summer")
    edit = edit_dialog(window.context, summer)
    edit.fields["occurred_at"].set_value("2026-10-25 01:30")
    edit.try_save()
    assert edit.result() != QDialog.DialogCode.Accepted
    assert "happens twice on 2026-10-25 in Europe/London: add +01:00 (BST) or +00:00 (GMT)" in (
        edit.fields["occurred_at"].error.text()
    )

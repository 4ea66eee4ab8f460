"""Tables sort and search in Python, a key per row: the same order and matches as Qt's own, kept selected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from clerk_desk.incidents import records as incident_records
from clerk_desk.models import IncidentCategory
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.table_model import ROW_ROLE, Column, RowTableModel
from clerk_desk.ui.table_page import TablePage


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    size: int | None


ROWS = [Row(1, "Zoë", 3), Row(2, "łukasz", None), Row(3, "Adam", 3), Row(4, "Ben", 1)]


class Page(TablePage):
    def __init__(self) -> None:
        model: RowTableModel[Row] = RowTableModel(
            [Column("Name", lambda r: r.name), Column("Size", lambda r: r.size, align_right=True)]
        )
        super().__init__("Rows", model)

    def reload(self) -> None:
        self.model.set_rows(ROWS)


def shown(page: TablePage) -> list[int]:
    return [page.proxy.data(page.proxy.index(row, 0), ROW_ROLE).id for row in range(page.proxy.rowCount())]


def test_sorting_by_a_column_as_a_clerk_expects(qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    page = Page()
    qtbot.addWidget(page)
    page.reload()
    assert shown(page) == [3, 4, 2, 1]  # Adam, Ben, Łukasz under L, Zoë under Z
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert shown(page) == [1, 2, 4, 3]
    # Equal sizes keep the order given (Zoë before Adam); blanks last.
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert shown(page) == [4, 1, 3, 2]
    page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert shown(page) == [2, 1, 3, 4]
    page.model.sort(-1)
    assert shown(page) == [1, 2, 3, 4]
    qtmodeltester.check(page.model)


def test_the_selected_row_stays_selected_through_a_sort_and_a_reload(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = Page()
    qtbot.addWidget(page)
    page.reload()
    assert page.select_where(lambda row: row.id == 2)
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert page.current().id == 2
    page.replace_rows(list(reversed(ROWS)), key=lambda row: row.id)
    assert page.current().id == 2
    assert shown(page) == [1, 2, 4, 3]  # the new rows, in the order chosen


def test_search_matches_any_column_ignoring_case_and_not_across_columns(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = Page()
    qtbot.addWidget(page)
    page.reload()
    page.search.setText("ŁUK")
    assert shown(page) == [2]
    page.search.setText("3")
    assert shown(page) == [3, 1]
    page.search.setText("Zoë3")  # the name and the size are two cells
    assert shown(page) == []
    page.search.setText("")
    page.proxy.set_predicate(lambda row: row.size == 3)
    assert shown(page) == [3, 1]
    page.search.setText("a")
    assert shown(page) == [3]
    assert page.summary.text() == "1 of 4 shown"


def test_a_change_shows_on_home_at_the_next_reload(window: MainWindow, clock) -> None:  # type: ignore[no-untyped-def]
    home = window.home
    assert not [f for f in home.model.rows() if f.subject == "INC-TEST"]
    with window.context.database.transaction("Zoë Hartley") as session:
        incident_records.save(
            session,
            incident_records.IncidentData(
                IncidentCategory.IMPERSONATION,
                "A fake council page",
                "Someone copied the council's page.",
                reference="INC-TEST",
                reported_at=clock.now() - timedelta(days=40),
                reported_by="Zoë Hartley",
            ),
        )
    home.reload()
    assert {f.rule for f in home.model.rows() if f.subject == "INC-TEST"} == {
        "incident-open-too-long",
        "platform-not-notified",
    }
    home.search.setText("inc-test")  # the search reads the new rows, not the ones before the reload
    assert home.proxy.rowCount() == 2


def test_search_finds_a_moment_as_the_table_shows_it_on_the_councils_clock(qtbot) -> None:  # type: ignore[no-untyped-def]
    zone = [ZoneInfo("Europe/London")]
    model: RowTableModel[datetime] = RowTableModel([Column("At", lambda at: at)], zone=lambda: zone[0])
    page = TablePage("Moments", model)
    qtbot.addWidget(page)
    model.set_rows([datetime(2026, 7, 1, 12, 0, tzinfo=UTC), datetime(2026, 1, 1, 12, 0, tzinfo=UTC)])
    page.search.setText("2026-07-01 13:00")  # British Summer Time
    assert page.proxy.rowCount() == 1
    zone[0] = ZoneInfo("UTC")  # the council's setting changed: the next search reads the new times
    page.search.setText("2026-07-01 12:00")
    assert page.proxy.rowCount() == 1

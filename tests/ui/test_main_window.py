"""The main window: navigation, accessibility contract, table models, search."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)

from clerk_desk.app import create_main_window
from clerk_desk.register import authority
from clerk_desk.ui.main_window import MainWindow

PAGES = [
    "Home",
    "Accounts",
    "People",
    "Delegated access",
    "Designated officers",
    "Incidents",
    "Elections",
    "Reports",
    "Audit trail",
    "Settings",
    "Handover",
    "Assertion 10",
]


def test_every_page_is_reachable_by_its_title(window: MainWindow) -> None:
    model = window.navigation.model()
    titles = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
    assert titles == PAGES
    for title in PAGES:
        page = window.go_to_title(title)
        assert window.current_page() is page
        assert title in window.windowTitle()


def test_status_bar_shows_database_and_actor(window: MainWindow, demo_url: str) -> None:
    assert window.database_label.text() == f"Database: {demo_url}"
    assert window.actor_label.text() == "Acting as: Zoë Hartley"


def test_unknown_actor_is_shown_as_not_in_people(qtbot, demo_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(authority, "os_login", lambda: "visitor")
    win = create_main_window(demo_url)
    qtbot.addWidget(win)
    assert win.actor_label.text() == "Acting as: visitor (not in People: may only read)"
    win.context.database.dispose()


def _visible_label(text: str) -> str:
    return text.replace("&", "").rstrip(":").strip()


@pytest.mark.parametrize("title", PAGES)
def test_accessibility_contract(window: MainWindow, title: str) -> None:
    page = window.go_to_title(title)
    for label in page.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None:
            assert buddy.accessibleName() == _visible_label(label.text())
    for widget in page.findChildren(QAbstractButton):
        if widget.text():
            assert widget.accessibleName() == widget.text().replace("&", ""), widget.text()
    inputs = [
        w for kind in (QLineEdit, QComboBox, QPlainTextEdit, QCheckBox) for w in page.findChildren(kind)
    ]
    for widget in inputs:
        if widget.parent() is not None and isinstance(widget.parent(), QComboBox):
            continue  # a combo box's own line edit
        assert widget.accessibleName(), f"{type(widget).__name__} on {title} has no accessible name"
        assert "&" not in widget.accessibleName() and not widget.accessibleName().endswith(":")


@pytest.mark.parametrize(
    "title",
    [
        "Home",
        "Accounts",
        "People",
        "Delegated access",
        "Designated officers",
        "Incidents",
        "Elections",
        "Audit trail",
    ],
)
def test_table_models_pass_the_model_tester(window: MainWindow, qtmodeltester, title: str) -> None:  # type: ignore[no-untyped-def]
    page = window.go_to_title(title)
    assert page.model.rowCount() > 0
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)


def test_ctrl_f_focuses_the_search_box_and_filters(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = window.go_to_title("Accounts")
    window.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search
    qtbot.keyClicks(page.search, "ashcombe-arch")
    assert page.proxy.rowCount() == 1
    assert page.summary.text() == "1 of 8 shown"


def test_columns_sort(window: MainWindow) -> None:
    page = window.go_to_title("Accounts")
    page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    handles = [page.proxy.index(r, 1).data() for r in range(page.proxy.rowCount())]
    assert handles == sorted(handles, key=str.casefold, reverse=True)


def test_status_filter(window: MainWindow) -> None:
    page = window.go_to_title("Accounts")
    page.status_filter.setCurrentIndex(page.status_filter.findData("proposed"))
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, 1).data() == "@ashcombeyouth"


def test_keyboard_navigation_shortcuts(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.people
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    assert window.current_page() is window.access


def test_home_lists_findings_with_their_clause(window: MainWindow) -> None:
    page = window.home
    rows = page.model.rows()
    assert {f.rule for f in rows} >= {"account-unapproved", "no-two-factor", "password-overdue"}
    assert all(f.clause for f in rows)
    assert re.search(r"Findings: \d+ high", page.overview.text())


def test_audit_page_filters_by_person_subject_and_date(window: MainWindow) -> None:
    page = window.go_to_title("Audit trail")
    total = page.model.rowCount()
    assert total > 0
    page.subject.setText("Instagram")
    page.subject.editingFinished.emit()
    # The demo's pre-election checklist names the Instagram account too.
    assert {e.subject_type for e in page.model.rows()} == {
        "Account",
        "Password change",
        "Grant",
        "Pre-election checklist",
    }
    page.subject.setText("")
    page.since.setText("2030-01-01")
    page.since.editingFinished.emit()
    assert page.model.rowCount() == 0
    page.since.setText("not a date")
    page.since.editingFinished.emit()
    assert "From: 'not a date' is not a date" in page.filter_error.text()
    page.since.setText("")
    page.person.setCurrentIndex(page.person.findData("Test setup"))
    assert page.model.rowCount() == total


def test_every_other_table_model_passes_the_model_tester(window: MainWindow, qtmodeltester, qtbot) -> None:  # type: ignore[no-untyped-def]
    from clerk_desk.ui.credential_dialogs import HistoryDialog

    qtmodeltester.check(window.home.due.model_)
    assert window.home.due.model_.rowCount() > 0
    page = window.go_to_title("Incidents")
    assert page.select_where(lambda i: i.category == "non_council_device")
    for model in (page.steps_model, page.actions_model, page.evidence_model):
        qtmodeltester.check(model)
    assert page.steps_model.rowCount() == 2 and page.actions_model.rowCount() == 1
    accounts_page = window.go_to_title("Accounts")
    assert accounts_page.select_where(lambda row: row.account.platform == "X")
    history = HistoryDialog(window.context, accounts_page.current().account, window)
    qtbot.addWidget(history)
    assert history.model.rowCount() >= 1
    qtmodeltester.check(history.model)

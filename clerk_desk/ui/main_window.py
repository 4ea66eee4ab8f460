"""The main window: navigation on the left, one page at a time, database and actor in the status bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QListView,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from clerk_desk.credentials import service as credentials
from clerk_desk.ui import plain
from clerk_desk.ui.access_page import AccessPage
from clerk_desk.ui.accounts_page import AccountsPage
from clerk_desk.ui.audit_page import AuditPage
from clerk_desk.ui.context import Context
from clerk_desk.ui.home_page import HomePage
from clerk_desk.ui.incident_dialogs import log_dialog
from clerk_desk.ui.incidents_page import IncidentsPage
from clerk_desk.ui.officers_page import OfficersPage
from clerk_desk.ui.people_page import PeoplePage
from clerk_desk.ui.reports_page import ReportsPage
from clerk_desk.ui.settings_page import SettingsPage


class MainWindow(QMainWindow):
    """Clerk Desk's window. Pages reload from the database each time they are shown."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Clerk Desk")
        # Pages are built the first time they are shown, so start-up pays only for Home.
        self.factories: list[tuple[str, Callable[[Context], QWidget]]] = [
            ("Home", HomePage),
            ("Accounts", AccountsPage),
            ("People", PeoplePage),
            ("Delegated access", AccessPage),
            ("Designated officers", OfficersPage),
            ("Incidents", IncidentsPage),
            ("Reports", ReportsPage),
            ("Audit trail", AuditPage),
            ("Settings", SettingsPage),
        ]
        self.built: dict[int, Any] = {}
        self.stack = QStackedWidget()

        self.navigation = QListView()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Navigation")
        self.navigation.setModel(QStringListModel(self.page_titles(), self))
        self.navigation.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.navigation.setFixedWidth(196)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.selectionModel().currentChanged.connect(
            lambda current, _: self.show_page(current.row())
        )
        self.navigation.clicked.connect(lambda index: self.show_page(index.row()))

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.database_label = plain.label(f"Database: {context.database.display_url}")
        self.actor_label = plain.label()
        self.statusBar().addWidget(self.database_label, 1)
        self.vault_label = plain.label("Password store: checking…")
        self.statusBar().addPermanentWidget(self.vault_label)
        self.statusBar().addPermanentWidget(self.actor_label)
        self.update_actor()

        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        # Ctrl+N logs an incident from anywhere in the window (design.md, accessibility contract).
        QShortcut(
            QKeySequence.StandardKey.New, self, self.log_incident, context=Qt.ShortcutContext.WindowShortcut
        )
        for number in range(len(self.factories)):
            QShortcut(QKeySequence(f"Ctrl+{number + 1}"), self, lambda n=number: self.go_to(n))
        self._current = -1
        self.go_to(0)
        self.resize(1280, 800)
        # The keyring can take a moment (or ask to be unlocked): look once the window is up.
        QTimer.singleShot(0, self.check_vault)

    def check_vault(self) -> None:
        """Look at the password store and show what it holds in the findings."""
        home = self.built.get(0)
        if self.current_page() is home and home.register is not None:
            # Home has just read the register: look in the keyring for those accounts, nothing more.
            snapshot = credentials.snapshot(home.register.accounts)
            self.context.vault = snapshot
            home.show_vault(snapshot)
        else:
            snapshot = self.context.refresh_vault()
            self.refresh()
        self.vault_label.setText(
            "Password store: ready" if snapshot.status.ok else "Password store: unavailable"
        )
        self.vault_label.setToolTip(plain.tooltip(snapshot.status.message))

    def update_actor(self) -> None:
        actor = self.context.actor
        note = "" if actor.known else " (not in People)"
        self.actor_label.setText(f"Acting as: {actor.name}{note}")

    def page_titles(self) -> list[str]:
        return [title for title, _ in self.factories]

    def page(self, row: int) -> Any:
        """The page at a position in the navigation, built on first use."""
        if row not in self.built:
            page = self.factories[row][1](self.context)
            if isinstance(page, HomePage):
                page.open_subject.connect(self.open_subject)
            self.stack.addWidget(page)
            self.built[row] = page
        return self.built[row]

    @property
    def home(self) -> HomePage:
        return self.page(0)

    @property
    def accounts(self) -> AccountsPage:
        return self.page(1)

    @property
    def people(self) -> PeoplePage:
        return self.page(2)

    @property
    def access(self) -> AccessPage:
        return self.page(self.page_titles().index("Delegated access"))

    @property
    def officers(self) -> OfficersPage:
        return self.page(self.page_titles().index("Designated officers"))

    @property
    def incidents(self) -> IncidentsPage:
        return self.page(self.page_titles().index("Incidents"))

    @property
    def reports(self) -> ReportsPage:
        return self.page(self.page_titles().index("Reports"))

    def log_incident(self) -> None:
        """Ctrl+N: the quick form; saving lands on the new incident."""
        dialog = log_dialog(self.context, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            page = self.go_to_title("Incidents")
            page.reload()
            page.select_incident(dialog.result_value.id)
            page.table.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def audit(self) -> AuditPage:
        return self.page(self.page_titles().index("Audit trail"))

    @property
    def settings(self) -> SettingsPage:
        return self.page(self.page_titles().index("Settings"))

    def go_to(self, row: int) -> None:
        """Show a page by its position, keeping the navigation in step."""
        self.navigation.setCurrentIndex(self.navigation.model().index(row, 0))
        self.show_page(row)

    def go_to_title(self, title: str) -> Any:
        row = self.page_titles().index(title)
        self.go_to(row)
        return self.page(row)

    def show_page(self, row: int) -> None:
        if not 0 <= row < len(self.factories) or row == self._current:
            return
        self._current = row
        title = self.factories[row][0]
        page = self.page(row)
        page.reload()
        self.stack.setCurrentWidget(page)
        self.setWindowTitle(f"{title} — Clerk Desk")

    def current_page(self) -> Any:
        return self.stack.currentWidget()

    def focus_search(self) -> None:
        page = self.current_page()
        if hasattr(page, "focus_search"):
            page.focus_search()

    def open_subject(self, kind: str, subject_id: object) -> None:
        """Go to the record a finding is about."""
        if kind == "account" and isinstance(subject_id, int):
            page = self.go_to_title("Accounts")
            page.search.clear()
            page.status_filter.setCurrentIndex(0)
            if page.select_account(subject_id):
                page.table.setFocus(Qt.FocusReason.OtherFocusReason)
                page.edit(page._selected())
        elif kind == "person" and isinstance(subject_id, int):
            page = self.go_to_title("People")
            page.search.clear()
            page.show_filter.setCurrentIndex(0)
            page.select_person(subject_id)
            page.table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif kind == "grant" and isinstance(subject_id, int):
            page = self.go_to_title("Delegated access")
            page.search.clear()
            page.select_grant(subject_id)
            page.table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif kind == "incident" and isinstance(subject_id, int):
            page = self.go_to_title("Incidents")
            page.select_incident(subject_id)
            page.table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif kind == "settings":
            self.go_to_title("Settings")
        elif kind == "vault":
            self.go_to_title("Accounts")

    def refresh(self) -> None:
        """Reload the page on show (after a change made elsewhere)."""
        page = self.current_page()
        page.reload()

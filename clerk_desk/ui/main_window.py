"""The main window: navigation on the left, one page at a time, database and actor in the status bar."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QItemSelection, QSize, QStringListModel, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QListView,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from clerk_desk.ui import a11y, plain

if TYPE_CHECKING:
    from clerk_desk.checks.findings import Register
    from clerk_desk.ui.access_page import AccessPage
    from clerk_desk.ui.accounts_page import AccountsPage
    from clerk_desk.ui.audit_page import AuditPage
    from clerk_desk.ui.context import Context
    from clerk_desk.ui.elections_page import ElectionsPage
    from clerk_desk.ui.home_page import HomePage
    from clerk_desk.ui.incidents_page import IncidentsPage
    from clerk_desk.ui.officers_page import OfficersPage
    from clerk_desk.ui.page import Page
    from clerk_desk.ui.people_page import PeoplePage
    from clerk_desk.ui.reports_page import ReportsPage
    from clerk_desk.ui.settings_page import SettingsPage

#: The pages in the navigation's order, each as (title, module, class). A page's module is imported the
#: first time the page is shown, so the window can appear before the database layer is loaded.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("Home", "home_page", "HomePage"),
    ("Accounts", "accounts_page", "AccountsPage"),
    ("People", "people_page", "PeoplePage"),
    ("Delegated access", "access_page", "AccessPage"),
    ("Designated officers", "officers_page", "OfficersPage"),
    ("Incidents", "incidents_page", "IncidentsPage"),
    ("Elections", "elections_page", "ElectionsPage"),
    ("Reports", "reports_page", "ReportsPage"),
    ("Audit trail", "audit_page", "AuditPage"),
    ("Settings", "settings_page", "SettingsPage"),
    ("Handover", "handover_page", "HandoverPage"),
    ("Assertion 10", "assertion10_page", "Assertion10Page"),
)


def _page_factory(module: str, name: str) -> Callable[[Context], QWidget]:
    def build(context: Context) -> QWidget:
        page_class = getattr(importlib.import_module(f"clerk_desk.ui.{module}"), name)
        return cast(QWidget, page_class(context))

    return build


#: The page that shows each kind of subject a finding or reminder is about.
SUBJECT_PAGES = {
    "account": "Accounts",
    "person": "People",
    "grant": "Delegated access",
    "incident": "Incidents",
    "election": "Elections",
    "settings": "Settings",
    "vault": "Accounts",
}


class MainWindow(QMainWindow):
    """Clerk Desk's window. Pages reload from the database each time they are shown."""

    def __init__(self, context: Context | None, parent: QWidget | None = None) -> None:
        """The window on ``context``; with None, the window while the database opens (``attach``)."""
        super().__init__(parent)
        self._context = context
        self.setWindowTitle("Clerk Desk")
        # Pages are built the first time they are shown, so start-up pays only for Home.
        self.factories: list[tuple[str, Callable[[Context], QWidget]]] = [
            (title, _page_factory(module, name)) for title, module, name in PAGES
        ]
        self.built: dict[int, Any] = {}
        self.stack = QStackedWidget()

        self.navigation = QListView()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Navigation")
        self.navigation.setModel(QStringListModel(self.page_titles(), self))
        self.navigation.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.selectionModel().currentChanged.connect(
            lambda current, _: self.show_page(current.row())
        )
        self.navigation.clicked.connect(lambda index: self.show_page(index.row()))
        # A screen reader selects an item rather than making it current: that shows the page too.
        self.navigation.selectionModel().selectionChanged.connect(self._navigation_selected)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.database_label = plain.label("Opening the database…")
        self.actor_label = plain.label()
        self.statusBar().addWidget(self.database_label, 1)
        self.vault_label = plain.label("Password store: checking…")
        self.statusBar().addPermanentWidget(self.vault_label)
        self.statusBar().addPermanentWidget(self.actor_label)

        # No Alt letter for File: every letter of it is a button's on some page (Alt+F attaches evidence);
        # Ctrl+I imports from anywhere in the window.
        file_menu = self.menuBar().addMenu("File")
        self.import_action = file_menu.addAction("&Import CSV…")
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.import_action.triggered.connect(self.import_csv)
        self.import_action.setEnabled(context is not None)
        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = help_menu.addAction("&About Clerk Desk")
        self.about_action.triggered.connect(self.show_about)
        self.about_action.setEnabled(context is not None)

        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        # Ctrl+N logs an incident from anywhere in the window (design.md, accessibility contract).
        QShortcut(
            QKeySequence.StandardKey.New, self, self.log_incident, context=Qt.ShortcutContext.WindowShortcut
        )
        for number in range(min(len(self.factories), 10)):
            # Ctrl+1 … Ctrl+9, then Ctrl+0 for the tenth page.
            key = (number + 1) % 10
            QShortcut(QKeySequence(f"Ctrl+{key}"), self, lambda n=number: self.go_to(n))
        self._current = -1
        self.fit_navigation()
        a11y.fit_to_screen(self, QSize(1280, 800))
        if context is None:
            self._show_loading()
        else:
            self.attach(context)

    @property
    def context(self) -> Context:
        if self._context is None:
            raise RuntimeError("the window has no database yet")
        return self._context

    @context.setter
    def context(self, context: Context) -> None:
        self._context = context

    @property
    def ready(self) -> bool:
        """Whether the database is open and the pages can be used."""
        return self._context is not None

    def _show_loading(self) -> None:
        """Home's place while the database opens: the navigation waits, the window paints."""
        self.loading = plain.label("Loading the register…")
        self.loading.setObjectName("loading")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading)
        self.navigation.setEnabled(False)
        self.navigation.setCurrentIndex(self.navigation.model().index(0, 0))
        self.setWindowTitle("Home — Clerk Desk")
        QTimer.singleShot(1000, self._still_loading)

    def _still_loading(self) -> None:
        if not self.ready:
            self.statusBar().showMessage("Still opening the database: a large council takes a moment…")

    def attach(self, context: Context, register: Register | None = None) -> None:
        """Open the pages on ``context``; ``register`` is Home's, when it was read while the window waited."""
        # What start-up made (the modules, the window) lives as long as the window: the garbage collector
        # need not walk it again each time a reload makes thousands of short-lived rows.
        gc.freeze()
        self._context = context
        self.about_action.setEnabled(True)
        self.import_action.setEnabled(True)
        self.statusBar().clearMessage()
        self.database_label.setText(f"Database: {context.database.display_url}")
        self.update_actor()
        self.navigation.setEnabled(True)
        loading = getattr(self, "loading", None)
        if register is not None:
            self.home.show_register(register)
        self.go_to(0, reload=register is None)
        if loading is not None:
            self.stack.removeWidget(loading)
            loading.deleteLater()
            self.navigation.setFocus()
        # The keyring can take a moment (or ask to be unlocked): look once the window is up.
        QTimer.singleShot(0, self.check_vault)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window checkpoints the audit trail (in this PC's anchor file, and in the database
        when the clerk or deputy clerk closes it), then makes a checked backup at most once a day; a
        missing backup folder never stops the close."""
        if self.ready:
            self.context.checkpoint("window closed")
            from clerk_desk.continuity import backup
            from clerk_desk.storage import config

            backup.at_close(self.context.database, config.backup_folder(), self.context.clock.now())
        super().closeEvent(event)

    def check_vault(self) -> None:
        """Look at the password store and show what it holds in the findings."""
        home = self.built.get(0)
        if self.current_page() is home and home.register is not None:
            # Home has just read the register: look in the keyring for those accounts, nothing more.
            registered = home.register.accounts
            from clerk_desk.credentials import service as credentials

            snapshot = self.context.read(lambda session: credentials.snapshot(registered, session))
            self.context.vault = snapshot
            home.show_vault(snapshot)
        else:
            snapshot = self.context.refresh_vault()
            self.refresh()
        self.vault_label.setText(
            "Password store: ready" if snapshot.status.ok else "Password store: unavailable"
        )
        self.vault_label.setToolTip(plain.tooltip(snapshot.status.message))

    def show_about(self) -> None:
        """Help > About: the version, the database and where copies go (once the database is open)."""
        from clerk_desk.ui.about_dialog import AboutDialog

        AboutDialog(self.context.database.url, self).exec()

    def import_csv(self) -> None:
        """File > Import CSV…: on a worker thread, with a progress bar; the page on show reloads after."""
        from clerk_desk.ui.import_csv import choose_and_import

        self.import_job = choose_and_import(self, self.context)

    def update_actor(self) -> None:
        actor = self.context.actor
        note = {"chosen": " (chosen on this PC)", "setup": " (setting up)"}.get(actor.how, "")
        if not actor.known:
            note = " (not in People: may only read)" if actor.how == "unknown" else " (not in People)"
        self.actor_label.setText(f"Acting as: {actor.name}{note}")

    def fit_navigation(self) -> None:
        """Make the navigation as wide as its longest title at the current text size (1.4.4)."""
        self.navigation.ensurePolished()
        metrics = self.navigation.fontMetrics()
        bold = self.navigation.font()
        bold.setBold(True)  # the current page is shown in bold
        widest = max(QFontMetrics(bold).horizontalAdvance(t) for t in self.page_titles())
        widest = max(widest, metrics.horizontalAdvance("M" * 10))
        self.navigation.setFixedWidth(widest + 2 * 14 + 24)  # item padding and the frame

    def _navigation_selected(self, selected: QItemSelection, _: QItemSelection) -> None:
        if selected.indexes():
            self.show_page(selected.indexes()[0].row())

    def page_titles(self) -> list[str]:
        return [title for title, _ in self.factories]

    def page(self, row: int) -> Any:
        """The page at a position in the navigation, built on first use."""
        if row not in self.built:
            page = self.factories[row][1](self.context)
            if row == 0:  # Home
                cast("HomePage", page).open_subject.connect(self.open_subject)
            if self.factories[row][0] == "Reports":
                # Each annual review checkpoints the audit trail, as the printed count is one too.
                cast("ReportsPage", page).created.connect(lambda _: self.context.checkpoint("annual report"))
            # A page scrolls rather than cutting off what does not fit (large text, small screen).
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QScrollArea.Shape.NoFrame)
            holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            holder.setWidget(page)
            self.stack.addWidget(holder)
            a11y.tab_in_layout_order(page)  # once in the window: moving it there reorders the chain
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
    def elections(self) -> ElectionsPage:
        return self.page(self.page_titles().index("Elections"))

    @property
    def reports(self) -> ReportsPage:
        return self.page(self.page_titles().index("Reports"))

    def log_incident(self) -> None:
        """Ctrl+N: the quick form; saving lands on the new incident."""
        if not self.ready:
            return
        from clerk_desk.ui.incident_dialogs import log_dialog

        dialog = log_dialog(self.context, self)
        if a11y.exec_dialog(dialog) == QDialog.DialogCode.Accepted:
            page = self.go_to_title("Incidents")
            page.reload()
            page.show_record(dialog.result_value.id)

    @property
    def audit(self) -> AuditPage:
        return self.page(self.page_titles().index("Audit trail"))

    @property
    def settings(self) -> SettingsPage:
        return self.page(self.page_titles().index("Settings"))

    def go_to(self, row: int, *, reload: bool = True) -> None:
        """Show a page by its position, keeping the navigation in step."""
        self.show_page(row, reload=reload)
        self.navigation.setCurrentIndex(self.navigation.model().index(row, 0))

    def go_to_title(self, title: str) -> Any:
        row = self.page_titles().index(title)
        self.go_to(row)
        return self.page(row)

    def show_page(self, row: int, *, reload: bool = True) -> None:
        if not self.ready or not 0 <= row < len(self.factories) or row == self._current:
            return
        self._current = row
        title = self.factories[row][0]
        page = self.page(row)
        if reload:
            page.reload()
        self.stack.setCurrentWidget(page.parentWidget().parentWidget())  # the page's scroll area
        self.setWindowTitle(f"{title} — Clerk Desk")

    def current_page(self) -> Any:
        holder = self.stack.currentWidget()
        return holder.widget() if isinstance(holder, QScrollArea) else holder

    def focus_search(self) -> None:
        page = self.current_page()
        if hasattr(page, "focus_search"):
            page.focus_search()

    def open_subject(self, kind: str, subject_id: object) -> None:
        """Go to the record a finding or reminder is about."""
        title = SUBJECT_PAGES.get(kind)
        if title is None:
            return
        page: Page = self.go_to_title(title)
        if subject_id is not None:
            page.show_record(subject_id)

    def refresh(self) -> None:
        """Reload the page on show (after a change made elsewhere)."""
        page = self.current_page()
        page.reload()

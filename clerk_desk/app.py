"""QApplication set-up and the main window factory."""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from datetime import date
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEventLoop, Qt, QThread, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QSystemTrayIcon

from clerk_desk.checks import engine as checks
from clerk_desk.checks import reminders
from clerk_desk.credentials import vault
from clerk_desk.errors import ClerkDeskError
from clerk_desk.register import authority, people
from clerk_desk.storage import config
from clerk_desk.storage.db import open_database
from clerk_desk.ui import plain
from clerk_desk.ui.actor_dialog import ActorDialog
from clerk_desk.ui.context import Context
from clerk_desk.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def resources_dir() -> Path:
    """``resources/`` in a source checkout, or its copy inside an installed package."""
    source = Path(__file__).resolve().parent.parent / "resources"
    return source if source.is_dir() else Path(__file__).resolve().parent / "_resources"


def apply_style(app: QApplication) -> None:
    style = resources_dir() / "style.qss"
    if style.is_file():
        app.setStyleSheet(style.read_text(encoding="utf-8"))


def app_icon() -> QIcon:
    """The window and tray icon."""
    return QIcon(str(resources_dir() / "clerk-desk.png"))


def create_main_window(database_url: str, actor: str | None = None) -> MainWindow:
    """The main window on ``database_url``, without starting an event loop.

    Uses the running QApplication. Raises ``DatabaseError`` when the database cannot be opened.
    """
    app = QApplication.instance()
    if isinstance(app, QApplication) and not app.property("clerkDeskStyled"):
        apply_style(app)
        app.setProperty("clerkDeskStyled", True)
    database = open_database(database_url)
    with database.read() as session:
        resolved = authority.resolve_actor(session, database.url, actor)
    window = MainWindow(Context(database, resolved))
    window.setWindowIcon(app_icon())
    return window


def _setup_logging() -> None:
    try:
        log_dir = config.data_dir()
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_dir / "clerk-desk.log", encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """A bug is logged in full and reported in a sentence; the window stays open."""
    log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
    if isinstance(value, ClerkDeskError):
        plain.warning(None, "Clerk Desk", str(value))
        return
    plain.critical(
        None,
        "Clerk Desk",
        "Something went wrong that Clerk Desk did not expect. Nothing half-saved: the last change was "
        f"undone. Details are in {config.data_dir() / 'clerk-desk.log'}.",
    )


def _wait_for_keyring(worker: threading.Thread, timeout: float) -> None:
    """Wait for a keyring call while the window keeps painting (clicks wait, so nothing runs twice)."""
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        worker.join(timeout)
        return
    deadline = time.monotonic() + timeout
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        while worker.is_alive() and time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 50)
            worker.join(0.02)
    finally:
        QApplication.restoreOverrideCursor()


class Notifier:
    """A tray notification of what is due: at start, and once a day while Clerk Desk runs."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.last_day: date | None = None
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(window.windowIcon(), window)
            self.tray.setToolTip("Clerk Desk")
            self.tray.activated.connect(self.bring_forward)
            self.tray.messageClicked.connect(self.bring_forward)
            self.tray.show()
        self.timer = QTimer(window)
        self.timer.timeout.connect(self.notify_if_new_day)
        self.timer.start(60 * 60 * 1000)

    def bring_forward(self, *_: object) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()
        self.window.go_to(0)

    def notify_if_new_day(self) -> None:
        context = self.window.context
        today = context.clock.today()
        if self.tray is None or today == self.last_day:
            return
        self.last_day = today
        register = context.read(lambda s: checks.load(s, context.clock, context.vault))
        message = reminders.summary(reminders.due(None, register), today)
        if message:
            self.tray.showMessage("Clerk Desk: due", message, QSystemTrayIcon.MessageIcon.Information, 15_000)


def _choose_actor(window: MainWindow) -> None:
    """Ask once who is using Clerk Desk, when the OS user is nobody's login."""
    context = window.context
    if context.actor.how != "os-user":
        return
    today = context.clock.today()
    names = context.read(lambda s: [p.name for p in people.all_people(s) if not p.has_left(today)])
    if not names:
        return
    dialog = ActorDialog(names, context.actor.name, window)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        chosen = dialog.chosen()
        config.remember_actor(context.database.url, chosen)
        with context.database.read() as session:
            context.actor = authority.resolve_actor(session, context.database.url, chosen)
        window.update_actor()
        window.refresh()


def run_gui(database_url: str, actor: str | None) -> int:
    """Open the window and run until it closes."""
    _setup_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Clerk Desk")
    app.setOrganizationName("Clerk Desk")
    try:
        window = create_main_window(database_url, actor)
    except ClerkDeskError as exc:
        plain.critical(None, "Clerk Desk cannot open the database", str(exc))
        return 2
    sys.excepthook = _excepthook
    vault.set_waiter(_wait_for_keyring)
    window.show()
    _choose_actor(window)
    notifier = Notifier(window)
    QTimer.singleShot(500, notifier.notify_if_new_day)
    return app.exec()

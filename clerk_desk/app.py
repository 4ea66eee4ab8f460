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
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QEventLoop, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QSystemTrayIcon

from clerk_desk.errors import ClerkDeskError
from clerk_desk.storage import config
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.main_window import MainWindow

if TYPE_CHECKING:
    from clerk_desk.checks.findings import Register
    from clerk_desk.ui.context import Context

# Only Qt and the window's frame are imported before the window is shown. The database layer, the
# checks and the pages load on a worker thread while it paints (design.md, "Quality bars": start-up).

log = logging.getLogger(__name__)


def resources_dir() -> Path:
    """``resources/`` in a source checkout, or its copy inside an installed package."""
    source = Path(__file__).resolve().parent.parent / "resources"
    return source if source.is_dir() else Path(__file__).resolve().parent / "_resources"


def apply_style(app: QApplication) -> None:
    # The style sheet names its pictures "clerk:NAME" (a search path, so it works from any folder).
    QDir.addSearchPath("clerk", str(resources_dir()))
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
    window = MainWindow(open_context(database_url, actor))
    window.setWindowIcon(app_icon())
    return window


def open_context(database_url: str, actor: str | None) -> Context:
    """Open the database and establish who is acting. Raises ``DatabaseError`` when it cannot be opened."""
    from clerk_desk.register import authority
    from clerk_desk.storage.db import open_database
    from clerk_desk.ui.context import Context

    database = open_database(database_url)
    with database.read() as session:
        resolved = authority.resolve_actor(session, database.url, actor)
    return Context(database, resolved)


def load_home(context: Context) -> Register:
    """Home's register, read with the checks it shows."""
    from clerk_desk.checks import engine as checks

    return context.read(lambda s: checks.load(s, context.clock, context.vault))


class Opener(QObject):
    """Opens the database and reads Home on a worker thread while the window paints.

    ``opened`` and ``failed`` are emitted from the worker and delivered on the window's thread.
    """

    opened = Signal(object, object)  # the Context and Home's Register
    failed = Signal(str)

    def __init__(self, database_url: str, actor: str | None) -> None:
        super().__init__()
        self.database_url = database_url
        self.actor = actor
        self.worker = threading.Thread(target=self._run, name="clerk-desk-open", daemon=True)

    def start(self) -> None:
        self.worker.start()

    def _run(self) -> None:
        try:
            context = open_context(self.database_url, self.actor)
            register = load_home(context)
        except ClerkDeskError as exc:
            self.failed.emit(str(exc))
            return
        except Exception:
            log.error("opening the database failed:\n%s", traceback.format_exc())
            details = config.data_dir() / "clerk-desk.log"
            self.failed.emit(f"Clerk Desk could not open the database. Details are in {details}.")
            return
        self.opened.emit(context, register)


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
        from clerk_desk.checks import reminders

        message = reminders.summary(reminders.due(None, load_home(context)), today)
        if message:
            body = plain.notification(message)
            self.tray.showMessage("Clerk Desk: due", body, QSystemTrayIcon.MessageIcon.Information, 15_000)
            a11y.announce(self.window, f"Clerk Desk: due. {message}")  # for a screen reader too


def _choose_actor(window: MainWindow) -> None:
    """Ask once who is using Clerk Desk, when the OS user is nobody's login (SQLite only: on PostgreSQL
    the database user decides). Only people without a login are offered, and the choice is recorded in
    the audit trail as a choice."""
    from clerk_desk.register import authority
    from clerk_desk.ui.actor_dialog import ActorDialog

    context = window.context
    if context.actor.how != "unknown" or context.database.engine.dialect.name != "sqlite":
        return
    today = context.clock.today()
    names = context.read(lambda s: [p.name for p in authority.choosable(s, today)])
    if not names:
        return
    dialog = ActorDialog(names, context.actor.name, window)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        chosen = dialog.chosen()
        os_user = context.actor.name
        with context.database.transaction(chosen) as session:
            authority.record_choice(session, os_user)
        config.remember_actor(context.database.url, chosen)
        with context.database.read() as session:
            context.actor = authority.resolve_actor(session, context.database.url)
        window.update_actor()
        window.refresh()


def run_gui(database_url: str, actor: str | None, *, smoke_test: bool = False) -> int:
    """Open the window at once, the database behind it, and run until the window closes.

    With ``smoke_test``, run until every page has been painted instead (``clerk-desk --smoke-test``).
    """
    _setup_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Clerk Desk")
    app.setOrganizationName("Clerk Desk")
    apply_style(app)
    app.setProperty("clerkDeskStyled", True)
    window = MainWindow(None)
    window.setWindowIcon(app_icon())
    window.show()
    opener = Opener(database_url, actor)

    def opened(context: Context, register: Register) -> None:
        from clerk_desk.credentials import vault

        vault.set_waiter(_wait_for_keyring)
        sys.excepthook = _excepthook
        window.attach(context, register)
        if smoke_test:
            from clerk_desk.ui.smoke import SmokeTest

            smoke = SmokeTest(app, window)
            window.setProperty("clerkDeskSmokeTest", smoke)
            smoke.start()
            return
        _choose_actor(window)
        notifier = Notifier(window)
        window.setProperty("clerkDeskNotifier", notifier)
        QTimer.singleShot(500, notifier.notify_if_new_day)

    def failed(message: str) -> None:
        if smoke_test:
            print(f"FAILED  database: {message}", flush=True)
        else:
            plain.critical(window, "Clerk Desk cannot open the database", message)
        app.exit(2)

    queued = Qt.ConnectionType.QueuedConnection
    opener.opened.connect(opened, queued)
    opener.failed.connect(failed, queued)
    opener.start()
    return app.exec()

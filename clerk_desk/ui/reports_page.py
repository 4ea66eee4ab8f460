"""Reports: the annual review for full council, with its period, meeting, version and written assessment.

The figures are read on the window's thread (a few quick queries); laying out the PDF, the slow part,
runs on a worker thread while a progress bar moves. The services know nothing of Qt: they report
progress through a plain callback, which the worker turns into a signal.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QStandardPaths, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.register import authority
from clerk_desk.register import settings as council_settings
from clerk_desk.reports import assessment, period, printing
from clerk_desk.ui import plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import Field, check_field, line_field, text_field
from clerk_desk.ui.report_worker import RenderWorker
from clerk_desk.ui.table_page import button

CUSTOM = "custom"


class ReportsPage(QWidget):
    """Choose the period and version, write the assessment, create the PDF and open it."""

    created = Signal(object)

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._thread: QThread | None = None
        self.worker: RenderWorker | None = None
        self.last_written: Path | None = None
        self._loaded: tuple[period.Period | None, int | None, str] = (None, None, "")
        self._filling = False
        self._watching = False
        self.may_manage = False

        heading = plain.label("Reports")
        heading.setObjectName("pageHeading")
        intro = plain.label(
            "The social media annual review for full council (Thornbury 10; Stalbridge 5): the register, "
            "officers and access, incidents, policy health and a sign-off block, as a PDF to print."
        )
        intro.setWordWrap(True)

        self.preset = QComboBox()
        self.preset.setAccessibleName("Period")
        self.start = line_field("from", "From", "YYYY-MM-DD")
        self.end = line_field("to", "To", "YYYY-MM-DD")
        self.meeting = line_field(
            "meeting", "Meeting or agenda reference", "e.g. Full council, 12 May 2027, item 7"
        )
        self.public = check_field("public", "Public version")
        public_help = plain.label(
            "Leaves out incident descriptions, external parties, evidence and the names of the people "
            "involved in incidents, for the agenda pack."
        )
        public_help.setObjectName("pageSummary")
        public_help.setWordWrap(True)
        self.assessment = text_field("assessment", "Written assessment")
        self.assessment.widget.setFixedHeight(140)
        self.assessment_note = plain.label()
        self.assessment_note.setObjectName("pageSummary")
        self.save_button = button("Save assessment", "Store the assessment for this period")
        self.save_button.clicked.connect(self.save_assessment)
        self.create_button = button("Create report", "Choose where to save the PDF, create it and open it")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.choose_and_create)
        self.print_button = button("Print", "Print the report last created, on this PC's default printer")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_report)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.message = plain.label()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.status = plain.label()
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self._label("Period", self.preset), self.preset)
        dates = QHBoxLayout()
        for f in (self.start, self.end):
            f.widget.setMaximumWidth(140)
        dates.addWidget(self.start.widget)
        dates.addSpacing(12)
        dates.addWidget(self._label("To", self.end.widget))
        dates.addWidget(self.end.widget)
        dates.addStretch(1)
        form.addRow(self._label("From", self.start.widget), self._with_error(dates, self.start, self.end))
        meeting_column = QVBoxLayout()
        meeting_column.setSpacing(2)
        meeting_column.addWidget(self.meeting.widget)
        meeting_column.addWidget(self.meeting.error)
        form.addRow(self._label(self.meeting.label, self.meeting.widget), meeting_column)
        public_column = QVBoxLayout()
        public_column.setSpacing(2)
        public_column.addWidget(self.public.widget)
        public_column.addWidget(public_help)
        form.addRow("", public_column)
        assessment_column = QVBoxLayout()
        assessment_column.addWidget(self.assessment.widget)
        note_row = QHBoxLayout()
        note_row.addWidget(self.assessment_note, 1)
        note_row.addWidget(self.save_button)
        assessment_column.addLayout(note_row)
        assessment_column.addWidget(self.assessment.error)
        form.addRow(self._label(self.assessment.label, self.assessment.widget), assessment_column)

        actions = QHBoxLayout()
        actions.addWidget(self.create_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.progress, 1)
        actions.addStretch(1)  # keeps the button its own size while the progress bar is hidden

        body = QWidget()
        body.setMaximumWidth(860)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(intro)
        body_layout.addLayout(form)
        body_layout.addLayout(actions)
        body_layout.addWidget(self.status)
        body_layout.addWidget(self.message)
        body_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(body, 1)

        self.preset.currentIndexChanged.connect(self._preset_chosen)
        for f in (self.start, self.end):
            # textEdited (typing only), not editingFinished: that also fires as the window closes.
            f.widget.textEdited.connect(self._dates_edited)  # type: ignore[attr-defined]
        for f in (self.start, self.end, self.meeting):
            f.widget.returnPressed.connect(self.choose_and_create)  # type: ignore[attr-defined]
        self.setTabOrder(self.preset, self.start.widget)
        self.setTabOrder(self.start.widget, self.end.widget)
        self.setTabOrder(self.end.widget, self.meeting.widget)
        self.setTabOrder(self.meeting.widget, self.public.widget)
        self.setTabOrder(self.public.widget, self.assessment.widget)
        self.setTabOrder(self.assessment.widget, self.save_button)
        self.setTabOrder(self.save_button, self.create_button)
        self.setTabOrder(self.create_button, self.print_button)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = plain.label(f"{text}:")
        label.setBuddy(buddy)
        return label

    @staticmethod
    def _with_error(row: QHBoxLayout, *fields: Field) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addLayout(row)
        for f in fields:
            column.addWidget(f.error)
        return column

    # --- the period -----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Offer the presets from the council's municipal year; keep a custom period already typed."""
        today = self.context.clock.today()
        settings, manage = self.context.read(
            lambda s: (
                council_settings.load(s),
                authority.actor_may_manage(s, self.context.actor.name, today),
            )
        )
        self.may_manage = manage
        self.assessment.widget.setReadOnly(not manage)  # type: ignore[attr-defined]
        self.save_button.setEnabled(manage)
        chosen = self.preset.currentData()
        self._filling = True
        self.preset.clear()
        for preset in period.presets(today, settings.year_start_month):
            self.preset.addItem(preset.label, preset)
        self.preset.addItem("Custom period", CUSTOM)
        self._filling = False
        if chosen == CUSTOM:
            self.preset.setCurrentIndex(self.preset.count() - 1)
        else:
            # The same preset as before (its dates move on with the clock), else the first.
            keys = [getattr(self.preset.itemData(i), "key", CUSTOM) for i in range(self.preset.count())]
            key = getattr(chosen, "key", None)
            self.preset.setCurrentIndex(keys.index(key) if key in keys else 0)
        self._preset_chosen()

    def _preset_chosen(self, *_: object) -> None:
        if self._filling:
            return
        preset = self.preset.currentData()
        if isinstance(preset, period.Preset):
            self.start.set_value(preset.period.start.isoformat())
            self.end.set_value(preset.period.end.isoformat())
        self._load_assessment()

    def _dates_edited(self, *_: object) -> None:
        """Typing a date makes the period a custom one; once both dates are whole, its assessment shows."""
        self._filling = True
        self.preset.setCurrentIndex(self.preset.count() - 1)
        self._filling = False
        self._load_assessment()

    def chosen_period(self) -> period.Period:
        """The period on screen, or a ValidationError naming ``from`` or ``to``."""
        return period.parse(self.start.value(), self.end.value(), self.context.clock.today())

    def _show_field_error(self, exc: ValidationError) -> None:
        fields = {"from": self.start, "to": self.end, "meeting": self.meeting, "assessment": self.assessment}
        target = fields.get(exc.field)
        if target is not None:
            target.error.setText(f"{target.label}: {exc.message}")
            target.error.setVisible(True)
            target.widget.setFocus()
        else:
            self.message.setText(str(exc))

    def _clear_errors(self) -> None:
        for f in (self.start, self.end, self.meeting, self.assessment):
            f.error.setVisible(False)
        self.message.clear()

    # --- the written assessment --------------------------------------------------------------------------

    def _load_assessment(self) -> None:
        """Show the assessment stored for the period on screen, saving the one being edited first."""
        self._clear_errors()
        try:
            chosen = self.chosen_period()
        except ValidationError:
            return
        if self._loaded[0] == chosen:
            return
        if not self.save_assessment(quiet=True):
            return
        stored = self.context.read(lambda s: assessment.get(s, chosen))
        text = stored.text if stored else ""
        self._loaded = (chosen, stored.version if stored else None, text)
        self.assessment.set_value(text)
        self._describe_assessment(stored.updated_by if stored else None)

    def _describe_assessment(self, by: str | None) -> None:
        chosen = self._loaded[0]
        if chosen is None:
            self.assessment_note.clear()
        elif by:
            self.assessment_note.setText(f"For {chosen.label}; last saved by {by}.")
        else:
            self.assessment_note.setText(f"For {chosen.label}; printed on the summary page.")

    def save_assessment(self, quiet: bool = False) -> bool:
        """Store the text for the period it was loaded for, if it changed. False when refused."""
        loaded, version, original = self._loaded
        text = self.assessment.value()
        if loaded is None or text.strip() == original.strip() or not self.may_manage:
            return True
        try:
            with self.context.write() as session:
                row = assessment.save(session, loaded, text, version)
                saved = (row.version, row.text, row.updated_by)
        except ValidationError as exc:
            self._show_field_error(exc)
            return False
        except ClerkDeskError as exc:
            self.message.setText(str(exc))
            return False
        self._loaded = (loaded, saved[0], saved[1])
        self._describe_assessment(saved[2])
        if not quiet:
            self.status.setText(f"Assessment saved for {loaded.label}.")
        return True

    # --- creating the report -----------------------------------------------------------------------------

    def default_name(self, chosen: period.Period) -> str:
        version = "public" if self.public.widget.isChecked() else "confidential"  # type: ignore[attr-defined]
        label = period.year_label(chosen).replace(" ", "-")
        return f"Social-media-annual-review-{label}-{version}.pdf"

    def choose_and_create(self) -> None:
        """Ask where to save the PDF, then create it."""
        self._clear_errors()
        try:
            chosen = self.chosen_period()
        except ValidationError as exc:
            self._show_field_error(exc)
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder or Path.home()) / self.default_name(chosen))
        path, _ = QFileDialog.getSaveFileName(self, "Save the annual review", suggested, "PDF files (*.pdf)")
        if path:
            self.create_report(Path(path))

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def create_report(self, out: Path) -> bool:
        """Gather the figures, then write the PDF on a worker thread and open it when done.

        Returns False (with the reason on the page) when nothing was started.
        """
        if self.busy:
            return False
        self._clear_errors()
        self.status.clear()
        try:
            chosen = self.chosen_period()
            if self._loaded[0] != chosen:
                self._load_assessment()
            elif not self.save_assessment(quiet=True):
                return False
            review = self._gather(chosen, out)
        except ValidationError as exc:
            self._show_field_error(exc)
            return False
        except ClerkDeskError as exc:
            self.message.setText(str(exc))
            return False
        from clerk_desk.reports import layout

        layout.register_fonts()  # once, here, rather than on the worker thread
        self._start(review, out)
        return True

    def _gather(self, chosen: period.Period, out: Path) -> object:
        from clerk_desk.reports import data, output

        output.check_output(out)
        meeting = self.meeting.value()
        if len(meeting) > 200:
            raise ValidationError("meeting", "is too long (at most 200 characters)")
        return self.context.read(
            lambda s: data.gather(
                s,
                self.context.clock,
                chosen,
                public=self.public.widget.isChecked(),  # type: ignore[attr-defined]
                meeting=meeting,
                prepared_by=self.context.actor.name,
                vault=self.context.vault,
            )
        )

    def _start(self, review: object, out: Path) -> None:
        self.create_button.setEnabled(False)
        self.progress.setValue(5)
        self.progress.setVisible(True)
        self.status.setText("Creating the report…")
        thread = QThread(self)
        worker = RenderWorker(review, out)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self._progressed)
        worker.done.connect(self._done)
        worker.failed.connect(self._failed)
        # Direct: the thread ends as soon as the work does, even while the window's thread is busy.
        worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.failed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._finished)
        self._thread, self.worker = thread, worker
        thread.start()

    def _progressed(self, percent: int, what: str) -> None:
        self.progress.setValue(percent)
        self.status.setText(f"{what}…")

    def _done(self, written: Path) -> None:
        self.last_written = written
        self.progress.setValue(100)
        self.status.setText(f"Saved {written}. Opening it in your PDF viewer.")
        self.print_button.setEnabled(printing.available())
        if not printing.available():
            self.print_button.setToolTip(plain.tooltip(printing.unavailable_reason()))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(written)))
        self.created.emit(written)

    def print_report(self) -> None:
        """Send the PDF created last to the system's printing."""
        if self.last_written is None:
            return
        try:
            self.status.setText(printing.send(self.last_written))
        except ClerkDeskError as exc:
            self.message.setText(str(exc))

    def _failed(self, message: str) -> None:
        self.status.clear()
        self.message.setText(f"Nothing was saved: {message}")

    def _finished(self) -> None:
        if self._thread is not None:
            self.wait()
            self._thread.deleteLater()
        if self.worker is not None:
            self.worker.deleteLater()
        self._thread = self.worker = None
        self.progress.setVisible(False)
        self.create_button.setEnabled(True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self and not self._watching:
            # Closing the window waits for a report being written, so no thread is cut off mid-file.
            window.installEventFilter(self)
            self._watching = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.wait()
        return super().eventFilter(watched, event)

    def wait(self, seconds: float = 120) -> None:
        """Block until a report being created is finished (closing the window waits for it).

        Sleeps in Python rather than in QThread.wait, which keeps the interpreter lock and so would never
        let the worker, itself Python, finish.
        """
        deadline = time.monotonic() + seconds
        while self._thread is not None and not self._thread.isFinished() and time.monotonic() < deadline:
            time.sleep(0.01)

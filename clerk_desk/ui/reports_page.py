"""Reports: the annual review for full council, with its period, meeting, version, format and written
assessment, and a preview of the public text before it is saved.

The figures are read on the window's thread (``annual.prepare``, a few quick queries); laying out the
PDF or HTML, the slow part, runs on a worker thread while a progress bar moves. The services know nothing
of Qt: they report progress through a plain callback, which the worker turns into a signal.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QPlainTextEdit,
    QProgressBar,
    QWidget,
)

from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.register import authority
from clerk_desk.register import settings as council_settings
from clerk_desk.reports import assessment, period, printing
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import check_field, choice_field, line_field, text_field
from clerk_desk.ui.report_worker import RenderJob
from clerk_desk.ui.reports_layout import arrange
from clerk_desk.ui.table_page import button

CUSTOM = "custom"
FORMATS = [("pdf", "PDF, to print"), ("html", "Accessible HTML, to publish")]
FILTERS = {"pdf": "PDF files (*.pdf)", "html": "HTML files (*.html)"}


class ReportsPage(QWidget):
    """Choose the period and version, write the assessment, create the PDF and open it."""

    created = Signal(object)

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.job = RenderJob(self)
        self.job.progressed.connect(self._progressed)
        self.job.done.connect(self._done)
        self.job.failed.connect(self._failed)
        self.job.finished.connect(self._finished)
        self._writing: tuple[object, str] | None = None
        self.last_written: Path | None = None
        self._loaded: tuple[period.Period | None, int | None, str] = (None, None, "")
        self._filling = False
        self._watching = False
        self.may_manage = False

        heading = a11y.heading("Reports")
        intro = plain.label(
            "The social media annual review for full council (Thornbury 10; Stalbridge 5): the register, "
            "officers and access, incidents, policy health and a sign-off block, as a PDF to print or as "
            "accessible HTML to publish."
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
            "For the agenda pack: made only from counts, the accounts, officers' job titles and each "
            "incident's month, category, severity, status and public summary. Preview it before saving."
        )
        public_help.setObjectName("pageSummary")
        public_help.setWordWrap(True)
        self.format = choice_field("format", "Format", FORMATS)
        self.preview_button = button("&Preview public text", "Show the words the public version prints")
        self.preview_button.clicked.connect(self.show_preview)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("Public text preview")
        self.preview.setTabChangesFocus(True)
        self.preview.setVisible(False)
        self.assessment = text_field("assessment", "Written assessment")
        self.assessment.widget.setFixedHeight(140)
        self.assessment_note = plain.label()
        self.assessment_note.setObjectName("pageSummary")
        self.save_button = button("Save &assessment", "Store the assessment for this period")
        self.save_button.clicked.connect(self.save_assessment)
        self.create_button = button(
            "&Create report", "Choose where to save the review, create it and open it"
        )
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

        arrange(self, heading, intro, public_help)

        self.preset.currentIndexChanged.connect(self._preset_chosen)
        for f in (self.start, self.end):
            # textEdited (typing only), not editingFinished: that also fires as the window closes.
            f.widget.textEdited.connect(self._dates_edited)  # type: ignore[attr-defined]
        for f in (self.start, self.end, self.meeting):
            f.widget.returnPressed.connect(self.choose_and_create)  # type: ignore[attr-defined]

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
            target.show_error(f"{target.label}: {exc.message}")
            target.widget.setFocus()
            a11y.announce(target.widget, f"{target.label}: {exc.message}", assertive=True)
        else:
            a11y.show_message(self.message, str(exc), assertive=True)

    def _clear_errors(self) -> None:
        for f in (self.start, self.end, self.meeting, self.assessment):
            f.clear_error()
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
            a11y.show_message(self.status, f"Assessment saved for {loaded.label}.")
        return True

    # --- creating the report -----------------------------------------------------------------------------

    def default_name(self, chosen: period.Period) -> str:
        version = "public" if self.public.widget.isChecked() else "confidential"  # type: ignore[attr-defined]
        label = period.year_label(chosen).replace(" ", "-")
        return f"Social-media-annual-review-{label}-{version}.{self.format.value() or 'pdf'}"

    def choose_and_create(self) -> None:
        """Ask where to save the review, then create it."""
        self._clear_errors()
        try:
            chosen = self.chosen_period()
        except ValidationError as exc:
            self._show_field_error(exc)
            return
        fmt = self.format.value() or "pdf"
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder or Path.home()) / self.default_name(chosen))
        path, _ = QFileDialog.getSaveFileName(self, "Save the annual review", suggested, FILTERS[fmt])
        if path:
            self.create_report(Path(path))

    @property
    def busy(self) -> bool:
        return self.job.busy

    def _prepare(self, out: Path | None, public: bool) -> object | None:
        """The review for the period on screen (``annual.prepare``), or None with the reason shown."""
        from clerk_desk.reports import annual

        self._clear_errors()
        self.status.clear()
        try:
            chosen = self.chosen_period()
            if self._loaded[0] != chosen:
                self._load_assessment()
            elif not self.save_assessment(quiet=True):
                return None
            return self.context.read(
                lambda s: annual.prepare(
                    s,
                    self.context.clock,
                    chosen,
                    outs=[out] if out is not None else [],
                    public=public,
                    meeting=self.meeting.value(),
                    prepared_by=self.context.actor.name,
                    vault=self.context.vault,
                )
            )
        except ValidationError as exc:
            self._show_field_error(exc)
        except ClerkDeskError as exc:
            self.message.setText(str(exc))
        return None

    def show_preview(self) -> None:
        """Show the public version's words, as plain text, before anything is saved."""
        prepared = self._prepare(None, public=True)
        if prepared is None:
            return
        self.preview.setPlainText(prepared.document.plain_text())  # type: ignore[attr-defined]
        self.preview.setVisible(True)
        a11y.show_message(self.status, "The public version's text is shown below; nothing has been saved.")

    def create_report(self, out: Path, fmt: str | None = None) -> bool:
        """Gather the figures, then write the review on a worker thread and open it when done.

        Returns False (with the reason on the page) when nothing was started.
        """
        if self.busy:
            return False
        fmt = fmt or self.format.value() or "pdf"
        prepared = self._prepare(out, public=self.public.widget.isChecked())  # type: ignore[attr-defined]
        if prepared is None:
            return False
        if fmt == "pdf":
            from clerk_desk.reports import layout

            layout.register_fonts()  # once, here, rather than on the worker thread
        self.create_button.setEnabled(False)
        self.progress.setValue(5)
        self.progress.setVisible(True)
        self.status.setText("Creating the report…")
        self._writing = (prepared, fmt)
        self.job.start(prepared, out, fmt)
        return True

    def _progressed(self, percent: int, what: str) -> None:
        self.progress.setValue(percent)
        self.status.setText(f"{what}…")

    def _done(self, written: Path) -> None:
        from clerk_desk.reports import annual

        self.last_written = written
        self.progress.setValue(100)
        if self._writing is not None:
            prepared, fmt = self._writing
            try:
                with self.context.write() as session:
                    annual.record(session, prepared, written, fmt, self.context.actor.name)  # type: ignore[arg-type]
            except ClerkDeskError as exc:
                a11y.show_message(
                    self.message, f"Saved, but not noted in the register: {exc}", assertive=True
                )
        a11y.show_message(self.status, f"Saved {written}. Opening it.")
        # Print sends the PDF to the system's printing; an HTML review is printed from the browser.
        is_pdf = written.suffix.casefold() == ".pdf"
        self.print_button.setEnabled(is_pdf and printing.available())
        if not is_pdf:
            self.print_button.setToolTip("Print is for the PDF: open the HTML in a browser to print it")
        elif not printing.available():
            self.print_button.setToolTip(plain.tooltip(printing.unavailable_reason()))
        else:
            self.print_button.setToolTip("Print the report last created, on this PC's default printer")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(written)))
        self.created.emit(written)

    def print_report(self) -> None:
        """Send the PDF created last to the system's printing."""
        if self.last_written is None:
            return
        try:
            a11y.show_message(self.status, printing.send(self.last_written))
        except ClerkDeskError as exc:
            a11y.show_message(self.message, str(exc), assertive=True)

    def _failed(self, message: str) -> None:
        self.status.clear()
        a11y.show_message(self.message, f"Nothing was saved: {message}", assertive=True)

    def _finished(self) -> None:
        self._writing = None
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
        """Block until a report being created is finished (closing the window waits for it)."""
        self.job.wait(seconds)

"""The Reports page: presets, the written assessment, creating the PDF with progress, and opening it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from clerk_desk.reports import assessment, period
from clerk_desk.storage.db import Database
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.reports_page import ReportsPage

LAST_YEAR = period.Period(period.date(2025, 5, 1), period.date(2026, 4, 30))


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """The URLs the page asked the system to open (nothing really opens)."""
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """A folder for the PDFs, apart from the demo database."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def page(window: MainWindow) -> ReportsPage:
    return window.go_to_title("Reports")


def choose(page: ReportsPage, key: str) -> None:
    keys = [
        getattr(page.preset.itemData(i), "key", page.preset.itemData(i)) for i in range(page.preset.count())
    ]
    page.preset.setCurrentIndex(keys.index(key))


def test_the_presets_follow_the_councils_municipal_year(page: ReportsPage) -> None:
    labels = [page.preset.itemText(i) for i in range(page.preset.count())]
    assert labels == [
        "Municipal year 2025–26",
        "Municipal year 2026–27 to date",
        "Calendar year 2025",
        "Calendar year 2026 to date",
        "The last 12 months",
        "Custom period",
    ]
    assert (page.start.value(), page.end.value()) == ("2025-05-01", "2026-04-30")
    choose(page, "last-12-months")
    assert (page.start.value(), page.end.value()) == ("2025-11-22", "2026-11-21")


def test_typing_a_date_makes_the_period_custom(page: ReportsPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.start.widget.setFocus()
    page.start.widget.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(page.start.widget, "2025-06-01")
    assert page.preset.currentData() == "custom"
    assert page.chosen_period() == period.Period(period.date(2025, 6, 1), period.date(2026, 4, 30))


def test_creating_the_report_shows_progress_saves_the_assessment_and_opens_the_pdf(
    page: ReportsPage, database: Database, opened: list[QUrl], tmp_path: Path, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "annual review.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "PDF files (*.pdf)")
    )
    choose(page, "last-12-months")
    page.assessment.widget.setFocus()
    qtbot.keyClicks(page.assessment.widget, "Every account was kept secure.")
    page.assessment.widget.insertPlainText(" Thanks to Łukasz and Zoë.")  # type: ignore[attr-defined]
    qtbot.keyClicks(page.meeting.widget, "Full council, 12 January 2027, item 7")
    progress: list[int] = []
    page.progress.valueChanged.connect(progress.append)
    with qtbot.waitSignal(page.created, timeout=30000) as created:
        qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
        assert page.busy and not page.create_button.isEnabled()
    qtbot.waitUntil(lambda: not page.busy)
    assert created.args == [target]
    assert opened == [QUrl.fromLocalFile(str(target))]
    assert progress[-1] == 100 and len(progress) > 3 and progress == sorted(progress)
    assert page.create_button.isEnabled() and not page.progress.isVisible()
    assert str(target) in page.status.text()
    text = pdf_text(target)
    assert "Every account was kept secure. Thanks to Łukasz and Zoë." in text
    assert "Full council, 12 January 2027, item 7" in text and "CONFIDENTIAL" in text
    assert "INC-2026-001" in text and "@LittleAshcombeTC" in text
    twelve_months = period.Period(period.date(2025, 11, 22), period.date(2026, 11, 21))
    with database.read() as session:
        stored = assessment.get(session, twelve_months)
    assert stored is not None and stored.text == "Every account was kept secure. Thanks to Łukasz and Zoë."


def test_the_public_version_is_made_from_the_keyboard(
    page: ReportsPage, opened: list[QUrl], tmp_path: Path, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "public.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    page.public.widget.setFocus()
    qtbot.keyClick(page.public.widget, Qt.Key.Key_Space)
    assert page.public.widget.isChecked()  # type: ignore[attr-defined]
    page.meeting.widget.setFocus()
    with qtbot.waitSignal(page.created, timeout=30000):
        qtbot.keyClick(page.meeting.widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.busy)
    text = pdf_text(target)
    assert "PUBLIC" in text and "Municipal year" not in text
    assert "threatening messages" not in text.lower()  # a description in the demo
    assert opened == [QUrl.fromLocalFile(str(target))]


def test_switching_periods_keeps_each_periods_assessment(
    page: ReportsPage, database: Database, qtbot
) -> None:  # type: ignore[no-untyped-def]
    page.assessment.set_value("For the municipal year.")
    choose(page, "calendar-last")
    assert page.assessment.value() == ""
    page.assessment.set_value("For the calendar year.")
    choose(page, "municipal-last")
    assert page.assessment.value() == "For the municipal year."
    with database.read() as session:
        calendar = assessment.get(session, period.Period(period.date(2025, 1, 1), period.date(2025, 12, 31)))
    assert calendar is not None and calendar.text == "For the calendar year."
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.assessment_note.text() == "For 1 May 2025 to 30 April 2026; last saved by Zoë Hartley."


def test_a_reversed_period_is_shown_beside_the_field_and_nothing_is_asked(
    page: ReportsPage, opened: list[QUrl], monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def no_dialog(*args: object, **kwargs: object) -> tuple[str, str]:
        raise AssertionError("the file dialog should not open")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", no_dialog)
    page.start.set_value("2026-04-30")
    page.end.set_value("2025-05-01")
    page.choose_and_create()
    assert page.end.error.isVisible()
    assert "the period is reversed" in page.end.error.text()
    assert not page.busy and opened == []


def test_a_missing_folder_is_reported_and_nothing_is_written(
    page: ReportsPage, opened: list[QUrl], out_dir: Path
) -> None:
    assert page.create_report(out_dir / "no such folder" / "review.pdf") is False
    assert "does not exist" in page.message.text()
    assert not page.busy and opened == [] and list(out_dir.iterdir()) == []


def test_a_file_open_in_a_viewer_is_reported_on_the_page(
    page: ReportsPage, opened: list[QUrl], out_dir: Path, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from clerk_desk.reports import output

    def locked(source: object, target: object) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(output.os, "replace", locked)
    assert page.create_report(out_dir / "review.pdf")
    qtbot.waitUntil(lambda: not page.busy, timeout=30000)
    assert "open in another program" in page.message.text()
    assert opened == [] and list(out_dir.iterdir()) == []


def test_closing_the_window_waits_for_a_report_being_written(
    window: MainWindow, page: ReportsPage, opened: list[QUrl], out_dir: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    target = out_dir / "review.pdf"
    assert page.create_report(target)
    window.close()  # waits for the worker thread: no thread is cut off mid-file
    assert target.is_file() and [p.name for p in out_dir.iterdir()] == ["review.pdf"]
    qtbot.waitUntil(lambda: not page.busy)


def _fake_lp(folder: Path, exit_code: int = 0) -> Path:
    """A stand-in for CUPS' ``lp`` on PATH that records what it was asked to print."""
    log = folder / "printed.txt"
    script = folder / "lp"
    message = (
        "request id is Office-42 (1 file(s))" if exit_code == 0 else "lp: Error - no default destination"
    )
    stream = "" if exit_code == 0 else " >&2"
    script.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{log}"\necho "{message}"{stream}\nexit {exit_code}\n'
    )
    script.chmod(0o755)
    return log


@pytest.mark.parametrize("works", [True, False])
def test_print_sends_the_report_last_created_to_the_system_printer(
    page: ReportsPage, opened: list[QUrl], out_dir: Path, tmp_path: Path, qtbot, monkeypatch, works: bool
) -> None:  # type: ignore[no-untyped-def]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = _fake_lp(bin_dir, 0 if works else 1)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    assert not page.print_button.isEnabled()  # nothing created yet
    target = out_dir / "review.pdf"
    choose(page, "last-12-months")
    assert page.create_report(target)
    qtbot.waitUntil(lambda: not page.busy, timeout=30000)
    assert page.print_button.isEnabled()
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert log.read_text().splitlines() == ["--", str(target)]
    if works:
        assert page.status.text() == "Sent review.pdf to the printer. (request id is Office-42 (1 file(s)))"
    else:
        assert page.message.text() == "The printer refused review.pdf: lp: Error - no default destination"


def test_the_public_text_is_previewed_as_plain_text_before_saving(
    page: ReportsPage, database: Database, out_dir: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from clerk_desk.incidents import lifecycle as incidents

    with database.transaction("Zoë Hartley") as session:
        record = incidents.all_incidents(session)[0]
        record.public_summary = "A <b>fake</b> page was reported and removed."
    choose(page, "last-12-months")
    assert not page.preview.isVisible()
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    text = page.preview.toPlainText()
    assert page.preview.isVisible() and page.preview.isReadOnly()
    assert text.startswith("PUBLIC") and "Town Clerk" in text
    assert "A <b>fake</b> page was reported and removed." in text  # shown as typed, never as markup
    assert "threatening messages" not in text.lower() and "@" not in text.split("Gaps on")[1]
    assert list(out_dir.iterdir()) == []  # nothing saved


def test_the_accessible_html_is_made_and_noted_for_assertion_10(
    page: ReportsPage, database: Database, opened: list[QUrl], tmp_path: Path, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from clerk_desk.models import ReportOutput

    target = tmp_path / "review.html"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "HTML files (*.html)")
    )
    page.public.widget.setChecked(True)  # type: ignore[attr-defined]
    page.format.set_value("html")
    assert page.default_name(LAST_YEAR).endswith("-public.html")
    with qtbot.waitSignal(page.created, timeout=30000):
        qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and 'lang="en-GB"' in text and "PUBLIC" in text
    assert opened == [QUrl.fromLocalFile(str(target))]
    with database.read() as session:
        rows = list(session.execute(select(ReportOutput)).scalars())
    assert [(r.version, r.format, r.filename, r.written_by) for r in rows] == [
        ("public", "html", "review.html", "Zoë Hartley")
    ]

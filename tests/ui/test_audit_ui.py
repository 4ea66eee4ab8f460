"""The Audit trail page's verification: the same words as ``audit --verify``, as plain text; and the
checkpoint made when the window closes."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from clerk_desk.audit import checkpoints
from clerk_desk.ui.main_window import MainWindow


def shown(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    boxes: list[QMessageBox] = []

    def capture(box: QMessageBox) -> int:
        boxes.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", capture)
    window.go_to_title("Audit trail")
    window.audit.verify_button.click()
    return boxes


def _labels(box: QMessageBox) -> dict[str, Qt.TextFormat]:
    return {label.text(): label.textFormat() for label in box.findChildren(QLabel) if label.text()}


def test_verify_shows_what_was_checked_and_what_could_not_be(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes = shown(window, monkeypatch)
    assert len(boxes) == 1
    box = boxes[0]
    assert box.windowTitle() == "Audit trail intact"
    labels = _labels(box)
    assert all(fmt == Qt.TextFormat.PlainText for fmt in labels.values())
    assert box.text().startswith("The audit trail is intact and the register matches it (")
    details = box.informativeText()
    assert details.startswith("Checked:\n")
    assert "rows in " in details and "Could not check:" in details
    assert window.audit.last_report.ok


def test_verify_names_a_record_changed_outside_the_app(
    window: MainWindow, demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = demo_url.removeprefix("sqlite:///")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE people SET role = 'clerk' WHERE name = 'Tom Beckett'")
    conn.commit()
    conn.close()
    box = shown(window, monkeypatch)[0]
    assert box.windowTitle() == "Audit trail altered"
    assert "TAMPERED: people record" in box.informativeText()
    assert (
        "(Tom Beckett): role is 'clerk' in the database but 'volunteer' in the trail" in box.informativeText()
    )


def test_closing_the_window_makes_a_checkpoint(window: MainWindow) -> None:
    with window.context.database.read() as session:
        database_id = checkpoints.identity(session) or ""
        seq, _ = checkpoints.head(session)
    window.close()
    kept = checkpoints.anchors(database_id)
    assert kept and kept[-1].seq == seq and kept[-1].reason == "window closed"
    assert kept[-1].made_by == "Zoë Hartley"
    with window.context.database.read() as session:
        assert [p.seq for p in checkpoints.in_database(session)] == [seq]


def test_an_annual_review_makes_a_checkpoint(window: MainWindow, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with window.context.database.read() as session:
        database_id = checkpoints.identity(session) or ""
    window.reports.created.emit(tmp_path / "review.pdf")
    assert checkpoints.anchors(database_id)[-1].reason == "annual report"

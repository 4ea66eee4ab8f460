"""The Assertion 10 page: every requirement with a status, what is missing, saving as PDF and HTML."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from clerk_desk.reports import assertion10
from clerk_desk.ui.assertion10_page import Assertion10Page
from clerk_desk.ui.main_window import MainWindow


@pytest.fixture
def page(window: MainWindow) -> Assertion10Page:
    return window.go_to_title("Assertion 10")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


def test_every_requirement_is_listed_with_a_status(page: Assertion10Page, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(page.model)
    rows = page.model.rows()
    assert len(rows) == 7
    assert all(r.status in (assertion10.MET, assertion10.NOT_MET, assertion10.NOT_RECORDED) for r in rows)
    handover = rows[-1]
    assert (
        handover.status == assertion10.NOT_RECORDED and "no recovery key has been made" in handover.evidence
    )
    missing = page.missing.toPlainText()
    assert "Instagram:@littleashcombe has no two-factor sign-in" in missing and "(Thornbury 9.5;" in missing
    assert page.period_choice.currentText() == "Municipal year 2025–26"


def test_the_evidence_is_saved_as_pdf_and_html(
    page: Assertion10Page, opened: list[QUrl], tmp_path: Path
) -> None:
    assert page.save(tmp_path / "a10.pdf", "pdf") and page.save(tmp_path / "a10.html", "html")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(tmp_path / "a10.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    text = re.sub(r"\s+", " ", text)
    assert "as summarised from the Practitioners' Guide 2025" in text and "Not recorded" in text
    assert 'lang="en-GB"' in (tmp_path / "a10.html").read_text(encoding="utf-8")
    assert len(opened) == 2
    assert page.save(tmp_path / "missing" / "a10.pdf", "pdf") is False
    assert "does not exist" in page.message.text()

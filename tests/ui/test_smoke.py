"""``clerk-desk --smoke-test``: every page painted, the checks printed, exit 0; and 1 when one fails."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QApplication

from clerk_desk.ui import smoke
from clerk_desk.ui.main_window import MainWindow


def run_smoke_test(qtbot, window: MainWindow) -> int:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    finished: list[int] = []
    test = smoke.SmokeTest(app, window, finished.append)
    test.start()
    qtbot.waitUntil(lambda: bool(finished), timeout=30_000)
    assert not test.limit.isActive()
    return finished[0]


def test_the_smoke_test_paints_every_page_and_exits_0(
    qtbot, window: MainWindow, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    assert run_smoke_test(qtbot, window) == 0
    out = capsys.readouterr().out
    for title in window.page_titles():
        assert f"ok      page {title}: painted" in out
    assert "(Password store: ready)" in out
    assert "FAILED" not in out


def test_a_missing_image_reader_fails_the_smoke_test(
    qtbot, window: MainWindow, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(smoke.QImageReader, "supportedImageFormats", lambda: [QByteArray(b"png")])
    assert run_smoke_test(qtbot, window) == 1
    assert "FAILED  image formats: png" in capsys.readouterr().out

"""Dialogs and pages at 200% on a 1920x1080 screen (WCAG 1.4.4 resize text, 1.4.10 reflow).

Each run is a separate process, because the scale factor is read once, when Qt starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("scaled_window.py")


@pytest.mark.parametrize(
    "scaling",
    [
        pytest.param({"QT_SCALE_FACTOR": "2"}, id="everything-200"),
        pytest.param({"QT_FONT_DPI": "192", "QT_ENABLE_HIGHDPI_SCALING": "0"}, id="text-only-200"),
    ],
)
def test_every_dialog_fits_or_scrolls_with_its_buttons_visible(
    tmp_path: Path, scaling: dict[str, str]
) -> None:
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps(
            {"screens": [{"name": "1080p", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96}]}
        ),
        encoding="utf-8",
    )
    out = tmp_path / "report.json"
    env = {
        **os.environ,
        **scaling,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        "CLERK_DESK_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("QT_AUTO_SCREEN_SCALE_FACTOR", None)
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(out)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    expected_screen = [960, 540] if "QT_SCALE_FACTOR" in scaling else [1920, 1080]
    assert report["screen"] == expected_screen
    assert report["dialogs"] >= 20
    assert report["problems"] == {}

"""The style sheet's colours against WCAG 2.2 (1.4.3 text 4.5:1; 1.4.11 boundaries and focus 3:1; 2.4.7)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QPalette

from clerk_desk.app import resources_dir
from clerk_desk.ui.home_page import SEVERITY_COLOURS
from clerk_desk.ui.main_window import MainWindow

HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.2)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    q = QColor(colour)
    return 0.2126 * channel(q.red()) + 0.7152 * channel(q.green()) + 0.0722 * channel(q.blue())


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#8a5a00", "#cfe0f5") == pytest.approx(4.41, abs=0.01)  # the old "Medium"


def rules() -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) of every rule in style.qss, one entry per comma-separated selector."""
    text = re.sub(r"/\*.*?\*/", "", (resources_dir() / "style.qss").read_text(encoding="utf-8"), flags=re.S)
    found = []
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", text):
        declarations = {}
        for part in body.split(";"):
            if ":" in part:
                key, value = part.split(":", 1)
                declarations[key.strip()] = value.strip()
        for selector in selectors.split(","):
            found.append((selector.strip(), declarations))
    return found


def colour_of(value: str) -> str | None:
    match = HEX.search(value)
    return match.group(0).lower() if match else None


def rule(selector: str) -> dict[str, str]:
    return next(d for s, d in rules() if s == selector)


@pytest.fixture
def surroundings(window: MainWindow) -> dict[str, str]:
    palette = window.palette()
    return {
        "window": palette.color(QPalette.ColorRole.Window).name(),
        "base": rule("QTableView")["background"],
        "alternate": rule("QTableView")["alternate-background-color"],
        "selected": rule("QTableView")["selection-background-color"],
        "navigation": colour_of(rule("QListView#navigation")["background"]) or "",
    }


def test_text_has_at_least_4_5_to_1(surroundings: dict[str, str]) -> None:
    low = []
    for selector, d in rules():
        if ":disabled" in selector:
            continue  # inactive controls are exempt (1.4.3)
        text = colour_of(d.get("color", ""))
        if text is None:
            continue
        background = colour_of(d.get("background", d.get("background-color", "")))
        behind = [background] if background else [surroundings["window"]]
        for b in behind:
            if contrast(text, b) < 4.5:
                low.append(f"{selector}: {text} on {b} is {contrast(text, b):.2f}:1")
    table = rule("QTableView")
    pairs = [(table["selection-color"], table["selection-background-color"])]
    field = rule("QLineEdit")
    pairs.append((field["placeholder-text-color"], field["background"]))
    for text, b in pairs:
        if contrast(text, b) < 4.5:
            low.append(f"{text} on {b} is {contrast(text, b):.2f}:1")
    assert low == []


@pytest.mark.parametrize("severity", list(SEVERITY_COLOURS))
def test_severity_is_legible_on_every_row_background(surroundings: dict[str, str], severity) -> None:  # type: ignore[no-untyped-def]
    colour = SEVERITY_COLOURS[severity].name()
    for row in ("base", "alternate", "selected"):
        assert contrast(colour, surroundings[row]) >= 4.5, f"{severity.value} on the {row} row"


def test_component_boundaries_have_at_least_3_to_1(surroundings: dict[str, str]) -> None:
    low = []
    decorative = ("border-right",)  # the header's column separators: the gridlines, not a boundary
    for selector, d in rules():
        if ":disabled" in selector or "#navigation" in selector:
            continue
        for key, value in d.items():
            if not key.startswith("border") or key in decorative or "transparent" in value:
                continue
            colour = colour_of(value)
            if colour is None:
                continue
            for b in (surroundings["window"], surroundings["base"]):  # what is around the control
                if contrast(colour, b) < 3:
                    low.append(f"{selector} {key}: {colour} on {b} is {contrast(colour, b):.2f}:1")
    assert low == []


FOCUSABLE = [
    "QPushButton:focus",
    "QLineEdit:focus",
    "QPlainTextEdit:focus",
    "QComboBox:focus",
    "QSpinBox:focus",
    "QCheckBox:focus",
    "QTableView:focus",
    "QTableView::item:focus",
    "QListWidget:focus",
    "QListWidget::item:focus",
    "QListView#navigation::item:focus",
    "QTabBar::tab:focus",
]


@pytest.mark.parametrize("selector", FOCUSABLE)
def test_focus_is_visible_2px_at_3_to_1(surroundings: dict[str, str], selector: str) -> None:
    border = rule(selector)["border"]
    width = int(re.match(r"(\d+)px", border).group(1))  # type: ignore[union-attr]
    colour = colour_of(border)
    assert width >= 2 and colour is not None
    around = (
        [surroundings["navigation"]]
        if "#navigation" in selector
        else [surroundings["window"], surroundings["base"], surroundings["selected"]]
    )
    for b in around:
        assert contrast(colour, b) >= 3, f"{selector}: {colour} on {b}"

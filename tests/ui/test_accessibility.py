"""WCAG 2.2 AA in the window, through Qt's accessibility interface (what a screen reader is given).

Every page and dialog: each interactive element has a name that is not just its value, each table lets
Tab out; Tab from a page's first control reaches every enabled button and leaves every table; headings
are headings; messages are announced; a field error is tied to its field; focus returns to the opener.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dialog_catalogue import dialogs
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QTableView,
    QWidget,
)

from clerk_desk.ui import a11y, form
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.password_editor import PasswordEditor

PAGES = [
    "Home",
    "Accounts",
    "People",
    "Delegated access",
    "Designated officers",
    "Incidents",
    "Elections",
    "Reports",
    "Audit trail",
    "Settings",
    "Handover",
    "Assertion 10",
]

R = QAccessible.Role
#: Roles a person operates (as AT-SPI and Orca treat them); each needs a name of its own.
INTERACTIVE = {
    R.PushButton,
    R.CheckBox,
    R.RadioButton,
    R.ComboBox,
    R.EditableText,
    R.SpinBox,
    R.Table,
    R.List,
    R.Tree,
    R.PageTab,
    R.PageTabList,
    R.Slider,
    R.Dial,
}
#: Inside these, the children are cells and items named by their data.
CONTAINERS_OF_DATA = {R.Table, R.List, R.Tree, R.ListItem, R.Cell, R.ColumnHeader, R.RowHeader}


def _nodes(iface: QAccessibleInterface) -> Iterator[QAccessibleInterface]:
    for i in range(iface.childCount()):
        child = iface.child(i)
        if child is None or not child.isValid() or child.state().invisible:
            continue
        yield child
        if child.role() not in CONTAINERS_OF_DATA:
            yield from _nodes(child)


def labelled_by(node: QAccessibleInterface) -> list[str]:
    """The names of the labels a node is labelled by (a QLabel whose buddy it is)."""
    return [
        label.text(QAccessible.Text.Name).rstrip(":").strip()
        for label, _ in node.relations(QAccessible.RelationFlag.Label)
        if label is not None
    ]


def unnamed_or_value_named(root: QWidget) -> list[str]:
    """Every interactive node under ``root`` whose name is empty or only repeats its value.

    A label relation counts as a name: it is what a screen reader reads for a combo box on Linux, where
    Qt makes a combo's own name its current value.
    """
    problems = []
    for node in _nodes(QAccessible.queryAccessibleInterface(root)):
        if node.role() not in INTERACTIVE:
            continue
        name = node.text(QAccessible.Text.Name).strip()
        value = node.text(QAccessible.Text.Value).strip()
        if any(labelled_by(node)):
            continue
        where = f"{node.role().name} in {type(node.object()).__name__}"
        if not name:
            problems.append(f"{where}: no name (value {value!r})")
        elif value and name == value and node.role() != R.PageTab:
            problems.append(f"{where}: named only by its value {value!r}")
    return problems


def tables_with_tab_navigation(root: QWidget) -> list[str]:
    return [
        view.accessibleName() or type(view).__name__
        for view in root.findChildren(QAbstractItemView)
        if view.tabKeyNavigation()
    ]


@pytest.fixture
def selected(window: MainWindow):  # type: ignore[no-untyped-def]
    """Go to a page and select the first row of its table, so the actions on a row are enabled."""

    def go(title: str) -> QWidget:
        page = window.go_to_title(title)
        table = getattr(page, "table", None)
        if isinstance(table, QTableView) and table.model().rowCount() > 0:
            table.selectRow(0)
        return page

    return go


@pytest.mark.parametrize("title", PAGES)
def test_every_control_on_a_page_has_a_name_of_its_own(window: MainWindow, selected, title: str) -> None:  # type: ignore[no-untyped-def]
    page = selected(title)
    assert unnamed_or_value_named(window) == []
    assert tables_with_tab_navigation(page) == []
    assert tables_with_tab_navigation(window) == []


def test_every_control_in_every_dialog_has_a_name_of_its_own(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    problems: dict[str, list[str]] = {}
    for name, build in dialogs(window).items():
        dialog = build()
        qtbot.addWidget(dialog)
        dialog.show()
        found = unnamed_or_value_named(dialog) + [
            f"table {t} traps Tab" for t in tables_with_tab_navigation(dialog)
        ]
        if found:
            problems[name] = found
        dialog.reject()
    assert problems == {}


def test_the_editable_combos_text_field_is_named_like_the_combo(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = dialogs(window)["Add account"]()
    qtbot.addWidget(dialog)
    platform = dialog.fields["platform"].widget  # type: ignore[attr-defined]
    assert isinstance(platform, QComboBox) and platform.lineEdit() is not None
    iface = QAccessible.queryAccessibleInterface(platform.lineEdit())
    assert iface.text(QAccessible.Text.Name) == "Platform"


def _focus_chain_from(start: QWidget, limit: int = 200) -> list[QWidget]:
    """Press Tab from ``start`` until the focus comes back to it; the widgets focused on the way."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is start
    seen = [start]
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if focused is start:
            return seen
        seen.append(focused)
    raise AssertionError(f"Tab did not come back to the start in {limit} presses: {seen[-5:]}")


@pytest.mark.parametrize("title", PAGES)
def test_tab_leaves_every_table_and_reaches_every_enabled_button(
    window: MainWindow, selected, qtbot, title: str
) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = selected(title)
    chain = _focus_chain_from(window.navigation)
    tables = [t for t in page.findChildren(QTableView) if t.isVisible()]
    for table in tables:
        assert table in chain, f"Tab never reaches {table.accessibleName()}"
        after = chain[(chain.index(table) + 1) % len(chain)]
        assert after is not table
    assert len(chain) == len(set(chain)), "Tab stayed inside a control"
    buttons = [
        b
        for b in page.findChildren(QAbstractButton)
        if b.isVisible() and b.isEnabled() and b.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]
    missed = [b.text() for b in buttons if b not in chain]
    assert missed == []
    # The order is the page's layout: the first action button comes before the table.
    if tables and buttons:
        assert chain.index(buttons[0]) < chain.index(tables[0])


def test_pages_main_actions_have_access_keys(window: MainWindow, selected) -> None:  # type: ignore[no-untyped-def]
    for title in PAGES:
        page = selected(title)
        keys = []
        for b in page.findChildren(QAbstractButton):
            if b.isVisible() and b.text() and "&" in b.text():
                keys.append(b.text()[b.text().index("&") + 1].casefold())
        for label in page.findChildren(QLabel):
            if label.isVisible() and label.buddy() is not None and "&" in label.text():
                keys.append(label.text()[label.text().index("&") + 1].casefold())
        assert keys, f"{title} has no access keys"
        assert len(keys) == len(set(keys)), f"{title}: an access key is used twice: {sorted(keys)}"


def test_an_access_key_presses_its_button(window: MainWindow, selected, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[str] = []
    monkeypatch.setattr(form.FormDialog, "exec", lambda self: opened.append(self.windowTitle()) or 0)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = selected("Delegated access")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: opened == ["Grant access"])  # an access key clicks after a short flash


@pytest.mark.parametrize("title", PAGES)
def test_headings_are_headings_named_by_what_they_show(window: MainWindow, title: str) -> None:
    page = window.go_to_title(title)
    headings = [label for label in page.findChildren(QLabel) if label.property(a11y.HEADING)]
    assert headings
    for label in headings:
        iface = QAccessible.queryAccessibleInterface(label)
        assert iface.role() == R.Heading
        if label.text():
            assert iface.text(QAccessible.Text.Name) == label.text()


def test_home_heading_is_named_by_what_it_shows(window: MainWindow) -> None:
    home = window.go_to_title("Home")
    shown = home.heading.text()
    assert shown.endswith("— needs attention") and shown != "Needs attention"
    assert QAccessible.queryAccessibleInterface(home.heading).text(QAccessible.Text.Name) == shown


@pytest.fixture
def announced(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    heard: list[str] = []
    monkeypatch.setattr(a11y, "LISTENERS", [lambda widget, text: heard.append(text)])
    return heard


def test_a_field_error_is_announced_tied_to_its_field_and_focused(
    window: MainWindow, qtbot, announced
) -> None:  # type: ignore[no-untyped-def]
    dialog = dialogs(window)["Log incident"]()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    # The category has no default (a hurried incident must not get the wrong follow-ups): choose one, so
    # the first field in error is the title.
    dialog.fields["category"].set_value("other")  # type: ignore[attr-defined]
    dialog.try_save()  # type: ignore[attr-defined]
    title = dialog.fields["title"]  # type: ignore[attr-defined]
    assert title.error.isVisible() and title.error.text().startswith("Title:")
    assert title.widget.accessibleDescription() == title.error.text()
    assert QApplication.focusWidget() is title.widget
    assert announced == [title.error.text()]
    title.set_value("Phishing email")
    dialog.clear_errors()  # type: ignore[attr-defined]
    assert title.widget.accessibleDescription() == ""


def test_password_strength_verdict_is_exposed_and_announced(qtbot, announced) -> None:  # type: ignore[no-untyped-def]
    editor = PasswordEditor(("council",))
    qtbot.addWidget(editor)
    editor.field.setText("Kx9!vTq#2mWz$Lp7@bNc")
    verdict = editor.strength.text()
    assert verdict.startswith("Strength:")
    assert QAccessible.queryAccessibleInterface(editor.strength).text(QAccessible.Text.Name) == verdict
    assert editor.field.accessibleDescription() == verdict
    assert announced == [verdict]
    editor.field.setText("Kx9!vTq#2mWz$Lp7@bNcd")  # same verdict: not said again
    assert announced == [verdict]


def test_results_of_actions_are_announced(window: MainWindow, announced) -> None:  # type: ignore[no-untyped-def]
    page = window.go_to_title("Settings")
    assert page.save()
    assert announced == ["Settings saved."]
    page.fields["rotation_days"].set_value("0")
    assert not page.save()
    assert "between 1 and 3650" in announced[-1]
    assert page.fields["rotation_days"].widget.accessibleDescription() == announced[-1]


def test_focus_returns_to_the_opener_after_a_dialog(window: MainWindow, selected, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = selected("Designated officers")

    def cancel(self: QDialog) -> int:
        QApplication.focusWidget()  # the dialog would take the focus; it is given back below
        self.show()
        self.activateWindow()
        next(iter(self.fields.values())).widget.setFocus()  # type: ignore[attr-defined]
        self.reject()
        return 0

    monkeypatch.setattr(form.FormDialog, "exec", cancel)
    page.edit_button.setFocus()
    page.edit_button.click()
    assert QApplication.focusWidget() is page.edit_button
    # When the opener is no longer enabled (the designation just ended), the table gets the focus.
    page.end_button.setFocus()

    def end_it(self: QDialog) -> int:
        self.try_save()  # type: ignore[attr-defined]
        return self.result()

    monkeypatch.setattr(form.FormDialog, "exec", end_it)
    page.end_button.click()
    assert not page.end_button.isEnabled()
    assert QApplication.focusWidget() is page.table

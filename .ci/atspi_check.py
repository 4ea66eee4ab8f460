#!/usr/bin/python3
"""The accessibility tree a screen reader reads, checked through AT-SPI (as Orca reads it).

Run with the system Python (pyatspi is a Debian package, python3-pyatspi), inside dbus-run-session with
an X server (Xvfb) and the AT-SPI bus running. It starts Clerk Desk on a demo council with `uv run`,
shows every page by selecting it in the navigation, opens the main add/edit dialogs by pressing their
buttons, and fails on any interactive node that is showing without a name of its own (or a label
naming it), on a page without a heading, and on a page or dialog it could not reach.

usage: /usr/bin/python3 .ci/atspi_check.py DATABASE_URL
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pyatspi

APP_NAME = "Clerk Desk"
PAGES = [
    "Home",
    "Accounts",
    "People",
    "Delegated access",
    "Designated officers",
    "Incidents",
    "Reports",
    "Audit trail",
    "Settings",
]
#: Page -> buttons that open a dialog to check (each is cancelled again).
DIALOGS = {
    "Accounts": ["Add account"],
    "People": ["Add person"],
    "Delegated access": ["Grant access"],
    "Designated officers": ["Designate officer"],
    "Incidents": ["Log incident"],
}
INTERACTIVE = {
    pyatspi.ROLE_PUSH_BUTTON,
    pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON,
    pyatspi.ROLE_COMBO_BOX,
    pyatspi.ROLE_TEXT,
    pyatspi.ROLE_ENTRY,
    pyatspi.ROLE_PASSWORD_TEXT,
    pyatspi.ROLE_SPIN_BUTTON,
    pyatspi.ROLE_TABLE,
    pyatspi.ROLE_LIST,
    pyatspi.ROLE_TREE,
    pyatspi.ROLE_PAGE_TAB,
    pyatspi.ROLE_PAGE_TAB_LIST,
    pyatspi.ROLE_SLIDER,
}
#: Their children are cells and items, named by the data they show.
DATA = {
    pyatspi.ROLE_TABLE,
    pyatspi.ROLE_LIST,
    pyatspi.ROLE_TREE,
    pyatspi.ROLE_TABLE_CELL,
    pyatspi.ROLE_LIST_ITEM,
    pyatspi.ROLE_TABLE_COLUMN_HEADER,
}


def wait_for(what: str, find, seconds: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = find()
        if found:
            return found
        time.sleep(0.25)
    sys.exit(f"AT-SPI check: {what} did not appear within {seconds:.0f} s")


def app_node():  # type: ignore[no-untyped-def]
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        child = desktop.getChildAtIndex(i)
        if child is not None and child.name == APP_NAME:
            return child
    return None


def showing(node) -> bool:  # type: ignore[no-untyped-def]
    return node.getState().contains(pyatspi.STATE_SHOWING)


def walk(node):  # type: ignore[no-untyped-def]
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is None or not showing(child):
            continue
        yield child
        if child.getRole() not in DATA:
            yield from walk(child)


def labelled_by(node) -> list[str]:  # type: ignore[no-untyped-def]
    names = []
    for relation in node.getRelationSet():
        if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
            for i in range(relation.getNTargets()):
                names.append(relation.getTarget(i).name.strip())
    return [n for n in names if n]


def value_of(node) -> str:  # type: ignore[no-untyped-def]
    try:
        text = node.queryText()
        return text.getText(0, -1).strip()
    except NotImplementedError:
        return ""


def problems_in(root, where: str) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    checked, problems = 0, []
    for node in walk(root):
        role = node.getRole()
        if role not in INTERACTIVE:
            continue
        checked += 1
        name = (node.name or "").strip()
        if labelled_by(node):
            continue
        what = f"{where}: {node.getRoleName()}"
        if role == pyatspi.ROLE_COMBO_BOX:
            # Qt on Linux names a combo box by its current value: only a label relation names it.
            problems.append(f"{what} {name!r} has no label (named only by its value)")
        elif not name:
            problems.append(f"{what} has no name (text {value_of(node)!r})")
        elif role != pyatspi.ROLE_PAGE_TAB and name == value_of(node):
            problems.append(f"{what} is named only by its value {name!r}")
    return checked, problems


def find(root, role, name: str):  # type: ignore[no-untyped-def]
    for node in walk(root):
        if node.getRole() == role and node.name == name:
            return node
    return None


def main_frame(app):  # type: ignore[no-untyped-def]
    for i in range(app.childCount):
        child = app.getChildAtIndex(i)
        if child is not None and child.getRole() == pyatspi.ROLE_FRAME and "Clerk Desk" in child.name:
            return child
    return None


def dialog_frame(app, exclude):  # type: ignore[no-untyped-def]
    for i in range(app.childCount):
        child = app.getChildAtIndex(i)
        if (
            child is not None
            and child != exclude
            and child.getRole() in (pyatspi.ROLE_DIALOG, pyatspi.ROLE_FRAME)
            and showing(child)
            and child.name
            and "— Clerk Desk" not in child.name
        ):
            return child
    return None


def press(button) -> None:  # type: ignore[no-untyped-def]
    action = button.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("Press", "press", "click"):
            action.doAction(i)
            return
    action.doAction(0)


def run(url: str) -> int:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "QT_ACCESSIBILITY": "1",
        # No keyring is touched: the password store shows as unavailable, which the check does not mind.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    app_process = subprocess.Popen(["uv", "run", "clerk-desk", "--database", url], env=env)
    try:
        app = wait_for("the Clerk Desk application", app_node, 90)
        frame = wait_for("the main window", lambda: main_frame(app), 60)
        navigation = wait_for("the navigation", lambda: find(frame, pyatspi.ROLE_LIST, "Navigation"))
        selection = navigation.querySelection()
        report: list[str] = []
        total = 0
        for index, title in enumerate(PAGES):
            selection.selectChild(index)
            wait_for(f"the {title} page", lambda t=title: frame.name.startswith(t) and frame)
            time.sleep(0.3)
            checked, problems = problems_in(frame, title)
            headings = [n.name for n in walk(frame) if n.getRole() == pyatspi.ROLE_HEADING and n.name]
            if not headings:
                problems.append(f"{title}: no heading")
            print(f"{title}: {checked} interactive nodes, headings {headings}, {len(problems)} problems")
            total += checked
            report += problems
            for button_name in DIALOGS.get(title, []):
                button = find(frame, pyatspi.ROLE_PUSH_BUTTON, button_name)
                if button is None:
                    report.append(f"{title}: no button {button_name!r}")
                    continue
                press(button)
                dialog = wait_for(f"the {button_name} dialog", lambda: dialog_frame(app, frame))
                time.sleep(0.3)
                checked, problems = problems_in(dialog, f"{button_name} dialog")
                print(f"  {button_name} dialog: {checked} interactive nodes, {len(problems)} problems")
                total += checked
                report += problems
                cancel = find(dialog, pyatspi.ROLE_PUSH_BUTTON, "Cancel")
                if cancel is None:
                    sys.exit(f"AT-SPI check: no Cancel in the {button_name} dialog")
                press(cancel)
                wait_for(f"the {button_name} dialog to close", lambda: dialog_frame(app, frame) is None)
        if total < 100:
            report.append(f"only {total} interactive nodes were found: the tree was not read")
        for line in report:
            print(f"PROBLEM: {line}", file=sys.stderr)
        print(
            f"AT-SPI check: {total} interactive nodes on {len(PAGES)} pages and their dialogs, "
            f"{len(report)} problems"
        )
        return 1 if report else 0
    finally:
        app_process.terminate()
        try:
            app_process.wait(20)
        except subprocess.TimeoutExpired:
            app_process.kill()


if __name__ == "__main__":
    sys.exit(run(sys.argv[1]))

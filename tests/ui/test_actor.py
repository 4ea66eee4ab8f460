"""Who is acting: the OS login, else a one-time choice of a person without a login, remembered on this PC
and recorded in the trail; --actor only while setting up."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from clerk_desk import app as app_module
from clerk_desk.app import create_main_window
from clerk_desk.audit import reader as audit_log
from clerk_desk.errors import PermissionDenied
from clerk_desk.register import authority
from clerk_desk.storage import config
from clerk_desk.ui.actor_dialog import ActorDialog


def test_the_os_login_picks_the_actor(qtbot, demo_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(authority, "os_login", lambda: "clerk-login")
    window = create_main_window(demo_url)
    qtbot.addWidget(window)
    assert window.context.actor.name == "Zoë Hartley" and window.context.actor.how == "login"
    window.context.database.dispose()


def test_an_unknown_login_is_asked_once_and_remembered(qtbot, demo_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(authority, "os_login", lambda: "temp-pc-user")
    monkeypatch.setattr(config, "config_dir", lambda: config.data_dir() / "remember-test")
    asked: list[list[str]] = []

    def choose(dialog: ActorDialog) -> int:
        names = [dialog.person.itemText(i) for i in range(dialog.person.count())]
        asked.append(names)
        dialog.person.setCurrentIndex(names.index("Tom Beckett"))
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ActorDialog, "exec", choose)
    window = create_main_window(demo_url)
    qtbot.addWidget(window)
    assert window.context.actor.how == "unknown"
    assert window.actor_label.text() == "Acting as: temp-pc-user (not in People: may only read)"
    app_module._choose_actor(window)
    assert window.context.actor.name == "Tom Beckett"
    assert window.actor_label.text() == "Acting as: Tom Beckett (chosen on this PC)"
    assert "Ayşe Ağca" not in asked[0]  # people who have left are not offered
    assert "Zoë Hartley" not in asked[0]  # her login is recorded: she is never chosen, only established
    entry = window.context.read(lambda s: audit_log.search(s, limit=1))[0]
    assert (entry.actor, entry.action) == ("Tom Beckett", "chosen as actor")
    assert "temp-pc-user" in entry.changes
    window.context.database.dispose()
    again = create_main_window(demo_url)
    qtbot.addWidget(again)
    assert again.context.actor.name == "Tom Beckett" and again.context.actor.how == "chosen"
    app_module._choose_actor(again)
    assert len(asked) == 1  # not asked a second time
    again.context.database.dispose()


def test_actor_argument_is_refused_on_a_council_with_a_clerk(qtbot, demo_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(authority, "os_login", lambda: "temp-pc-user")
    with pytest.raises(
        PermissionDenied, match="--actor is only for setting up a council that has no clerk yet"
    ):
        create_main_window(demo_url, actor="lnowak")


def test_actor_argument_sets_up_an_empty_council(qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(authority, "os_login", lambda: "temp-pc-user")
    window = create_main_window(f"sqlite:///{tmp_path / 'new.db'}", actor="Zoë Hartley")
    qtbot.addWidget(window)
    assert window.context.actor.how == "setup"
    assert window.people.add_button.isEnabled()
    window.context.database.dispose()

"""Who is acting: the OS login, else a one-time choice remembered on this PC, else --actor."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from clerk_desk import app as app_module
from clerk_desk.app import create_main_window
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
        dialog.person.setCurrentIndex(names.index("Łukasz Nowak"))
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ActorDialog, "exec", choose)
    window = create_main_window(demo_url)
    qtbot.addWidget(window)
    assert window.context.actor.how == "os-user"
    assert window.actor_label.text() == "Acting as: temp-pc-user (not in People)"
    app_module._choose_actor(window)
    assert window.context.actor.name == "Łukasz Nowak"
    assert window.actor_label.text() == "Acting as: Łukasz Nowak"
    assert "Ayşe Ağca" not in asked[0]  # people who have left are not offered
    window.context.database.dispose()
    again = create_main_window(demo_url)
    qtbot.addWidget(again)
    assert again.context.actor.name == "Łukasz Nowak" and again.context.actor.how == "remembered"
    app_module._choose_actor(again)
    assert len(asked) == 1  # not asked a second time
    again.context.database.dispose()


def test_actor_argument_overrides_everything(qtbot, demo_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(authority, "os_login", lambda: "clerk-login")
    window = create_main_window(demo_url, actor="lnowak")
    qtbot.addWidget(window)
    assert window.context.actor.name == "Łukasz Nowak" and window.context.actor.how == "argument"
    window.context.database.dispose()

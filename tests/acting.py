"""Acting as someone in a test, the way Clerk Desk establishes it: never by claiming a name."""

from __future__ import annotations

import pytest

from clerk_desk.register import authority
from clerk_desk.storage import config


def act_as(monkeypatch: pytest.MonkeyPatch, url: str, name: str) -> None:
    """Run as an OS user who is nobody's login and once chose ``name`` (a person without a login)."""
    monkeypatch.setattr(authority, "os_login", lambda: "shared-pc")
    config.remember_actor(url, name)

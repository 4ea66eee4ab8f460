"""Who may change the register (Thornbury 9.1), and who is acting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import factories
import pytest
from sqlalchemy.orm import Session

from clerk_desk.errors import PermissionDenied
from clerk_desk.models import Role
from clerk_desk.register import accounts, authority, people, settings
from clerk_desk.storage import config
from clerk_desk.storage.db import Database
from services.helpers import row_counts, tiny_png

TODAY = date(2026, 11, 21)
PNG = tiny_png()


@pytest.fixture
def council(db: Database) -> Database:
    """One person in every role; set up by someone not (yet) in People, as on a new database."""
    with db.transaction("setup script") as session:
        factories.person(session, "Zoë Hartley", Role.CLERK, login="zhartley")
        factories.person(session, "Łukasz Nowak", Role.DEPUTY_CLERK)
        factories.person(session, "Nguyễn Thu Hà", Role.EMPLOYEE, login="tnguyen")
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)
        factories.person(session, "Cllr Margaret Oduya", Role.COUNCILLOR)
        factories.person(session, "Priya Shah", Role.CONTRACTOR)
    return db


def change_person(session: Session, tmp_path: Path) -> None:
    factories.person(session, "Ayşe Ağca", Role.EMPLOYEE)


def change_account(session: Session, tmp_path: Path) -> None:
    factories.account(session, TODAY)


def change_settings(session: Session, tmp_path: Path) -> None:
    settings.update(session, {"rotation_days": "90"})


def change_logo(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "crest.png"
    path.write_bytes(PNG)
    settings.set_logo(session, path)


CHANGES = {
    "change People": change_person,
    "change the register of accounts": change_account,
    "change the council's settings": change_settings,
    "change the council's logo": change_logo,
}


@pytest.mark.parametrize("what", list(CHANGES))
@pytest.mark.parametrize(
    ("actor", "role"),
    [
        ("Nguyễn Thu Hà", "employee"),
        ("Tom Beckett", "volunteer"),
        ("Cllr Margaret Oduya", "councillor"),
        ("Priya Shah", "contractor"),
        ("TOM BECKETT", "volunteer"),
    ],
)
def test_only_the_clerk_or_deputy_may_change_the_register(
    council: Database, tmp_path: Path, what: str, actor: str, role: str
) -> None:
    before = row_counts(council)
    with pytest.raises(PermissionDenied) as caught, council.transaction(actor) as session:
        CHANGES[what](session, tmp_path)
    assert str(caught.value).startswith(f"Only the clerk or deputy clerk may {what} (Thornbury 9.1); ")
    assert str(caught.value).endswith(f" is {role}.")
    assert row_counts(council) == before


@pytest.mark.parametrize("change", list(CHANGES.values()))
@pytest.mark.parametrize("actor", ["Zoë Hartley", "łukasz nowak", "Someone not in People"])
def test_the_clerk_the_deputy_and_an_unknown_actor_may_change_it(
    council: Database, tmp_path: Path, change: Callable[[Session, Path], None], actor: str
) -> None:
    before = row_counts(council)["audit_entries"]
    with council.transaction(actor) as session:
        change(session, tmp_path)
    assert row_counts(council)["audit_entries"] == before + 1


def test_an_approval_by_a_deputy_is_allowed_but_not_by_staff(council: Database) -> None:
    with council.transaction("Zoë Hartley") as session:
        account = factories.account(session, TODAY)
        account_id, version = account.id, account.version
    with pytest.raises(PermissionDenied), council.transaction("Nguyễn Thu Hà") as session:
        accounts.approve(session, account_id, version, "Zoë Hartley", TODAY, "News", TODAY)
    with council.transaction("Łukasz Nowak") as session:
        accounts.approve(session, account_id, version, "Łukasz Nowak", TODAY, "News", TODAY)


# --- who is acting ------------------------------------------------------------------------------


@pytest.fixture
def os_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str], None]:
    """Pretend to be this OS user, with a private config folder."""
    monkeypatch.setenv(config.DATA_DIR_ENV, str(tmp_path / "config"))

    def become(login: str) -> None:
        monkeypatch.setattr(authority, "os_login", lambda: login)

    return become


def resolve(db: Database, given: str | None) -> authority.Actor:
    with db.read() as session:
        return authority.resolve_actor(session, db.url, given)


def test_the_actor_given_by_name_or_login(council: Database, os_user: Callable[[str], None]) -> None:
    os_user("zhartley")
    tom = resolve(council, "tom beckett")
    assert (tom.name, tom.how, tom.known) == ("Tom Beckett", "argument", True)
    assert resolve(council, "TNGUYEN").name == "Nguyễn Thu Hà"
    stranger = resolve(council, "Auditor from the district")
    assert (stranger.name, stranger.person_id, stranger.known) == ("Auditor from the district", None, False)


def test_the_actor_is_the_person_with_the_os_login(council: Database, os_user: Callable[[str], None]) -> None:
    os_user("ZHartley")
    actor = resolve(council, None)
    assert (actor.name, actor.how) == ("Zoë Hartley", "login")


def test_the_actor_remembered_on_this_pc(council: Database, os_user: Callable[[str], None]) -> None:
    os_user("office-pc")
    config.remember_actor(council.url, "Łukasz Nowak")
    actor = resolve(council, None)
    assert (actor.name, actor.how) == ("Łukasz Nowak", "remembered")
    config.remember_actor(council.url, "Someone who was never in People")
    assert resolve(council, None) == authority.Actor("office-pc", None, "os-user")


def test_the_actor_falls_back_to_the_os_user(council: Database, os_user: Callable[[str], None]) -> None:
    os_user("")
    assert resolve(council, None) == authority.Actor("unknown user", None, "os-user")


def test_acting_person(council: Database) -> None:
    with council.transaction("zoë hartley") as session:
        person = authority.acting_person(session)
        assert person is not None and person.name == "Zoë Hartley"
    with council.transaction("setup script") as session:
        assert authority.acting_person(session) is None


def test_a_clerk_who_has_left_may_no_longer_change_the_register(council: Database) -> None:
    with council.transaction("Łukasz Nowak") as session:
        zoe = people.by_name(session, "Zoë Hartley")
        assert zoe is not None
        people.record_leaving(session, zoe.id, zoe.version, date(2026, 11, 1))
    with (
        pytest.raises(PermissionDenied, match=r"\(Thornbury 9.1\); Zoë Hartley is no longer in post"),
        council.transaction("Zoë Hartley") as session,
    ):
        factories.account(session, TODAY, handle="@after-leaving")
    with council.read() as session:
        assert not authority.actor_may_manage(session, "Zoë Hartley", TODAY)
        assert authority.actor_may_manage(session, "Łukasz Nowak", TODAY)

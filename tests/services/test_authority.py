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


def _fill(db: Database) -> Database:
    with db.transaction("setup script") as session:
        factories.person(session, "Zoë Hartley", Role.CLERK, login="zhartley")
        factories.person(session, "Łukasz Nowak", Role.DEPUTY_CLERK)
        factories.person(session, "Nguyễn Thu Hà", Role.EMPLOYEE, login="tnguyen")
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)
        factories.person(session, "Cllr Margaret Oduya", Role.COUNCILLOR)
        factories.person(session, "Priya Shah", Role.CONTRACTOR)
    return db


@pytest.fixture
def council(db: Database) -> Database:
    """One person in every role; set up by someone not (yet) in People, as on a new database."""
    return _fill(db)


@pytest.fixture
def pc_council(sqlite_db: Database) -> Database:
    """The same council in a SQLite file, where the OS user decides who is acting (on PostgreSQL the
    database user does: see test_postgres_roles)."""
    return _fill(sqlite_db)


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
@pytest.mark.parametrize("actor", ["Zoë Hartley", "Łukasz Nowak"])
def test_the_clerk_and_the_deputy_may_change_it(
    council: Database, tmp_path: Path, change: Callable[[Session, Path], None], actor: str
) -> None:
    before = row_counts(council)["audit_entries"]
    with council.transaction(actor) as session:
        change(session, tmp_path)
    assert row_counts(council)["audit_entries"] == before + 1


@pytest.mark.parametrize("what", list(CHANGES))
@pytest.mark.parametrize(
    "actor",
    [
        "Someone not in People",
        "zoë hartley",  # not the name as People spells it
        "Zoë  Hartley",  # a doubled space
        "Zoë Hartley\u200b",  # a zero-width space
        "ZOË HARTLEY",
    ],
)
def test_an_unknown_or_look_alike_actor_may_change_nothing_once_there_is_a_clerk(
    council: Database, tmp_path: Path, what: str, actor: str
) -> None:
    before = row_counts(council)
    with pytest.raises(PermissionDenied) as caught, council.transaction(actor) as session:
        CHANGES[what](session, tmp_path)
    assert str(caught.value) == (
        f"Only the clerk or deputy clerk may {what} (Thornbury 9.1); '{actor}' is not in People."
    )
    assert row_counts(council) == before


def test_a_name_with_a_combining_diaeresis_is_the_same_person_and_recorded_in_one_spelling(
    council: Database,
) -> None:
    decomposed = "Zoe\u0308 Hartley"
    with council.transaction(decomposed) as session:
        person = authority.acting_person(session)
        assert person is not None and person.name == "Zoë Hartley"
    with pytest.raises(Exception, match="already in People"), council.transaction("Zoë Hartley") as session:
        factories.person(session, "Zoe\u0308 Hartley", Role.EMPLOYEE)


def test_an_empty_council_may_be_set_up_by_someone_not_in_people(db: Database) -> None:
    with db.read() as session:
        assert authority.actor_may_manage(session, "setup script", TODAY)
        assert not authority.may_manage(None, TODAY)
        assert authority.may_manage(None, TODAY, setting_up=True)
    with db.transaction("setup script") as session:
        factories.person(session, "Zoë Hartley", Role.CLERK)
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)  # the same set-up transaction
    with db.read() as session:
        assert not authority.actor_may_manage(session, "setup script", TODAY)
    with (
        pytest.raises(PermissionDenied, match="'setup script' is not in People"),
        db.transaction("setup script") as session,
    ):
        factories.person(session, "Priya Shah", Role.CONTRACTOR)


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


def test_actor_argument_is_refused_once_the_council_has_a_clerk(
    pc_council: Database, os_user: Callable[[str], None]
) -> None:
    os_user("tnguyen")
    for given in ("Zoë Hartley", "zhartley", "Auditor from the district", "Zoe\u0308 Hartley"):
        with pytest.raises(PermissionDenied) as caught:
            resolve(pc_council, given)
        assert str(caught.value) == (
            "--actor is only for setting up a council that has no clerk yet; on this council Clerk Desk "
            "knows who is acting from the login, and you are Nguyễn Thu Hà (Thornbury 9.1)."
        )
    # Naming yourself is harmless.
    assert resolve(pc_council, "Nguyễn Thu Hà") == authority.Actor("Nguyễn Thu Hà", 3, "login")


def test_actor_argument_sets_up_an_empty_council(sqlite_db: Database, os_user: Callable[[str], None]) -> None:
    os_user("office-pc")
    assert resolve(sqlite_db, "Zoë Hartley") == authority.Actor("Zoë Hartley", None, "setup")


def test_the_actor_is_the_person_with_the_os_login(
    pc_council: Database, os_user: Callable[[str], None]
) -> None:
    os_user("ZHartley")
    actor = resolve(pc_council, None)
    assert (actor.name, actor.how) == ("Zoë Hartley", "login")


def test_the_actor_chosen_on_this_pc_must_have_no_login(
    pc_council: Database, os_user: Callable[[str], None]
) -> None:
    os_user("office-pc")
    config.remember_actor(pc_council.url, "Łukasz Nowak")
    actor = resolve(pc_council, None)
    assert (actor.name, actor.how) == ("Łukasz Nowak", "chosen")
    # Zoë's login is recorded (for her own PC): she is never "chosen" on another.
    config.remember_actor(pc_council.url, "Zoë Hartley")
    assert resolve(pc_council, None).how == "unknown"
    config.remember_actor(pc_council.url, "Someone who was never in People")
    unknown = resolve(pc_council, None)
    assert (unknown.name, unknown.person_id, unknown.how) == ("office-pc", None, "unknown")
    with pc_council.read() as session:
        offered = [p.name for p in authority.choosable(session, TODAY)]
    assert "Zoë Hartley" not in offered and "Nguyễn Thu Hà" not in offered
    assert "Łukasz Nowak" in offered and "Tom Beckett" in offered


def test_the_choice_is_recorded_in_the_trail(pc_council: Database) -> None:
    from clerk_desk.audit import reader

    with pc_council.transaction("Tom Beckett") as session:
        authority.record_choice(session, "office-pc")
    with pc_council.read() as session:
        entry = reader.search(session, limit=1)[0]
    assert (entry.actor, entry.action, entry.subject_label) == (
        "Tom Beckett",
        "chosen as actor",
        "Tom Beckett",
    )
    assert "office-pc" in entry.changes
    with pytest.raises(PermissionDenied), pc_council.transaction("Zoë Hartley") as session:
        authority.record_choice(session, "office-pc")  # she has a login


def test_the_actor_falls_back_to_the_os_user(pc_council: Database, os_user: Callable[[str], None]) -> None:
    os_user("")
    actor = resolve(pc_council, None)
    assert (actor.name, actor.person_id, actor.how) == ("unknown user", None, "unknown")


def test_acting_person(council: Database) -> None:
    with council.transaction("Zoë Hartley") as session:
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


def test_someone_not_in_people_may_not_log_an_incident(council: Database) -> None:
    from clerk_desk.incidents import lifecycle
    from clerk_desk.models import IncidentCategory

    before = row_counts(council)
    with pytest.raises(PermissionDenied) as caught, council.transaction("Not In People") as session:
        lifecycle.log(session, "Spam", IncidentCategory.OTHER, "Lots of it.")
    assert str(caught.value) == (
        "Only someone in People may log an incident (Thornbury 9.1); 'Not In People' is not in People."
    )
    assert row_counts(council) == before
    with council.transaction("Tom Beckett") as session:  # any volunteer in People may
        lifecycle.log(session, "Spam", IncidentCategory.OTHER, "Lots of it.")

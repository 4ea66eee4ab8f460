"""Evidence files: copied into the data folder with their SHA-256, never silently replaced, checked before
anyone relies on them."""

from __future__ import annotations

import hashlib
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import factories
import pytest

from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.incidents import evidence
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import Evidence, IncidentCategory, Role
from clerk_desk.storage import config
from clerk_desk.storage.db import Database
from services.helpers import row_counts

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ACTOR = "Zoë Hartley"
DEPUTY = "Łukasz Nowak"
SCREENSHOT = b"\x89PNG\r\n\x1a\n" + b"fake page asking for bank details" * 100


@pytest.fixture
def incident_id(db: Database) -> int:
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
        return incidents.log(session, "Fake council page", IncidentCategory.IMPERSONATION, "Bank details").id


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "evidence"


def write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def attach(db: Database, incident_id: int, source: Path, store: Path, actor: str = ACTOR) -> Evidence:
    with db.transaction(actor) as session:
        item = evidence.attach(session, incident_id, source, folder=store)
        session.expunge(item)
        return item


def stored(db: Database, incident_id: int) -> list[Evidence]:
    with db.read() as session:
        return list(incidents.get(session, incident_id).evidence)


def test_a_file_is_copied_with_its_sha256_and_size(
    db: Database, incident_id: int, store: Path, tmp_path: Path
) -> None:
    source = write(tmp_path / "Downloads" / "fake page (1).png", SCREENSHOT)
    attach(db, incident_id, source, store, actor=DEPUTY)
    (item,) = stored(db, incident_id)
    digest = hashlib.sha256(SCREENSHOT).hexdigest()
    assert (item.filename, item.sha256, item.size) == ("fake page (1).png", digest, len(SCREENSHOT))
    assert (item.added_at, item.added_by) == (NOW, DEPUTY)
    assert item.stored_as == f"INC-2026-001/{digest[:16]}-fake page _1_.png"
    copy = store / item.stored_as
    assert copy.read_bytes() == SCREENSHOT
    assert evidence.path_of(item, store) == copy
    # The original is left where it was, and nothing half-written is left beside the copy.
    assert source.read_bytes() == SCREENSHOT
    assert [p.name for p in copy.parent.iterdir()] == [copy.name]


def test_the_same_content_twice_is_refused(
    db: Database, incident_id: int, store: Path, tmp_path: Path
) -> None:
    attach(db, incident_id, write(tmp_path / "page.png", SCREENSHOT), store)
    before = row_counts(db)
    with pytest.raises(ValidationError) as caught:
        attach(db, incident_id, write(tmp_path / "again" / "copy of page.png", SCREENSHOT), store)
    assert str(caught.value) == "file: copy of page.png is already attached as page.png"
    assert row_counts(db) == before


def test_two_different_files_with_the_same_name_are_both_kept(
    db: Database, incident_id: int, store: Path, tmp_path: Path
) -> None:
    attach(db, incident_id, write(tmp_path / "monday" / "screenshot.png", SCREENSHOT), store)
    attach(db, incident_id, write(tmp_path / "tuesday" / "screenshot.png", SCREENSHOT + b"more"), store)
    first, second = stored(db, incident_id)
    assert first.filename == second.filename == "screenshot.png"
    assert first.stored_as != second.stored_as
    assert (store / first.stored_as).read_bytes() == SCREENSHOT
    assert (store / second.stored_as).read_bytes() == SCREENSHOT + b"more"


def test_the_same_file_may_be_evidence_for_two_incidents(
    db: Database, incident_id: int, store: Path, tmp_path: Path
) -> None:
    with db.transaction(ACTOR) as session:
        other_id = incidents.log(session, "Second fake page", IncidentCategory.IMPERSONATION, "Again").id
    source = write(tmp_path / "page.png", SCREENSHOT)
    first = attach(db, incident_id, source, store)
    second = attach(db, other_id, source, store)
    assert first.stored_as.startswith("INC-2026-001/") and second.stored_as.startswith("INC-2026-002/")
    assert evidence.path_of(first, store) != evidence.path_of(second, store)


def test_a_tampered_copy_is_detected(db: Database, incident_id: int, store: Path, tmp_path: Path) -> None:
    item = attach(db, incident_id, write(tmp_path / "page.png", SCREENSHOT), store)
    (store / item.stored_as).write_bytes(SCREENSHOT.replace(b"bank", b"BANK"))
    with pytest.raises(ClerkDeskError) as caught:
        evidence.path_of(item, store)
    assert str(caught.value) == "The evidence file page.png has been altered since it was attached"


def test_a_missing_copy_is_detected(db: Database, incident_id: int, store: Path, tmp_path: Path) -> None:
    item = attach(db, incident_id, write(tmp_path / "page.png", SCREENSHOT), store)
    (store / item.stored_as).unlink()
    with pytest.raises(ClerkDeskError, match=r"^The evidence file page.png is missing from "):
        evidence.path_of(item, store)


def test_an_attach_that_is_rolled_back_leaves_no_file(
    db: Database, incident_id: int, store: Path, tmp_path: Path
) -> None:
    source = write(tmp_path / "page.png", SCREENSHOT)
    with pytest.raises(RuntimeError), db.transaction(ACTOR) as session:
        left = evidence.attach(session, incident_id, source, folder=store)
        path = store / left.stored_as
        assert path.read_bytes() == SCREENSHOT
        raise RuntimeError("undone")
    assert stored(db, incident_id) == []
    assert not path.exists()
    assert [p.name for p in path.parent.iterdir()] == []  # no partial copy either
    item = attach(db, incident_id, source, store)
    assert (store / item.stored_as).read_bytes() == SCREENSHOT


def test_a_copy_already_there_is_never_overwritten_nor_removed(
    db: Database, incident_id: int, store: Path, tmp_path: Path
) -> None:
    source = write(tmp_path / "page.png", SCREENSHOT)
    digest = hashlib.sha256(SCREENSHOT).hexdigest()
    with db.read() as session:
        reference = incidents.get(session, incident_id).reference
    path = write(store / reference / f"{digest[:16]}-page.png", SCREENSHOT)
    stamp = path.stat().st_mtime_ns
    with pytest.raises(RuntimeError), db.transaction(ACTOR) as session:
        evidence.attach(session, incident_id, source, folder=store)
        raise RuntimeError("undone")
    assert path.read_bytes() == SCREENSHOT  # not ours to remove
    item = attach(db, incident_id, source, store)
    assert store / item.stored_as == path and path.stat().st_mtime_ns == stamp


@pytest.mark.skipif(os.name != "posix", reason="file modes and links as POSIX has them")
def test_the_copy_and_its_folders_are_readable_by_the_user_only(
    db: Database, incident_id: int, store: Path, tmp_path: Path
) -> None:
    source = write(tmp_path / "page.png", SCREENSHOT)
    source.chmod(0o644)
    item = attach(db, incident_id, source, store)
    copy = store / item.stored_as
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="file modes and links as POSIX has them")
@pytest.mark.parametrize("kind", ["link", "fifo", "device"])
def test_a_link_or_special_file_is_refused(
    db: Database, incident_id: int, store: Path, tmp_path: Path, kind: str
) -> None:
    if kind == "link":
        secret = write(tmp_path / "shadow", b"root:$6$secret")
        source = tmp_path / "page.png"
        source.symlink_to(secret)
        message = "is a link; choose the file itself"
    elif kind == "fifo":
        source = tmp_path / "pipe.png"
        os.mkfifo(source)
        message = "is not a file"
    else:
        source, message = Path("/dev/zero"), "is not a file"
    with pytest.raises(ValidationError, match=message) as caught:
        attach(db, incident_id, source, store)
    assert caught.value.field == "file"
    assert row_counts(db)["incident_evidence"] == 0
    assert not store.exists() or not any(p.is_file() for p in store.rglob("*"))


@pytest.mark.parametrize(
    ("name", "message"), [("", "is not a file"), ("no-such-file.png", "cannot read .*no-such-file.png")]
)
def test_something_that_is_not_a_file_is_refused(
    db: Database, incident_id: int, store: Path, tmp_path: Path, name: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        attach(db, incident_id, tmp_path / name, store)
    assert caught.value.field == "file"
    assert row_counts(db)["incident_evidence"] == 0


def test_a_folder_that_cannot_be_written_is_a_clear_error(
    db: Database, incident_id: int, tmp_path: Path
) -> None:
    blocker = write(tmp_path / "not-a-folder", b"a file where the folder should be")
    with pytest.raises(ClerkDeskError, match=r"^Cannot copy page.png into "):
        attach(db, incident_id, write(tmp_path / "page.png", SCREENSHOT), blocker)
    assert row_counts(db)["incident_evidence"] == 0


def test_the_evidence_folder_is_in_the_data_folder() -> None:
    assert evidence.evidence_dir() == config.data_dir() / "evidence"


def test_the_audit_trail_records_the_attachment(
    db: Database, incident_id: int, store: Path, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from clerk_desk.models import AuditEntry

    attach(db, incident_id, write(tmp_path / "page.png", SCREENSHOT), store, actor=DEPUTY)
    with db.read() as session:
        entry = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
    assert (entry.action, entry.subject_type, entry.subject_label, entry.actor) == (
        "create",
        "Evidence",
        "INC-2026-001: page.png",
        DEPUTY,
    )
    assert hashlib.sha256(SCREENSHOT).hexdigest() in entry.changes

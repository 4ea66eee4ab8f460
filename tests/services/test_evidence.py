"""Evidence files: kept in the database with their SHA-256, never silently replaced, limited in size,
checked before anyone relies on them, and the same on every PC."""

from __future__ import annotations

import hashlib
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import factories
import pytest
from sqlalchemy import select, update

from clerk_desk.errors import ClerkDeskError, NotFoundError, ValidationError
from clerk_desk.incidents import evidence
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import AuditEntry, Evidence, IncidentCategory, Role
from clerk_desk.register import settings
from clerk_desk.storage import config
from clerk_desk.storage.db import Database, open_database
from services.helpers import row_counts

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ACTOR = "Zoë Hartley"
DEPUTY = "Łukasz Nowak"
SCREENSHOT = b"\x89PNG\r\n\x1a\n" + b"fake page asking for bank details" * 100
REF = "INC-2026-001"


@pytest.fixture
def incident_id(db: Database) -> int:
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
        return incidents.log(session, "Fake council page", IncidentCategory.IMPERSONATION, "Bank details").id


def write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def attach(db: Database, incident_id: int, source: Path, actor: str = ACTOR) -> Evidence:
    with db.transaction(actor) as session:
        item = evidence.attach(session, incident_id, source)
        session.expunge(item)
        return item


def stored(db: Database, incident_id: int) -> list[Evidence]:
    with db.read() as session:
        return list(incidents.get(session, incident_id).evidence)


def content(db: Database, evidence_id: int) -> bytes:
    with db.read() as session:
        return evidence.content_of(session, evidence_id)


def test_a_file_is_kept_in_the_database_with_its_sha256_size_and_type(
    db: Database, incident_id: int, tmp_path: Path
) -> None:
    source = write(tmp_path / "Downloads" / "fake page (1).png", SCREENSHOT)
    attach(db, incident_id, source, actor=DEPUTY)
    (item,) = stored(db, incident_id)
    digest = hashlib.sha256(SCREENSHOT).hexdigest()
    assert (item.filename, item.sha256, item.size) == ("fake page (1).png", digest, len(SCREENSHOT))
    assert (item.media_type, item.stored_as) == ("image/png", None)
    assert (item.added_at, item.added_by) == (NOW, DEPUTY)
    assert content(db, item.id) == SCREENSHOT
    # Nothing is written to the data folder; the original is left where it was.
    assert not evidence.evidence_dir().exists() or not any(evidence.evidence_dir().rglob("*.png"))
    assert source.read_bytes() == SCREENSHOT


def test_evidence_attached_on_one_pc_opens_on_another_with_the_same_sha256(
    db: Database, database_url: str, incident_id: int, tmp_path: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    item = attach(db, incident_id, write(tmp_path / "pc1" / "page.png", SCREENSHOT))
    other_pc = open_database(database_url, clock)
    try:
        with other_pc.read() as session:
            (listed,) = evidence.for_incident(session, REF)
            opened = evidence.open_copy(session, listed.id)
    finally:
        other_pc.dispose()
    assert hashlib.sha256(opened.read_bytes()).hexdigest() == item.sha256
    # Readable by this user only, in a folder only this user can enter.
    assert stat.S_IMODE(opened.stat().st_mode) == 0o600
    assert stat.S_IMODE(opened.parent.stat().st_mode) == 0o700
    assert opened.name == "page.png"


def test_a_file_over_the_limit_is_refused_with_the_limit_named(
    db: Database, incident_id: int, tmp_path: Path
) -> None:
    with db.transaction(ACTOR) as session:
        settings.update(session, {"evidence_max_mib": "1"})
    before = row_counts(db)
    big = write(tmp_path / "video.mp4", b"\0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as caught:
        attach(db, incident_id, big)
    assert str(caught.value) == "file: video.mp4 is larger than the limit of 1 MiB for an evidence file"
    assert row_counts(db) == before
    attach(db, incident_id, write(tmp_path / "small.mp4", b"\0" * 1024 * 1024))


def test_the_default_limit_is_50_mib(db: Database) -> None:
    with db.read() as session:
        assert evidence.limit_bytes(session) == 50 * 1024 * 1024


def test_the_same_content_twice_is_refused(db: Database, incident_id: int, tmp_path: Path) -> None:
    attach(db, incident_id, write(tmp_path / "page.png", SCREENSHOT))
    before = row_counts(db)
    with pytest.raises(ValidationError) as caught:
        attach(db, incident_id, write(tmp_path / "again" / "copy of page.png", SCREENSHOT))
    assert str(caught.value) == "file: copy of page.png is already attached as page.png"
    assert row_counts(db) == before


def test_two_different_files_with_the_same_name_are_both_kept(
    db: Database, incident_id: int, tmp_path: Path
) -> None:
    attach(db, incident_id, write(tmp_path / "monday" / "screenshot.png", SCREENSHOT))
    attach(db, incident_id, write(tmp_path / "tuesday" / "screenshot.png", SCREENSHOT + b"more"))
    first, second = stored(db, incident_id)
    assert first.filename == second.filename == "screenshot.png"
    assert content(db, first.id) == SCREENSHOT
    assert content(db, second.id) == SCREENSHOT + b"more"
    with db.read() as session:
        assert evidence.named(session, REF, "screenshot.png").id == second.id
        with pytest.raises(NotFoundError, match=f"Incident {REF} has no evidence file called x.png"):
            evidence.named(session, REF, "x.png")


def test_the_same_file_may_be_evidence_for_two_incidents(
    db: Database, incident_id: int, tmp_path: Path
) -> None:
    with db.transaction(ACTOR) as session:
        other_id = incidents.log(session, "Second fake page", IncidentCategory.IMPERSONATION, "Again").id
    source = write(tmp_path / "page.png", SCREENSHOT)
    first = attach(db, incident_id, source)
    second = attach(db, other_id, source)
    assert first.id != second.id and first.sha256 == second.sha256


def test_an_altered_file_is_detected(db: Database, incident_id: int, tmp_path: Path) -> None:
    item = attach(db, incident_id, write(tmp_path / "page.png", SCREENSHOT))
    with db.engine.begin() as conn:
        conn.execute(
            update(Evidence.__table__)  # type: ignore[arg-type]
            .where(Evidence.__table__.c.id == item.id)
            .values(content=SCREENSHOT.replace(b"bank", b"BANK"))
        )
    with pytest.raises(ClerkDeskError) as caught:
        content(db, item.id)
    assert str(caught.value) == "The evidence file page.png has been altered since it was attached"


def test_an_attach_that_is_rolled_back_leaves_nothing_behind(
    db: Database, incident_id: int, tmp_path: Path
) -> None:
    source = write(tmp_path / "page.png", SCREENSHOT)
    before = row_counts(db)
    with pytest.raises(RuntimeError), db.transaction(ACTOR) as session:
        left = evidence.attach(session, incident_id, source)
        assert left.content == SCREENSHOT
        raise RuntimeError("undone")
    assert stored(db, incident_id) == [] and row_counts(db) == before
    # No copy anywhere on this PC either, partial or whole.
    assert not evidence.evidence_dir().exists() or not any(evidence.evidence_dir().rglob("*"))
    item = attach(db, incident_id, source)
    assert content(db, item.id) == SCREENSHOT


@pytest.mark.skipif(os.name != "posix", reason="file modes and links as POSIX has them")
def test_a_copy_written_out_is_readable_by_the_user_only(
    db: Database, incident_id: int, tmp_path: Path
) -> None:
    source = write(tmp_path / "page.png", SCREENSHOT)
    source.chmod(0o644)
    item = attach(db, incident_id, source)
    with db.read() as session:
        written = evidence.write_copy(session, item.id, tmp_path / "out.png")
    assert written.read_bytes() == SCREENSHOT
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="file modes and links as POSIX has them")
@pytest.mark.parametrize("kind", ["link", "fifo", "device"])
def test_a_link_or_special_file_is_refused(db: Database, incident_id: int, tmp_path: Path, kind: str) -> None:
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
        attach(db, incident_id, source)
    assert caught.value.field == "file"
    assert row_counts(db)["incident_evidence"] == 0
    with db.engine.connect() as conn:  # nothing of the linked file reached the database
        assert conn.execute(select(Evidence.__table__.c.content)).all() == []


@pytest.mark.parametrize(
    ("name", "message"), [("", "is not a file"), ("no-such-file.png", "cannot read .*no-such-file.png")]
)
def test_something_that_is_not_a_file_is_refused(
    db: Database, incident_id: int, tmp_path: Path, name: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        attach(db, incident_id, tmp_path / name)
    assert caught.value.field == "file"
    assert row_counts(db)["incident_evidence"] == 0


def test_a_file_an_earlier_version_kept_in_the_data_folder_is_still_read_and_checked(
    db: Database, incident_id: int, tmp_path: Path
) -> None:
    item = attach(db, incident_id, write(tmp_path / "page.png", SCREENSHOT))
    old = write(evidence.evidence_dir() / REF / "old-page.png", SCREENSHOT)
    with db.engine.begin() as conn:
        table = Evidence.__table__
        conn.execute(
            update(table).where(table.c.id == item.id).values(content=None, stored_as=f"{REF}/old-page.png")  # type: ignore[arg-type]
        )
    try:
        assert content(db, item.id) == SCREENSHOT
        old.unlink()
        with pytest.raises(ClerkDeskError, match="was attached on another PC by an earlier version"):
            content(db, item.id)
    finally:
        old.unlink(missing_ok=True)


def test_the_old_evidence_folder_is_in_the_data_folder() -> None:
    assert evidence.evidence_dir() == config.data_dir() / "evidence"


def test_the_audit_trail_records_the_attachment_without_the_file(
    db: Database, incident_id: int, tmp_path: Path
) -> None:
    attach(db, incident_id, write(tmp_path / "page.png", SCREENSHOT), actor=DEPUTY)
    with db.read() as session:
        entry = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
    assert (entry.action, entry.subject_type, entry.subject_label, entry.actor) == (
        "create",
        "Evidence",
        "INC-2026-001: page.png",
        DEPUTY,
    )
    assert hashlib.sha256(SCREENSHOT).hexdigest() in entry.changes
    assert "bank details" not in entry.changes and "content" not in entry.changes

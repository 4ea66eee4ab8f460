"""The council's settings and logo."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.errors import ValidationError
from clerk_desk.models import AuditEntry, Setting
from clerk_desk.register import settings
from clerk_desk.storage.db import Database
from services.helpers import row_counts, tiny_png

ACTOR = "Zoë Hartley"


def stored(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {key: value for key, value in session.execute(select(Setting.key, Setting.value))}


def trail(db: Database) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars())


# --- values -------------------------------------------------------------------------------------


def test_a_new_council_has_the_defaults(db: Database) -> None:
    with db.read() as session:
        current = settings.load(session)
    assert current.council_name == ""
    assert current.email_domains == []
    assert current.rotation_days == 180
    assert current.policy_version == ""
    assert current.policy_adopted_on is None
    assert current.policy_reviewed_on is None
    assert current.review_interval_months == 12
    assert current.year_start_month == 5
    assert current.time_zone.key == "Europe/London"
    assert set(settings.SPECS) == {
        "council_name",
        "email_domains",
        "rotation_days",
        "policy_version",
        "policy_adopted_on",
        "policy_reviewed_on",
        "review_interval_months",
        "year_start_month",
        "evidence_max_mib",
        "time_zone",
    }


def test_every_setting_is_stored_normalised_and_read_back_typed(db: Database) -> None:
    with db.transaction(ACTOR) as session:
        cleaned = settings.update(
            session,
            {
                "council_name": "  Little Ashcombe Town Council ",
                "email_domains": "@LittleAshcombe-TC.gov.uk; ; parish.org.uk ",
                "rotation_days": " 90 ",
                "policy_version": "2.1",
                "policy_adopted_on": "2024-11-21",
                "policy_reviewed_on": "2025-11-06",
                "review_interval_months": "24",
                "year_start_month": "4",
            },
        )
    assert cleaned["email_domains"] == "littleashcombe-tc.gov.uk;parish.org.uk"
    assert stored(db)["rotation_days"] == "90"
    with db.read() as session:
        current = settings.load(session)
    assert current.council_name == "Little Ashcombe Town Council"
    assert current.email_domains == ["littleashcombe-tc.gov.uk", "parish.org.uk"]
    assert current.rotation_days == 90
    assert current.policy_version == "2.1"
    assert current.policy_adopted_on == date(2024, 11, 21)
    assert current.policy_reviewed_on == date(2025, 11, 6)
    assert current.review_interval_months == 24
    assert current.year_start_month == 4


def test_a_date_can_be_cleared(db: Database) -> None:
    with db.transaction(ACTOR) as session:
        settings.update(session, {"policy_reviewed_on": "2025-11-06"})
    with db.transaction(ACTOR) as session:
        settings.update(session, {"policy_reviewed_on": ""})
    with db.read() as session:
        assert settings.load(session).policy_reviewed_on is None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("email_domains", "not a domain", "is not an email domain"),
        ("email_domains", "town", "is not an email domain"),
        ("email_domains", "town.gov.uk; bad domain.org", "'bad domain.org' is not an email domain"),
        ("email_domains", "clerk@town.gov.uk", "is not an email domain"),
        ("rotation_days", "0", "between 1 and 3650"),
        ("rotation_days", "-30", "between 1 and 3650"),
        ("rotation_days", "3651", "between 1 and 3650"),
        ("rotation_days", "ninety", "is not a whole number"),
        ("rotation_days", "", "is required"),
        ("year_start_month", "13", "between 1 and 12"),
        ("year_start_month", "0", "between 1 and 12"),
        ("review_interval_months", "61", "between 1 and 60"),
        ("policy_adopted_on", "2026-02-30", "is not a date"),
        ("policy_reviewed_on", "21/11/2026", "write it as YYYY-MM-DD"),
        ("policy_reviewed_on", "yesterday", "is not a date"),
        ("council_name", "x" * 201, "too long"),
        ("council_name", "Little\x1bAshcombe", "control characters"),
    ],
)
def test_a_bad_value_is_refused_naming_the_key(db: Database, key: str, value: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught, db.transaction(ACTOR) as session:
        settings.update(session, {key: value})
    assert caught.value.field == key
    assert str(caught.value).startswith(f"{key}: ")
    assert row_counts(db)["settings"] == 0
    assert row_counts(db)["audit_entries"] == 0


def test_one_bad_value_stores_none_of_the_others(db: Database) -> None:
    with pytest.raises(ValidationError), db.transaction(ACTOR) as session:
        settings.update(
            session, {"council_name": "Little Ashcombe", "rotation_days": "0", "policy_version": "3"}
        )
    assert stored(db) == {}


def test_an_unknown_key_is_refused_listing_the_keys(db: Database) -> None:
    with pytest.raises(ValidationError) as caught, db.transaction(ACTOR) as session:
        settings.update(session, {"colour_scheme": "green"})
    assert caught.value.field == "key"
    assert "'colour_scheme' is not a setting" in str(caught.value)
    for key in settings.SPECS:
        assert key in str(caught.value)
    with pytest.raises(ValidationError):
        settings.check_key("colour_scheme")
    assert settings.check_key("rotation_days").default == "180"


def test_only_changes_are_stored_and_recorded(db: Database) -> None:
    with db.transaction(ACTOR) as session:
        settings.update(session, {"rotation_days": "180", "year_start_month": "5"})  # the defaults
    assert stored(db) == {}
    assert trail(db) == []
    with db.transaction(ACTOR) as session:
        settings.update(session, {"rotation_days": "90"})
    with db.transaction("Łukasz Nowak") as session:
        settings.update(session, {"rotation_days": "120", "council_name": ""})
    with db.transaction(ACTOR) as session:
        settings.update(session, {"rotation_days": "120"})
    created, updated = trail(db)
    assert (created.action, created.subject_type, created.subject_label) == (
        "create",
        "Setting",
        "rotation_days",
    )
    assert json.loads(created.changes) == {"key": [None, "rotation_days"], "value": [None, "90"]}
    assert (updated.action, updated.actor) == ("update", "Łukasz Nowak")
    assert json.loads(updated.changes) == {"value": ["90", "120"]}


# --- logo ---------------------------------------------------------------------------------------


@pytest.fixture
def png(tmp_path: Path) -> Path:
    path = tmp_path / "Little Ashcombe crest.png"
    path.write_bytes(tiny_png())
    return path


def test_a_png_logo_is_stored_whole(db: Database, png: Path) -> None:
    with db.transaction(ACTOR) as session:
        logo = settings.set_logo(session, png)
    assert (logo.filename, logo.media_type) == ("Little Ashcombe crest.png", "image/png")
    with db.read() as session:
        again = settings.get_logo(session)
    assert again is not None
    assert again.data == png.read_bytes()
    assert again.sha256 == hashlib.sha256(png.read_bytes()).hexdigest()


def test_a_jpeg_logo_is_accepted(db: Database, tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "crest.jpg"
    Image.new("RGB", (4, 4), "navy").save(path, "JPEG")
    with db.transaction(ACTOR) as session:
        assert settings.set_logo(session, path).media_type == "image/jpeg"


def test_no_logo_until_one_is_set(db: Database) -> None:
    with db.read() as session:
        assert settings.get_logo(session) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Little Ashcombe Town Council\n", "is not a PNG or JPEG picture"),
        (b"", "is not a PNG or JPEG picture"),
        (b"GIF89a" + bytes(100), "is not a PNG or JPEG picture"),
        (b"\x89PNG\r\n\x1a\n" + bytes(settings.LOGO_MAX_BYTES), "larger than 2 MB"),
        (b"\x89PNG\r\n\x1a\n" + bytes(92), "is not a PNG or JPEG picture"),
        (tiny_png()[:40], "is not a PNG or JPEG picture"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200) + b"\xff\xd9", "is not a PNG or JPEG picture"),
    ],
)
def test_a_file_that_is_not_a_small_picture_is_refused(
    db: Database, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=message) as caught, db.transaction(ACTOR) as session:
        settings.set_logo(session, path)
    assert caught.value.field == "logo"
    assert row_counts(db)["council_logo"] == 0
    assert row_counts(db)["audit_entries"] == 0


def test_a_logo_of_exactly_2_mb_is_accepted(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(tiny_png() + bytes(settings.LOGO_MAX_BYTES - len(tiny_png())))
    with db.transaction(ACTOR) as session:
        assert len(settings.set_logo(session, path).data) == settings.LOGO_MAX_BYTES


def test_a_missing_file_is_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot read") as caught, db.transaction(ACTOR) as session:
        settings.set_logo(session, tmp_path / "nowhere.png")
    assert caught.value.field == "logo"


def test_the_logo_audit_entry_holds_its_hash_not_its_bytes(db: Database, png: Path, tmp_path: Path) -> None:
    data = png.read_bytes()
    with db.transaction(ACTOR) as session:
        settings.set_logo(session, png)
    other = tmp_path / "new crest.png"
    other.write_bytes(tiny_png(3, 3))
    with db.transaction(ACTOR) as session:
        settings.set_logo(session, other)
    created, updated = trail(db)
    assert (created.action, created.subject_type, created.subject_label) == (
        "create",
        "CouncilLogo",
        "Little Ashcombe crest.png",
    )
    assert json.loads(created.changes) == {
        "filename": [None, "Little Ashcombe crest.png"],
        "media_type": [None, "image/png"],
        "sha256": [None, hashlib.sha256(data).hexdigest()],
    }
    assert json.loads(updated.changes) == {
        "filename": ["Little Ashcombe crest.png", "new crest.png"],
        "sha256": [hashlib.sha256(data).hexdigest(), hashlib.sha256(other.read_bytes()).hexdigest()],
    }
    for entry in (created, updated):
        assert "data" not in json.loads(entry.changes)
        assert "PNG" not in entry.changes
        assert base64.b64encode(data).decode() not in entry.changes
        assert data.hex() not in entry.changes
    assert row_counts(db)["council_logo"] == 1

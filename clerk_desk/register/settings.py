"""The council's settings (design.md, ``clerk-desk settings``) and its logo."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import council_time, fields
from clerk_desk.errors import ValidationError
from clerk_desk.models import CouncilLogo, Setting
from clerk_desk.register import authority
from clerk_desk.storage import files


@dataclass(frozen=True)
class SettingSpec:
    """One settings key: its label, its default, and how a typed value is checked and normalised."""

    key: str
    label: str
    default: str
    help: str
    normalise: Callable[[str], str]


def _text(key: str) -> Callable[[str], str]:
    return lambda raw: fields.text({key: raw}, key, max_length=200) or ""


def _int(key: str, low: int, high: int) -> Callable[[str], str]:
    def check(raw: str) -> str:
        value = fields.integer({key: raw}, key, minimum=low, maximum=high)
        if value is None:
            raise ValidationError(key, "is required")
        return str(value)

    return check


def _date(key: str) -> Callable[[str], str]:
    def check(raw: str) -> str:
        value = fields.iso_date({key: raw}, key)
        return value.isoformat() if value else ""

    return check


def _time_zone(raw: str) -> str:
    return council_time.zone(raw, "time_zone").key


def _domains(raw: str) -> str:
    return ";".join(fields.domains(raw, "email_domains"))


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec(
            "council_name", "Council name", "", "Printed on the annual review.", _text("council_name")
        ),
        SettingSpec(
            "email_domains",
            "Council email domains",
            "",
            "Domains of the council's own mailboxes, separated by ';' (Stalbridge req. 1).",
            _domains,
        ),
        SettingSpec(
            "rotation_days",
            "Password change interval (days)",
            "180",
            "Default interval between password changes (Thornbury 9.4).",
            _int("rotation_days", 1, 3650),
        ),
        SettingSpec(
            "policy_version",
            "Policy version",
            "",
            "The version of the social-media policy in force.",
            _text("policy_version"),
        ),
        SettingSpec("policy_adopted_on", "Policy adopted on", "", "YYYY-MM-DD", _date("policy_adopted_on")),
        SettingSpec(
            "policy_reviewed_on",
            "Policy last reviewed on",
            "",
            "YYYY-MM-DD (Thornbury 10; Stalbridge 5)",
            _date("policy_reviewed_on"),
        ),
        SettingSpec(
            "review_interval_months",
            "Policy review interval (months)",
            "12",
            "How often council reviews the policy (Thornbury 10).",
            _int("review_interval_months", 1, 60),
        ),
        SettingSpec(
            "year_start_month",
            "Municipal year starts in month",
            "5",
            "1–12; the annual review's default period.",
            _int("year_start_month", 1, 12),
        ),
        SettingSpec(
            "evidence_max_mib",
            "Largest evidence file (MiB)",
            "50",
            "Evidence files are kept in the database; a larger file is refused.",
            _int("evidence_max_mib", 1, 1024),
        ),
        SettingSpec(
            "time_zone",
            "Time zone",
            council_time.DEFAULT_ZONE_NAME,
            "Times are shown and typed in this zone (for example Europe/London); they are stored in UTC.",
            _time_zone,
        ),
    )
}

LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class CouncilSettings:
    """Typed view of the settings, as the services use them."""

    values: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, SPECS[key].default)

    @property
    def council_name(self) -> str:
        return self["council_name"]

    @property
    def email_domains(self) -> list[str]:
        return [d for d in self["email_domains"].split(";") if d]

    @property
    def evidence_max_mib(self) -> int:
        return int(self["evidence_max_mib"])

    @property
    def rotation_days(self) -> int:
        return int(self["rotation_days"])

    @property
    def policy_version(self) -> str:
        return self["policy_version"]

    @property
    def policy_adopted_on(self) -> date | None:
        raw = self["policy_adopted_on"]
        return date.fromisoformat(raw) if raw else None

    @property
    def policy_reviewed_on(self) -> date | None:
        raw = self["policy_reviewed_on"]
        return date.fromisoformat(raw) if raw else None

    @property
    def review_interval_months(self) -> int:
        return int(self["review_interval_months"])

    @property
    def year_start_month(self) -> int:
        return int(self["year_start_month"])

    @property
    def time_zone(self) -> ZoneInfo:
        """The council's time zone: every moment is shown and typed in it."""
        return council_time.zone(self["time_zone"], "time_zone")


def time_zone(session: Session) -> ZoneInfo:
    """The council's time zone (the ``time_zone`` setting), read with one query."""
    value = session.execute(select(Setting.value).where(Setting.key == "time_zone")).scalar_one_or_none()
    return council_time.zone(value or SPECS["time_zone"].default, "time_zone")


def load(session: Session) -> CouncilSettings:
    """Every setting, with defaults for the ones never set."""
    rows = session.execute(select(Setting.key, Setting.value)).all()
    return CouncilSettings({key: value for key, value in rows if key in SPECS})


def check_key(key: str) -> SettingSpec:
    """The key's spec, or a ValidationError listing the keys."""
    spec = SPECS.get(key)
    if spec is None:
        raise ValidationError("key", f"'{key}' is not a setting; the settings are {', '.join(SPECS)}, logo")
    return spec


def normalise(key: str, raw: str) -> str:
    """The value as it will be stored, or a ValidationError naming the key."""
    return check_key(key).normalise(raw)


def update(session: Session, values: Mapping[str, str]) -> dict[str, str]:
    """Check every value first, then store the ones that changed. Returns the stored values."""
    authority.require_manager(session, "change the council's settings")
    cleaned = {key: normalise(key, raw) for key, raw in values.items()}
    existing = {row.key: row for row in session.execute(select(Setting)).scalars()}
    for key, value in cleaned.items():
        row = existing.get(key)
        if row is None:
            if value != SPECS[key].default:
                session.add(Setting(key=key, value=value))
        elif row.value != value:
            row.value = value
    session.flush()
    return cleaned


@dataclass(frozen=True)
class Logo:
    """The stored logo, without the database row."""

    filename: str
    media_type: str
    sha256: str
    data: bytes


def _decodes(data: bytes) -> bool:
    """Whether the picture can be drawn: decoded whole by Pillow, which the annual review's PDF (through
    reportlab) uses to read it too. Pillow, not reportlab, so the register stays clear of the report
    engine (``check`` and ``import`` start fast)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
    except Exception:  # any decoder failure means the same thing: not a usable picture
        return False
    return True


def set_logo(session: Session, path: Path) -> Logo:
    """Store a PNG or JPEG file as the council's logo."""
    authority.require_manager(session, "change the council's logo")
    data = files.read_regular(path, "logo", LOGO_MAX_BYTES)
    media_type = next((kind for magic, kind in LOGO_TYPES.items() if data.startswith(magic)), None)
    if media_type is None or not _decodes(data):
        raise ValidationError("logo", f"{path.name} is not a PNG or JPEG picture")
    digest = hashlib.sha256(data).hexdigest()
    row = session.execute(select(CouncilLogo)).scalar_one_or_none()
    if row is None:
        row = CouncilLogo(filename=path.name, media_type=media_type, sha256=digest, data=data)
        session.add(row)
    else:
        row.filename, row.media_type, row.sha256, row.data = path.name, media_type, digest, data
    session.flush()
    return Logo(row.filename, row.media_type, row.sha256, row.data)


def get_logo(session: Session) -> Logo | None:
    """The council's logo, if one was set."""
    row = session.execute(select(CouncilLogo)).scalar_one_or_none()
    return Logo(row.filename, row.media_type, row.sha256, row.data) if row else None

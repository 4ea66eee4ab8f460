"""The council's settings, one row per key, and the logo printed on the annual review."""

from __future__ import annotations

from sqlalchemy import Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clerk_desk.models.base import Base


class Setting(Base):
    """One council setting; the keys and their meaning live in ``clerk_desk.register.settings``."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    audit_label_field = "key"
    audit_exclude: frozenset[str] = frozenset()

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"


class CouncilLogo(Base):
    """The council's logo, kept in the database so every PC sharing it prints the same report."""

    __tablename__ = "council_logo"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(50))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    audit_label_field = "filename"
    # The picture itself is recorded by its hash, not copied into every audit entry.
    audit_exclude: frozenset[str] = frozenset({"data"})

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"

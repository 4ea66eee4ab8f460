"""People: staff, volunteers, councillors and contractors. Leaving is a date, never a delete."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clerk_desk.models.base import Base


class Role(StrEnum):
    """A person's role at the council; the values are the CSV vocabulary."""

    CLERK = "clerk"
    DEPUTY_CLERK = "deputy_clerk"
    EMPLOYEE = "employee"
    VOLUNTEER = "volunteer"
    COUNCILLOR = "councillor"
    CONTRACTOR = "contractor"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


#: Roles that control access and approve accounts (Thornbury 9.1; Barling Magna; Stalbridge 4).
APPROVER_ROLES = frozenset({Role.CLERK, Role.DEPUTY_CLERK})


class Person(Base):
    """Someone the council's governance records name."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Case-folded copies for lookups: SQLite's lower() folds ASCII only, so "ŁUKASZ" would miss "Łukasz".
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(320))
    job_title: Mapped[str | None] = mapped_column(String(200))
    login: Mapped[str | None] = mapped_column(String(100))
    login_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    started_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    audit_label_field = "name"
    audit_exclude: frozenset[str] = frozenset({"name_key", "login_key"})

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        """'archive' when the person is recorded as having left, else 'update'."""
        before, after = changes.get("left_on", (None, None))
        return "archive" if before is None and after is not None else "update"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def has_left(self, on: date) -> bool:
        """Whether the person had left by the given date."""
        return self.left_on is not None and self.left_on <= on

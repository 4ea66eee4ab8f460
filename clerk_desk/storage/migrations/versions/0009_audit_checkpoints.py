"""Keyed audit hashes (the key each entry was keyed with), signed checkpoints of the chain, and the
database's identity for the anchor files.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("key_id", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("made_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=60), nullable=False),
        sa.Column("signer_key", sa.String(length=64), nullable=True),
        sa.Column("signature", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    op.create_table(
        "audit_key_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("person_key_id", sa.Integer(), nullable=True),
        sa.Column("recovery_key_id", sa.Integer(), nullable=True),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_key_id"], ["person_keys.id"], name=op.f("fk_audit_key_copies_person_key_id_person_keys")
        ),
        sa.ForeignKeyConstraint(
            ["recovery_key_id"],
            ["recovery_keys.id"],
            name=op.f("fk_audit_key_copies_recovery_key_id_recovery_keys"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_key_copies")),
    )
    with op.batch_alter_table("audit_key_copies") as batch:
        batch.create_index(batch.f("ix_audit_key_copies_key_id"), ["key_id"], unique=False)
        batch.create_index(batch.f("ix_audit_key_copies_person_key_id"), ["person_key_id"], unique=False)
        batch.create_index(batch.f("ix_audit_key_copies_recovery_key_id"), ["recovery_key_id"], unique=False)
    op.create_table(
        "audit_signers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_key_id", sa.Integer(), nullable=False),
        sa.Column("verify_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_key_id"], ["person_keys.id"], name=op.f("fk_audit_signers_person_key_id_person_keys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_signers")),
        sa.UniqueConstraint("verify_key", name=op.f("uq_audit_signers_verify_key")),
    )
    with op.batch_alter_table("audit_signers") as batch:
        batch.create_index(batch.f("ix_audit_signers_person_key_id"), ["person_key_id"], unique=False)
    identity = op.create_table(
        "database_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_database_identity")),
    )
    op.bulk_insert(identity, [{"id": 1, "uuid": str(uuid.uuid4())}])


def downgrade() -> None:
    op.drop_table("database_identity")
    op.drop_table("audit_signers")
    op.drop_table("audit_key_copies")
    op.drop_table("audit_checkpoints")
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("key_id")

"""The audit log: checks, cards, feedback, used JWT ids and the hash key.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("check_log"):
        return  # made by create_all or an interrupted first start: the tables are there (see clonaguard.db.migrate)
    op.create_table(
        "check_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("hook", sa.String(80), nullable=True),
        sa.Column("hook_instance", sa.String(200), nullable=False),
        sa.Column("patient_hash", sa.String(64), nullable=True),
        sa.Column("daily_dose_mg", sa.Float, nullable=True),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
    )
    op.create_index("ix_check_log_created_at", "check_log", ["created_at"])
    op.create_index("ix_check_log_hook_instance", "check_log", ["hook_instance"])
    op.create_index("ix_check_log_patient_hash", "check_log", ["patient_hash"])
    op.create_table(
        "card_log",
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("check_id", sa.Integer, sa.ForeignKey("check_log.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
    )
    op.create_index("ix_card_log_check_id", "card_log", ["check_id"])
    op.create_table(
        "feedback_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("card_uuid", sa.String(36), sa.ForeignKey("card_log.uuid", ondelete="CASCADE"), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_suggestions", sa.JSON, nullable=False),
        sa.Column("override_system", sa.String(200), nullable=True),
        sa.Column("override_code", sa.String(100), nullable=True),
        sa.Column("override_display", sa.String(300), nullable=True),
        sa.Column("comment", sa.Text, nullable=True),
    )
    op.create_index("ix_feedback_log_card_uuid", "feedback_log", ["card_uuid"])
    op.create_table(
        "used_token",
        sa.Column("jti", sa.String(255), primary_key=True),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_used_token_expires_at", "used_token", ["expires_at"])
    op.create_table(
        "audit_key",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_hex", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_key")
    op.drop_table("used_token")
    op.drop_table("feedback_log")
    op.drop_table("card_log")
    op.drop_table("check_log")

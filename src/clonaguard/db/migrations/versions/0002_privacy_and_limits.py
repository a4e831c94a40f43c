"""The hash key leaves the database; one feedback per card; override columns as wide as the API accepts.

Revision ID: 0002
Revises: 0001

Patient hashes written before this revision were made under the key this revision drops (it was stored beside
them, which is why it goes): they no longer match hashes written after it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if sa.inspect(bind).has_table("audit_key"):
        op.drop_table("audit_key")
    bind.execute(
        sa.text("DELETE FROM feedback_log WHERE id NOT IN (SELECT MIN(id) FROM feedback_log GROUP BY card_uuid)")
    )
    with op.batch_alter_table("feedback_log") as batch:
        batch.drop_index("ix_feedback_log_card_uuid")
        batch.create_index("ix_feedback_log_card_uuid", ["card_uuid"], unique=True)
        batch.alter_column("override_system", type_=sa.String(500), existing_type=sa.String(200))
        batch.alter_column("override_code", type_=sa.String(200), existing_type=sa.String(100))
        batch.alter_column("override_display", type_=sa.String(500), existing_type=sa.String(300))


def downgrade() -> None:
    with op.batch_alter_table("feedback_log") as batch:
        batch.drop_index("ix_feedback_log_card_uuid")
        batch.create_index("ix_feedback_log_card_uuid", ["card_uuid"])
    op.create_table(
        "audit_key",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_hex", sa.String(128), nullable=False),
    )

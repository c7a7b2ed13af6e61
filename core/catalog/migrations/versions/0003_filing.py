"""filing: project profiles, waivers, archivist confirmations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "project_profiles",
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), primary_key=True),
        sa.Column("building_type", sa.String(32)),
        sa.Column("stage", sa.String(8), nullable=False),
        sa.Column("features", sa.JSON),  # NULL = not declared (conditional items decided by documents)
        sa.Column("updated_by", sa.String(64)),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "waivers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False, index=True),
        sa.Column("item_code", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("who", sa.String(64), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("waivers_project_item", "waivers", ["project_id", "item_code"], unique=True)
    # The archivist's confirmed filing of a document (the latest one); every change is also an
    # event row (kind "reclassified"). Only confirmed documents train the learned suggester.
    op.create_table(
        "confirmations",
        sa.Column("document_id", sa.String(32), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("class_code", sa.String(8)),  # NULL = confirmed as not filed ("none")
        sa.Column("item_code", sa.String(16)),
        sa.Column("who", sa.String(64), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("confirmations")
    op.drop_index("waivers_project_item", table_name="waivers")
    op.drop_table("waivers")
    op.drop_table("project_profiles")

"""catalog_generation: one counter that moves in the same transaction as any change to what the archive holds

Revision ID: 0019
Revises: 0006
Create Date: 2026-12-06

Pages and dashboards (completeness, project counts, arrivals) are cached per generation
(core/catalog/generation.py) instead of being recomputed on every view.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "catalog_generation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("catalog_generation")

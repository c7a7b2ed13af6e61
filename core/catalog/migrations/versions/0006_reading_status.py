"""documents: text status, reading details, and the revision chain of drawings

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-23

``text_status`` says why a catalogued document has little or no text without quarantining it
(a scan while OCR is not installed, a DWG drawing, a photo without lettering). ``reading`` keeps
what the converters found beside the text: OCR per-page confidence and line boxes, EXIF date and
place of photos, a drawing's title block and 竣工图章. ``superseded_by`` links a drawing to the
newer revision of the same 图号 in its project (core/intake/drawing_revisions.py); nothing is deleted.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("text_status", sa.String(32), nullable=True))
        batch.add_column(sa.Column("reading", sa.JSON, nullable=True))
        batch.add_column(sa.Column("superseded_by", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("superseded_by")
        batch.drop_column("reading")
        batch.drop_column("text_status")

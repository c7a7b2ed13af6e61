"""issue 15: projects as records (kind, 建设单位, figures), per-document 保管期限 and 密级, audit by target

Revision ID: 0015_i15
Revises: 0020
Create Date: 2026-12-07

A project used to be a side effect of an upload: a row with a code and, at best, the code again as
its name. Now it is a record an archivist creates on purpose, with its 建设单位 (``owner``) and
optional figures (建筑面积, 投资额, 地点 … as a small JSON object), and a ``kind``: ``project``
(a building project: completeness, 档号, handover) or ``tray`` (INBOX and the like: files waiting
to be filed, none of those). The existing INBOX row becomes a tray.

Documents get the two fields archivists set by hand that nothing reads out of the text:
``retention`` (保管期限: 永久 / 30年 / 10年; NULL means "as the filing plan says") and ``secrecy``
(密级: 公开 / 内部 / 秘密 / 机密; NULL means not set).

``ix_audit_log_target`` lets the document page list who viewed or downloaded a document (利用记录)
without reading the whole audit trail.

Plain Alembic operations only (batch mode for SQLite's ALTER TABLE), so the same revision runs on
PostgreSQL. Chained after 0020 (the job owner) at the merge.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_i15"
down_revision = "0020"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="project"))
        batch.add_column(sa.Column("owner", sa.String(255), nullable=True))
        batch.add_column(sa.Column("figures", sa.JSON, nullable=True))
        batch.add_column(sa.Column("updated_at", TZ, nullable=True))
    projects = sa.table("projects", sa.column("code", sa.String), sa.column("kind", sa.String),
                        sa.column("name", sa.String))
    op.execute(projects.update().where(projects.c.code == "INBOX").values(kind="tray", name="收件箱"))
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("retention", sa.String(16), nullable=True))
        batch.add_column(sa.Column("secrecy", sa.String(16), nullable=True))
    op.create_index("ix_audit_log_target", "audit_log", ["target"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_target", table_name="audit_log")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("secrecy")
        batch.drop_column("retention")
    with op.batch_alter_table("projects") as batch:
        batch.drop_column("updated_at")
        batch.drop_column("figures")
        batch.drop_column("owner")
        batch.drop_column("kind")

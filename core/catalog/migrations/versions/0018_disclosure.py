"""disclosure: versions of a project's 阳光工程 disclosure and the files of each published one (issue 18)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

``disclosure_versions`` holds each version of a project's disclosure with its place in the workflow
(draft → reviewed → approved → published, or retracted / superseded), who moved it and when, the
redacted content it froze (JSON, with the redaction list), and the reviewer's decisions it was
built with (added redactions, withheld items). ``disclosure_files`` holds the bytes of each
published package file with its sha256; they are append-only, and a published version's content
can no longer change — both enforced by triggers on SQLite and PostgreSQL, not only by the code.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
FROZEN = "('published', 'retracted')"


def upgrade() -> None:
    op.create_table(
        "disclosure_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("decisions", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("reviewed_by", sa.String(128)),
        sa.Column("reviewed_at", TZ),
        sa.Column("approved_by", sa.String(128)),
        sa.Column("approved_at", TZ),
        sa.Column("published_by", sa.String(128)),
        sa.Column("published_at", TZ),
        sa.Column("retracted_by", sa.String(128)),
        sa.Column("retracted_at", TZ),
        sa.Column("retraction_reason", sa.Text),
        sa.Column("package_sha256", sa.String(64)),
        sa.UniqueConstraint("project_id", "number", name="uq_disclosure_versions_project_number"),
    )
    op.create_index("ix_disclosure_versions_project_id", "disclosure_versions", ["project_id"])
    op.create_index("ix_disclosure_versions_state", "disclosure_versions", ["state"])
    op.create_table(
        "disclosure_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("disclosure_versions.id"), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("version_id", "name", name="uq_disclosure_files_version_name"),
    )
    op.create_index("ix_disclosure_files_version_id", "disclosure_files", ["version_id"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER disclosure_files_no_{verb.lower()} BEFORE {verb} ON disclosure_files "
                       "BEGIN SELECT RAISE(ABORT, 'published disclosure files are append-only'); END")
        op.execute("CREATE TRIGGER disclosure_versions_frozen BEFORE UPDATE OF content, decisions, number, project_id "
                   f"ON disclosure_versions WHEN OLD.state IN {FROZEN} "
                   "BEGIN SELECT RAISE(ABORT, 'a published disclosure version cannot change'); END")
        op.execute("CREATE TRIGGER disclosure_versions_no_delete BEFORE DELETE ON disclosure_versions "
                   f"WHEN OLD.state IN {FROZEN} "
                   "BEGIN SELECT RAISE(ABORT, 'a published disclosure version cannot be deleted'); END")
    elif dialect == "postgresql":
        op.execute("""
            CREATE FUNCTION disclosure_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'published disclosures are append-only (%)', TG_TABLE_NAME; END $$""")
        op.execute("""
            CREATE FUNCTION disclosure_version_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF OLD.state IN ('published', 'retracted') AND (TG_OP = 'DELETE'
                 OR NEW.content::text IS DISTINCT FROM OLD.content::text
                 OR NEW.decisions::text IS DISTINCT FROM OLD.decisions::text
                 OR NEW.number IS DISTINCT FROM OLD.number OR NEW.project_id IS DISTINCT FROM OLD.project_id) THEN
                RAISE EXCEPTION 'a published disclosure version cannot change';
              END IF;
              IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
              RETURN NEW;
            END $$""")
        op.execute("CREATE TRIGGER disclosure_files_append_only BEFORE UPDATE OR DELETE ON disclosure_files "
                   "FOR EACH ROW EXECUTE FUNCTION disclosure_refuse()")
        op.execute("CREATE TRIGGER disclosure_versions_frozen BEFORE UPDATE OR DELETE ON disclosure_versions "
                   "FOR EACH ROW EXECUTE FUNCTION disclosure_version_frozen()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS disclosure_versions_frozen ON disclosure_versions")
        op.execute("DROP TRIGGER IF EXISTS disclosure_files_append_only ON disclosure_files")
        op.execute("DROP FUNCTION IF EXISTS disclosure_version_frozen()")
        op.execute("DROP FUNCTION IF EXISTS disclosure_refuse()")
    op.drop_table("disclosure_files")
    op.drop_table("disclosure_versions")

"""audit seals: a keyed HMAC per audit entry, append-only like the entries

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.db.audit_protection import create_missing_protection

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_seals',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('seal', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['audit_entries.id'], name=op.f('fk_audit_seals_entry_id_audit_entries')),
    sa.PrimaryKeyConstraint('entry_id', name=op.f('pk_audit_seals'))
    )
    create_missing_protection(op.get_bind())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_seals_no_truncate ON audit_seals")
        op.execute("DROP TRIGGER IF EXISTS audit_seals_no_update_delete ON audit_seals")
    op.drop_table('audit_seals')

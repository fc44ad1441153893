"""data keys: the id and fingerprint of each key the personal data needs (never the key itself)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db.types


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'data_keys',
        sa.Column('key_id', sa.String(length=64), nullable=False),
        sa.Column('fingerprint', sa.String(length=32), nullable=False),
        sa.Column('registered_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key_id', name=op.f('pk_data_keys')),
    )


def downgrade() -> None:
    op.drop_table('data_keys')

"""change counters: one row per (branch, topic), bumped by each publishing write on SQLite

SQLite workstations read them when ``PRAGMA data_version`` moves, to refresh only the panes
whose topic changed (app/db/change_counters.py). Branch 0 stands for every branch, so there is
no foreign key to branches.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'change_counters',
        sa.Column('branch_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('topic', sa.String(length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('branch_id', 'topic', name=op.f('pk_change_counters')),
    )


def downgrade() -> None:
    op.drop_table('change_counters')

"""branch-wide settings: one value per branch and key, shared by the branch's workstations

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 15:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'branch_settings',
        sa.Column('branch_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_branch_settings_branch_id_branches')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_branch_settings_updated_by_id_users')),
        sa.PrimaryKeyConstraint('branch_id', 'key', name=op.f('pk_branch_settings')),
    )


def downgrade() -> None:
    op.drop_table('branch_settings')

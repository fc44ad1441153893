"""checklists: template versions, runs bound to tickets, step results

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('checklist_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_type_code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('imported_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('retired_at', app.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'],
                            name=op.f('fk_checklist_templates_imported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_templates')),
    sa.UniqueConstraint('business_type_code', 'version', name='uq_checklist_templates_code_version')
    )
    op.create_table('checklist_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('started_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_checklist_runs_branch_id_branches')),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_checklist_runs_started_by_id_users')),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_templates.id'],
                            name=op.f('fk_checklist_runs_template_id_checklist_templates')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_checklist_runs_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_runs')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_checklist_runs_ticket_id'))
    )
    op.create_table('checklist_step_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.String(length=48), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'],
                            name=op.f('fk_checklist_step_results_approved_by_id_users')),
    sa.ForeignKeyConstraint(['run_id'], ['checklist_runs.id'],
                            name=op.f('fk_checklist_step_results_run_id_checklist_runs')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_checklist_step_results_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_step_results')),
    sa.UniqueConstraint('run_id', 'step_id', name='uq_checklist_step_results_run_step')
    )
    op.create_index(op.f('ix_checklist_step_results_run_id'), 'checklist_step_results', ['run_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_checklist_step_results_run_id'), table_name='checklist_step_results')
    op.drop_table('checklist_step_results')
    op.drop_table('checklist_runs')
    op.drop_table('checklist_templates')

"""complaints: complaint records, their events, appraisal pauses and per-year reference numbers

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 12:04:46.209716
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('complaint_sequences',
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_complaint_sequences_branch_id_branches')),
    sa.PrimaryKeyConstraint('branch_id', 'year', name=op.f('pk_complaint_sequences'))
    )
    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('intake', sa.String(length=20), nullable=True),
    sa.Column('channel', sa.String(length=32), nullable=True),
    sa.Column('business', sa.String(length=32), nullable=True),
    sa.Column('reason', sa.String(length=32), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=True),
    sa.Column('severity', sa.String(length=16), nullable=True),
    sa.Column('complainant_kind', sa.String(length=16), nullable=False),
    sa.Column('complainant_name', sa.String(length=100), nullable=True),
    sa.Column('complainant_id_number', sa.Text(), nullable=True),
    sa.Column('complainant_contact', sa.Text(), nullable=True),
    sa.Column('org_name', sa.String(length=200), nullable=True),
    sa.Column('org_credit_code', sa.String(length=18), nullable=True),
    sa.Column('org_legal_rep', sa.String(length=100), nullable=True),
    sa.Column('agent_name', sa.String(length=100), nullable=True),
    sa.Column('agent_contact', sa.Text(), nullable=True),
    sa.Column('agent_authorisation', sa.Text(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('subject_user_id', sa.Integer(), nullable=True),
    sa.Column('subject_counter_id', sa.Integer(), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('subject_note', sa.Text(), nullable=True),
    sa.Column('request', sa.Text(), nullable=True),
    sa.Column('facts', sa.Text(), nullable=True),
    sa.Column('attachments', sa.Text(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('clock_start', sa.Date(), nullable=True),
    sa.Column('extensions', sa.Integer(), server_default='0', nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('paused_since', sa.Date(), nullable=True),
    sa.Column('decision', sa.Text(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('reply_method', sa.String(length=16), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=True),
    sa.Column('replied_at', app.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('satisfied', sa.Boolean(), nullable=True),
    sa.Column('closed_at', app.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_complaints_branch_id_branches')),
    sa.ForeignKeyConstraint(['handler_id'], ['users.id'], name=op.f('fk_complaints_handler_id_users')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_complaints_customer_id_customers')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['complaints.id'], name=op.f('fk_complaints_merged_into_id_complaints')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_complaints_owner_id_users')),
    sa.ForeignKeyConstraint(['subject_counter_id'], ['counters.id'], name=op.f('fk_complaints_subject_counter_id_counters')),
    sa.ForeignKeyConstraint(['subject_user_id'], ['users.id'], name=op.f('fk_complaints_subject_user_id_users')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_complaints_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('branch_id', 'reference', name='uq_complaints_branch_reference')
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_branch_status_due', ['branch_id', 'status', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_customer_id'), ['customer_id'], unique=False)

    op.create_table('complaint_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_complaint_events_branch_id_branches')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_events_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_complaint_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_events'))
    )
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_events_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('complaint_pauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_pauses_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_pauses'))
    )
    with op.batch_alter_table('complaint_pauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_pauses_complaint_id'), ['complaint_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('complaint_pauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_pauses_complaint_id'))

    op.drop_table('complaint_pauses')
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_events_complaint_id'))

    op.drop_table('complaint_events')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_customer_id'))
        batch_op.drop_index('ix_complaints_branch_status_due')

    op.drop_table('complaints')
    op.drop_table('complaint_sequences')

"""queue operations: counter–service matrix, counter states, priorities, transfers, appointments, ratings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:25:58.714744
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('counter_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=False),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_counter_events_branch_id_branches')),
    sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_counter_events_counter_id_counters')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_counter_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_events'))
    )
    with op.batch_alter_table('counter_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counter_events_counter_id'), ['counter_id'], unique=False)

    op.create_table('counter_services',
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('business_type_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['business_type_id'], ['business_types.id'], name=op.f('fk_counter_services_business_type_id_business_types')),
    sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_counter_services_counter_id_counters')),
    sa.PrimaryKeyConstraint('counter_id', 'business_type_id', name=op.f('pk_counter_services'))
    )
    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('business_type_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('customer_name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('slot_start', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('slot_end', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('checked_in_at', app.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_appointments_branch_id_branches')),
    sa.ForeignKeyConstraint(['business_type_id'], ['business_types.id'], name=op.f('fk_appointments_business_type_id_business_types')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_appointments_created_by_id_users')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_appointments_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments')),
    sa.UniqueConstraint('branch_id', 'code', name='uq_appointments_branch_code')
    )
    op.create_table('satisfaction_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_satisfaction_ratings_branch_id_branches')),
    sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_satisfaction_ratings_counter_id_counters')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_satisfaction_ratings_ticket_id_tickets')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_satisfaction_ratings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_ratings')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_satisfaction_ratings_ticket_id'))
    )
    with op.batch_alter_table('business_types', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ewma_service_seconds', sa.Float(), nullable=True))

    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=16), server_default='open', nullable=False))
        batch_op.add_column(sa.Column('state_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('state_since', app.db.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.String(length=16), server_default='normal', nullable=False))
        batch_op.add_column(sa.Column('arrival_at', app.db.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('queued_at', app.db.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('visit_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('segment', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('target_counter_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_tickets_branch_day_number'), type_='unique')
        batch_op.create_unique_constraint('uq_tickets_branch_day_number_segment', ['branch_id', 'business_day', 'display_number', 'segment'])
        batch_op.create_foreign_key(batch_op.f('fk_tickets_visit_id_tickets'), 'tickets', ['visit_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_tickets_target_counter_id_counters'), 'counters', ['target_counter_id'], ['id'])

    # Existing tickets arrived and queued when they were issued.
    op.execute("UPDATE tickets SET arrival_at = issued_at, queued_at = issued_at")
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.alter_column('arrival_at', existing_type=app.db.types.UTCDateTime(timezone=True), nullable=False)
        batch_op.alter_column('queued_at', existing_type=app.db.types.UTCDateTime(timezone=True), nullable=False)

    # Until now every counter served every business type in arrival order: keep it so (one rank).
    op.execute(
        "INSERT INTO counter_services (counter_id, business_type_id, position) "
        "SELECT c.id, b.id, 0 FROM counters c CROSS JOIN business_types b WHERE b.active"
    )



def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tickets_target_counter_id_counters'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_tickets_visit_id_tickets'), type_='foreignkey')
        batch_op.drop_constraint('uq_tickets_branch_day_number_segment', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_tickets_branch_day_number'), ['branch_id', 'business_day', 'display_number'])
        batch_op.drop_column('note')
        batch_op.drop_column('outcome')
        batch_op.drop_column('target_counter_id')
        batch_op.drop_column('segment')
        batch_op.drop_column('visit_id')
        batch_op.drop_column('queued_at')
        batch_op.drop_column('arrival_at')
        batch_op.drop_column('priority')

    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.drop_column('state_since')
        batch_op.drop_column('state_reason')
        batch_op.drop_column('state')

    with op.batch_alter_table('business_types', schema=None) as batch_op:
        batch_op.drop_column('ewma_service_seconds')

    op.drop_table('satisfaction_ratings')
    op.drop_table('appointments')
    op.drop_table('counter_services')
    with op.batch_alter_table('counter_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counter_events_counter_id'))

    op.drop_table('counter_events')

"""customers: profiles, encrypted personal fields, name search index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:10:16.914328
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('id_type', sa.String(length=16), nullable=False),
    sa.Column('id_cipher', sa.Text(), nullable=False),
    sa.Column('id_index', sa.String(length=32), nullable=False),
    sa.Column('id_masked', sa.String(length=32), nullable=False),
    sa.Column('id_warning', sa.Text(), nullable=True),
    sa.Column('id_override_reason', sa.Text(), nullable=True),
    sa.Column('gender', sa.String(length=8), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('occupation', sa.String(length=100), nullable=True),
    sa.Column('legal_representative', sa.String(length=100), nullable=True),
    sa.Column('contact_name', sa.String(length=100), nullable=True),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('consent_date', sa.Date(), nullable=True),
    sa.Column('asset_band', sa.String(length=8), nullable=False),
    sa.Column('activity_band', sa.String(length=8), nullable=False),
    sa.Column('credit_grade', sa.String(length=8), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('compliance', sa.String(length=16), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_customers_branch_id_branches')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['customers.id'], name=op.f('fk_customers_merged_into_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers'))
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customers_id_index'), ['id_index'], unique=False)

    op.create_table('customer_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('number_cipher', sa.Text(), nullable=False),
    sa.Column('number_index', sa.String(length=32), nullable=False),
    sa.Column('number_masked', sa.String(length=32), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_accounts_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_accounts'))
    )
    with op.batch_alter_table('customer_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_accounts_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_accounts_number_index'), ['number_index'], unique=False)

    op.create_table('customer_name_grams',
    sa.Column('gram', sa.String(length=3), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('gram', 'customer_id', name=op.f('pk_customer_name_grams')),
    sqlite_with_rowid=False
    )

    op.create_table('customer_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_customer_notes_branch_id_branches')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_notes_customer_id_customers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_customer_notes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_notes'))
    )
    with op.batch_alter_table('customer_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_notes_customer_id'), ['customer_id'], unique=False)

    op.create_table('customer_phones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('number_cipher', sa.Text(), nullable=False),
    sa.Column('number_index', sa.String(length=32), nullable=False),
    sa.Column('number_masked', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_phones_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_phones'))
    )
    with op.batch_alter_table('customer_phones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_phones_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_phones_number_index'), ['number_index'], unique=False)

    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('done_at', app.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_follow_ups_branch_id_branches')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_follow_ups_created_by_id_users')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_follow_ups_customer_id_customers')),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_follow_ups_done_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_follow_ups_due', ['branch_id', 'status', 'due_on'], unique=False)

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tickets_customer_id'), ['customer_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_tickets_customer_id_customers'), 'customers', ['customer_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tickets_customer_id_customers'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_tickets_customer_id'))
        batch_op.drop_column('customer_id')

    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_due')
        batch_op.drop_index(batch_op.f('ix_follow_ups_customer_id'))

    op.drop_table('follow_ups')
    with op.batch_alter_table('customer_phones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_phones_number_index'))
        batch_op.drop_index(batch_op.f('ix_customer_phones_customer_id'))

    op.drop_table('customer_phones')
    with op.batch_alter_table('customer_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_notes_customer_id'))

    op.drop_table('customer_notes')
    op.drop_table('customer_name_grams')
    with op.batch_alter_table('customer_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_accounts_number_index'))
        batch_op.drop_index(batch_op.f('ix_customer_accounts_customer_id'))

    op.drop_table('customer_accounts')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customers_id_index'))

    op.drop_table('customers')

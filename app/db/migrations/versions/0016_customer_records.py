"""customers kept at the counter: what a consent covers, corporate details, record history

A customer registered or edited at the counter records what the consent covers (service,
marketing contact, sharing within the group); a corporate record its industry, size and
business licence expiry; a closed account when and why it was closed. The audit log is read per record (a customer's history), so it gets
an index on its target.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 23:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default) on both databases: no copy of a large table.
    op.add_column('customers', sa.Column('consent_scope', sa.String(length=64), nullable=True))
    op.add_column('customers', sa.Column('industry', sa.String(length=100), nullable=True))
    op.add_column('customers', sa.Column('enterprise_size', sa.String(length=16), nullable=True))
    op.add_column('customers', sa.Column('licence_expires_on', sa.Date(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':  # ADD COLUMN … REFERENCES: no copy of the table
        op.execute('ALTER TABLE customers ADD COLUMN manager_id INTEGER REFERENCES users (id)')
    else:
        op.add_column('customers', sa.Column('manager_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_customers_manager_id_users'), 'customers', 'users', ['manager_id'], ['id'])
    op.create_index(op.f('ix_customers_manager_id'), 'customers', ['manager_id'])
    op.add_column('customers', sa.Column('review_due_on', sa.Date(), nullable=True))
    op.add_column('customers', sa.Column('reviewed_on', sa.Date(), nullable=True))
    op.create_index(op.f('ix_customers_review_due_on'), 'customers', ['review_due_on'])
    op.add_column('customer_accounts', sa.Column('closed_on', sa.Date(), nullable=True))
    op.add_column('customer_accounts', sa.Column('close_reason', sa.Text(), nullable=True))
    # Records that had consent before the scope was asked: it covered the service itself.
    op.execute("UPDATE customers SET consent_scope = 'service' WHERE consent")
    op.create_index('ix_audit_entries_target', 'audit_entries', ['target_type', 'target_id'])


def downgrade() -> None:
    op.drop_index('ix_audit_entries_target', table_name='audit_entries')
    op.drop_index(op.f('ix_customers_manager_id'), table_name='customers')
    op.drop_index(op.f('ix_customers_review_due_on'), table_name='customers')
    op.execute('ALTER TABLE customers DROP COLUMN reviewed_on')
    op.execute('ALTER TABLE customers DROP COLUMN review_due_on')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f('fk_customers_manager_id_users'), 'customers', type_='foreignkey')
    op.execute('ALTER TABLE customers DROP COLUMN manager_id')
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of customers would trip the
    # foreign keys that point at it.
    for table, column in (('customer_accounts', 'close_reason'), ('customer_accounts', 'closed_on'),
                          ('customers', 'licence_expires_on'), ('customers', 'enterprise_size'),
                          ('customers', 'industry'), ('customers', 'consent_scope')):
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')

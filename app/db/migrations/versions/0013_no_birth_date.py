"""customers: no plaintext birth date (with the masked ID it rebuilt the whole ID number)

The masked ID shows digits 1–6 and 15–18; the birth date column held digits 7–14 in plaintext.
The date is still there for whoever holds the key: it is digits 7–14 of the encrypted ID.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Freed pages are zeroed: the dropped values do not stay readable in the file. SQLite
        # (3.35+) drops the column in place; a batch copy would trip the customers' foreign keys.
        op.execute("PRAGMA secure_delete = ON")
        op.execute("ALTER TABLE customers DROP COLUMN birth_date")
    else:
        op.drop_column('customers', 'birth_date')


def downgrade() -> None:
    op.add_column('customers', sa.Column('birth_date', sa.Date(), nullable=True))

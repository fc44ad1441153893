"""customer phones: an index on the last four digits of the masked number

A teller searches by the last four digits of a phone (or the first three and the last four, as
a customer reads them out). Both are in the masked form already (138****1234), so the index
adds nothing a reader of the table did not have, and needs no key to build.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 20:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_customer_phones_tail', 'customer_phones',
                    [sa.text('substr(number_masked, length(number_masked) - 3)')])


def downgrade() -> None:
    op.drop_index('ix_customer_phones_tail', table_name='customer_phones')

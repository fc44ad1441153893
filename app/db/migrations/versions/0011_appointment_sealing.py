"""appointment sealing: the customer's name and phone encrypted at rest, masked forms for lists

Adds ``name_cipher``, ``name_masked``, ``phone_cipher``, ``phone_index`` (blind index) and
``phone_masked`` to ``appointments``, fills the masked forms of the rows already there (masking
needs no key), and makes the plaintext columns ``customer_name`` and ``phone`` nullable.

A migration cannot encrypt: the data key lives outside the database (app/keys.py) and the
kiosk or calling display that may run the upgrade holds none. So the plaintext of existing rows
stays until the first workstation with the key uses appointments; that step
(``seal_plaintext`` in app/services/appointments.py) encrypts each row and clears the plaintext.
New rows never write it.

Downgrade: the full values cannot be decrypted here either, so rows sealed since the upgrade go
back with their masked forms in the plaintext columns; then the new columns are dropped.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.domain.masking import mask_name, mask_phone

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_BATCH = 5_000


def _fill_masked(connection) -> None:  # type: ignore[no-untyped-def]
    last = 0
    while True:
        rows = connection.execute(sa.text(
            "SELECT id, customer_name, phone FROM appointments WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": _BATCH}).fetchall()
        if not rows:
            return
        connection.execute(sa.text("UPDATE appointments SET name_masked = :name, phone_masked = :phone WHERE id = :id"),
                           [{"id": i, "name": mask_name(name), "phone": mask_phone(phone)} for i, name, phone in rows])
        last = rows[-1][0]


def upgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_cipher', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('name_masked', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('phone_cipher', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('phone_index', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('phone_masked', sa.String(length=32), nullable=True))
    _fill_masked(op.get_bind())
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.alter_column('name_masked', existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column('phone_masked', existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column('customer_name', existing_type=sa.String(length=100), nullable=True)
        batch_op.alter_column('phone', existing_type=sa.String(length=32), nullable=True)
        batch_op.create_index(batch_op.f('ix_appointments_phone_index'), ['phone_index'], unique=False)


def downgrade() -> None:
    op.get_bind().execute(sa.text(
        "UPDATE appointments SET customer_name = COALESCE(customer_name, name_masked), "
        "phone = COALESCE(phone, phone_masked)"))
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointments_phone_index'))
        batch_op.alter_column('customer_name', existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column('phone', existing_type=sa.String(length=32), nullable=False)
        batch_op.drop_column('phone_masked')
        batch_op.drop_column('phone_index')
        batch_op.drop_column('phone_cipher')
        batch_op.drop_column('name_masked')
        batch_op.drop_column('name_cipher')

"""graph changes: what each graph revision changed, for other processes to catch up in place

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('graph_changes',
    sa.Column('rev', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('document_id', sa.String(length=64), nullable=True),
    sa.Column('obligation_id', sa.String(length=100), nullable=True),
    sa.Column('agency_id', sa.String(length=200), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('rev')
    )


def downgrade() -> None:
    op.drop_table('graph_changes')

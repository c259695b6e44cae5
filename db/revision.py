"""The newest schema revision, known without importing Alembic (half a second) or SQLAlchemy.

tests/db holds it equal to the head of the migration scripts.
"""

HEAD_REVISION = "0006_deskcore"

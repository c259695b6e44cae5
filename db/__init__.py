"""Database layer: SQLAlchemy 2 models, engine set-up and Alembic migrations."""

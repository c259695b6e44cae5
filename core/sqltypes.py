"""Type names for SQLAlchemy 2.1 statements whose columns vary (Select is generic over its column types)."""

from __future__ import annotations

from typing import Any, TypeAlias, Unpack

from sqlalchemy import Select

AnySelect: TypeAlias = Select[Unpack[tuple[Any, ...]]]

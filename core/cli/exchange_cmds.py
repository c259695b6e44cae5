"""Exchange commands (filled in by their issue)."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:  # noqa: ARG001
    return None

"""The two desks of tests/core/sections/test_sections.py (a unit and 财政所's desk, trusted both ways), for every
test of the section exchange."""

from tests.core.sections.test_sections import desks  # noqa: F401

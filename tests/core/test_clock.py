"""A PC clock set years wrong is pointed out; it does not change what the ledger holds."""

from __future__ import annotations

from datetime import date

from core.clock import clock_warning
from db.models import PackageLog


def test_clock_earlier_than_newest_package_is_warned(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        assert clock_warning(s, date(2019, 1, 1)) is None  # nothing to compare with yet
        s.add(PackageLog(package_id="p1", direction="in", package_type="city-feedback", unit_code="442000-017",
                         sequence=1, group_id="p1", digest="d", previous_digest="none", key_id="k",
                         created="2026-04-02T10:00:00+08:00", logged="2019-01-01T00:00:00+08:00", status="accepted"))
    with workspace.read() as s:
        warning = clock_warning(s, date(2019, 1, 1))
        assert warning and "2019-01-01" in warning and "2026-04-02" in warning
        assert clock_warning(s, date(2026, 4, 2)) is None
        assert clock_warning(s, date(2026, 11, 23)) is None

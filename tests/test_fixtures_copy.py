"""The tests' copy of the city's fixtures is the city's files, unchanged (compared when ../shared is there)."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import FIXTURES, SHARED


def _digests(folder):  # noqa: ANN001, ANN202
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_copy_holds_every_fixture_the_tests_use() -> None:
    names = _digests(FIXTURES)
    for name in ("keys/test-city.pub.json", "keys/test-city.key.pem", "excel/problem-list-sample.xlsx",
                 "packages/442000-017_city-feedback_000001.zgb", "packages/442000-017_city-feedback_000002.zgb",
                 "packages/bad/zip-slip.zgb"):
        assert name in names


@pytest.mark.skipif(not (SHARED / "fixtures").is_dir(), reason="no ../shared beside this clone")
def test_the_copy_equals_the_citys_fixtures() -> None:
    assert _digests(FIXTURES) == _digests(SHARED / "fixtures")

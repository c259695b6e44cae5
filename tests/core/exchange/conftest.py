"""Shared set-up for exchange tests: a unit with a key that trusts the test city."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from exchkit import CITY_KEY, CITY_PUB, PASS


@pytest.fixture
def unit_ws(workspace):  # noqa: ANN001, ANN201
    """The conftest workspace with a unit key and the test city trusted."""
    from core.exchange import keys

    with workspace.session() as s:
        keys.create_unit_key(s, "张三", PASS)
        keys.trust_city(s, "张三", CITY_PUB)
    return workspace


@pytest.fixture
def city_key():  # noqa: ANN201
    return serialization.load_pem_private_key(CITY_KEY.read_bytes(), password=None)

"""Shared set-up for the team tests: a unit with an admin, a reviewer and a clerk."""

from __future__ import annotations

import pytest
from teamkit import PASSWORDS


@pytest.fixture
def team(workspace):  # noqa: ANN001, ANN201
    """The workspace of conftest (admin 张三) with a reviewer 李审 and a clerk 王填, all with passwords."""
    from core.team.users import add_user, set_password

    with workspace.session() as s:
        set_password(s, "张三", "张三", PASSWORDS["张三"])
        add_user(s, "张三", "李审", "审核人", PASSWORDS["李审"], section="党政办")
        add_user(s, "张三", "王填", "填报员", PASSWORDS["王填"], section="党政办")
    return workspace

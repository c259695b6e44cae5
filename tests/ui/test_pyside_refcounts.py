"""The Qt binding itself must not corrupt the interpreter: a long day in the window emits signals by the million.

PySide6 6.12.0 returned True from every `SignalInstance.emit()` without taking a reference to it, so each emit
lowered True's reference count by one until the interpreter aborted ("bool_dealloc: deallocating True or False")
— in the window after a few thousand emits (a background job, the reminders, a progress report), most often
seen while the automatic backup ran. pyproject.toml excludes that release; this test refuses any other with it.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    value = Signal(object)
    bare = Signal()


@pytest.mark.usefixtures("qapp")
def test_emitting_signals_keeps_the_interpreters_own_objects_alive() -> None:
    e = _Emitter()
    seen: list[object] = []
    e.value.connect(seen.append)
    before = (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None))
    for _ in range(200):
        e.value.emit(None)
        e.bare.emit()
    seen.clear()
    after = (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None))
    assert [a - b for a, b in zip(after, before, strict=True)] == [0, 0, 0]

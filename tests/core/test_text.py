"""Text as people type and paste it is stored so that it can travel (spec §5: free text without controls)."""

from __future__ import annotations

import pytest

from core.errors import InputRefused
from core.text import clean_text, file_name, long_text


def test_windows_line_ends_and_c1_controls_are_cleaned() -> None:
    assert clean_text("第一行\r\n第二行\r第三行\x0b第四行") == "第一行\n第二行\n第三行\n第四行"
    assert clean_text("a\x85b\x9bc\x1bd\te") == "abcd\te"  # C1 controls (NEL, CSI) and ESC go; tab stays
    assert file_name("照片\r01.jpg") == "照片 01.jpg"


def test_long_text_is_cleaned_and_bounded() -> None:
    assert long_text("  已完成\r\n  ", "说明") == "已完成"
    with pytest.raises(InputRefused) as exc:
        long_text("很" * 100_001, "完成情况说明", field="note")
    assert "完成情况说明太长" in exc.value.message and exc.value.field == "note"


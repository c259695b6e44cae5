"""People's words for the closed lists: the spec's word, the Chinese term, synonyms and longer wording."""

from __future__ import annotations

import pytest

from core import enums


@pytest.mark.parametrize(("kind", "typed", "expected"), [
    ("source", "巡察", "inspection"),
    ("source", "市委巡察", "inspection"),  # longer wording from a city's list
    ("source", "巡察反馈", "inspection"),
    ("source", "督查督办", "supervision"),
    ("source", "巡 察", "inspection"),  # a space typed in the middle
    ("source", "ＡＵＤＩＴ", "audit"),  # full-width letters
    ("source", "巡察审计", None),  # two sources: unclear, so not guessed
    ("category", "分阶段", "phased"),
    ("category", "长效整改（建章立制）", "long_term"),
    ("level", "乡镇(街道)", "township"),  # half-width brackets for the full-width term
    ("level", "乡镇（街道）", "township"),
    ("light", "红", "red"),
    ("status", "已销号", "closed"),
    ("source", "", None),
])
def test_words_people_type(kind: str, typed: str, expected: str | None) -> None:
    assert enums.try_parse(kind, typed) == expected


def test_an_unclear_word_is_refused_with_the_list() -> None:
    from core.errors import InputRefused

    with pytest.raises(InputRefused, match="可用的有"):
        enums.parse("source", "巡察审计")

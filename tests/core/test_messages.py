"""No message the window shows names a command-line word; the command line still names its commands."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from core.errors import InputRefused, UserError
from tests.conftest import CLI_WORDS, ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _window_strings(path: Path) -> list[tuple[int, str]]:
    """The Chinese strings of a core module a window may show: all but docstrings, log lines and the `hint`
    of an error that also carries a `window_hint` (that hint is the command line's)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr):
                skip.add(id(first.value))
        if isinstance(node, ast.Call):
            names = {k.arg for k in node.keywords}
            if "window_hint" in names:
                skip.update(id(n) for k in node.keywords if k.arg == "hint" for n in ast.walk(k.value))
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in (
                    "log", "logging", "logger"):
                skip.update(id(n) for a in node.args for n in ast.walk(a))
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
        text = _text(node)
        if text and CJK.search(text):
            out.append((node.lineno, text))
    return out


def test_no_message_from_core_names_a_command_in_the_window() -> None:
    found = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        if "cli" in path.relative_to(ROOT / "core").parts:
            continue  # the command line's own words
        for line, text in _window_strings(path):
            if CLI_WORDS.search(text):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text}")
    assert not found, "\n".join(found)


def test_no_translated_window_string_names_a_command() -> None:
    tree = ET.parse(ROOT / "resources" / "i18n" / "rectidesk_zh_CN.ts")
    found = [f"{m.findtext('source')} → {t}" for m in tree.getroot().iter("message")
             for t in [m.findtext("translation") or "", m.findtext("source") or ""] if CLI_WORDS.search(t)]
    assert not found, "\n".join(found)


def test_the_scan_sees_what_it_is_meant_to_see(tmp_path: Path) -> None:
    """The scanner itself: a bare command in a hint is found, the same in a hint beside a window_hint is not."""
    sample = tmp_path / "sample.py"
    sample.write_text('raise E("找不到。", hint="请运行 user passwd 张伟。")\n'
                      'raise E("找不到。", hint="请运行 user passwd 张伟。", window_hint="请在设置中修改。")\n',
                      encoding="utf-8")
    hits = [line for line, text in _window_strings(sample) if CLI_WORDS.search(text)]
    assert hits == [1]


def test_an_error_speaks_to_each_side_in_its_own_words() -> None:
    exc = InputRefused("用户“张伟”还没有设置密码。", hint="请管理员用 user passwd 为其设置密码。",
                       window_hint="请在 设置 → 用户与责任人 → 设置我的密码… 设置密码。")
    assert "user passwd" in str(exc)  # the command line
    assert "user passwd" not in exc.for_window() and "设置我的密码" in exc.for_window()
    plain = UserError("反馈内容不能为空。", hint="请写明整改情况。")
    assert plain.window_hint == plain.hint and plain.for_window() == str(plain)


def test_a_real_refusal_names_the_menu_in_the_window(workspace) -> None:  # noqa: ANN001
    from core.team.users import find_user

    with workspace.session() as s, pytest.raises(UserError) as info:
        find_user(s, "没有这个人")
    assert "user list" in str(info.value)
    assert "设置 → 用户与责任人" in info.value.for_window() and not CLI_WORDS.search(info.value.for_window())


def test_a_folder_in_use_says_which_computer_in_plain_words(tmp_path: Path) -> None:
    import json

    from core.errors import DataFolderError
    from core.paths import DataFolderLock, DataPaths

    paths = DataPaths(tmp_path / "d")
    paths.ensure()
    first = DataFolderLock(paths)
    first.acquire()
    try:
        held = json.loads(paths.holder_file.read_text(encoding="utf-8"))
        assert set(held) >= {"computer", "since"}
        with pytest.raises(DataFolderError) as here:
            DataFolderLock(paths).acquire()
        assert "本机" in here.value.message and "pid" not in here.value.message
        paths.holder_file.write_text(json.dumps({"computer": "PC-07", "pid": 9565, "since": "2026-04-15 09:02"}),
                                     encoding="utf-8")
        with pytest.raises(DataFolderError) as there:
            DataFolderLock(paths).acquire()
        assert "电脑“PC-07”" in there.value.message and "2026-04-15 09:02" in there.value.message
        assert "9565" not in there.value.message and "pid" not in there.value.message
    finally:
        first.release()


def test_every_place_a_hint_names_is_a_button_or_menu_of_the_window() -> None:
    """core/places.py in the window's own words: each step is a translated page, group, card or button."""
    from core import places

    words = {m.findtext("translation") for m in ET.parse(ROOT / "resources" / "i18n" / "rectidesk_zh_CN.ts")
             .getroot().iter("message")}
    steps = [step for name, value in vars(places).items() if name.isupper() for step in value.split(" → ")]
    assert steps and not [s for s in steps if s not in words]

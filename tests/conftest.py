"""Test set-up: offscreen Qt, a fresh data folder per test, the city's fixtures."""

from __future__ import annotations

import os
import re
import sys
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
# The city's fixtures, copied unchanged so a bare clone passes (tests/test_fixtures_copy.py compares).
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_TODAY = date(2026, 4, 15)
# Words that belong to the command line only: no message in the window may name them (tests/core/test_messages.py,
# and every window test through tests/ui/conftest.py's `messages`).
CLI_WORDS = re.compile(
    r"user (passwd|list|add|disable|role)\b|keys (show|create|export-public|trust-city|backup|restore|rotate)\b"
    r"|recheck (list|record|schedule)\b|--[a-z]|main\.py|rectidesk-cli|import-excel|export-excel"
    r"|运行 ?(verify|init|keys|user|backup|restore)|（(init|restore|backup|verify)）|ledger 命令"
    r"|section (add|list|send|trust)\b|trust-unit|export-public"
)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches a real user data folder."""
    monkeypatch.setenv("RECTIDESK_DATA_DIR", str(tmp_path / "default-data"))
    monkeypatch.delenv("RECTIDESK_PASSPHRASE", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def workspace(data_dir: Path):  # noqa: ANN201
    from core.unit import init_unit
    from core.workspace import Workspace

    ws = Workspace.open(data_dir, user="张三", today=date(2026, 4, 15))
    with ws.session() as s:
        init_unit(s, "442000-017", "中山市某某镇人民政府", "township", admin="张三")
    yield ws
    ws.close()


@pytest.fixture
def cli(data_dir: Path, capsys: pytest.CaptureFixture[str]):  # noqa: ANN201
    """Run the command line in-process: returns (exit code, stdout, stderr)."""
    from core.cli import main

    def run(*argv: str, data: Path | None = None) -> tuple[int, str, str]:
        code = main(["--data-dir", str(data or data_dir), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run

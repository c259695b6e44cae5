"""The test run's own strictness: unknown settings, Qt warnings and hung tests fail instead of passing quietly."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_pytest_is_strict() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    ini = config["tool"]["pytest"]["ini_options"]
    assert "--strict-config" in ini["addopts"] and "--strict-markers" in ini["addopts"]
    assert ini["qt_log_level_fail"] == "WARNING"
    assert all("offscreen" in c or "support" in c or "systemTray" in c for c in ini["qt_log_ignore"])
    assert 0 < int(ini["timeout"]) <= 600
    assert any(d.startswith("pytest-timeout") for d in config["dependency-groups"]["dev"])


def test_the_readme_names_what_a_fresh_machine_needs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in ("libegl1", "libxkbcommon-x11-0", "libxcb-cursor0", "libfontconfig1", "fonts-noto-cjk"):
        assert package in ci and package in readme
    assert "64-bit Windows 10 version 1809" in readme and "Windows 7" in readme and "32-bit" in readme

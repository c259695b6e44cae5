"""Imports after PySide6 without shiboken's source scan for packages that never use Qt.

Once PySide6 is imported, shiboken's import hook reads the *source* of every newly imported module to
see whether it mentions PySide6 (for its `__feature__` switches, which RectiDesk does not use). Over
SQLAlchemy and the models that scan costs about 0.1 s at start-up. For packages that cannot use Qt —
`core` and `db` never import it (tests/test_architecture.py), nor do the libraries below — the answer
is known, so the scan is skipped; every other module is still scanned as before. If shiboken's
internals ever change, nothing is patched and only the time is lost.
"""

from __future__ import annotations

import logging
from types import ModuleType

import PySide6  # noqa: F401 - installs shiboken's import hook, which is what gets adjusted here

log = logging.getLogger(__name__)

PLAIN_PACKAGES = frozenset({
    "core", "db", "sqlalchemy", "alembic", "mako", "greenlet", "typing_extensions", "cryptography", "cffi",
    "reportlab", "openpyxl", "et_xmlfile", "PIL", "pypdf", "filelock", "platformdirs", "sqlite3", "json",
    "email", "xml", "zipfile", "logging", "asyncio", "concurrent", "importlib", "decimal", "uuid",
})


def skip_feature_scan_for_plain_modules() -> bool:
    """True when shiboken's scan now skips PLAIN_PACKAGES (idempotent)."""
    try:
        from shibokensupport import feature  # type: ignore[import-not-found]
    except ImportError:
        return False
    original = getattr(feature, "_mod_uses_pyside", None)
    if not callable(original):
        log.info("shiboken has no _mod_uses_pyside: imports are scanned as usual")
        return False
    if getattr(original, "rectidesk_plain", False):
        return True

    def uses_pyside(module: ModuleType) -> bool:
        if (getattr(module, "__name__", "") or "").partition(".")[0] in PLAIN_PACKAGES:
            return False
        return bool(original(module))

    uses_pyside.rectidesk_plain = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside
    return True


skip_feature_scan_for_plain_modules()

"""End-to-end tests use the window tests' set-up: temporary Qt settings, message boxes recorded."""

from tests.ui.conftest import _qt_settings, messages  # noqa: F401 - fixtures re-used by name

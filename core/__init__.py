"""RectiDesk core: every rule and operation of the rectification ledger; never imports Qt."""

APP_NAME = "RectiDesk"
APP_VERSION = "0.1.0"
GENERATOR = f"{APP_NAME} {APP_VERSION}"

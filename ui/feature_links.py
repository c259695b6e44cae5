"""Where the window reaches core operations that other work is still building (exchange, reports, team).

Each entry names the core function the window will call. Until that function exists the window says
plainly that the feature is not available yet — it never pretends with sample data. Connecting a
feature later means editing only this module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


@dataclass(frozen=True)
class FeatureLink:
    key: str
    module: str
    function: str

    def resolve(self) -> Callable[..., Any] | None:
        try:
            mod = importlib.import_module(self.module)
        except ImportError:
            return None
        fn = getattr(mod, self.function, None)
        return fn if callable(fn) else None

    @property
    def available(self) -> bool:
        return self.resolve() is not None


LINKS: dict[str, FeatureLink] = {link.key: link for link in (
    FeatureLink("feedback_importer", "core.exchange.importer", "FeedbackImporter"),
    FeatureLink("report_exporter", "core.exchange.exporter", "ReportExporter"),
    FeatureLink("respond_notice", "core.exchange.notices", "respond_to_notice"),
    FeatureLink("mark_notice_read", "core.exchange.notices", "mark_read"),
    FeatureLink("file_appeal", "core.exchange.notices", "file_appeal"),
    FeatureLink("create_unit_key", "core.exchange.keys", "create_unit_key"),
    FeatureLink("export_public_key", "core.exchange.keys", "export_public"),
    FeatureLink("change_passphrase", "core.exchange.keys", "rotate_unit_key"),
    FeatureLink("backup_keys", "core.exchange.keys", "backup_keys"),
    FeatureLink("trust_city", "core.exchange.keys", "trust_city"),
    FeatureLink("read_public_file", "core.exchange.keys", "read_public_file"),
    FeatureLink("format_key_id", "core.exchange.keys", "format_key_id"),
    FeatureLink("current_unit_key", "core.exchange.keys", "current_unit_key"),
    FeatureLink("passphrase_from_env", "core.exchange.keys", "passphrase_from_env"),
    FeatureLink("signing_key", "core.exchange.keys", "signing_key"),
    FeatureLink("backup", "core.team.backup", "create_backup"),
    FeatureLink("restore", "core.team.backup", "restore_open_workspace"),
    FeatureLink("verify_backup", "core.team.backup", "verify_backup"),
    FeatureLink("users", "core.team.users", "list_users"),
    FeatureLink("add_user", "core.team.users", "add_user"),
    FeatureLink("hand_over", "core.team.handover", "hand_over"),
    FeatureLink("login_required", "core.team.users", "login_required"),
    FeatureLink("authenticate", "core.team.users", "authenticate"),
    FeatureLink("set_password", "core.team.users", "set_password"),
    FeatureLink("set_setting", "core.team.users", "set_setting"),
    FeatureLink("render_report", "core.reports.pdf", "render_report"),
    FeatureLink("print_report", "core.reports.proof", "print_report"),
    FeatureLink("verify_report", "core.reports.stamp", "verify_report"),
    FeatureLink("word_draft", "core.reports.word", "write_draft"),
    FeatureLink("missing_standard_faces", "core.reports.fonts", "missing_standard_faces"),
    FeatureLink("report_recipient", "core.reports.summary", "recipient"),
    FeatureLink("set_report_recipient", "core.reports.summary", "set_recipient"),
    FeatureLink("export_excel", "core.excel.exporter", "export_ledger"),
    FeatureLink("read_problem_list", "core.excel.importer", "read_problem_list"),
    FeatureLink("import_problem_list", "core.excel.importer", "import_problem_list"),
)}


def link(key: str) -> FeatureLink:
    return LINKS[key]


def not_ready_text() -> str:
    return translate("FeatureLinks",
                     "This feature is not available in this version yet. Your data has not been changed.")

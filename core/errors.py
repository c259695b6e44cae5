"""User-facing errors: each says, in plain words, what is wrong and what to do next."""

from __future__ import annotations


class UserError(Exception):
    """An error the user can fix. Its message is shown as is (Chinese for the clerk).

    `exit_code` follows the command-line contract: 2 wrong usage, 3 input refused (nothing changed).

    `hint` says what to do next. Where that names a command (`user passwd`, `--data-dir`), `window_hint`
    says the same with the window's buttons and menus (设置 → 用户与责任人 → …); the command line prints
    `hint`, the window shows `window_hint`. Without one, the window shows `hint`, which then must name no
    command (tests/core/test_messages.py checks every message in core).

    `field` names the input that must be fixed (`title`, `owner`, `password` …), so a form can mark it.
    """

    exit_code = 3

    def __init__(self, message: str, *, hint: str = "", window_hint: str | None = None, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.window_hint = hint if window_hint is None else window_hint
        self.field = field

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()

    def set_hints(self, *, hint: str, window_hint: str) -> None:
        """What to do next, said for the command line and for the window (found out after the error was made)."""
        self.hint, self.window_hint = hint, window_hint

    def for_window(self) -> str:
        """The message and what to do, as the window says it."""
        return f"{self.message} {self.window_hint}".strip()


class UsageError(UserError):
    """The command was typed wrong (unknown option, missing argument)."""

    exit_code = 2


class InputRefused(UserError):
    """Input that breaks a rule: nothing was changed."""

    exit_code = 3


class NotFound(InputRefused):
    """An id that names nothing in the ledger."""


class PermissionDenied(InputRefused):
    """The current user's role does not allow this action."""


class DataFolderError(UserError):
    """The data folder cannot be used (read-only, in use by another copy, damaged)."""

    exit_code = 1


class PackageRejected(InputRefused):
    """An exchange package refused under spec §8; the data stays exactly as it was."""

    def __init__(self, message: str, *, reason_code: str = "", hint: str = "",
                 window_hint: str | None = None) -> None:
        super().__init__(message, hint=hint, window_hint=window_hint)
        self.reason_code = reason_code


class Cancelled(UserError):
    """The user stopped the work (Cancel, Ctrl+C): nothing half-done was kept. Not a refusal."""

    exit_code = 1

    def __init__(self, message: str = "已取消。", *, hint: str = "") -> None:
        super().__init__(message, hint=hint)


class MachineError(UserError):
    """The computer could not do it (disk full, a file held by another program, a read-only folder, a
    failing disk): the data is as it was. Built by `core.faults.explain`, never by hand."""

    exit_code = 1


class DatabaseDamaged(DataFolderError):
    """SQLite's own check found damaged pages in the ledger's database; `backup`: the latest one to offer."""

    backup: object = None  # a pathlib.Path when the backups folder holds one

"""User-facing errors: each says, in plain words, what is wrong and what to do next."""

from __future__ import annotations


class UserError(Exception):
    """An error the user can fix. Its message is shown as is (Chinese for the clerk).

    `exit_code` follows the command-line contract: 2 wrong usage, 3 input refused (nothing changed).
    `field` names the input that must be fixed (`title`, `owner`, `password` …), so a form can mark it.
    """

    exit_code = 3

    def __init__(self, message: str, *, hint: str = "", field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.field = field

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


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

    def __init__(self, message: str, *, reason_code: str = "", hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.reason_code = reason_code

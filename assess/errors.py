"""The errors a user can cause. The CLI turns them into a message and an exit
code; nothing the user does should reach them as a traceback."""

from __future__ import annotations


class AssessError(Exception):
    """Base class: a message meant for a person."""

    exit_code = 1


class InvalidInput(AssessError):
    """The rubric or evidence files have errors (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = problems or []


class UsageError(AssessError):
    """The command was called wrongly: unknown country, rubric or folder (exit 2)."""

    exit_code = 2


class CannotWrite(AssessError, OSError):
    """An output could not be written: a full disk, an I/O error (exit 1).
    Nothing is left half-written (assess.atomic). Also an OSError, so code
    that caught the system's error still catches it."""

    exit_code = 1

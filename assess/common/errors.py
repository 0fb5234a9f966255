"""The errors a user can cause. The CLI turns them into a message and an exit
code; nothing the user does should reach them as a traceback."""

from __future__ import annotations


class AssessError(Exception):
    """Base class: a message meant for a person. A message made with
    `messages.say` can be said again in another language (`said`)."""

    exit_code = 1

    def said(self, lang: str = "en") -> str:
        """The message in `lang` where the catalogue has it, else as raised.

        Returns: `str`. Raises: nothing for the shipped catalogue.

        Example:
            >>> AssessError("no such file").said("ru")
            'no such file'
        """
        text = self.args[0] if self.args else ""
        return text.in_lang(lang) if lang != "en" and hasattr(text, "in_lang") else str(text)


class InvalidInput(AssessError):
    """The rubric or evidence files have errors (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = problems or []


class UsageError(AssessError):
    """The command was called wrongly: unknown country, rubric or folder (exit 2).

    A message about an argument names it by its Python name, written in the
    message as ``{name}`` and listed in `params`: the library says
    "draws must be between 1 and 1,000,000", and the command line, which knows
    which option carries that argument, says "--draws must be ..." instead
    (`worded`). The library never names a command-line flag itself.

    >>> err = UsageError("{draws} must be 1 or more", params=("draws",))
    >>> str(err), err.worded({"draws": "--draws"})
    ('draws must be 1 or more', '--draws must be 1 or more')
    """

    exit_code = 2

    def __init__(self, message: str, params: tuple[str, ...] | list[str] = ()):
        self.template = message
        self.params = tuple(params)
        super().__init__(self.worded({}))

    def said(self, lang: str = "en") -> str:
        """The message in `lang`, each argument named by its Python name.

        Returns: `str`. Raises: nothing for the shipped catalogue.

        Example:
            >>> UsageError("{seed} must be 0 or more", params=("seed",)).said("ru")
            'seed must be 0 or more'
        """
        return self.worded({}, lang)

    def worded(self, names: dict[str, str], lang: str = "en") -> str:
        """The message in `lang` (when it was made with `messages.say`), with each
        argument named as `names` says (default: its Python name)."""
        text = self.template
        if lang != "en" and hasattr(text, "in_lang"):
            text = text.in_lang(lang)
        for param in self.params:
            text = text.replace("{" + param + "}", names.get(param, param))
        return text


class CannotWrite(AssessError, OSError):
    """An output could not be written: a full disk, an I/O error (exit 1).
    Nothing is left half-written (assess.atomic). Also an OSError, so code
    that caught the system's error still catches it."""

    exit_code = 1

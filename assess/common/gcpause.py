"""Pausing Python's cyclic garbage collector during bulk work.

Loading a workspace, scoring it and building a report create hundreds of
thousands of small objects that live until the command ends; the cyclic
collector would walk all of them again and again as they pile up (a quarter
of `assess validate` on 200 countries, a sixth of a 200-country report).
Reference counting still frees everything; cycles made meanwhile are
collected once the collector resumes, as it was, at the end.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


# Set by the command line's entry point (cli.main): the process ends when its
# one command does. A library caller (or a test running many commands in one
# process) never sets it.
_ONE_COMMAND = False


def one_command_process() -> None:
    """Says that this process runs one command and exits (cli.main calls it),
    so that paused(kept=True) may keep what was made for the rest of it.

    Returns: None.
    Raises: nothing.

    Example:
        >>> one_command_process()  # only in a process that ends with its command
    """
    global _ONE_COMMAND
    _ONE_COMMAND = True


@contextlib.contextmanager
def paused(kept: bool = False) -> Iterator[None]:
    """A context manager that disables the cyclic garbage collector for the
    work inside and turns it back on afterwards if it was on (nested uses
    leave it as the outermost found it).

    `kept`: what is made inside lives until the command ends (a loaded
    workspace and its checks). In a process that runs one command
    (one_command_process), everything the collector tracks is then moved to
    its permanent generation (gc.freeze) before it resumes: the first
    collections after the pause would otherwise walk every object made
    inside, twice (about 0.03 s of `assess validate` on 200 countries), to
    free nothing. Reference counting still frees what is dropped; only a
    cycle made inside and dropped later waits for the process to end.

    Returns: a context manager (yields None).
    Raises: nothing of its own; an exception inside passes through, the
    collector restored.

    Example:
        >>> with paused():
        ...     rows = [{"n": i} for i in range(100_000)]
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if kept and _ONE_COMMAND:
                gc.freeze()
            gc.enable()

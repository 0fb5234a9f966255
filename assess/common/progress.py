"""A progress bar on stderr for long work, shown only when stderr is a terminal.

The command line wraps long commands (report, timeline, sensitivity) in
`shown()`; library code marks its long loops with `track()` or `task()`.
Outside `shown()` (tests, notebooks, pipes) both do nothing but pass the
items through, so stdout and everything returned stay exactly the same. The
bar is transient: it disappears when the work is done.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")

_bar = None  # the rich Progress being shown, or None
# below this many steps a bar would only flicker
MIN_STEPS = 20


@contextlib.contextmanager
def shown(enabled: bool | None = None, console=None) -> Iterator[None]:
    """A context manager that shows a bar (rich) for the work marked inside
    (task, track), if stderr is a terminal (`enabled` overrides that;
    `console`, a rich Console, for tests). Nested inside another, it adds
    nothing.

    Returns: a context manager (yields None).
    Raises: nothing of its own.

    Example:
        >>> with shown():
        ...     scores = [score_country(rubric, ev, as_of) for ev in track(evidence, "scoring")]
    """
    global _bar
    if enabled is None:
        enabled = _stderr_is_terminal()
    if not enabled or _bar is not None:
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=console or Console(stderr=True), transient=True)
    _bar = bar
    try:
        with bar:
            yield
    finally:
        _bar = None


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False


def task(description: str, total: int, worth: bool | None = None) -> Callable[[int], None]:
    """A bar of `total` steps; returns a function that sets the steps done
    (the bar goes when they are all done). `worth` says whether the work is
    long enough for a bar (default: at least MIN_STEPS steps); without a bar
    shown (see shown), the function does nothing.

    Returns: `Callable[[int], None]`.
    Raises: nothing.

    Example:
        >>> advance = task("workbook", 8)
        >>> advance(1)
    """
    bar = _bar
    if bar is None or not (total >= MIN_STEPS if worth is None else worth):
        return _nothing
    task_id = bar.add_task(description, total=total)

    def update(done: int) -> None:
        bar.update(task_id, completed=done)
        if done >= total:
            bar.remove_task(task_id)

    return update


def track(items: Iterable[T], description: str) -> Iterator[T]:
    """The items, one by one, advancing a bar as each is done (the items are
    listed first, to count them).

    Returns: an iterator over the items.
    Raises: nothing of its own.

    Example:
        >>> list(track(["KAZ", "RUS"], "scoring"))
        ['KAZ', 'RUS']
    """
    items = list(items)
    update = task(description, len(items))
    for done, item in enumerate(items, 1):
        yield item
        update(done)


def _nothing(done: int) -> None:
    pass

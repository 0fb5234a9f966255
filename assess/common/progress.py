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
    """Shows a bar for the work marked inside, if stderr is a terminal
    (`enabled` overrides that; `console`, a rich Console, for tests)."""
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
    """A bar of `total` steps; returns a function that sets the steps done.
    `worth` says whether the work is long enough for a bar (default: at
    least MIN_STEPS steps)."""
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
    """The items, one by one, advancing a bar as each is done."""
    items = list(items)
    update = task(description, len(items))
    for done, item in enumerate(items, 1):
        yield item
        update(done)


def _nothing(done: int) -> None:
    pass

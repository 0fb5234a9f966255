"""Write files so that a crash never leaves half of one: a temporary file in the
same folder, flushed to disk, then renamed over the target."""

from __future__ import annotations

import os
import tempfile

from .errors import CannotWrite, UsageError
from .messages import say


def _file_mode(path: str) -> int:
    """The mode the file would get from a plain open(): mkstemp makes 0600,
    which would hide a shared report or baseline from colleagues. An existing
    file keeps its own mode."""
    try:
        return os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# what replacing a path that is not a regular file would replace (files.not_a_file's kinds)
_NOUN = {"e_kind_fifo": "e_noun_fifo", "e_kind_socket": "e_noun_socket", "e_kind_device": "e_noun_device"}


def check_output(path: str, folder: bool = False) -> str:
    """The one check of a place to write, made before any work and again
    before writing: `path` is a file to write (or, with `folder`, a folder to
    write files into, made if missing). Refuses, naming the path, a folder
    where a file is wanted and the other way round, a path under a file,
    anything that is not a regular file (a device such as /dev/full, a named
    pipe: replacing one would replace the device), a name too long for the
    system, a place this user may not write.

    Returns: `str`, the path.
    Raises: `UsageError` for each of those.

    Example:
        >>> check_output("/tmp/report.html")
        '/tmp/report.html'
    """
    from .files import not_a_file, os_reason

    full = os.path.abspath(path)
    try:
        st = os.stat(full)
    except (FileNotFoundError, NotADirectoryError):  # (a file above it is named below)
        st = None
    except OSError as exc:
        raise UsageError(say("e_cannot_write", path=path, why=os_reason(exc, full))) from None
    if st is not None:
        what = not_a_file(st.st_mode)
        if folder and what != "a folder":
            raise UsageError(say("e_write_not_folder", path=path, what=what or say("e_kind_file")))
        if not folder and what == "a folder":
            raise UsageError(say("e_write_is_folder", path=path))
        if not folder and what:
            noun = say(_NOUN.get(getattr(what, "key", ""), "e_noun_irregular"))
            raise UsageError(say("e_write_not_regular", path=path, what=what, noun=noun))
    # the nearest folder that exists: the new ones are made inside it
    here = full if folder and st is not None else os.path.dirname(full)
    while True:
        try:
            st_here = os.stat(here)
        except (FileNotFoundError, NotADirectoryError):
            parent = os.path.dirname(here)
            if parent == here:
                break
            here = parent
            continue
        except OSError as exc:
            raise UsageError(say("e_cannot_write", path=path, why=say("e_write_here", here=here,
                                                                         why=os_reason(exc, here, folder=True)))) from None
        if not_a_file(st_here.st_mode) != "a folder":
            raise UsageError(say("e_cannot_write", path=path, why=say("e_write_above_file", here=here)))
        if not os.access(here, os.W_OK | os.X_OK):
            raise UsageError(say("e_cannot_write", path=path, why=say(
                "e_write_denied_ro" if _read_only(here) else "e_write_denied", here=here)))
        break
    try:
        longest = os.pathconf(here, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        longest = 255
    for part in full.split(os.sep):
        size = len(part.encode("utf-8", "surrogateescape"))
        if size > longest:
            raise UsageError(say("e_cannot_write", path=path, why=say("e_write_name_long", name=part[:40], size=size,
                                                                       longest=longest)))
    return path


def _read_only(folder: str) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _temporary(path: str, data: bytes) -> str:
    """`data` in a hidden temporary file beside `path`, flushed to disk."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(folder, exist_ok=True)
    # a short prefix: the temporary name must fit wherever the final name fits
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path)[:40] + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), _file_mode(path))
            os.fsync(fh.fileno())
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def write_bytes_atomic(path: str, data: bytes) -> str:
    """Writes `data` to `path` atomically (write_files_atomic with one file).

    Returns: `str`, the path.
    Raises: `UsageError` (a path that cannot be written), `CannotWrite` (a
    failure while writing), `Interrupted` (Ctrl-C).

    Example:
        >>> write_bytes_atomic("/tmp/out.bin", b"data")
        '/tmp/out.bin'
    """
    return write_files_atomic([(path, data)])[0]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C while files were being written: `written` lists the files that
    were (all of them, or none: see write_files_atomic)."""

    def __init__(self, written: list[str]):
        super().__init__()
        self.written = written


def write_files_atomic(items: list[tuple[str, bytes]]) -> list[str]:
    """Writes every (path, data), all or none: each goes to a temporary file
    first; only when all are on disk are they renamed into place, with Ctrl-C
    and SIGTERM held back for those few renames (noted by a handler and acted
    on after them; blocking the signals would not hold them back from other
    threads, numpy's among them). So an old report's workbook never sits
    beside a new report's HTML. Ctrl-C before that point removes
    the temporary files and leaves the old ones (Interrupted, with nothing
    written); one that comes during the renames takes effect after them
    (Interrupted, with every file written). Nothing is left behind on failure.

    Returns: `list[str]`, the paths written.
    Raises: `UsageError` for a path that cannot be written and `CannotWrite`
    for a failure while writing (a full disk), each naming the path;
    `Interrupted` (a KeyboardInterrupt) for Ctrl-C.

    Example:
        >>> write_files_atomic([("/tmp/a.html", b"<p>a"), ("/tmp/a.xlsx", data)])
        ['/tmp/a.html', '/tmp/a.xlsx']
    """
    for path, _ in items:
        check_output(path)
    temps: list[str] = []
    written: list[str] = []
    try:
        try:
            for path, data in items:
                temps.append(_temporary(path, data))
        except OSError as exc:
            raise CannotWrite(say("e_cannot_write", path=path, why=exc.strerror or str(exc))) from None
        held = _hold_signals()
        try:
            for tmp, (path, _) in zip(temps, items):
                try:
                    os.replace(tmp, path)
                except OSError as exc:
                    raise CannotWrite(say("e_cannot_write_after", path=path, why=exc.strerror or str(exc),
                                          before=say("e_written_before", files=", ".join(written)) if written else "")) from None
                written.append(path)
        finally:
            _release_signals(held)  # a Ctrl-C held back is raised here, after every rename
    except KeyboardInterrupt:
        for tmp in temps[len(written):]:
            _remove(tmp)
        raise Interrupted(written) from None
    except BaseException:
        for tmp in temps[len(written):]:
            _remove(tmp)
        raise
    return written


def _hold_signals():
    """Ctrl-C and SIGTERM, from here to _release_signals, are noted, not acted
    on (only the main thread can set handlers; elsewhere nothing is held)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    noted: list[int] = []
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, lambda number, frame: noted.append(number))
    return previous, noted


def _release_signals(held) -> None:
    """Puts the handlers back, then acts on what was noted: SIGTERM ends the
    process as it would have, Ctrl-C raises KeyboardInterrupt."""
    import signal

    if held is None:
        return
    previous, noted = held
    for sig, handler in previous.items():
        signal.signal(sig, handler)
    if signal.SIGTERM in noted:
        os.kill(os.getpid(), signal.SIGTERM)
    if signal.SIGINT in noted:
        raise KeyboardInterrupt


def write_text_atomic(path: str, text: str) -> str:
    r"""Writes `text` to `path` as UTF-8, atomically (write_bytes_atomic).

    Returns: `str`, the path.
    Raises: `UsageError`, `CannotWrite`, `Interrupted` (as write_files_atomic).

    Example:
        >>> write_text_atomic("/tmp/notes.txt", "Қазақстан\n")
        '/tmp/notes.txt'
    """
    return write_bytes_atomic(path, text.encode("utf-8"))

"""Write files so that a crash never leaves half of one: a temporary file in the
same folder, flushed to disk, then renamed over the target."""

from __future__ import annotations

import os
import tempfile


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


def write_bytes_atomic(path: str, data: bytes) -> str:
    folder = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), _file_mode(path))
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def write_text_atomic(path: str, text: str) -> str:
    return write_bytes_atomic(path, text.encode("utf-8"))

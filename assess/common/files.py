"""Read input files without surprises.

Evidence folders are written by hand, synced, unpacked from archives: a
`*.yaml` name can be a folder, a named pipe (opening one for reading waits
forever for a writer), a link that loops or points nowhere, or a file the
user may not read. Everything that reads an input goes through `read_bytes`,
which never opens anything but a regular file and turns each of those cases
into a message that names it; `listdir` does the same for folders.
"""

from __future__ import annotations

import errno
import os
import stat

from .messages import say

__all__ = ["FileProblem", "read_bytes", "listdir", "not_a_file", "os_reason", "encoding_problem"]


class FileProblem(Exception):
    """A path that cannot be read as a file; the message says why, for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def not_a_file(mode: int) -> str | None:
    """What a path with this st_mode is, when it is not a regular file ("a
    folder", "a named pipe (FIFO)", "a socket", "a device").

    Returns: `str`, or None for a regular file.
    Raises: nothing.

    Example:
        >>> not_a_file(stat.S_IFDIR)
        'a folder'
    """
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return say("e_kind_folder")
    if stat.S_ISFIFO(mode):
        return say("e_kind_fifo")
    if stat.S_ISSOCK(mode):
        return say("e_kind_socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return say("e_kind_device")
    return say("e_kind_irregular")  # pragma: no cover - a door, a whiteout


def os_reason(exc: OSError, path: str, folder: bool = False) -> str:
    """An OSError about `path` as a sentence for a person (permission denied,
    a link loop, a dangling link, no such file, a name too long, a folder);
    the system's own words for anything else. `folder`: the path is a
    folder to list.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> os_reason(OSError(errno.ENOENT, "x"), "/nonexistent/x")
        'no such file'
    """
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        return say("p_os_permission_folder" if folder else "p_os_permission_file")
    if code == errno.ELOOP:
        return say("p_os_link_loop")
    if code == errno.ENOENT:
        if os.path.islink(path):
            return say("p_os_dangling_link", target=os.readlink(path))
        return say("p_os_no_such_file")
    if code == errno.ENAMETOOLONG:
        return say("p_os_name_too_long")
    if code == errno.EISDIR:
        return say("p_os_is_folder")
    return exc.strerror or str(exc)


def read_bytes(path: str, limit: int | None = None, limit_message: str | None = None) -> bytes:
    """The bytes of a regular file (links followed), checked before and after
    opening it (a file swapped for a pipe meanwhile is refused too). Refuses a
    folder, a named pipe, a device, a link loop or a dangling link, a file
    that may not be read; and a file larger than `limit` bytes
    (`limit_message`: a catalogue key, said with {size} and {limit} in MiB).

    Returns: `bytes`.
    Raises: `FileProblem` with the reason for a person.

    Example:
        >>> read_bytes("criteria/four-tier.yaml", 8 * 2**20)[:1]
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise FileProblem(os_reason(exc, path)) from None
    what = not_a_file(st.st_mode)
    if what:
        raise FileProblem(say("p_not_a_regular_file", what=what))
    if limit is not None and st.st_size > limit:
        raise FileProblem(_over_limit(limit_message, st.st_size, limit))
    # O_NONBLOCK: should a pipe be swapped in after the check, opening it does not wait
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileProblem(os_reason(exc, path)) from None
    try:
        st = os.fstat(fd)
        what = not_a_file(st.st_mode)
        if what:
            raise FileProblem(say("p_not_a_regular_file", what=what))
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if limit is not None and total > limit:
                raise FileProblem(_over_limit(limit_message, total, limit))
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem(os_reason(exc, path)) from None
    finally:
        os.close(fd)


def _over_limit(limit_message: str | None, size: int, limit: int):
    """The message for a file of `size` bytes over `limit`: the catalogue
    entry `limit_message` said with {size} and {limit} in MiB; by default one
    that says the size."""
    return say(limit_message or "p_file_over_limit", size=size / 1048576, limit=limit // 1048576)


def listdir(folder: str) -> list[str]:
    """The names in a folder, sorted.

    Returns: `list[str]`.
    Raises: `FileProblem` when it cannot be listed ("not a folder", or the
    reason from os_reason).

    Example:
        >>> listdir("criteria")[:2]
        ['document-types.yaml', 'four-tier.yaml']
    """
    try:
        return sorted(os.listdir(folder))
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise FileProblem(say("p_not_a_folder")) from None
        raise FileProblem(os_reason(exc, folder, folder=True)) from None


def encoding_problem(raw: bytes) -> str | None:
    r"""A message when the bytes are text in UTF-16 or UTF-32 (what Windows
    Notepad and Excel call "Unicode"), by byte-order mark or by the NUL bytes
    that ASCII letters leave in those encodings; None otherwise.

    Returns: `str` or None.
    Raises: nothing.

    Example:
        >>> encoding_problem(b"\xff\xfeh\x00i\x00")
        'the file is UTF-16 text; save it as UTF-8'
    """
    for bom, name in ((b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe\x00\x00", "UTF-32"),
                      (b"\xfe\xff", "UTF-16"), (b"\xff\xfe", "UTF-16")):
        if raw.startswith(bom):
            return say("p_file_utf_wide", name=name)
    sample = raw[:4096]
    if len(sample) >= 8 and b"\x00" in sample:
        n = len(sample) // 4 * 4
        zeros = [sum(1 for i in range(k, n, 4) if sample[i] == 0) for k in range(4)]
        quarter = n // 4
        if all(z > 0.9 * quarter for z in zeros[1:]) and zeros[0] < 0.5 * quarter \
                or all(z > 0.9 * quarter for z in zeros[:3]) and zeros[3] < 0.5 * quarter:
            return say("p_file_utf_wide", name="UTF-32")
        even = sum(zeros[0::2])
        odd = sum(zeros[1::2])
        half = n // 2
        if (odd > 0.6 * half and even < 0.2 * half) or (even > 0.6 * half and odd < 0.2 * half):
            return say("p_file_utf_wide", name="UTF-16")
    return None

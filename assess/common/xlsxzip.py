"""A workbook's bytes, the same from run to run: openpyxl's writer without
`wb.save()` (which stamps docProps/core.xml `modified` with the clock), and
every zip entry dated 1980-01-01 and compressed the same way.

Used by the data-entry workbook (assess.template); the report workbook
(render.xlsx) does the same with its own fast row writer.
"""

from __future__ import annotations

import io
import zipfile

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
FIRST_ENTRIES = ["[Content_Types].xml", "_rels/.rels"]
CHUNK = 1 << 22  # bytes read at a time from an entry stable_zip streams


def workbook_bytes(wb, writer_class=None) -> bytes:
    """The .xlsx file of an openpyxl workbook, built in memory (by
    `writer_class`, default openpyxl's ExcelWriter) and made stable
    (stable_zip); its properties' created/modified are written as set,
    never as now.

    Returns: `bytes`.
    Raises: nothing of its own (openpyxl's errors pass through).

    Example:
        >>> from openpyxl import Workbook
        >>> workbook_bytes(Workbook())[:2]
        b'PK'
    """
    from openpyxl.writer.excel import ExcelWriter

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        (writer_class or ExcelWriter)(wb, archive).save()
    return stable_zip(raw.getvalue())


def stable_zip(data, transform=None, stream=None) -> bytes:
    """The same archive (`data`: its bytes, or a binary file open on it)
    with every entry dated 1980-01-01, deflated, its
    index parts ([Content_Types].xml, _rels/.rels) first where streaming
    readers look for them. `transform(name, content)`, when given, returns
    each entry's content as it is to be stored (the report's workbook drops
    implicit cell references from its sheets there). `stream(name)`, when
    given, returns None or a function that takes the entry's content as an
    iterable of byte chunks and gives what is to be stored as one: such an
    entry goes through in chunks, never whole in memory (the same bytes).

    Returns: `bytes`.
    Raises: `zipfile.BadZipFile` for bytes that are not a zip archive.

    Example:
        >>> from openpyxl import Workbook
        >>> data = workbook_bytes(Workbook())
        >>> stable_zip(data) == data  # already stable: the same bytes again
        True
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        entries = sorted(src.infolist(), key=lambda i: FIRST_ENTRIES.index(i.filename) if i.filename in FIRST_ENTRIES else len(FIRST_ENTRIES))
        for info in entries:
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0o600 << 16
            chunked = stream(info.filename) if stream is not None else None
            if chunked is not None:
                # what writestr() does, a chunk at a time: zlib's output does not depend on how its input is cut
                with src.open(info) as fh, dst.open(entry, "w", force_zip64=info.file_size * 1.05 > zipfile.ZIP64_LIMIT) as dest:
                    for piece in chunked(iter(lambda: fh.read(CHUNK), b"")):
                        dest.write(piece)
                continue
            content = src.read(info.filename)
            dst.writestr(entry, transform(info.filename, content) if transform else content)
    return out.getvalue()

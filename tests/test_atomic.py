"""Outputs are written to a temporary file in the same folder and renamed."""

import os
import stat

import pytest

from assess.common.atomic import write_bytes_atomic, write_text_atomic


def test_new_file_gets_the_umask_mode_not_mkstemps_0600(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_text_atomic(str(tmp_path / "report.html"), "<p>x</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
    assert open(path, encoding="utf-8").read() == "<p>x</p>"


def test_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / "baseline.json"
    target.write_text("old")
    target.chmod(0o640)
    write_text_atomic(str(target), "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "new"


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "baseline.json"
    target.write_text("old")

    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        write_bytes_atomic(str(target), b"new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]

"""The compiled report template is cached in the user's cache folder: the
same page with or without it, a broken or unwritable cache is ignored, an
edited template is compiled again."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

import assess.api as api
from assess.output.render import html

from conftest import MINI

GENERATED = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def context():
    return api.report_context(["NLD", "FRA"], as_of="2012-06-30", data=str(MINI), generated=GENERATED, draws=20)


def test_cache_written_and_reused(context, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = html.render_html(context, api.templates_dir())
    folder = tmp_path / "cache" / "assess" / "templates"
    files = sorted(folder.iterdir())
    assert files and all(f.name.endswith(".cache") for f in files)
    assert html.render_html(context, api.templates_dir()) == first
    for f in files:  # a truncated cache file is compiled afresh
        f.write_bytes(b"j2")
    assert html.render_html(context, api.templates_dir()) == first


def test_no_cache_when_the_folder_cannot_be_written(context, tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert html._bytecode_cache() is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))
    assert html.render_html(context, api.templates_dir())


def test_edited_template_is_compiled_again(context, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    templates = tmp_path / "templates"
    shutil.copytree(api.templates_dir(), templates)
    before = html.render_html(context, str(templates))
    page = templates / html.TEMPLATE
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<!-- edited --></body>"), encoding="utf-8")
    after = html.render_html(context, str(templates))
    assert "<!-- edited -->" in after and "<!-- edited -->" not in before

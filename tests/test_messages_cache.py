"""The message catalogue is kept between runs in the user's cache folder
(common/messages._store_table), keyed by the SHA-256 of messages.yaml: a
cached catalogue is the YAML's own table, an edited file is read again, and a
broken or unwritable cache is no error (the YAML is read)."""

from __future__ import annotations

import os

import yaml

from assess.common import messages

from conftest import REPO

TEMPLATES = os.path.join(str(REPO), "reports", "templates")


def _fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(messages, "_TABLES", {})


def test_the_cached_catalogue_is_the_yaml(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    first = messages.load_messages(TEMPLATES, "ru").table
    with open(os.path.join(TEMPLATES, "messages.yaml"), encoding="utf-8") as fh:
        assert first == yaml.safe_load(fh)
    assert len(os.listdir(tmp_path / "cache" / "assess" / "messages")) == 1
    monkeypatch.setattr(messages, "_TABLES", {})
    monkeypatch.setattr(yaml, "load", lambda *a, **k: (_ for _ in ()).throw(AssertionError("read the YAML again")))
    assert messages.load_messages(TEMPLATES, "ru").table == first  # from the cache


def test_an_edited_catalogue_is_read_again(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "messages.yaml").write_text("country: {en: Country}\n", encoding="utf-8")
    assert messages.load_messages(str(folder), "en")("country") == "Country"
    monkeypatch.setattr(messages, "_TABLES", {})
    (folder / "messages.yaml").write_text("country: {en: Land}\n", encoding="utf-8")
    assert messages.load_messages(str(folder), "en")("country") == "Land"


def test_a_broken_or_unwritable_cache_is_no_error(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "messages.yaml").write_text("country: {en: Country}\n", encoding="utf-8")
    raw = (folder / "messages.yaml").read_bytes()
    cached = messages._table_cache_file(raw)
    os.makedirs(os.path.dirname(cached))
    with open(cached, "wb") as fh:
        fh.write(b"\x00not marshal")
    assert messages.load_messages(str(folder), "en")("country") == "Country"
    monkeypatch.setattr(messages, "_TABLES", {})
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))  # a file where the folder would go
    assert messages.load_messages(str(folder), "en")("country") == "Country"

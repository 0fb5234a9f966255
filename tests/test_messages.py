"""The message catalogue covers every label the report formats ask for."""

import re

from conftest import REPO

from assess.common.messages import load_messages

TEMPLATES = REPO / "reports" / "templates"
SOURCES = [TEMPLATES / "report.html", REPO / "assess" / "output" / "render" / "xlsx.py", REPO / "assess" / "entry" / "template.py", REPO / "assess" / "output" / "textout.py"]
KEY = re.compile(r"""\b(?:t|msg)\(\s*['"]([a-z_0-9]+)['"]\s*[,)]""")  # whole keys, not prefixes joined to a value


def used_keys():
    keys = set()
    for path in SOURCES:
        keys |= set(KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_label_used_by_a_report_is_in_the_catalogue_in_every_language():
    for lang in ("en", "ru", "kk"):
        messages = load_messages(str(TEMPLATES), lang)
        missing = sorted(k for k in used_keys() if k not in messages.table)
        assert not missing, (lang, missing)
        untranslated = sorted(k for k in used_keys() if lang not in messages.table[k])
        assert not untranslated, (lang, untranslated)


def test_catalogue_keys_are_strings_not_yaml_booleans():
    # YAML 1.1 reads a bare `yes:` or `no:` key as a boolean; the label would
    # then silently fall back to its key in every language
    messages = load_messages(str(TEMPLATES), "ru")
    assert all(isinstance(k, str) for k in messages.table)
    assert messages("yes") == "да" and messages("no") == "нет"

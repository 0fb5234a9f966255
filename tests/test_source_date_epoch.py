"""SOURCE_DATE_EPOCH (issue #18 §4): with it set, two runs in two processes
give identical bytes for the report (HTML and workbook), the data-entry
workbook, the baseline and every --format of every command; the workbooks'
docProps/core.xml carry that moment, never the clock. And the compiled-
template cache is keyed by the Environment's settings, and says when a
cache file cannot be read."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import zipfile

import jinja2
import pytest

from conftest import MINI

EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC
DATA = ["--data", str(MINI)]

FORMATS = [
    ["score", "--as-of", "2012-06-30", "-f", fmt] for fmt in ("table", "json", "jsonl", "csv")
] + [
    ["timeline", "--from", "2000", "--to", "2012-06-30", "-f", fmt] for fmt in ("table", "json", "csv")
] + [
    ["sensitivity", "--as-of", "2012-06-30", "--draws", "200", "-f", fmt] for fmt in ("table", "json")
] + [
    ["agreement", "--as-of", "2012-06-30", "-f", fmt] for fmt in ("table", "json")
] + [
    ["explain", "NLD", "l1", "--as-of", "2012-06-30", "-f", fmt] for fmt in ("text", "json")
] + [
    [command, "-f", fmt] for command in ("countries", "rubrics", "verify") for fmt in ("table", "json")
] + [
    ["validate", "-f", fmt] for fmt in ("text", "json")
]


def run(args, cwd, seed=1, epoch=EPOCH):
    env = dict(os.environ, PYTHONHASHSEED=str(seed))
    env.pop("ASSESS_DATA", None)
    if epoch is None:
        env.pop("SOURCE_DATE_EPOCH", None)
    else:
        env["SOURCE_DATE_EPOCH"] = epoch
    proc = subprocess.run([sys.executable, "-m", "assess", *args], capture_output=True, env=env, cwd=cwd)
    return proc


@pytest.mark.parametrize("args", FORMATS, ids=lambda a: " ".join([a[0], a[-1]]))
def test_every_format_is_byte_identical(args, tmp_path):
    a, b = run([*args, *DATA], tmp_path, seed=1), run([*args, *DATA], tmp_path, seed=2)
    assert a.returncode in (0, 1) and a.returncode == b.returncode, a.stderr.decode()
    assert a.stdout == b.stdout and a.stdout


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_report_template_and_baseline_are_byte_identical(tmp_path):
    outs = []
    for i in (1, 2):
        out = tmp_path / f"run{i}"
        ws = out / "ws"
        shutil.copytree(MINI, ws)
        assert run(["report", "--as-of", "2012-06-30", "--draws", "100", "--out", str(out / "report"), "--data", str(ws)],
                   tmp_path, seed=i).returncode == 0
        assert run(["template", "NLD", "--out", str(out / "NLD.xlsx"), "--data", str(ws)], tmp_path, seed=i).returncode == 0
        assert run(["baseline", "--as-of", "2012-06-30", "--data", str(ws)], tmp_path, seed=i).returncode == 0
        checks = {}
        for fmt in ("text", "json"):
            done = run(["check", "-f", fmt, "--data", str(ws)], tmp_path, seed=i)
            assert done.returncode == 0, done.stderr.decode()
            checks[f"check-{fmt}"] = done.stdout.replace(str(ws).encode(), b"WS")  # the workspace's own folder differs
        outs.append({**_files(out / "report"), "NLD.xlsx": (out / "NLD.xlsx").read_bytes(),
                     "baseline": (ws / "baselines" / "mini.json").read_bytes(), **checks})
    assert outs[0].keys() == outs[1].keys() and len(outs[0]) == 6
    for name in outs[0]:
        assert outs[0][name] == outs[1][name], name
    # the moment written is SOURCE_DATE_EPOCH's, in the HTML and in both workbooks' core.xml
    html = next(v for k, v in outs[0].items() if k.endswith(".html")).decode("utf-8")
    assert "2023-11-14" in html or "14 Nov 2023" in html
    for name in [k for k in outs[0] if k.endswith(".xlsx")]:
        path = tmp_path / name
        path.write_bytes(outs[0][name])
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode("utf-8")
        assert "2023-11-14T22:13:20Z" in core, (name, core)


def test_template_bytes_do_not_depend_on_the_clock(tmp_path):
    """Without SOURCE_DATE_EPOCH the data-entry workbook carries a fixed date (wb.save stamped the clock)."""
    a = tmp_path / "a.xlsx"
    b = tmp_path / "b.xlsx"
    assert run(["template", "NLD", "--out", str(a), *DATA], tmp_path, epoch=None).returncode == 0
    import time

    time.sleep(1.1)
    assert run(["template", "NLD", "--out", str(b), *DATA], tmp_path, epoch=None).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert "2000-01-01T00:00:00Z" in z.read("docProps/core.xml").decode("utf-8")


def test_a_malformed_epoch_is_a_usage_error(tmp_path):
    r = run(["report", "NLD", "--as-of", "2012-06-30", "--draws", "0", "--out", str(tmp_path / "o"), *DATA], tmp_path,
            epoch="yesterday")
    assert r.returncode == 2 and b"SOURCE_DATE_EPOCH" in r.stderr
    assert not (tmp_path / "o").exists() or list((tmp_path / "o").iterdir()) == []


def test_source_date():
    from assess.common.buildtime import source_date

    assert source_date({}) is None
    assert source_date({"SOURCE_DATE_EPOCH": "0"}) == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


# ---------------------------------------------------------------- the compiled-template cache


def test_the_cache_key_holds_every_setting_that_shapes_the_code():
    from assess.output.render.html import _environment_key

    base = dict(autoescape=True, trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)
    key = _environment_key(jinja2.Environment(**base))
    assert key == _environment_key(jinja2.Environment(**base))
    for change in (dict(autoescape=False), dict(trim_blocks=True), dict(lstrip_blocks=True),
                   dict(keep_trailing_newline=False), dict(variable_start_string="[[", variable_end_string="]]"),
                   dict(extensions=["jinja2.ext.loopcontrols"]), dict(optimized=False)):
        assert _environment_key(jinja2.Environment(**{**base, **change})) != key, change


def test_a_warm_cache_does_not_hide_a_changed_setting(tmp_path):
    from assess.output.render.html import _QuietBytecodeCache

    (tmp_path / "t.html").write_text("{% if true %}\n  x\n{% endif %}\n", encoding="utf-8")
    cache = _QuietBytecodeCache(str(tmp_path / "cache"))
    os.makedirs(tmp_path / "cache")

    def render(**settings):
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache, **settings)
        return env.get_template("t.html").render()

    plain = render()
    assert render() == plain  # from the cache
    assert render(trim_blocks=True, lstrip_blocks=True) == "  x\n" != plain


def test_an_unreadable_cache_file_is_said_and_compiled_afresh(tmp_path, monkeypatch, caplog):
    import assess.api as api
    from assess.output.render import html

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    context = api.report_context(["NLD"], as_of="2012-06-30", data=str(MINI), draws=0,
                                 generated=dt.datetime(2024, 5, 6, tzinfo=dt.timezone.utc))
    first = html.render_html(context, api.templates_dir())
    files = sorted((tmp_path / "cache" / "assess" / "templates").iterdir())
    assert files
    for f in files:  # jinja2's own header, then bytes that are no compiled code
        f.write_bytes(jinja2.bccache.bc_magic + b"\x00not marshal data")
    with caplog.at_level("WARNING", logger="assess"):
        assert html.render_html(context, api.templates_dir()) == first
    assert "could not be read" in caplog.text

"""The command line against hostile input, broken places and interruptions (#16 §3-7).

Every command runs as a real process (`python -m assess`), so that a traceback
or a hang shows as one; each run has a timeout that only guards against a
hang (no timing is asserted). The expected values are worked out by hand in
the comments beside them.
"""

from __future__ import annotations

import errno
import json
import os
import pty
import select
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import MINI, REPO

# ---------------------------------------------------------------- helpers

# The hostile strings of the issue, as YAML double-quoted escapes: clear the
# screen (ESC [2J), set the window title (OSC 0;... BEL), BEL, backspace, NUL,
# the one-byte C1 CSI (\x9b) and the right-to-left override U+202E.
HOSTILE = r"\e[2J\e]0;PWNED\a bel\a bs\b nul\0 csi\x9b rlo\u202e end"
# None of these may reach the terminal raw (the C1 and U+202E as UTF-8)
RAW = [b"\x1b", b"\x07", b"\x08", b"\x00", "\x9b".encode(), "\u202e".encode(), "\u2066".encode()]
# what they look like instead (textout.visible): ESC is \x1b, U+202E is <U+202E>
SHOWN = [b"\\x1b[2J", b"\\x1b]0;PWNED\\x07", b"<U+202E>"]


def env(**extra) -> dict:
    out = {k: v for k, v in os.environ.items() if k != "ASSESS_DATA"}
    out["PYTHONPATH"] = str(REPO) + os.pathsep + out.get("PYTHONPATH", "")
    out.update(extra)
    return out


def run(args: list, cwd: Path, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assess", *map(str, args)], cwd=cwd, env=env(), capture_output=True,
                          timeout=timeout, **kwargs)


def run_pty(args: list, cwd: Path, timeout: float = 60) -> tuple[int, bytes]:
    """Runs the command with stdin, stdout and stderr on a pseudo-terminal, as
    an analyst's shell would, and returns (exit code, every byte it wrote).
    TERM=dumb turns off the progress bar's own cursor codes, so that any
    escape character in the output can only come from the data."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "assess", *map(str, args)], cwd=cwd, env=env(TERM="dumb"),
                            stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    out = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], timeout)
            if not ready:
                proc.kill()
                raise AssertionError(f"no output for {timeout} s: {args}")
            try:
                chunk = os.read(master, 65536)
            except OSError as exc:  # EIO: the child closed the terminal
                if exc.errno != errno.EIO:
                    raise
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
    return proc.wait(timeout=timeout), out


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under root with its kind, size and content digest (links not followed)."""
    import hashlib

    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            digest = hashlib.sha256(open(path, "rb").read()).hexdigest() if stat.S_ISREG(st.st_mode) else ""
            out[os.path.relpath(path, root)] = (stat.S_IFMT(st.st_mode), st.st_size, digest)
    return out


def one_error_line(r: subprocess.CompletedProcess) -> str:
    """The run failed with one line on stderr, starting 'error:', and no traceback."""
    err = r.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err + r.stdout.decode("utf-8", "replace"), err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


# ---------------------------------------------------------------- §3 terminal injection


@pytest.fixture
def hostile(tmp_path) -> Path:
    """The mini workspace with the hostile strings in every kind of text the
    commands print: a criterion title, the country and legislature names, a
    document title, a finding's quote, locator, note and coder, and a source
    text; plus a raw U+202E and U+2066 typed straight into a file."""
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    rubric = ws / "criteria" / "mini.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("title: Criterion one", f'title: "Criterion one {HOSTILE}"'),
                      encoding="utf-8")
    nld = ws / "evidence" / "NLD"
    text = (nld / "country.yaml").read_text(encoding="utf-8")
    text = text.replace("name: {en: Netherlands, ru: Нидерланды}", f'name: {{en: "Netherlands {HOSTILE}", ru: Нидерланды}}')
    text = text.replace("name: States General", f'name: "States General {HOSTILE}"')
    text = text.replace("title: Law A", f'title: "Law A {HOSTILE} raw\u202e\u2066 typed"')
    (nld / "country.yaml").write_text(text, encoding="utf-8")
    text = (nld / "findings.yaml").read_text(encoding="utf-8")
    text = text.replace("quote: It is there, level: 3, verified: true, coder: t1",
                        f'quote: "It is there {HOSTILE}", level: 3, verified: true, coder: "t1 {HOSTILE}", note: "{HOSTILE}"')
    text = text.replace("locator: Art. 2, quote: A says so", f'locator: "Art. 2 {HOSTILE}", quote: A says so')
    (nld / "findings.yaml").write_text(text, encoding="utf-8")
    sources = nld / "sources"
    sources.mkdir()
    body = "It is there \x1b[2J\x1b]0;PWNED\x07 bel\x07 bs\x08 csi\x9b rlo\u202e end, and the treaties clause."
    (sources / "nld-const.en.txt").write_text(f"# source: https://example.org/const\nArticle 1\n{body}\n", encoding="utf-8")
    return ws


def _hostile_book(ws: Path, tmp: Path) -> Path:
    """A workbook of the hostile NLD with one level changed (n-l1-a 3 -> 2),
    so that `import` shows a diff of a record that holds hostile text."""
    import openpyxl

    book = tmp / "nld.xlsx"
    r = run(["template", "NLD", "--out", book, "--data", ws], tmp)
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(book)
    sheet = wb["Findings"]
    head = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, head.index("id") + 1).value == "n-l1-a":
            sheet.cell(row, head.index("level") + 1).value = 2
    wb.save(book)
    return book


COMMANDS = {
    # name: (arguments after the command name; `ws` is the workspace, `out` a scratch folder), expected exit codes
    "validate": (["validate"], (0,)),
    "countries": (["countries"], (0,)),
    "rubrics": (["rubrics"], (0,)),
    "score": (["score", "NLD", "FRA", "--as-of", "2012-06-30"], (0,)),
    "score-csv": (["score", "NLD", "--as-of", "2012-06-30", "--format", "csv"], (0,)),
    "score-json": (["score", "NLD", "--as-of", "2012-06-30", "--format", "json"], (0,)),
    "explain": (["explain", "NLD", "c1", "--as-of", "2012-06-30"], (0,)),
    "timeline": (["timeline", "NLD", "--from", "2000", "--to", "2012-06-30"], (0,)),
    "timeline-csv": (["timeline", "NLD", "--from", "2000", "--to", "2012-06-30", "--format", "csv"], (0,)),
    "sensitivity": (["sensitivity", "NLD", "FRA", "--draws", "50", "--as-of", "2012-06-30"], (0,)),
    "agreement": (["agreement", "--as-of", "2012-06-30"], (0,)),
    "verify": (["verify"], (0, 1)),
    "verify-json": (["verify", "--format", "json"], (0, 1)),
    "sources-list": (["sources", "list"], (0, 1)),
    "sources-show": (["sources", "show", "NLD", "nld-const", "Art. 1"], (0,)),
    "suggest": (["suggest", "NLD", "nld-const"], (0,)),
    "report": (["report", "NLD", "--as-of", "2012-06-30", "--draws", "20", "--out", "{out}"], (0,)),
    "template": (["template", "NLD", "--out", "{out}/nld.xlsx"], (0,)),
    "import": (["import", "{book}", "--dry-run"], (0,)),
    "baseline-check": (["check", "--github"], (3,)),
    # user input echoed back in errors
    "unknown-country": (["score", "X\x1b[2JY\u202e"], (2,)),
    "unknown-criterion": (["explain", "NLD", "c\x1b]0;PWNED\x07"], (2,)),
    "unknown-rubric": (["score", "NLD", "--rubric", "r\x1b[2J"], (2,)),
    "unknown-format": (["score", "NLD", "--format", "t\x1b[2J\x9b"], (2,)),
    "bad-date": (["score", "NLD", "--as-of", "2012\x1b[2J"], (2,)),
    "unknown-document": (["sources", "show", "NLD", "d\x1b[2J", "Art. 1"], (2,)),
    "unknown-command": (["sc\x1b[2Jore"], (2,)),
    "unknown-option": (["score", "--fo\x1b]0;x\x07rmat"], (2,)),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_control_character_from_data_or_input_reaches_the_terminal(name, hostile, tmp_path):
    """Each command, on a terminal: the hostile bytes never arrive raw (no
    screen cleared, no window title set, no bell, no reordered text); where
    the data is printed, it is there, shown as escapes."""
    args, codes = COMMANDS[name]
    out = tmp_path / "out"
    out.mkdir()
    book = _hostile_book(hostile, tmp_path) if name == "import" else None
    if name == "baseline-check":
        # a baseline, then a level move on the hostile finding: check lists it with its file and line
        r = run(["baseline", "--as-of", "2012-06-30", "--data", hostile], tmp_path)
        assert r.returncode == 0, r.stderr
        path = hostile / "evidence" / "NLD" / "findings.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(f'"It is there {HOSTILE}", level: 3',
                                                                  f'"It is there {HOSTILE}", level: 2'), encoding="utf-8")
    argv = [a.format(out=out, book=book) if isinstance(a, str) else a for a in args]
    code, output = run_pty([*argv, "--data", hostile], tmp_path)
    assert b"Traceback" not in output, output.decode("utf-8", "replace")
    assert code in codes, output.decode("utf-8", "replace")
    for raw in RAW:
        assert raw not in output, (raw, output.decode("utf-8", "replace"))
    if name in ("score", "explain", "timeline", "countries", "sources-show", "unknown-country"):
        # the data (or the input) was printed, visibly: ESC as \x1b, U+202E as <U+202E>
        assert any(shown in output for shown in SHOWN), output.decode("utf-8", "replace")
    if name == "template":  # the characters a cell cannot hold are named, visibly
        assert b"\\x00\\x07\\x08\\x1b cannot be stored in a workbook cell" in output
    if name == "score-json":  # JSON keeps the data exactly: its own escapes, read back the same
        start = output.index(b"{")
        doc = json.loads(output[start:].decode("utf-8"))
        assert doc["countries"][0]["name"] == "Netherlands \x1b[2J\x1b]0;PWNED\x07 bel\x07 bs\x08 nul\x00 csi\x9b rlo\u202e end"


def test_visible_shows_what_would_act_on_a_terminal_and_nothing_else():
    from assess.output.textout import visible

    # worked out by hand: C0/DEL/C1 as Python writes them, the invisible marks as <U+XXXX>
    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("t\x1b]0;x\x07") == "t\\x1b]0;x\\x07"
    assert visible("\x08\x00\x7f\x9b\r") == "\\x08\\x00\\x7f\\x9b\\r"
    assert visible("abc\u202edef\u2066\u2069\u200e\u200f\u061c\u2028") == "abc<U+202E>def<U+2066><U+2069><U+200E><U+200F><U+061C><U+2028>"
    assert visible("line\n\tindented") == "line\n\tindented"  # output made of lines keeps them
    assert visible("line\n\tindented", lines=False) == "line\\n\\tindented"  # one line of a message does not
    assert visible("a\x1b\u202e", json=True) == "a\\u001b\\u202e"
    mixed = "◐ ▽ ≈ → ─ │ Қазақстан Нидерланды שלום مرحبا 🇰🇿 * ~"  # the tool's own marks, other scripts, emoji
    assert visible(mixed) == mixed


# ---------------------------------------------------------------- §4 files that are not files


def _unprivileged() -> list[str] | None:
    """A command prefix that runs without the root powers that read any file
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH); [] when not root; None when
    they cannot be dropped here."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]
    probe = Path(os.environ.get("TMPDIR", "/tmp")) / f"assess-probe-{os.getpid()}"
    probe.write_text("x")
    probe.chmod(0)
    try:
        r = subprocess.run([*prefix, "cat", str(probe)], capture_output=True)
    finally:
        probe.unlink()
    return prefix if r.returncode != 0 else None


def test_unreadable_files_and_folders_are_named_not_a_traceback(tmp_path):
    """A rubric, an evidence file and a country folder the user may not read:
    validate names each with its path and exits 1; score NLD stops on it."""
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("cannot run without root's override capabilities here")
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    shutil.copytree(ws / "evidence" / "FRA", ws / "evidence" / "BEL")
    (ws / "evidence" / "NLD" / "findings.yaml").chmod(0)
    (ws / "evidence" / "BEL").chmod(0)
    extra = ws / "criteria" / "extra.yaml"
    extra.write_text("id: extra\n")
    extra.chmod(0)
    tmp_path.chmod(0o755)
    (tmp_path / "cwd").mkdir()
    try:
        cmd = [*prefix, sys.executable, "-m", "assess"]
        r = subprocess.run([*cmd, "validate", "--data", str(ws)], cwd=tmp_path / "cwd", env=env(), capture_output=True, text=True, timeout=60)
        out = r.stdout + r.stderr
        assert "Traceback" not in out and r.returncode == 1, out
        assert f"{ws}/evidence/NLD/findings.yaml: permission denied: this user may not read the file" in out
        assert f"{ws}/evidence/BEL: permission denied: this user may not list the folder" in out
        assert f"{ws}/criteria/extra.yaml: permission denied: this user may not read the file" in out
        r = subprocess.run([*cmd, "score", "NLD", "--data", str(ws)], cwd=tmp_path / "cwd", env=env(), capture_output=True, text=True, timeout=60)
        assert "Traceback" not in r.stderr and r.returncode == 1 and "findings.yaml: permission denied" in r.stderr, r.stderr
    finally:
        (ws / "evidence" / "BEL").chmod(0o755)
        (ws / "evidence" / "NLD" / "findings.yaml").chmod(0o644)


def test_unreadable_file_path_without_privileges_to_drop(tmp_path, monkeypatch):
    """The same code path when capabilities cannot be dropped: os.open refused."""
    from assess import files

    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n")

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.os, "open", refused)
    with pytest.raises(files.FileProblem, match="permission denied: this user may not read the file"):
        files.read_bytes(str(path))


def test_a_pipe_and_a_folder_named_like_a_rubric_are_errors_not_a_hang(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    os.mkfifo(ws / "criteria" / "pipe.yaml")
    (ws / "criteria" / "folder.yaml").mkdir()
    r = run(["validate", "--data", ws], tmp_path)
    err = r.stderr.decode()
    assert r.returncode == 1 and "Traceback" not in err, err
    assert f"{ws}/criteria/pipe.yaml: a named pipe (FIFO), not a file; only regular files are read" in err
    assert f"{ws}/criteria/folder.yaml: a folder, not a file; only regular files are read" in err


def test_a_pipe_named_like_a_workbook_a_baseline_or_a_source_text_is_refused(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    os.mkfifo(tmp_path / "book.xlsx")
    r = run(["import", tmp_path / "book.xlsx", "--data", ws], tmp_path)
    assert r.returncode == 2 and one_error_line(r) == f"error: {tmp_path}/book.xlsx is a named pipe (FIFO), not a workbook file"
    (ws / "baselines").mkdir()
    os.mkfifo(ws / "baselines" / "mini.json")
    r = run(["check", "--data", ws], tmp_path)
    assert r.returncode == 1 and one_error_line(r) == f"error: {ws}/baselines/mini.json: a named pipe (FIFO), not a baseline file"
    (ws / "evidence" / "NLD" / "sources").mkdir()
    os.mkfifo(ws / "evidence" / "NLD" / "sources" / "nld-const.en.txt")
    r = run(["sources", "list", "NLD", "--data", ws], tmp_path)
    assert r.returncode == 1 and "nld-const.en.txt: a named pipe (FIFO), not a file" in r.stderr.decode()


# ---------------------------------------------------------------- §5 arguments and output places


@pytest.fixture
def places(tmp_path) -> dict[str, Path]:
    """A workspace with a baseline and a source text, and the bad places to write to."""
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    (ws / "evidence" / "NLD" / "sources").mkdir()
    (ws / "evidence" / "NLD" / "sources" / "nld-const.en.txt").write_text("# source: https://example.org/c\nArticle 1\nIt is there.\n",
                                                                       encoding="utf-8")
    r = run(["baseline", "--as-of", "2012-06-30", "--data", ws], tmp_path)
    assert r.returncode == 0, r.stderr
    afile = tmp_path / "afile"
    afile.write_text("a file, not a folder\n")
    folder = tmp_path / "folder.xlsx"  # a folder, with the name a file would have
    folder.mkdir()
    if os.geteuid() == 0:
        # as root, replacing a device would work: use a copy of /dev/full, never the real one
        device = tmp_path / "full"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    else:
        device = Path("/dev/full")
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    book = tmp_path / "book.xlsx"  # a regular file: the place to import into is checked before it is read
    book.write_bytes(b"not read")
    return {"ws": ws, "afile": afile, "folder": folder, "device": device, "fifo": fifo, "book": book, "tmp": tmp_path}


def _writers(p: dict) -> dict[str, list]:
    """Every command that writes a file, with its output place left as {}."""
    return {
        "report": ["report", "NLD", "--as-of", "2012-06-30", "--draws", "0", "--out", "{}"],
        "template": ["template", "NLD", "--out", "{}"],
        "check-markdown": ["check", "--markdown", "{}"],
        "check-junit": ["check", "--junit", "{}"],
        "baseline": ["baseline", "--as-of", "2012-06-30", "--update", "--file", "{}"],
        "suggest": ["suggest", "NLD", "nld-const", "--out", "{}"],
    }


BAD_PLACES = {
    # place: (the path given, what the one error line says about it)
    "under-a-file": ("{afile}/sub/x.xlsx", "cannot write {afile}/sub/x.xlsx: {afile} is a file, not a folder"),
    "a-device": ("{device}", "{device} is a device, not"),
    "a-pipe": ("{fifo}", "{fifo} is a named pipe (FIFO), not"),
}


@pytest.mark.parametrize("place", list(BAD_PLACES))
@pytest.mark.parametrize("command", ["report", "template", "check-markdown", "check-junit", "baseline", "suggest"])
def test_every_writer_refuses_a_bad_place_in_one_line_and_writes_nothing(command, place, places):
    p = places
    given, said = BAD_PLACES[place]
    given = given.format(**p)
    if command == "template" and not given.endswith(".xlsx"):
        given_arg = given  # refused for its name (a workbook is an .xlsx file), which is also one clear line
    else:
        given_arg = given
    args = [a.format(given_arg) if a == "{}" else a for a in _writers(p)[command]]
    before = snapshot(p["tmp"])
    r = run([*args, "--data", p["ws"]], p["tmp"])
    line = one_error_line(r)
    assert r.returncode in (1, 2), line
    if command == "template" and not given.endswith(".xlsx"):
        assert "the data-entry workbook is an .xlsx file" in line
    else:
        assert said.format(**p) in line, line
    assert snapshot(p["tmp"]) == before


def test_a_file_where_a_folder_is_wanted_and_the_other_way_round(places):
    p = places
    cases = [
        (["report", "NLD", "--draws", "0", "--out", p["afile"]], f"error: {p['afile']} is a file, not a folder; give a folder to write into"),
        (["template", "NLD", "--out", p["folder"]], f"error: {p['folder']} is a folder; give a file name"),
        (["check", "--junit", p["folder"]], f"error: {p['folder']} is a folder; give a file name"),
        (["check", "--markdown", p["folder"]], f"error: {p['folder']} is a folder; give a file name"),
        (["baseline", "--update", "--file", p["folder"]], f"error: {p['folder']} is a folder; give a file name"),
        (["import", p["book"], "--into", p["afile"]], f"error: {p['afile']} is a file, not a folder; give a folder to write into"),
    ]
    for args, said in cases:
        before = snapshot(p["tmp"])
        r = run([*args, "--data", p["ws"]], p["tmp"])
        assert r.returncode == 2 and one_error_line(r) == said, (args, r.stderr)
        assert snapshot(p["tmp"]) == before


def test_an_unwritable_folder_is_named(places):
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("cannot run without root's override capabilities here")
    p = places
    locked = p["tmp"] / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    p["tmp"].chmod(0o755)
    try:
        r = subprocess.run([*prefix, sys.executable, "-m", "assess", "report", "NLD", "--draws", "0", "--out", str(locked / "out"),
                            "--data", str(p["ws"])], cwd=p["tmp"], env=env(), capture_output=True, timeout=60)
        assert r.returncode == 2
        assert one_error_line(r) == f"error: cannot write {locked}/out: this user may not write into {locked} (permission denied)"
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def test_output_to_a_full_disk_is_one_line(tmp_path):
    """stdout on /dev/full: the write fails with ENOSPC; one line, exit 1."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "wb") as full:
        r = subprocess.run([sys.executable, "-m", "assess", "score", "NLD", "--as-of", "2012-06-30", "--data", str(MINI)],
                           cwd=tmp_path, env=env(), stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert r.returncode == 1
    assert r.stderr.decode() == "error: cannot write the output: No space left on device\n"


def test_a_full_disk_while_writing_a_report_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    """The library's side: CannotWrite (an AssessError, and still an OSError)
    names the path, and no temporary file stays."""
    from assess import atomic
    from assess.common.errors import CannotWrite

    def full(fd):  # the disk fills while the first file's bytes are flushed
        raise OSError(errno.ENOSPC, "No space left on device")

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(CannotWrite) as info:
        atomic.write_files_atomic([(str(out / "a.html"), b"x" * 10), (str(out / "a.xlsx"), b"y" * 10)])
    assert str(info.value) == f"cannot write {out}/a.html: No space left on device"
    assert isinstance(info.value, OSError) and info.value.exit_code == 1
    assert list(out.iterdir()) == []


ARGUMENTS = [
    (["sensitivity", "NLD", "--seed", "-3"], "--seed must be 0 or more"),
    (["report", "NLD", "--seed", "-3", "--out", "{tmp}/o"], "--seed must be 0 or more"),
    (["timeline", "NLD", "--from", "0"], "the start year 0 is out of range: expected a year from 1 to 9999"),
    (["timeline", "NLD", "--from", "99999"], "the start year 99999 is out of range"),
    (["report", "NLD", "--timeline-from", "0", "--draws", "0", "--out", "{tmp}/o"], "the start year 0 is out of range"),
    (["sensitivity", "NLD", "--draws", "-1"], "--draws must be between 1 and 1,000,000"),
    (["sensitivity", "NLD", "--concentration", "nan"], "--concentration must be a finite number above 0"),
    (["sensitivity", "NLD", "--concentration", "inf"], "--concentration must be a finite number above 0"),
    (["sensitivity", "NLD", "--p-geometric", "2"], "--p-geometric must be between 0 and 1"),
    (["suggest", "NLD", "nld-const", "--top", "0"], "--top must be 1 or more, got 0"),
    (["score", "NLD", "--as-of", "2021-02-30"], "'2021-02-30' is not a date"),
]


@pytest.mark.parametrize("args, said", ARGUMENTS, ids=[" ".join(a[:1] + a[2:4]) for a, _ in ARGUMENTS])
def test_out_of_range_arguments_are_usage_errors(args, said, tmp_path):
    r = run([a.format(tmp=tmp_path) for a in args] + ["--data", MINI], tmp_path)
    assert r.returncode == 2 and said in one_error_line(r)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_last_month_a_date_can_have_is_a_step():
    import datetime as dt

    from assess.analyses.timeline import step_dates

    # 9999-11-30 closes November; December is closed by the end date itself (there is no 10000-01-01)
    assert step_dates(dt.date(9999, 11, 1), dt.date(9999, 12, 31), "month") == [dt.date(9999, 11, 30), dt.date(9999, 12, 31)]


def test_ids_are_valid_file_names_everywhere(tmp_path):
    """A 65-character rubric id is refused at load (it would become a file
    name: baselines/<id>.json, the report's name); at 64 the report is written."""
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    rubric = ws / "criteria" / "mini.yaml"
    original = rubric.read_text(encoding="utf-8")
    rubric.write_text(original.replace("id: mini\n", "id: " + "r" * 65 + "\n", 1), encoding="utf-8")
    r = run(["validate", "--data", ws], tmp_path)
    assert r.returncode == 1 and f"{rubric}:2: id: '{'r' * 20}...' is 65 characters long; an id is at most 64" in r.stderr.decode()
    rubric.write_text(original.replace("id: mini\n", "id: " + "r" * 64 + "\n", 1), encoding="utf-8")
    r = run(["report", "NLD", "--as-of", "2012-06-30", "--draws", "0", "--out", tmp_path / "out", "--data", ws], tmp_path)
    assert r.returncode == 0, r.stderr
    # assess-NLD-<64 r>-2012-06-30-en.html: 7 + 4 + 64 + 1 + 10 + 3 + 5 = 94 characters
    assert sorted(len(p.name) for p in (tmp_path / "out").iterdir()) == [94, 94]
    rubric.write_text(original.replace("id: mini\n", "id: con\n", 1), encoding="utf-8")
    r = run(["validate", "--data", ws], tmp_path)
    assert r.returncode == 1 and "'con' is a name Windows reserves for a device (CON)" in r.stderr.decode()


# ---------------------------------------------------------------- §6 YAML and import


def test_a_number_typed_into_a_text_field_keeps_what_was_typed(tmp_path):
    """`number: 010` is the text '010' (YAML alone would give 8), `note: 1:30`
    the text '1:30' (YAML 1.1: 90); a plain 42 stays '42'."""
    import assess

    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    path = ws / "evidence" / "NLD" / "country.yaml"
    text = path.read_text(encoding="utf-8").replace("    title: Law B\n", "    title: Law B\n    number: 010\n    note: 1:30\n    edition: 42\n")
    path.write_text(text, encoding="utf-8")
    ev = assess.load_evidence("NLD", data=str(ws))
    doc = ev.documents["nld-law-b"]
    assert (doc.number, doc.note, doc.edition) == ("010", "1:30", "42")


def _workbook(ws: Path, tmp: Path, edit) -> Path:
    import openpyxl

    book = tmp / "book.xlsx"
    r = run(["template", "NLD", "--out", book, "--data", ws], tmp)
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(book)
    sheet = wb["Findings"]
    head = [c.value for c in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 2) if sheet.cell(r, head.index("id") + 1).value is None)
    edit(sheet, head, row)
    wb.save(book)
    return book


def test_adding_a_finding_leaves_untouched_records_byte_identical(tmp_path):
    """A quote holding U+2028 (a line break to YAML, not to an editor) in the
    same file: adding one finding row appends it and changes no other byte."""
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    path = ws / "evidence" / "NLD" / "findings.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("quote: It is there", 'quote: "line\u2028separator"'), encoding="utf-8")
    before = path.read_bytes()

    def add(sheet, head, row):
        for column, value in {"file": "findings.yaml", "id": "n-new", "criterion": "c2", "document": "nld-const",
                              "locator": "Art. 9", "quote": "plain", "level": 1}.items():
            sheet.cell(row, head.index(column) + 1).value = value

    book = _workbook(ws, tmp_path, add)
    r = run(["import", book, "--data", ws, "--force"], tmp_path)
    assert r.returncode == 0, r.stderr
    after = path.read_bytes()
    added = "  - id: n-new\n    criterion: c2\n    document: nld-const\n    locator: Art. 9\n    quote: plain\n    level: 1\n"
    assert after == before + added.encode()


def test_a_formula_in_a_quote_cell_is_an_error_naming_the_cell(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    before = snapshot(ws)
    cells = {}

    def add(sheet, head, row):
        for column, value in {"id": "n-new", "criterion": "c2", "document": "nld-const", "locator": "Art. 9",
                              "quote": "=1+2", "level": 1}.items():
            sheet.cell(row, head.index(column) + 1).value = value  # openpyxl stores '=1+2' as a formula
        cells["quote"] = f"Findings!{sheet.cell(row, head.index('quote') + 1).coordinate}"

    book = _workbook(ws, tmp_path, add)
    r = run(["import", book, "--data", ws, "--force"], tmp_path)
    err = r.stderr.decode()
    assert r.returncode == 1 and "Traceback" not in err, err
    assert f"{cells['quote']}: quote: a formula (=1+2); evidence cells hold values" in err
    assert snapshot(ws) == before


def test_a_reserved_file_name_in_the_workbook_is_refused(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    before = snapshot(ws)

    def add(sheet, head, row):
        for column, value in {"file": "CON.yaml", "id": "n-new", "criterion": "c2", "document": "nld-const",
                              "locator": "Art. 9", "quote": "q", "level": 1}.items():
            sheet.cell(row, head.index(column) + 1).value = value

    book = _workbook(ws, tmp_path, add)
    r = run(["import", book, "--data", ws, "--force"], tmp_path)
    err = r.stderr.decode()
    assert r.returncode == 1 and "'CON.yaml' is a name Windows reserves for a device (CON)" in err, err
    assert snapshot(ws) == before


def test_a_workbook_of_evidence_with_control_characters_round_trips(tmp_path):
    """`template` on evidence that validate accepts, with ESC and BEL in a quote:
    the workbook is written (the cell without them), a warning names the file,
    line and field, and importing it unedited changes nothing."""
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    path = ws / "evidence" / "NLD" / "findings.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("quote: It is there", r'quote: "It is \e[31mthere\a"'), encoding="utf-8")
    before = snapshot(ws)
    r = run(["template", "NLD", "--out", tmp_path / "nld.xlsx", "--data", ws], tmp_path)
    err = r.stderr.decode()
    assert r.returncode == 0 and "Traceback" not in err, err
    assert f"{path}:2: quote: warning: \\x07\\x1b cannot be stored in a workbook cell" in err
    r = run(["import", tmp_path / "nld.xlsx", "--data", ws], tmp_path)
    assert r.returncode == 0 and "nothing to change" in r.stdout.decode(), r.stderr
    assert snapshot(ws) == before


# ---------------------------------------------------------------- §7 interrupted and piped


@pytest.mark.parametrize("args", [["timeline", "NLD", "FRA", "--from", "1900", "--to", "2012-06-30", "--step", "month"],
                                  ["score", "NLD", "FRA", "--as-of", "2012-06-30", "--format", "csv"],
                                  ["score", "NLD", "--as-of", "2012-06-30", "--format", "json"],
                                  ["validate"]], ids=["timeline", "csv", "json", "validate"])
def test_a_reader_that_goes_away_ends_the_command_quietly(args, tmp_path):
    """`assess ... | head -1`: the reader has gone before the first write, so
    every write hits a closed pipe; the command stops with 141 (128 + SIGPIPE)
    and says nothing, as cat and grep do."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone
    proc = subprocess.run([sys.executable, "-m", "assess", *args, "--data", str(MINI)], cwd=tmp_path, env=env(),
                          stdout=write, stderr=subprocess.PIPE, timeout=60)
    os.close(write)
    assert proc.returncode == 141 and proc.stderr == b"", proc.stderr.decode()


DRIVER = textwrap.dedent("""
    # runs `assess report` with a real Ctrl-C (SIGINT to itself) at one chosen moment
    import os, signal, sys
    import assess.common.atomic as atomic
    import assess.api as api
    # Ctrl-C at a terminal: a process started in the background by a shell without job control
    # (`pytest ... &`) inherits SIGINT ignored, and Python then installs no handler of its own
    signal.signal(signal.SIGINT, signal.default_int_handler)
    when = sys.argv[1]
    if when == "working":  # while the scores are computed
        real_context = api.report_context
        def context(*a, **k):
            os.kill(os.getpid(), signal.SIGINT)
            return real_context(*a, **k)
        api.report_context = context
    elif when == "writing":  # the HTML is in its temporary file, the workbook is being written
        real_temporary = atomic._temporary
        def temporary(path, data):
            if path.endswith(".xlsx"):
                os.kill(os.getpid(), signal.SIGINT)
            return real_temporary(path, data)
        atomic._temporary = temporary
    elif when == "renaming":  # between the two renames
        real_replace = os.replace
        def replace(a, b):
            real_replace(a, b)
            os.kill(os.getpid(), signal.SIGINT)
        atomic.os.replace = replace
    from assess.cli import main
    sys.argv = ["assess"] + sys.argv[2:]
    main()
""")


@pytest.mark.parametrize("when, written", [("working", False), ("writing", False), ("renaming", True)])
def test_ctrl_c_during_report_writes_both_files_or_neither_and_says_which(when, written, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    names = ["assess-NLD-mini-2012-06-30-en.html", "assess-NLD-mini-2012-06-30-en.xlsx"]
    for name in names:  # last run's report
        (out / name).write_bytes(b"old")
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    r = subprocess.run([sys.executable, str(driver), when, "report", "NLD", "--as-of", "2012-06-30", "--draws", "0",
                        "--out", str(out), "--data", str(MINI)], cwd=tmp_path, env=env(), capture_output=True, text=True, timeout=60)
    assert r.returncode == 130 and "Traceback" not in r.stderr, r.stderr
    contents = [(out / name).read_bytes() for name in names]
    assert sorted(p.name for p in out.iterdir()) == names  # no temporary file left
    if written:
        assert all(c != b"old" for c in contents)
        assert r.stderr == f"interrupted: the report was written whole ({out}/{names[0]}, {out}/{names[1]})\n"
    else:
        assert contents == [b"old", b"old"]
        assert r.stderr == f"interrupted: no report written; {out} is as it was\n"

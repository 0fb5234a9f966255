"""Workspaces that cannot hurt (#16 sections 1, 2 and 9).

1. The workspace is found the way git finds its repository: the nearest folder,
   from the current one up, that holds an assess.toml, criteria/ or evidence/.
   Nothing is ever written inside the installed package: every command that
   writes stops with an error that says how to name a workspace. Every next
   step the tool prints repeats the options the user gave.
2. The shipped countries sit, read-only, beside the workspace's own, unless the
   workspace has its own folder for one or assess.toml turns them off; the
   commands say which countries they cover and where each comes from.
9. Codes in the user-assigned ranges of ISO 3166-1 (and XKX, Kosovo) are
   accepted with a warning that names the range.

The installed package is simulated the way the wheel lays it out
(pyproject.toml, [tool.hatch.build.targets.wheel.force-include]): the `assess`
package copied into a site folder, with criteria/, evidence/ and
reports/templates/ under assess/_shipped/. Commands run as `python -m assess`
with only that folder on PYTHONPATH (each test checks that the code it ran is
the copy), from folders outside the repository; .ci/run does the same after a
real wheel install. Byte code is not written (PYTHONDONTWRITEBYTECODE), as
after a pip install that compiled it, so a checksum of every file under the
site folder before and after must be equal.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINI, REPO

SHIPPED = ("KAZ", "RUS")  # the countries in the repository's evidence/


# ---------------------------------------------------------------- an installed package


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A site folder holding `assess` as the wheel installs it."""
    root = tmp_path_factory.mktemp("site-packages")
    shutil.copytree(REPO / "assess", root / "assess", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_shipped"))
    for src, dest in (("criteria", "criteria"), ("evidence", "evidence"), ("scenarios", "scenarios"), ("reports/templates", "templates")):
        shutil.copytree(REPO / src, root / "assess" / "_shipped" / dest)
    return root


def digest(root: Path) -> dict[str, str]:
    """sha256 of every file under root, by relative path (the checksum listing)."""
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def run(site: Path, cwd: Path, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("ASSESS_DATA", "PYTHONPATH")}
    full.update({"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}, **(env or {}))
    r = subprocess.run([sys.executable, "-m", "assess", *map(str, args)], cwd=cwd, env=full, capture_output=True,
                       text=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    return r


def test_the_code_run_is_the_installed_copy(site, tmp_path):
    full = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    r = subprocess.run([sys.executable, "-c", "import assess; print(assess.__file__)"], cwd=tmp_path, env=full,
                       capture_output=True, text=True, timeout=60)
    assert Path(r.stdout.strip()).parent == site / "assess"


UZB_COUNTRY = """\
country:
  iso3: UZB
  name: {en: Uzbekistan}
  legislatures:
    - {id: uzb-oliy-majlis, name: {en: Oliy Majlis}, from: 2005-01-27}
  traced_from:
    constitution: 2023-05-01
documents:
  - id: uzb-constitution-2023
    type: constitution
    title: {en: Constitution of the Republic of Uzbekistan}
    in_force_from: 2023-05-01
    url: https://lex.uz/docs/6445145
findings:
  - {id: uzb-con-treaties-1, criterion: con-treaties, document: uzb-constitution-2023, locator: Art. 95,
     quote: ratifies and denounces international treaties, level: 3, verified: false, coder: aa}
  - {id: uzb-con-war-peace-1, criterion: con-war-peace, document: uzb-constitution-2023, locator: Art. 96,
     quote: declares a state of war, level: 1, verified: false, coder: aa}
"""


def uzb_folder(tmp_path: Path) -> Path:
    """A fresh folder holding only evidence/UZB (a new country)."""
    ws = tmp_path / "uzb-work"
    (ws / "evidence" / "UZB").mkdir(parents=True)
    (ws / "evidence" / "UZB" / "country.yaml").write_text(UZB_COUNTRY, encoding="utf-8")
    return ws


# ---------------------------------------------------------------- what it must show


def test_a_new_country_beside_the_shipped_ones_after_an_install(site, tmp_path):
    """From a folder holding only evidence/UZB: score and report KAZ RUS UZB,
    baseline then check act on that folder, and nothing under the site folder
    changes. UZB by hand: the constitution tier is traced from 2023, so
    con-treaties 3 and con-war-peace 1 are scored and con-diplomatic-posts and
    con-treaty-status are absent (0): (3 + 1 + 0 + 0) / 12 = 33.3 on 4 of 16
    criteria; the other tiers have no documents and are not assessed."""
    before = digest(site)
    ws = uzb_folder(tmp_path)
    r = run(site, ws, "score", "KAZ", "RUS", "UZB", "--as-of", "2026-11-28", "--format", "json")
    assert r.returncode == 0, r.stderr
    countries = {c["country"]: c for c in json.loads(r.stdout)["countries"]}
    assert sorted(countries) == ["KAZ", "RUS", "UZB"]
    assert countries["UZB"]["overall"] == pytest.approx(100 / 3, abs=1e-3)

    r = run(site, ws, "report", "KAZ", "RUS", "UZB", "--as-of", "2026-11-28", "--draws", "20")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (ws / "reports" / "out").iterdir()) == [
        "assess-KAZ-RUS-UZB-four-tier-2026-11-28-en.html", "assess-KAZ-RUS-UZB-four-tier-2026-11-28-en.xlsx"]

    r = run(site, ws, "baseline", "--as-of", "2026-11-28")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (f"wrote {ws.resolve()}/baselines/four-tier.json: rubric four-tier 1.3.1, as of 2026-11-28, "
                                "3 countries: UZB (this workspace); KAZ, RUS (shipped with assess, read-only)")
    record = json.loads((ws / "baselines" / "four-tier.json").read_text(encoding="utf-8"))
    assert record["shipped_countries"] == ["KAZ", "RUS"]
    files = {f["file"] for c in record["countries"].values() for crit in c["criteria"].values() for f in crit["findings"].values()}
    # the same on every machine: a shipped file by its place in the shipped data, a workspace file by its place here
    assert "evidence/UZB/country.yaml" in files and "shipped:KAZ/constitution.yaml" in files
    assert not any(str(site) in f for f in files)

    r = run(site, ws, "check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[:2] == [
        "baseline: rubric four-tier 1.3.1, as of 2026-11-28, countries checked: UZB (this workspace); "
        "KAZ, RUS (shipped with assess, read-only)",
        "no drift: every score matches the baseline"]
    assert digest(site) == before


def test_no_workspace_reads_the_shipped_data_and_refuses_every_write(site, tmp_path):
    """From an empty folder the shipped countries score; every command that
    would write stops (exit 2) with how to name a workspace, and writes nothing."""
    before = digest(site)
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run(site, empty, "score", "KAZ", "RUS", "--as-of", "2021-06-30", "--format", "json")
    assert r.returncode == 0 and [c["country"] for c in json.loads(r.stdout)["countries"]] == ["KAZ", "RUS"]
    book = tmp_path / "kaz.xlsx"
    assert run(site, empty, "template", "KAZ", "--out", book).returncode == 0  # a workbook outside: fine
    for args, says in [
        (["baseline"], "no workspace to record a baseline in"),
        (["check"], "no workspace to check against its baseline"),
        (["new", "NLD"], "no workspace to add a country to"),
        (["import", book], "no workspace to import into"),
        (["template", "UZB", "--out", "uzb.xlsx"], "no evidence for UZB (Uzbekistan): no workspace here"),
    ]:
        r = run(site, empty, *args)
        assert r.returncode == 2, (args, r.stdout + r.stderr)
        assert says in r.stderr and "--data DIR" in r.stderr and "ASSESS_DATA" in r.stderr, (args, r.stderr)
    assert list(empty.iterdir()) == []
    assert digest(site) == before


def test_writes_inside_the_installed_package_are_refused(site, tmp_path):
    """Run from inside the package, or pointed at it, nothing is written there."""
    before = digest(site)
    shipped = site / "assess" / "_shipped"
    inside = shipped / "evidence" / "KAZ"
    book = tmp_path / "kaz.xlsx"
    assert run(site, tmp_path, "template", "KAZ", "--out", book).returncode == 0
    r = run(site, inside, "validate")  # reading is fine: the shipped data is the workspace found here
    assert r.returncode == 0 and "inside the installed package, read-only" in r.stdout
    for cwd, args in [
        (inside, ["baseline"]), (inside, ["check"]), (inside, ["new", "UZB"]), (inside, ["import", book]),
        (inside, ["report", "KAZ", "--draws", "0"]),  # reports/out under the current folder
        (tmp_path, ["baseline", "--data", shipped]),
        (tmp_path, ["baseline", "--file", site / "assess" / "b.json"]),
        (tmp_path, ["new", "UZB", "--data", site / "assess"]),
        (tmp_path, ["template", "KAZ", "--out", shipped / "k.xlsx"]),
        (tmp_path, ["report", "KAZ", "--draws", "0", "--out", shipped / "out"]),
        (tmp_path, ["import", book, "--into", shipped]),
    ]:
        r = run(site, cwd, *args)
        assert r.returncode == 2, (args, r.stdout + r.stderr)
        assert "read-only" in r.stderr and "--data DIR" in r.stderr, (args, r.stderr)
    assert digest(site) == before


# ---------------------------------------------------------------- finding the workspace


def test_the_workspace_is_found_from_any_folder_below_it(site, tmp_path):
    ws = uzb_folder(tmp_path)
    below = ws / "evidence" / "UZB"
    for cwd in (ws, below):
        r = run(site, cwd, "countries")
        assert r.returncode == 0, r.stderr
        assert f"workspace: {ws.resolve()} (found from the current folder)" in r.stdout
    # an assess.toml nearer than any evidence/ wins: its settings apply
    (below / "assess.toml").write_text('[workspace]\ndata = "../.."\nshipped_countries = false\n', encoding="utf-8")
    r = run(site, below, "countries")
    assert f"workspace: {ws.resolve()} (from {below.resolve()}/assess.toml)" in r.stdout
    assert "turned off in" in r.stdout and "UZB" in r.stdout and "KAZ   Kazakhstan" not in r.stdout


def test_countries_says_where_each_comes_from(site, tmp_path):
    """Own folders replace shipped ones; assess.toml turns them off or picks some."""
    ws = uzb_folder(tmp_path)
    shutil.copytree(REPO / "evidence" / "RUS", ws / "evidence" / "RUS")  # the workspace's own Russia
    r = run(site, ws, "countries")
    rows = {line.split()[0]: line.split()[2] for line in r.stdout.splitlines()[2:5]}
    assert rows == {"KAZ": "shipped", "RUS": "workspace", "UZB": "workspace"}
    assert "  used here: KAZ" in r.stdout and "  replaced by this workspace's own folder: RUS" in r.stdout

    (ws / "assess.toml").write_text('[workspace]\nshipped_countries = false\n', encoding="utf-8")
    r = run(site, ws, "countries")
    assert "KAZ" not in r.stdout.split("\n\n")[0] and f"  turned off in {ws.resolve()}/assess.toml (shipped_countries): KAZ" in r.stdout
    r = run(site, ws, "score", "KAZ")
    assert r.returncode == 2 and "the shipped KAZ is turned off by" in r.stderr

    (ws / "assess.toml").write_text('[workspace]\nshipped_countries = ["KAZ"]\n', encoding="utf-8")
    assert "  used here: KAZ" in run(site, ws, "countries").stdout
    for bad in ("'yes'", '["kaz"]', "1"):
        (ws / "assess.toml").write_text(f"[workspace]\nshipped_countries = {bad}\n", encoding="utf-8")
        r = run(site, ws, "countries")
        assert r.returncode == 2 and "shipped_countries must be true, false or a list of country codes" in r.stderr
    (ws / "assess.toml").write_text('[workspace]\nshiped_countries = false\n', encoding="utf-8")
    r = run(site, ws, "countries")
    assert r.returncode == 2 and "unknown setting 'shiped_countries'" in r.stderr and "shipped_countries" in r.stderr


def test_shipped_countries_coded_on_other_criteria_are_left_out_and_said(tmp_path):
    """The mini workspace has its own rubric (c1, c2, l1, l2): the shipped
    countries' findings name criteria it lacks, so they are left out, with why."""
    from typer.testing import CliRunner

    from assess.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["countries", "--data", str(MINI)])
    assert r.exit_code == 0
    assert "  left out: KAZ: its evidence is coded on criteria this workspace's rubrics do not have (con-" in r.output
    r = runner.invoke(app, ["score", "KAZ", "--data", str(MINI)])
    assert r.exit_code == 2 and "KAZ (Kazakhstan) ships with assess but cannot be scored in this workspace" in r.output


# ---------------------------------------------------------------- next steps and paths


def test_next_steps_repeat_the_options_given(tmp_path):
    from typer.testing import CliRunner

    from assess.cli import app

    runner = CliRunner()
    ws = tmp_path / "my ws"
    ws.mkdir()
    r = runner.invoke(app, ["new", "NLD", "--data", str(ws)])
    assert r.exit_code == 0, r.output
    assert f"then `assess validate --data '{ws}'`" in r.output  # quoted for the shell: the folder has a space
    r = runner.invoke(app, ["check", "--data", str(ws)])
    assert r.exit_code == 1 and f"create one with `assess baseline --data '{ws}'`" in r.output
    r = runner.invoke(app, ["check", "--data", str(ws), "--baseline", str(tmp_path / "b.json")])
    assert f"`assess baseline --data '{ws}' --file {tmp_path / 'b.json'}`" in r.output  # check --baseline F is baseline --file F
    r = runner.invoke(app, ["score", "KAZ", "--as-of", "2021-06-30", "--lang", "ru", "--data", str(REPO)])
    assert f"`assess explain СТРАНА КРИТЕРИЙ --as-of 2021-06-30 --lang ru --data {REPO}`" in r.output
    # ASSESS_DATA stays set in the shell that runs the next step: not repeated
    r = runner.invoke(app, ["check"], env={"ASSESS_DATA": str(ws)})
    assert "create one with `assess baseline`" in r.output


def test_validate_refuses_a_path_outside_the_workspace(tmp_path):
    from typer.testing import CliRunner

    from assess.cli import app

    runner = CliRunner()
    other = tmp_path / "other"
    (other / "evidence").mkdir(parents=True)
    stray = tmp_path / "stray"
    stray.mkdir()
    r = runner.invoke(app, ["validate", str(stray), "--data", str(MINI)])
    assert r.exit_code == 2 and f"{stray}: outside the workspace {MINI} (from --data)" in r.output
    r = runner.invoke(app, ["validate", str(other), "--data", str(MINI)])
    assert r.exit_code == 2 and f"to check the workspace in {other}, run `assess validate --data {other}`" in r.output
    r = runner.invoke(app, ["validate", str(MINI / "evidence" / "NLD"), "--data", str(MINI)])
    assert r.exit_code == 0, r.output


def test_verify_says_which_countries_it_covers(tmp_path):
    from typer.testing import CliRunner

    from assess.cli import app

    ws = uzb_folder(tmp_path)
    runner = CliRunner()
    r = runner.invoke(app, ["verify", "--data", str(ws)])
    assert "countries verified: UZB (this workspace); KAZ, RUS (shipped with assess, read-only)" in r.output
    r = runner.invoke(app, ["verify", "--data", str(ws), "--format", "json"])
    assert json.loads(r.output)["countries"] == {"KAZ": "shipped", "RUS": "shipped", "UZB": "workspace"}


def test_the_library_says_no_workspace_without_naming_flags(tmp_path, monkeypatch):
    import assess
    from assess.data.workspace import NoWorkspace

    monkeypatch.chdir(tmp_path)
    with pytest.raises(NoWorkspace) as caught:
        assess.write_baseline()
    assert "--" not in str(caught.value) and "no workspace to record a baseline in" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- codes outside ISO 3166 (section 9)

# (code, range named in the warning): the four user-assigned ranges at both ends, and Kosovo's XKX
USER_CODES = [("AAA", "AAA-AAZ"), ("AAZ", "AAA-AAZ"), ("QMA", "QMA-QZZ"), ("QZZ", "QMA-QZZ"),
              ("XAA", "XAA-XZZ"), ("XKX", "XAA-XZZ"), ("XZZ", "XAA-XZZ"), ("ZZA", "ZZA-ZZZ"), ("ZZZ", "ZZA-ZZZ")]
# just outside each range, and not ISO codes either
NOT_CODES = ["ABA", "QLZ", "ZYZ", "WAA"]


@pytest.mark.parametrize("code,span", USER_CODES)
def test_user_assigned_codes_are_accepted_with_a_warning_naming_the_range(code, span, tmp_path):
    from typer.testing import CliRunner

    from assess.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["new", code, "--data", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert f"warning: '{code}' is not an ISO 3166-1 code: it is in the user-assigned range {span}" in r.output
    r = runner.invoke(app, ["validate", "--data", str(tmp_path)])
    assert r.exit_code == 0, r.output  # a warning, not an error
    assert f"country.yaml:4: iso3: warning: '{code}' is not an ISO 3166-1 code: it is in the user-assigned range {span}" in r.output
    name = (tmp_path / "evidence" / code / "country.yaml").read_text(encoding="utf-8").splitlines()[4]
    assert name.startswith('  name: {en: "' + ("Kosovo" if code == "XKX" else code) + '"}')
    r = runner.invoke(app, ["score", code, "--data", str(tmp_path), "--format", "json"])
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("code", NOT_CODES)
def test_codes_outside_iso_and_the_user_ranges_are_refused(code, tmp_path):
    from typer.testing import CliRunner

    from assess.cli import app

    r = CliRunner().invoke(app, ["new", code, "--data", str(tmp_path)])
    assert r.exit_code == 2 and f"'{code}' is not an ISO 3166-1 alpha-3 country code" in r.output
    assert "AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ" in r.output
    assert list(tmp_path.iterdir()) == []  # not even an empty evidence/


def test_kosovo_scores_beside_the_shipped_countries(tmp_path):
    """XKX in evidence: validate warns, score names it Kosovo. By hand: one
    finding, con-treaties at 3 of 3, and nothing traced: 100 on 1 of 16."""
    import assess

    folder = tmp_path / "evidence" / "XKX"
    folder.mkdir(parents=True)
    (folder / "country.yaml").write_text(
        "country: {iso3: XKX, name: {en: Kosovo}}\n"
        "documents:\n  - {id: xkx-constitution, type: constitution, title: {en: Constitution}, in_force_from: 2008-06-15, url: https://gzk.rks-gov.net}\n"
        "findings:\n  - {id: xkx-1, criterion: con-treaties, document: xkx-constitution, locator: Art. 65, quote: ratifies, level: 3}\n",
        encoding="utf-8")
    report = assess.check(assess.load_data(str(tmp_path)))
    assert report.errors == [] and [p.field for p in report.warnings] == ["iso3"]
    scores = assess.compute_scores(["XKX", "KAZ"], as_of="2021-06-30", data=str(tmp_path))
    xkx = scores.overall.set_index("country").loc["XKX"]
    assert xkx["overall"] == pytest.approx(100.0) and xkx["coverage"] == pytest.approx(1 / 16)


def test_a_data_folder_that_is_a_file_is_named_as_such(tmp_path):
    """--data pointing at a file: one usage line that says it is a file (exit 2)."""
    from typer.testing import CliRunner

    from assess.cli import app

    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    r = CliRunner().invoke(app, ["new", "NLD", "--data", str(afile)])
    assert r.exit_code == 2
    assert f"the data folder {afile} (from --data) is a file, not a folder" in r.output

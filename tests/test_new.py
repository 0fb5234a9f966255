"""`assess new`: a new country's folder, with a checklist of every criterion,
that validates as written and never overwrites anything."""

from typer.testing import CliRunner

import assess
from assess.cli import app

runner = CliRunner()


def test_new_country_scaffold_validates_and_lists_every_criterion(tmp_path):
    r = runner.invoke(app, ["new", "nld", "--data", str(tmp_path)])
    assert r.exit_code == 0, r.output
    folder = tmp_path / "evidence" / "NLD"
    checklist = (folder / "checklist.yaml").read_text(encoding="utf-8")
    rubric = assess.pick_rubric(assess.load_data(str(tmp_path)))
    for c in rubric.criteria:
        assert f"# --- {c.id}: {c.title.get('en')}" in checklist
        assert c.question.get("en") in checklist
        for level, text in c.levels.items():
            assert f"#   {level}: {text.get('en')}" in checklist
    report = assess.check(assess.load_data(str(tmp_path)))
    assert report.errors == [], report.errors
    r = runner.invoke(app, ["score", "NLD", "--data", str(tmp_path), "--format", "json"])
    assert r.exit_code == 0 and '"coverage": 0' in r.output


def test_a_filled_in_checklist_block_is_a_valid_finding(tmp_path):
    """Uncommenting one block and filling its placeholders gives a finding the
    validator accepts and the scorer counts."""
    runner.invoke(app, ["new", "NLD", "--data", str(tmp_path)])
    folder = tmp_path / "evidence" / "NLD"
    country = (folder / "country.yaml").read_text(encoding="utf-8").replace("documents: []\n", "documents:\n"
        "  - {id: nld-constitution, type: constitution, title: {en: Constitution}, in_force_from: 1983-02-19, url: https://example.org/c}\n")
    (folder / "country.yaml").write_text(country, encoding="utf-8")
    lines = (folder / "checklist.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("# - id: nld-con-treaties-1")
    block = [line[2:] for line in lines[start:start + 8]]
    block = [b.replace("<document id>", "nld-constitution").replace("Art. ...", "Art. 91").replace("quote: ...", "quote: approval")
             .replace("<0-3 or n/a>", "2").replace("<your initials>", "aa") for b in block]
    text = "\n".join(lines).replace("findings: []", "findings:\n" + "\n".join("  " + b for b in block), 1)
    (folder / "checklist.yaml").write_text(text, encoding="utf-8")
    assert assess.check(assess.load_data(str(tmp_path))).errors == []
    s = assess.compute_scores(["NLD"], as_of="2026-11-28", data=str(tmp_path))
    row = s.criteria[s.criteria.criterion == "con-treaties"].iloc[0]
    assert row.level == 2 and row.findings == ["nld-con-treaties-1"]


def test_new_refuses_to_overwrite_and_bad_codes(tmp_path):
    assert runner.invoke(app, ["new", "NLD", "--data", str(tmp_path)]).exit_code == 0
    before = (tmp_path / "evidence" / "NLD" / "checklist.yaml").read_bytes()
    r = runner.invoke(app, ["new", "NLD", "--data", str(tmp_path)])
    assert r.exit_code == 1 and "never overwrites" in r.output
    assert (tmp_path / "evidence" / "NLD" / "checklist.yaml").read_bytes() == before
    r = runner.invoke(app, ["new", "../../x", "--data", str(tmp_path)])
    assert r.exit_code == 2 and "not an ISO 3166-1 alpha-3" in r.output
    assert sorted(p.name for p in (tmp_path / "evidence").iterdir()) == ["NLD"]


def test_new_needs_a_workspace_not_the_shipped_data():
    r = runner.invoke(app, ["new", "NLD"])
    assert r.exit_code == 2 and "--data" in r.output


def test_name_with_quotes_stays_valid_yaml(tmp_path):
    r = runner.invoke(app, ["new", "CIV", "--name", 'Côte d\'Ivoire "test": x', "--data", str(tmp_path)])
    assert r.exit_code == 0, r.output
    loaded = assess.load_data(str(tmp_path))
    assert assess.check(loaded).errors == []
    assert loaded.countries["CIV"].country.name.get("en") == 'Côte d\'Ivoire "test": x'

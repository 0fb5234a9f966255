"""Every validation error: its message, its field and its line."""

import pytest

import assess
from assess import yamlio

from conftest import write


def problems_of(ws, path=None):
    report = assess.check(assess.load_data(str(ws)))
    return [p for p in report.problems if path is None or p.path == str(path)]


def find(problems, line, field, fragment, severity="error"):
    hits = [p for p in problems if p.line == line and p.field == field and fragment in p.message and p.severity == severity]
    assert hits, f"no {severity} at line {line} field {field!r} containing {fragment!r}; got:\n" + "\n".join(map(str, problems))
    return hits[0]


def test_mini_workspace_is_clean(mini):
    # the mini rubric is in English only: its criteria carry translation warnings, nothing else
    assert [p for p in problems_of(mini) if "reports in that language show English" not in p.message] == []


BAD = """\
documents:
  - id: nld-bad
    type: lwa
    title: A bad law
    adopted: 2001-02-30
    in_force_from: 2005-01-01
    in_force_to: 2004-01-01
    chamber: nld-senat
  - id: nld-const
    type: constitution
    title: Duplicate id
    in_force_from: 2000-01-01
    url: https://example.org
  - id: Bad Id
    type: law
    title: x
    in_force_from: 2000-01-01
findings:
  - id: b1
    criterion: c3
    document: nld-cosnt
    locator: Art. 1
    level: 2
    verfied: true
  - id: b2
    criterion: c1
    document: nld-const
    level: 5
  - id: b3
    criterion: c2
    level: 0
  - id: b4
    criterion: l1
    level: n/a
  - id: b5
    criterion: l1
    level: 2
  - id: b1
    criterion: c1
    document: nld-const
    locator: Art. 2
    quote: q
    level: two
  - id: b6
    criterion: c1
    document: nld-law-b
    locator: Art. 3
    quote: q
    level: 1
    in_force_from: 2012-01-01
    in_force_to: 2011-01-01
"""


def test_every_error_of_a_file_at_once(mini):
    path = write(mini / "evidence/NLD/bad.yaml", BAD)
    ps = problems_of(mini, path)
    find(ps, 3, "type", "unknown document type 'lwa' (did you mean 'law'?)")
    find(ps, 5, "adopted", "'2001-02-30' is not a real date")
    find(ps, 7, "in_force_to", "in force to 2004-01-01 is before in force from 2005-01-01")
    find(ps, 8, "chamber", "unknown chamber 'nld-senat' (did you mean 'nld-senate'?)")
    find(ps, 2, "url", "has no source URL", "warning")
    find(ps, 14, "id", "'Bad Id' is not a valid id")
    find(ps, 20, "criterion", "unknown criterion 'c3'; see `assess rubrics`")
    find(ps, 21, "document", "unknown document 'nld-cosnt' (did you mean 'nld-const'?)")
    find(ps, 24, "verfied", "unknown field for a finding (did you mean 'verified'?)")
    find(ps, 28, "level", "level 5 is outside the scale 0-3 of rubric 'mini'")
    find(ps, 25, "locator", "needs a locator")
    find(ps, 29, "reason", "level 0 with no document (nothing found) needs a reason")
    find(ps, 32, "reason", "not applicable needs a reason")
    find(ps, 35, "document", "a finding at level 2 needs the document that supports it")
    find(ps, 43, "level", "expected a whole-number level or n/a, got 'two'")
    find(ps, 46, "document", "is a 'law', which tier 't-const' of rubric 'mini' does not accept (it accepts constitution)")
    find(ps, 51, "in_force_to", "in force to 2011-01-01 is before in force from 2012-01-01")
    find(ps, 38, "id", "duplicate finding id 'b1' (first defined at")
    # 17 errors in all, each listed above (the duplicate 'nld-const' is reported in country.yaml below)
    assert sum(p.severity == "error" for p in ps) == 17
    # files are read in name order, so the copy in country.yaml (read after bad.yaml) is the duplicate
    find(problems_of(mini, mini / "evidence/NLD/country.yaml"), 12, "id", "duplicate document id 'nld-const' (first defined at")


def test_duplicate_finding_id(mini):
    path = write(mini / "evidence/NLD/dup.yaml", """
        findings:
          - {id: n-c1, criterion: c1, document: nld-const, locator: Art. 1, quote: q, level: 1}
    """)
    # dup.yaml is read before findings.yaml, so the finding in findings.yaml is the repeat
    ps = problems_of(mini, mini / "evidence/NLD/findings.yaml")
    p = find(ps, 2, "id", "duplicate finding id 'n-c1' (first defined at")
    assert str(path) + ":2" in p.message


def test_unknown_top_level_key_and_missing_required(mini):
    path = write(mini / "evidence/NLD/keys.yaml", """
        finding:
          - {id: x}
        documents:
          - id: nld-x
            title: no type
    """)
    ps = problems_of(mini, path)
    find(ps, 1, "finding", "unknown field for an evidence file (did you mean 'findings'?)")
    find(ps, 4, "type", "required field is missing for a document")
    find(ps, 4, "in_force_from", "required field is missing for a document")


def test_unknown_country_code_and_folder_mismatch(mini):
    # QAA is neither an ISO 3166-1 code nor in a user-assigned range (QMA-QZZ starts after it);
    # XXA, in the user-assigned XAA-XZZ, is accepted with a warning (tests/test_workspace_trap.py)
    (mini / "evidence/QAA").mkdir()
    path = write(mini / "evidence/QAA/country.yaml", "country: {iso3: QAA, name: Nowhere}\n")
    ps = problems_of(mini, path)
    find(ps, 1, "iso3", "'QAA' is not an ISO 3166-1 alpha-3 country code")
    path2 = write(mini / "evidence/FRA/country.yaml", (mini / "evidence/FRA/country.yaml").read_text().replace("iso3: FRA", "iso3: DEU"))
    find(problems_of(mini, path2), 2, "iso3", "'DEU' does not match its folder FRA/")


def test_country_folder_must_be_an_iso3_code(mini):
    (mini / "evidence/france").mkdir()
    ps = problems_of(mini)
    assert any("named by its ISO 3166-1 alpha-3 code" in p.message and p.path.endswith("france") for p in ps)


def test_country_described_twice_or_never(mini):
    write(mini / "evidence/NLD/again.yaml", "country: {iso3: NLD, name: Holland}\n")
    # again.yaml is read first, so country.yaml carries the second description
    ps = problems_of(mini, mini / "evidence/NLD/country.yaml")
    find(ps, 1, "country", "already described in")
    (mini / "evidence/DEU").mkdir()
    write(mini / "evidence/DEU/docs.yaml", "documents: []\n")
    ps = problems_of(mini, mini / "evidence/DEU/docs.yaml")
    assert any(p.field == "country" and "describes the country" in p.message for p in ps)


def test_yaml_syntax_error_has_a_line(mini):
    path = write(mini / "evidence/NLD/broken.yaml", "findings:\n  - id: x\n    level: [1\n")
    ps = problems_of(mini, path)
    assert len(ps) == 1 and ps[0].message.startswith("YAML syntax:") and ps[0].line is not None


def test_tab_indentation_is_named(mini):
    path = write(mini / "evidence/NLD/tabs.yaml", "findings:\n\t- id: x\n")
    (p,) = problems_of(mini, path)
    assert p.line == 2 and "tab" in p.message


def test_duplicate_key_in_a_mapping(mini):
    path = write(mini / "evidence/NLD/dupkey.yaml", """
        findings:
          - id: dk
            criterion: c1
            level: 1
            level: 2
            document: nld-const
            locator: Art. 1
            quote: q
    """)
    find(problems_of(mini, path), 5, "level", "appears twice")


def test_not_utf8(mini):
    path = mini / "evidence/NLD/cp1251.yaml"
    path.write_bytes("findings:\n  - id: x\n    note: Казахстан\n".encode("cp1251"))
    (p,) = problems_of(mini, path)
    assert p.line == 3 and "not UTF-8" in p.message and "1251" in p.message


def test_alias_bomb_is_refused_quickly(mini):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
    path = write(mini / "evidence/NLD/bomb.yaml", "\n".join(lines) + "\n")
    (p,) = problems_of(mini, path)
    assert "aliases are not supported" in p.message


def test_empty_file_is_a_warning(mini):
    path = write(mini / "evidence/NLD/empty.yaml", "# nothing yet\n")
    (p,) = problems_of(mini, path)
    assert p.severity == "warning" and "empty" in p.message


def test_rubric_errors(mini):
    path = mini / "criteria/mini.yaml"
    text = path.read_text()
    text = text.replace("version: 0.1.0", "version: one").replace("accepts: [law]", "accepts: [lawz]")
    text = text.replace("rule: {type: distinct-documents,", "rule: {type: distinct-docs,")
    path.write_text(text)
    ps = problems_of(mini, path)
    find(ps, 3, "version", "expected a semantic version such as 1.0.0, got 'one'")
    find(ps, 36, "accepts", "unknown document type 'lawz' (did you mean 'law'?)")
    find(ps, 48, "type", "unknown rule 'distinct-docs' (did you mean 'distinct-documents'?)")


def test_criterion_ids_unique_across_rubrics(mini):
    text = (mini / "criteria/mini.yaml").read_text().replace("id: mini", "id: mini2").replace("default: true\n", "")
    (mini / "criteria/mini2.yaml").write_text(text)
    ps = problems_of(mini)
    assert any("criterion id 'c1' is also used by rubric" in p.message for p in ps)


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * (yamlio.MAX_FILE_BYTES + 10) + b"\n")
    with pytest.raises(yamlio.YamlError, match="limited to"):
        yamlio.load(str(path))


def test_deep_nesting_is_refused():
    text = "a: " + "[" * (yamlio.MAX_DEPTH + 5) + "]" * (yamlio.MAX_DEPTH + 5) + "\n"
    with pytest.raises(yamlio.YamlError, match="nesting deeper"):
        yamlio.parse(text, "t.yaml")


def test_symlink_out_of_the_country_folder_is_refused(mini, tmp_path):
    outside = write(tmp_path / "outside.yaml", "findings: []\n")
    (mini / "evidence/NLD/link.yaml").symlink_to(outside)
    ps = problems_of(mini)
    assert any(p.path.endswith("link.yaml") and "outside the country folder" in p.message for p in ps)


def test_missing_translation_is_a_warning_that_points_at_the_criterion(mini):
    """The mini rubric's criteria have en texts only where ru is missing:
    validate warns (exit 0), names the criterion and the languages, and the
    Russian report falls back to English for them."""
    import assess

    report = assess.check(assess.load_data(str(mini)))
    warnings = [p for p in report.problems if p.severity == "warning" and "has no" in p.message and "criterion" in p.message]
    assert warnings and not report.errors
    w = warnings[0]
    assert w.path.endswith("mini.yaml") and w.line and "reports in that language show English" in w.message
    rubric = assess.pick_rubric(assess.load_data(str(mini)))
    c = rubric.criteria[0]
    assert c.title.get("kk") == c.title.get("en")


def test_a_finding_its_legislature_and_document_leave_no_day_for_is_a_warning(mini):
    """Law B takes effect in 2011, but the legislature it belongs to ended in
    2008: its findings can never count. Each gets a warning at its line; the
    clashing dates the document and legislature carry on their own are
    each fine, so nothing else says so."""
    country = mini / "evidence" / "NLD" / "country.yaml"
    text = country.read_text(encoding="utf-8")
    text = text.replace("documents:\n", "    - {id: nld-interim, name: Interim Assembly, from: 1990-01-01, to: 2008-12-31}\ndocuments:\n", 1)
    country.write_text(text.replace("    title: Law B\n", "    title: Law B\n    legislature: nld-interim\n", 1), encoding="utf-8")
    problems = problems_of(mini, mini / "evidence" / "NLD" / "findings.yaml")
    for line, fid in ((5, "n-l1-b"), (7, "n-l2-b")):
        find(problems, line, "document", f"finding '{fid}' can never count: document 'nld-law-b' starts on 2011-01-01, "
             "but legislature 'nld-interim' ended on 2008-12-31", "warning")
    assert len([p for p in problems if "can never count" in p.message]) == 2
    # a provision whose own dates contradict each other stays the error it was, said once
    findings = mini / "evidence" / "NLD" / "findings.yaml"
    findings.write_text(findings.read_text(encoding="utf-8").replace(
        "{id: n-c1, criterion: c1,", "{id: n-c1, criterion: c1, in_force_from: 2010-01-01, in_force_to: 2009-01-01,"), encoding="utf-8")
    problems = problems_of(mini, findings)
    find(problems, 2, "in_force_to", "in force to 2009-01-01 is before in force from 2010-01-01")
    assert not [p for p in problems if "n-c1" in p.message and "can never count" in p.message]

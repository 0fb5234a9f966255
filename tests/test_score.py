"""Scoring rules on the mini workspace, each expected value worked out by hand.

The mini rubric (tests/data/mini/criteria/mini.yaml): scale 0-3; tier t-const
(weight 2) with c1, c2 (weight 1 each); tier t-law (weight 1) with l1 (weight
2) and l2 (weight 1, distinct-documents rule over documents in force up to the
date, a finding at level >= 2 needed, 1/2/3 documents -> level 1/2/3).
"""

import datetime as dt

import pytest

import assess
from assess.scoring.score import NOT_APPLICABLE, NOT_ASSESSED, SCORED

from conftest import MINI, write

D = dt.date


def scores_of(as_of, data=MINI, countries=("NLD", "FRA")):
    return assess.compute_scores(list(countries), as_of=as_of, data=str(data))


def crit(scores, country, criterion):
    row = scores.criteria[(scores.criteria.country == country) & (scores.criteria.criterion == criterion)]
    assert len(row) == 1
    return row.iloc[0]


def tier(scores, country, tier_id):
    return scores.tiers[(scores.tiers.country == country) & (scores.tiers.tier == tier_id)].iloc[0]


def overall(scores, country):
    return scores.overall[scores.overall.country == country].iloc[0]


def test_nld_2012_by_hand():
    s = scores_of("2012-06-30")
    # c1: one finding at 3 -> 3. c2: "assessed, nothing found" -> 0 (scored, not missing).
    assert crit(s, "NLD", "c1").level == 3
    assert crit(s, "NLD", "c2").level == 0 and crit(s, "NLD", "c2").status == SCORED
    # t-const = (3/3*1 + 0/3*1) / 2 * 100 = 50
    assert tier(s, "NLD", "t-const").score == pytest.approx(50.0)
    # l1: law A (level 3) lost force 2010-12-31, so only law B (level 2) counts -> 2
    assert crit(s, "NLD", "l1").level == 2
    assert crit(s, "NLD", "l1").findings == ["n-l1-b"]
    assert any(x.startswith("n-l1-a: no longer in force") for x in crit(s, "NLD", "l1").set_aside)
    # l2: to-date window, laws A and B both count -> 2 documents -> level 2
    assert crit(s, "NLD", "l2").level == 2
    # t-law = (2/3*2 + 2/3*1) / 3 * 100 = 66.667
    assert tier(s, "NLD", "t-law").score == pytest.approx(200 / 3)
    # overall = (50*2 + 66.667*1) / 3 = 55.556
    assert overall(s, "NLD").overall == pytest.approx((100 + 200 / 3) / 3)
    assert bool(overall(s, "NLD").complete) is True
    assert overall(s, "NLD").band == "High"


def test_nld_2008_by_hand():
    s = scores_of("2008-06-30")
    # l1: law A in force (3), law B not yet (from 2011) -> 3
    assert crit(s, "NLD", "l1").level == 3
    assert any(x.startswith("n-l1-b: not yet in force") for x in crit(s, "NLD", "l1").set_aside)
    # l2: only law A so far -> 1 document -> level 1
    assert crit(s, "NLD", "l2").level == 1
    # t-law = (3/3*2 + 1/3*1) / 3 * 100 = 77.778; overall = (50*2 + 77.778) / 3 = 59.259
    assert tier(s, "NLD", "t-law").score == pytest.approx((200 + 100 / 3) / 3)
    assert overall(s, "NLD").overall == pytest.approx((100 + (200 + 100 / 3) / 3) / 3)


def test_na_and_not_assessed_are_kept_apart_fra():
    s = scores_of("2012-06-30")
    assert crit(s, "FRA", "c1").status == NOT_APPLICABLE
    assert crit(s, "FRA", "c2").status == NOT_ASSESSED
    assert pd_isna(crit(s, "FRA", "c2").level)
    # t-const has nothing scored: no score, but a range (c2 could be 0..3; c1 is n/a and left out)
    t = tier(s, "FRA", "t-const")
    assert pd_isna(t.score) and t.score_min == 0 and t.score_max == 100 and not t.complete
    # t-law: l1 = 1/3 (weight 2); l2 unassessed (weight 1)
    t = tier(s, "FRA", "t-law")
    assert t.score == pytest.approx(100 / 3)
    assert t.score_min == pytest.approx((200 / 3) / 3)  # l2 at 0
    assert t.score_max == pytest.approx((200 / 3 + 100) / 3)  # l2 at 3
    o = overall(s, "FRA")
    # overall: only t-law has a score -> 33.333; the range weighs both tiers' ranges
    assert o.overall == pytest.approx(100 / 3)
    assert o.overall_min == pytest.approx((0 * 2 + (200 / 3) / 3) / 3)
    assert o.overall_max == pytest.approx((100 * 2 + (200 / 3 + 100) / 3) / 3)
    # coverage: c1 (n/a) and l1 assessed, c2 and l2 not: 2 of 4
    assert o.coverage == 0.5 and not o.complete


def pd_isna(x):
    import pandas as pd

    return pd.isna(x)


@pytest.mark.parametrize(
    "as_of, counts",
    [
        ("2004-12-31", False),  # the day before law A enters into force
        ("2005-01-01", True),  # the day it enters into force
        ("2010-12-31", True),  # its last day in force (in_force_to is inclusive)
        ("2011-01-01", False),  # the day after
    ],
)
def test_as_of_edges(as_of, counts):
    s = scores_of(as_of, countries=["NLD"])
    assert ("n-l1-a" in crit(s, "NLD", "l1").counted) is counts


def test_wrong_document_type_is_set_aside(mini):
    write(mini / "evidence/NLD/extra.yaml", """
        findings:
          - {id: n-c2-law, criterion: c2, document: nld-law-b, locator: Art. 7, quote: x, level: 3}
    """)
    loaded = assess.load_data(str(mini))
    rubric = assess.pick_rubric(loaded)
    r = assess.decide(rubric.criterion("c2"), [f for f in loaded.countries["NLD"].findings if f.criterion == "c2"], rubric, loaded.countries["NLD"], D(2012, 1, 1))
    assert r.level == 0  # the level-3 law finding does not count for a constitution tier
    assert dict(r.set_aside)["n-c2-law"] == "wrong document type: a 'law' does not count for tier 't-const'"
    # and validate calls it an error
    report = assess.check(loaded)
    assert any(p.field == "document" and "does not accept" in p.message for p in report.errors)


def test_provision_younger_than_document(mini):
    write(mini / "evidence/NLD/extra.yaml", """
        findings:
          - {id: n-c2-amend, criterion: c2, document: nld-const, locator: Art. 9, quote: added later, level: 2, in_force_from: 2020-07-04}
    """)
    before = assess.compute_scores(["NLD"], as_of="2020-07-03", data=str(mini))
    after = assess.compute_scores(["NLD"], as_of="2020-07-04", data=str(mini))
    assert crit(before, "NLD", "c2").level == 0
    assert "n-c2-amend: not yet in force on 2020-07-03: the provision in force from 2020-07-04" in crit(before, "NLD", "c2").set_aside
    assert crit(after, "NLD", "c2").level == 2


def test_legislature_bounds_a_finding(mini):
    write(mini / "evidence/FRA/country.yaml", (MINI / "evidence/FRA/country.yaml").read_text().replace(
        "  name: {en: France}",
        "  name: {en: France}\n  legislatures:\n    - {id: fra-old, name: Old parliament, from: 1958-10-04, to: 2015-12-31}",
    ).replace("reason: The matter", "legislature: fra-old, reason: The matter"))
    s15 = assess.compute_scores(["FRA"], as_of="2015-12-31", data=str(mini))
    s16 = assess.compute_scores(["FRA"], as_of="2016-01-01", data=str(mini))
    assert crit(s15, "FRA", "c1").status == NOT_APPLICABLE
    assert crit(s16, "FRA", "c1").status == NOT_ASSESSED
    assert "legislature 'fra-old' in existence to 2015-12-31" in crit(s16, "FRA", "c1").set_aside[0]


def test_unverified_excluded_when_the_rubric_says_so(mini):
    path = mini / "criteria/mini.yaml"
    path.write_text(path.read_text().replace("  rule: highest\n", "  rule: highest\n  unverified: exclude\n"))
    s = assess.compute_scores(["NLD"], as_of="2012-06-30", data=str(mini))
    # n-l1-b (level 2) is the only unverified finding; without it l1 has nothing that counts
    assert crit(s, "NLD", "l1").status == NOT_ASSESSED
    assert "n-l1-b: unverified, and this rubric counts verified findings only" in crit(s, "NLD", "l1").set_aside


def test_highest_ties_name_every_deciding_finding(mini):
    write(mini / "evidence/NLD/extra.yaml", """
        findings:
          - {id: n-c1-again, criterion: c1, document: nld-const, locator: Art. 8, quote: also there, level: 3, verified: true}
    """)
    s = assess.compute_scores(["NLD"], as_of="2012-06-30", data=str(mini))
    assert crit(s, "NLD", "c1").findings == ["n-c1", "n-c1-again"]


def test_unverified_flag_follows_the_deciding_findings():
    s = scores_of("2012-06-30")
    assert crit(s, "NLD", "l1").verified is False  # decided by n-l1-b, unverified
    assert crit(s, "NLD", "c1").verified is True
    assert overall(s, "NLD").unverified == 1


def test_frame_shape_and_order():
    s = scores_of("2012-06-30")
    assert list(s.criteria.country) == ["NLD"] * 4 + ["FRA"] * 4
    assert list(s.criteria.criterion[:4]) == ["c1", "c2", "l1", "l2"]
    assert {"country", "tier", "criterion", "status", "level", "score", "findings", "set_aside"} <= set(s.criteria.columns)
    assert s.criteria.attrs["as_of"] == "2012-06-30"


def test_shuffled_findings_give_the_same_scores(mini):
    path = mini / "evidence/NLD/findings.yaml"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0]] + list(reversed(lines[1:]))) + "\n")
    a = assess.scores_to_json(scores_of("2012-06-30"))
    b = assess.scores_to_json(assess.compute_scores(["NLD", "FRA"], as_of="2012-06-30", data=str(mini))).replace(
        assess.load_data(str(mini)).rubrics["mini"].sha256, assess.load_data(str(MINI)).rubrics["mini"].sha256)
    assert a == b


def test_json_and_csv_are_deterministic():
    a, b = scores_of("2012-06-30"), scores_of("2012-06-30")
    assert assess.scores_to_json(a) == assess.scores_to_json(b)
    assert assess.scores_to_csv(a) == assess.scores_to_csv(b)


def test_band_is_withheld_below_the_rubrics_minimum_coverage(mini):
    """FRA has 2 of 4 criteria assessed (coverage 0.5, worked out above) and an
    overall of 33.333, which is in band Low. With band_min_coverage 0.75 the band
    is withheld while the score stays; NLD (coverage 1.0) keeps High."""
    rubric = mini / "criteria" / "mini.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("  rule: highest\n", "  rule: highest\n  band_min_coverage: 0.75\n"), encoding="utf-8")
    s = scores_of("2012-06-30", data=mini)
    assert overall(s, "FRA").overall == pytest.approx(100 / 3)
    assert pd_isna(overall(s, "FRA").band)
    assert overall(s, "NLD").band == "High"
    from assess.output.textout import format_scores

    assert "withheld (coverage < 75%)" in format_scores(s)


def test_band_min_coverage_must_be_a_share(mini):
    rubric = mini / "criteria" / "mini.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("  rule: highest\n", "  rule: highest\n  band_min_coverage: 75\n"), encoding="utf-8")
    report = assess.check(assess.load_data(str(mini)))
    assert any("band_min_coverage" in str(p) and "from 0 to 1" in str(p) for p in report.errors), report.errors


def test_one_verified_finding_at_the_decided_level_makes_a_highest_level_verified(mini):
    """l1 is decided by n-l1-b (level 2, unverified). A second finding at level 2
    that is verified supports the same level on its own, so under `highest` the
    level counts as verified; the unverified tie does not taint it."""
    write(mini / "evidence/NLD/extra.yaml", """
        findings:
          - {id: n-l1-check, criterion: l1, document: nld-law-b, locator: Art. 9, quote: checked, level: 2, verified: true}
    """)
    s = assess.compute_scores(["NLD"], as_of="2012-06-30", data=str(mini))
    assert crit(s, "NLD", "l1").findings == ["n-l1-b", "n-l1-check"]
    assert bool(crit(s, "NLD", "l1").verified) is True
    assert overall(s, "NLD").unverified == 0


def _traced(mini, trace="  traced_from: 2000-01-01\n"):
    """NLD declares its documents read from 2000-01-01 (the Constitution) on."""
    country = mini / "evidence" / "NLD" / "country.yaml"
    text = country.read_text(encoding="utf-8")
    country.write_text(text.replace("  legislatures:\n", trace + "  legislatures:\n", 1), encoding="utf-8")


def test_on_a_traced_date_a_criterion_no_finding_answers_is_absent(mini):
    """NLD is traced from 2000-01-01. On 2003-06-30 l1 and l2 have findings,
    but only on laws in force from 2005, and no law is in force: every document
    of the tier in force (none) has been read, so they are level 0, not unknown.
    t-const = (3/3 + 0/3) / 2 * 100 = 50; t-law = (0*2 + 0*1) / 3 = 0;
    overall = (50*2 + 0*1) / 3 = 33.333, and complete."""
    _traced(mini)
    s = scores_of("2003-06-30", data=mini, countries=("NLD",))
    for cid in ("l1", "l2"):
        assert crit(s, "NLD", cid).status == SCORED and crit(s, "NLD", cid).level == 0
        assert crit(s, "NLD", cid).findings == []
    assert tier(s, "NLD", "t-law").score == pytest.approx(0.0)
    assert overall(s, "NLD").overall == pytest.approx(100 / 3)
    assert bool(overall(s, "NLD").complete) is True
    ex = assess.explain_level("NLD", "l1", as_of="2003-06-30", data=str(mini))
    assert "declared read (traced from 2000-01-01): absent (level 0)" in ex.result.rule_text


def test_before_the_trace_starts_nothing_is_called_absent(mini):
    """On 1999-06-30 NLD's trace has not started: l1, l2 and c1 stay not
    assessed; only the dateless absence finding n-c2 (level 0) counts, so
    t-const = 0 and t-law has no score."""
    _traced(mini)
    s = scores_of("1999-06-30", data=mini, countries=("NLD",))
    for cid in ("c1", "l1", "l2"):
        assert crit(s, "NLD", cid).status == NOT_ASSESSED
    assert tier(s, "NLD", "t-const").score == pytest.approx(0.0)
    assert pd_isna(tier(s, "NLD", "t-law").score)
    ex = assess.explain_level("NLD", "l1", as_of="1999-06-30", data=str(mini))
    assert "not declared read (traced_from): not assessed" in ex.result.rule_text


def test_without_a_trace_a_criterion_before_its_first_document_is_not_assessed():
    s = scores_of("2003-06-30", countries=("NLD",))
    assert crit(s, "NLD", "l1").status == NOT_ASSESSED
    assert overall(s, "NLD").overall == pytest.approx(50.0)


def test_after_the_trace_ends_nothing_is_called_absent(mini):
    """Traced 2000-01-01 .. 2002-12-31: on 2001-06-30 l1 is absent (as in the
    traced test), on 2003-06-30 it is not assessed (overall = t-const alone = 50)."""
    _traced(mini, "  traced_from: 2000-01-01\n  traced_to: 2002-12-31\n")
    assert crit(scores_of("2001-06-30", data=mini, countries=("NLD",)), "NLD", "l1").level == 0
    s = scores_of("2003-06-30", data=mini, countries=("NLD",))
    assert crit(s, "NLD", "l1").status == NOT_ASSESSED
    assert overall(s, "NLD").overall == pytest.approx(50.0)


def test_a_trace_per_tier_overrides_the_countrys(mini):
    """The country is traced from 2000, the law tier only from 2004: on
    2003-06-30 l1 is not assessed (its tier is not traced yet), while on
    2004-06-30 it is absent."""
    _traced(mini, "  traced_from: {t-law: 2004-01-01}\n")
    _traced(mini, "  traced_to: 2030-12-31\n")  # a plain traced_to ends every tier's trace
    s = scores_of("2003-06-30", data=mini, countries=("NLD",))
    assert crit(s, "NLD", "l1").status == NOT_ASSESSED
    assert crit(scores_of("2004-06-30", data=mini, countries=("NLD",)), "NLD", "l1").level == 0
    assert crit(scores_of("2031-06-30", data=mini, countries=("NLD",)), "NLD", "l2").level == 2  # findings still count


def test_a_document_recorded_without_findings_makes_its_tier_not_assessed_not_absent(mini):
    """An earlier Constitution nobody has coded: the country records a 1992
    Constitution (in force to 2022) without findings and a 2023 Constitution
    with a level-3 finding on c1, and is traced from 1992. As of 2021 the
    constitution criteria are not assessed (the 1992 text is unread), not 0;
    as of 2024 c1 is 3 and c2, which no finding answers, is absent (the 2023
    text was read and says nothing on it): t-const = (3 + 0) / 6 * 100 = 50."""
    (mini / "evidence" / "NLD" / "findings.yaml").unlink()
    country = mini / "evidence" / "NLD" / "country.yaml"
    country.write_text(country.read_text(encoding="utf-8").split("documents:")[0], encoding="utf-8")
    write(mini / "evidence" / "NLD" / "constitution.yaml", """
        documents:
          - {id: c-1992, type: constitution, title: Constitution of 1992, in_force_from: 1992-01-01, in_force_to: 2022-12-31, url: https://example.org/1992}
          - {id: c-2023, type: constitution, title: Constitution of 2023, in_force_from: 2023-01-01, url: https://example.org/2023}
        findings:
          - {id: c1-2023, criterion: c1, document: c-2023, locator: Art. 1, quote: Parliament ratifies, level: 3, verified: true}
    """)
    _traced(mini, "  traced_from: 1992-01-01\n")
    s = scores_of("2021-06-30", data=mini, countries=("NLD",))
    for cid in ("c1", "c2"):
        assert crit(s, "NLD", cid).status == NOT_ASSESSED, cid
    ex = assess.explain_level("NLD", "c2", as_of="2021-06-30", data=str(mini))
    assert "a document of the tier in force is recorded but not coded yet (c-1992): not assessed" in ex.result.rule_text
    s = scores_of("2024-06-30", data=mini, countries=("NLD",))
    assert crit(s, "NLD", "c1").level == 3 and crit(s, "NLD", "c2").level == 0
    assert tier(s, "NLD", "t-const").score == pytest.approx(50.0)


def test_the_shipped_law_treaties_of_kazakhstan_before_2005_is_not_assessed():
    """The 1995 decree-law on treaties is recorded but not coded: before the
    2005 Law on International Treaties, law-treaties is unknown, not absent."""
    s = assess.compute_scores(["KAZ"], as_of="2003-06-30")
    assert crit(s, "KAZ", "law-treaties").status == NOT_ASSESSED
    s = assess.compute_scores(["KAZ"], as_of="2006-06-30")
    assert crit(s, "KAZ", "law-treaties").level == 3


def test_a_trace_must_name_known_tiers_and_end_after_it_starts(mini):
    _traced(mini, "  traced_from: {t-lw: 2004-01-01, t-const: 2001-01-01}\n  traced_to: {t-const: 2000-01-01}\n")
    errors = [str(p) for p in assess.check(assess.load_data(str(mini))).errors]
    assert any("traced_from: no rubric has a tier 't-lw' (did you mean 't-law'?)" in e for e in errors), errors
    assert any("country.yaml:" in e and "traced_to: the trace ends on 2000-01-01, before it starts (2001-01-01)" in e for e in errors), errors


def test_the_old_rubric_setting_is_an_error_that_names_its_replacement(mini):
    rubric = mini / "criteria" / "mini.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("  rule: highest\n", "  rule: highest\n  before_first_finding: absent\n"), encoding="utf-8")
    report = assess.check(assess.load_data(str(mini)))
    assert any("mini.yaml" in str(p) and "before_first_finding" in str(p) and "traced_from" in str(p) for p in report.errors), report.errors

"""Claim rules on our own examples."""

from __future__ import annotations

from test_check_engine import findings_of


def test_claim_only_increase_against_a_decrease() -> None:
    text = "一、主要成效\n各学段生均公用经费只增不减，其中小学生均增长4.1%，初中生均下降1.3%。\n"
    (finding,) = findings_of(text, "CLAIM-FIGURE")
    assert finding.severity == "warning"
    quotes = "".join(e.quote for e in finding.evidence)
    assert "只增不减" in quotes and "下降1.3%" in quotes
    assert findings_of(text.replace("下降1.3%", "增长1.3%"), "CLAIM-FIGURE") == []


def test_claim_cleared_against_a_nonzero_count() -> None:
    text = "一、主要成效\n全县无证幼儿园已全面清零，目前仍有无证幼儿园3所正在整改。\n"
    (finding,) = findings_of(text, "CLAIM-FIGURE")
    assert finding.observed == 3
    assert findings_of("一、主要成效\n全县无证幼儿园已全面清零，新建公办幼儿园3所。\n", "CLAIM-FIGURE") == []


def test_claim_achievement_softened_by_problems_section() -> None:
    text = "一、主要成效\n实现村级幼儿园党组织全覆盖。\n二、存在问题\n民办幼儿园党组织覆盖率不高。\n"
    (finding,) = findings_of(text, "CLAIM-PROBLEM")
    assert finding.severity == "info"
    assert "覆盖率不高" in "".join(e.quote for e in finding.evidence)
    quiet = "一、主要成效\n实现村级幼儿园党组织全覆盖。\n二、存在问题\n民办幼儿园师资力量薄弱。\n"
    assert findings_of(quiet, "CLAIM-PROBLEM") == []

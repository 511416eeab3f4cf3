"""The check engine: stable ids, RULE-ERR for a raising rule, sorted output, exact quotes."""

from __future__ import annotations

import functools

from pipeline.check import RULES, Hit, Rule, run_checks
from pipeline.check.engine import rule
from pipeline.records import CATEGORIES, SEVERITIES, AuditInput, Finding
from pipeline.runner import AuditSettings, Context, analyse_text


@functools.cache
def _context() -> Context:
    return Context.build(AuditSettings(classify=False))


def audit_of(text: str) -> AuditInput:
    """Our own example text through segment + extract, as the checker sees a real report."""
    return analyse_text(text, _context())


def findings_of(text: str, rule_id: str | None = None) -> list[Finding]:
    found = run_checks(audit_of(text))
    return [f for f in found if rule_id is None or f.rule == rule_id]


def assert_exact_quotes(audit: AuditInput, findings) -> None:
    for finding in findings:
        for evidence in finding.evidence:
            assert audit.document.text[evidence.start:evidence.end] == evidence.quote
            assert evidence.page == audit.document.page_at(evidence.start)


SAMPLE = (
    "一、主要成效\n"
    "全县教师平均工资9800元，高于全省平均水平（8600元）1600元。"
    "投资800余万改造教学楼，投资800余万元，购置课桌椅。\n"
)


def test_engine_rules_have_ids_categories_and_documented_examples() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for current in RULES:
        assert current.category in CATEGORIES and current.severity in SEVERITIES
        assert "Positive" in current.doc and "Negative" in current.doc, current.id


def test_engine_ids_are_stable_and_output_sorted() -> None:
    audit = audit_of(SAMPLE)
    first, second = run_checks(audit), run_checks(audit)
    assert first == second and first
    assert [f.id for f in first] == [f.id for f in second]
    assert all(f.id.startswith("F-") and len(f.id) == 12 for f in first)
    keys = [(f.evidence[0].start, f.rule) for f in first]
    assert keys == sorted(keys)
    assert_exact_quotes(audit, first)


def test_engine_raising_rule_becomes_rule_err_and_report_survives() -> None:
    @rule("TEST-BROKEN", "arithmetic", "error")
    def broken(ctx):
        """Always raises. Positive: any text. Negative: none."""
        raise ValueError("boom")

    audit = audit_of(SAMPLE)
    found = run_checks(audit, rules=(*RULES, broken))
    errors = [f for f in found if f.rule == "RULE-ERR"]
    assert len(errors) == 1 and errors[0].category == "other" and "TEST-BROKEN" in errors[0].message
    assert any(f.rule == "ARITH-DIFF" for f in found)  # the other rules still ran


def test_engine_hit_evidence_is_exact_text() -> None:
    @rule("TEST-QUOTE", "format", "info")
    def quote(ctx):
        """Quotes the first figure. Positive: a text with a figure. Negative: none."""
        q = next(q for q in ctx.quantities if q.kind == "money")
        yield Hit("测试。", ((q.start, q.end),))

    audit = audit_of(SAMPLE)
    (finding,) = run_checks(audit, rules=(quote,))
    assert finding.evidence[0].quote == "9800元"
    assert isinstance(finding.evidence, tuple) and isinstance(finding, Finding)
    assert isinstance(RULES[0], Rule)


def test_engine_clean_text_gives_no_error_findings() -> None:
    clean = "全县共有中小学校56所，其中小学38所，初中15所。教师平均工资9800元，高于全省平均水平（8600元）1200元。\n"
    assert [f for f in findings_of(clean) if f.severity != "info"] == []

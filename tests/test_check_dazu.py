"""Acceptance on the Dazu 2022 report: every must_find matched, no must_not_flag violated.

Matching follows the gold file's ``about``: a finding matches a must_find item when its
category is the one given (any where null), its severity is at least min_severity and every
anchor occurs in its evidence quotes taken together. A must_not_flag item is violated by a
warning or error of the given category with an evidence quote containing the anchor.
"""

from __future__ import annotations

import pytest
from test_check_engine import audit_of

from pipeline.check import run_checks
from pipeline.records import SEVERITIES, Finding

RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


def matches(finding: Finding, item: dict) -> bool:
    if item["category"] is not None and finding.category != item["category"]:
        return False
    if RANK[finding.severity] < RANK[item["min_severity"]]:
        return False
    quotes = "".join(e.quote for e in finding.evidence)
    return all(anchor in quotes for anchor in item["anchors"])


def violates(finding: Finding, item: dict) -> bool:
    return (finding.category == item["category"] and RANK[finding.severity] >= RANK["warning"]
            and any(item["anchor"] in e.quote for e in finding.evidence))


@pytest.fixture(scope="module")
def dazu_findings(dazu_text: str) -> tuple[Finding, ...]:
    audit = audit_of(dazu_text)
    findings = run_checks(audit)
    for finding in findings:
        for evidence in finding.evidence:
            assert dazu_text[evidence.start:evidence.end] == evidence.quote
    return findings


def test_check_dazu_every_must_find_is_found(dazu_findings, gold_findings) -> None:
    missing = [item["id"] for item in gold_findings["must_find"]
               if not any(matches(f, item) for f in dazu_findings)]
    assert missing == []


def test_check_dazu_no_must_not_flag_is_violated(dazu_findings, gold_findings) -> None:
    violated = [(item["id"], f.rule) for item in gold_findings["must_not_flag"]
                for f in dazu_findings if violates(f, item)]
    assert violated == []


def test_check_dazu_arithmetic_error_has_expected_value(dazu_findings, gold_findings) -> None:
    (item,) = [i for i in gold_findings["must_find"] if i.get("expected_value") is not None]
    found = [f for f in dazu_findings if matches(f, item)]
    assert found and found[0].expected == item["expected_value"]


def test_check_dazu_no_rule_crashes(dazu_findings) -> None:
    assert [f.message for f in dazu_findings if f.rule == "RULE-ERR"] == []


@pytest.fixture(scope="module")
def dazu_results(corpus_dir):
    from pipeline.runner import AuditSettings, Context, audit_file

    ctx = Context.build(AuditSettings())
    return {name: audit_file(corpus_dir / name, ctx) for name in ("dazu-2022.txt", "dazu-2022.docx", "dazu-2022.pdf")}


def _signature(result) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.rule, f.severity, tuple(e.quote for e in f.evidence)) for f in result.findings]


def test_check_dazu_same_findings_from_txt_docx_pdf(dazu_results, gold_findings) -> None:
    txt = _signature(dazu_results["dazu-2022.txt"])
    assert _signature(dazu_results["dazu-2022.docx"]) == txt
    assert _signature(dazu_results["dazu-2022.pdf"]) == txt
    for result in dazu_results.values():
        assert all(any(matches(f, item) for f in result.findings) for item in gold_findings["must_find"])
        text = result.document.text
        assert all(text[e.start:e.end] == e.quote for f in result.findings for e in f.evidence)


def test_check_dazu_pdf_evidence_carries_the_right_page(dazu_results, corpus_dir) -> None:
    import re

    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(corpus_dir / "dazu-2022.pdf"))
    pages = [re.sub(r"\s", "", page.get_textpage().get_text_range()) for page in pdf]
    evidence = [e for f in dazu_results["dazu-2022.pdf"].findings for e in f.evidence]
    assert evidence
    for e in evidence:
        assert re.sub(r"\s", "", e.quote)[:6] in pages[e.page - 1], (e.quote, e.page)
    assert {e.page for e in evidence} != {1}  # the report spans many pages; pages are not all defaulted

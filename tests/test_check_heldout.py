"""Held-out reports: styles and provinces the checker was not tuned on, audited end to end.

Each ``tests/fixtures/heldout/<slug>.txt`` is a fictitious report, mostly consistent, with one or two planted
problems listed in ``<slug>.findings.json`` (same format as the sample gold). For every report:

* every ``must_find`` item is matched (category, minimum severity, all anchors in the evidence quotes);
* no ``must_not_flag`` item is violated (no warning/error finding of its category quotes the anchor);
* **no unexplained alarm**: every finding of severity warning or error matches at least one ``must_find`` item.
  Info findings (coverage, house-style document numbers …) are hints and are not counted.

The matching is the one of ``scripts/score_findings.py`` (stated in each gold file's ``about``).
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path

import pytest

from pipeline.records import Finding
from pipeline.runner import AuditSettings, Context, audit_file

REPO = Path(__file__).resolve().parents[1]
HELDOUT = REPO / "tests" / "fixtures" / "heldout"
REPORTS = sorted(p.stem for p in HELDOUT.glob("*.txt"))


def _scorer():
    spec = importlib.util.spec_from_file_location("score_findings", REPO / "scripts" / "score_findings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCORER = _scorer()


@functools.cache
def _context() -> Context:
    return Context.build(AuditSettings(classify=False))


@functools.cache
def _findings(slug: str) -> tuple[Finding, ...]:
    result = audit_file(HELDOUT / f"{slug}.txt", _context())
    assert result.status == "ok", result.error
    return result.findings


def _gold(slug: str) -> dict:
    return json.loads((HELDOUT / f"{slug}.findings.json").read_text(encoding="utf-8"))


def _as_dict(finding: Finding) -> dict:
    return {
        "id": finding.id,
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity,
        "evidence": [{"quote": e.quote} for e in finding.evidence],
    }


def _describe(finding: dict) -> str:
    quotes = " / ".join(e["quote"] for e in finding["evidence"])
    return f"{finding['rule']} {finding['severity']}: {quotes}"


def test_heldout_fixtures_are_complete() -> None:
    assert len(REPORTS) >= 4
    for slug in REPORTS:
        text = (HELDOUT / f"{slug}.txt").read_text(encoding="utf-8")
        assert 2000 <= len(text) <= 4000, slug
        gold = _gold(slug)
        assert gold["document"] == slug and 1 <= len(gold["must_find"]) <= 2
        for item in gold["must_find"]:
            assert all(anchor in text for anchor in item["anchors"]), item["id"]
        for item in gold["must_not_flag"]:
            assert item["anchor"] in text, item["id"]


@pytest.mark.parametrize("slug", REPORTS)
def test_heldout_planted_problems_are_found(slug: str) -> None:
    findings = [_as_dict(f) for f in _findings(slug)]
    missed = [item["id"] for item in _gold(slug)["must_find"]
              if not any(SCORER.finding_matches(f, item) for f in findings)]
    assert missed == [], [_describe(f) for f in findings]


@pytest.mark.parametrize("slug", REPORTS)
def test_heldout_consistent_figures_are_not_flagged(slug: str) -> None:
    findings = [_as_dict(f) for f in _findings(slug)]
    violated = {item["id"]: [_describe(f) for f in findings if SCORER.finding_violates(f, item)]
                for item in _gold(slug)["must_not_flag"]}
    assert {k: v for k, v in violated.items() if v} == {}


@pytest.mark.parametrize("slug", REPORTS)
def test_heldout_no_unexplained_alarm(slug: str) -> None:
    """Every warning or error finding is explained by (matches) a planted must_find item."""
    must_find = _gold(slug)["must_find"]
    alarms = [_as_dict(f) for f in _findings(slug) if f.severity in ("warning", "error")]
    unexplained = [_describe(f) for f in alarms if not any(SCORER.finding_matches(f, item) for item in must_find)]
    assert unexplained == []


def test_heldout_report_dates_are_read() -> None:
    """The report date drives the temporal rules: the gold states it, the pipeline must read the same."""
    from pipeline.runner import analyse_text

    for slug in REPORTS:
        audit = analyse_text((HELDOUT / f"{slug}.txt").read_text(encoding="utf-8"), _context())
        assert audit.extraction.report_date == _gold(slug)["report_date"], slug

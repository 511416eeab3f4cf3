"""The gold scorer (scripts/score_findings.py) on synthetic report dicts."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _load_scorer():
    spec = importlib.util.spec_from_file_location("score_findings", REPO / "scripts" / "score_findings.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("score_findings", module)
    spec.loader.exec_module(module)
    return module


sf = _load_scorer()

GOLD = {
    "document": "demo",
    "report_date": "2022-11-22",
    "must_find": [
        {"id": "F1", "category": "arithmetic", "min_severity": "error",
         "anchors": ["128640", "119870", "6770"], "expected_value": 8770, "why": "diff"},
        {"id": "F2", "category": "claim", "min_severity": "warning", "anchors": ["只增不减", "下降1.86%"], "why": "claim"},
        {"id": "F3", "category": None, "min_severity": "warning", "anchors": ["安排资金420万元"], "why": "any category"},
        {"id": "F4", "category": "format", "min_severity": "info", "anchors": ["６８所"], "why": "full width"},
    ],
    "must_not_flag": [
        {"id": "N1", "category": "arithmetic", "anchor": "186420万元", "why": "ok"},
        {"id": "N2", "category": "format", "anchor": "2.4个百分点", "why": "ok"},
    ],
}


def finding(category, severity, *quotes, fid="x"):
    return {"id": fid, "rule": "r", "category": category, "severity": severity, "message": "",
            "evidence": [{"quote": q, "start": 0, "end": len(q), "page": 1} for q in quotes],
            "expected": None, "observed": None}


def report(*findings):
    return {"schema": "dutyaudit/report@1", "status": "ok", "findings": list(findings)}


def test_anchor_split_over_two_quotes_matches():
    f = finding("arithmetic", "error", "年平均工资收入128640元", "当地公务员年平均工资（119870元）6770元", fid="a1")
    r = sf.score(report(f), GOLD)
    assert r["matched"] == ["F1"] and r["matches"]["F1"] == ["a1"]
    assert "F1" not in r["missed"]


def test_missing_anchor_does_not_match():
    f = finding("arithmetic", "error", "128640元", "119870元")  # 6770 not quoted
    assert sf.score(report(f), GOLD)["matched"] == []


def test_anchor_must_not_straddle_two_quotes():
    f = finding("arithmetic", "error", "128640 119870 67", "70")
    assert "F1" in sf.score(report(f), GOLD)["missed"]


def test_wrong_category_does_not_match():
    f = finding("claim", "error", "128640 119870 6770")
    assert "F1" in sf.score(report(f), GOLD)["missed"]


@pytest.mark.parametrize("severity,ok", [("info", False), ("warning", True), ("error", True), (None, False), ("bogus", False)])
def test_min_severity_ordering(severity, ok):
    f = finding("claim", severity, "只增不减", "初中生均下降1.86%")
    assert ("F2" in sf.score(report(f), GOLD)["matched"]) is ok


def test_error_below_min_severity_error():
    f = finding("arithmetic", "warning", "128640 119870 6770")
    assert "F1" in sf.score(report(f), GOLD)["missed"]


def test_null_category_accepts_any_category():
    for cat in ("duplicate", "format", "other"):
        assert sf.score(report(finding(cat, "warning", "安排资金420万元，安排资金420万元")), GOLD)["matched"] == ["F3"]


def test_no_width_folding():
    assert sf.score(report(finding("format", "info", "68所")), GOLD)["matched"] == []
    assert sf.score(report(finding("format", "info", "中小学校６８所")), GOLD)["matched"] == ["F4"]


def test_finding_without_evidence_never_matches():
    f = {"id": "e", "category": "arithmetic", "severity": "error", "evidence": []}
    r = sf.score(report(f), GOLD)
    assert r["matched"] == [] and r["violated"] == []


def test_must_not_flag_violation_rules():
    # warning/error of the same category quoting the anchor: violated
    assert sf.score(report(finding("arithmetic", "warning", "支出186420万元，增长7.21%")), GOLD)["violated"] == ["N1"]
    assert sf.score(report(finding("arithmetic", "error", "186420万元")), GOLD)["violated"] == ["N1"]
    # info: not a violation
    assert sf.score(report(finding("arithmetic", "info", "186420万元")), GOLD)["violated"] == []
    # other category: not a violation
    assert sf.score(report(finding("claim", "error", "186420万元")), GOLD)["violated"] == []
    # anchor in no quote: not a violation
    assert sf.score(report(finding("format", "error", "2.4%")), GOLD)["violated"] == []
    assert sf.score(report(finding("format", "error", "提高2.4个百分点")), GOLD)["violated"] == ["N2"]


def test_missing_report_misses_everything():
    r = sf.score(None, GOLD)
    assert r["status"] == "missing" and r["missed"] == ["F1", "F2", "F3", "F4"] and r["violated"] == []


def test_ignore_whitespace_option():
    f = finding("arithmetic", "error", "128640 元 119870 元 67 70 元")
    assert sf.score(report(f), GOLD)["matched"] == []
    assert sf.score(report(f), GOLD, ignore_whitespace=True)["matched"] == ["F1"]


def test_cli_reads_reports_dir(tmp_path, capsys):
    gold_dir = tmp_path / "gold"
    out = tmp_path / "out" / "reports"
    gold_dir.mkdir()
    out.mkdir(parents=True)
    (gold_dir / "demo.findings.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    other = dict(GOLD, document="absent")
    (gold_dir / "absent.findings.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    rep = report(finding("arithmetic", "error", "128640 119870 6770"),
                 finding("arithmetic", "error", "186420万元"))
    (out / "demo.json").write_text(json.dumps(rep, ensure_ascii=False), encoding="utf-8")

    assert sf.main([str(tmp_path / "out"), str(gold_dir)]) == 0
    text = capsys.readouterr().out
    assert "demo" in text and "absent" in text and "missing" in text
    assert "must_find 1/8 found" in text and "violated 1/4" in text

    assert sf.main([str(tmp_path / "out"), str(gold_dir), "--strict"]) == 1
    capsys.readouterr()
    assert sf.main([str(tmp_path / "out"), str(gold_dir), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["totals"]["matched"] == 1 and result["totals"]["violated"] == 1
    assert result["totals"]["missing_reports"] == 1


def test_bundled_gold_is_self_consistent_with_perfect_findings():
    """A report whose findings quote exactly the anchors scores 100% and violates nothing."""
    gold_dir = REPO / "corpora" / "samples" / "gold"
    for gold in sf.load_gold_dir(gold_dir):
        findings = []
        for item in gold["must_find"]:
            findings.append(finding(item["category"] or "other", item["min_severity"], *item["anchors"], fid=item["id"]))
        r = sf.score(report(*findings), gold)
        assert r["missed"] == [], (gold["document"], r["missed"])
        # the planted findings must not themselves trip a must_not_flag item
        assert r["violated"] == [], (gold["document"], r["violations"])

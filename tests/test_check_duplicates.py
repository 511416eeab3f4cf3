"""Duplicate rules on our own examples."""

from __future__ import annotations

from test_check_engine import findings_of


def test_dup_amount_repeated_in_one_sentence() -> None:
    (finding,) = findings_of("投资800余万改造教学楼，投资800余万元，购置课桌椅。", "DUP-AMOUNT")
    assert finding.severity == "warning"
    assert [e.quote for e in finding.evidence] == ["800余万", "800余万元"]
    assert "缺少单位" in finding.message


def test_dup_amount_quiet_for_different_amounts_and_respectively_lists() -> None:
    assert findings_of("投资800余万元改造教学楼，投资300余万元购置课桌椅。", "DUP-AMOUNT") == []
    assert findings_of("对城区、乡镇学校分别补助30万元、30万元。", "DUP-AMOUNT") == []


SENTENCE = "全面落实课后服务全覆盖，每天放学后开展不少于两小时的课后服务活动。"


def test_dup_sentence_repeated() -> None:
    (finding,) = findings_of(SENTENCE + "其他内容另述。" + SENTENCE, "DUP-SENTENCE")
    assert finding.severity == "info" and len(finding.evidence) == 2


def test_dup_sentence_distinct_is_quiet() -> None:
    assert findings_of(SENTENCE + "农村学校食堂改造工程全部完成并通过市级验收评估。", "DUP-SENTENCE") == []


def test_dup_amount_quiet_for_a_matching_sum() -> None:
    text = "争取省级薄弱学校改造资金1500万元，市本级配套1500万元，用于农村学校改造。"
    assert findings_of(text, "DUP-AMOUNT") == []

"""Temporal rules on our own examples."""

from __future__ import annotations

from test_check_engine import findings_of

TITLE = "某县人民政府关于2021年以来履行教育职责情况的自查报告\n\n"
SIGNED = "\n\n某县人民政府\n2022年12月1日"


def test_temp_future_done_after_report_date() -> None:
    (finding,) = findings_of(TITLE + "2023年春季建成投用的学校3所。" + SIGNED, "TEMP-FUTURE")
    assert "2023年" in finding.evidence[0].quote


def test_temp_future_plans_and_past_events_are_quiet() -> None:
    assert findings_of(TITLE + "力争2023年建成投用学校3所。" + SIGNED, "TEMP-FUTURE") == []
    assert findings_of(TITLE + "2022年9月建成投用学校3所。" + SIGNED, "TEMP-FUTURE") == []


def test_temp_order_process_dates() -> None:
    body = "一、自查情况\n{}召开部署会，{}完成自评并形成报告。\n"
    wrong = findings_of(TITLE + body.format("2022年10月20日", "9月30日") + SIGNED, "TEMP-ORDER")
    assert len(wrong) == 1
    assert findings_of(TITLE + body.format("2022年9月5日", "10月20日") + SIGNED, "TEMP-ORDER") == []


def test_temp_period_after_report_date() -> None:
    late = "某县人民政府关于2023年度履行教育职责情况的自查报告\n\n" + "全县学校56所。" + SIGNED
    (finding,) = findings_of(late, "TEMP-PERIOD")
    assert finding.observed == 2023
    assert findings_of(TITLE + "全县学校56所。" + SIGNED, "TEMP-PERIOD") == []

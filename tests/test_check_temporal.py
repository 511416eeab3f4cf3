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


DATED = "某州人民政府关于2022年度履行教育职责情况的自评报告\n\n一、主要成效\n{}\n二、下一步打算\n{}\n\n某州人民政府\n2023年3月1日"


def test_temp_future_date_as_adverbial_of_the_next_clause() -> None:
    (finding,) = findings_of(DATED.format("2023年8月，州民族中学新校区已全面建成，新增学位900个。", "加强师资建设。"),
                             "TEMP-FUTURE")
    assert finding.severity == "warning"
    assert finding.evidence[0].quote.startswith("2023年8月，州民族中学新校区已全面建成")


def test_temp_future_plans_stay_quiet() -> None:
    texts = [
        DATED.format("2023年8月，州民族中学新校区将投入使用。", "加强师资建设。"),  # a modal
        DATED.format("推进学校建设。", "2023年秋季前完成州民族中学新校区建设。"),  # a deadline in the measures
        DATED.format("推进学校建设。", "2024年建成州职业教育实训基地。"),  # a plan in the measures section
    ]
    for text in texts:
        assert findings_of(text, "TEMP-FUTURE") == [], text


def test_temp_order_deadline_before_the_kick_off_meeting() -> None:
    process = "某州人民政府关于2022年度履行教育职责情况的自评报告\n\n一、自评工作开展情况\n{}\n\n某州人民政府\n2023年5月6日"
    wrong = findings_of(process.format("2023年4月12日，州政府召开自评工作动员会；4月3日前各部门完成自评材料报送。"),
                        "TEMP-ORDER")
    assert len(wrong) == 1 and [e.quote for e in wrong[0].evidence] == ["2023年4月12日", "4月3日"]
    right = process.format("2023年3月28日，州政府召开自评工作动员会；4月10日前各部门完成自评材料报送。")
    assert findings_of(right, "TEMP-ORDER") == []


def test_temp_order_asides_are_no_steps() -> None:
    process = "某州人民政府关于2022年度履行教育职责情况的自评报告\n\n一、自评工作开展情况\n{}\n\n某州人民政府\n2023年5月6日"
    asides = [
        # an earlier step named as such, in brackets
        "2023年3月28日，州政府召开自评动员会（此前，州教育局已于3月10日完成学校数据采集）；4月20日形成报告。",
        "2023年3月28日，州政府召开自评动员会；此前，州教育局已于3月10日完成学校数据采集；4月20日形成报告。",
        # an earlier event cited by a step (attributive 的)
        "2023年3月28日，州政府召开自评动员会，传达省督导委员会3月15日召开的会议精神；4月20日形成报告。",
    ]
    for text in asides:
        assert findings_of(process.format(text), "TEMP-ORDER") == [], text


# -- TEMP-RECTIFY: rectified before the problems were fed back (round 4, sample corpus) ---------------

FED_BACK = ("一、督导反馈问题整改情况\n2021年6月，市督导组向我县反馈2020年度督导评估问题9项。"
            "县政府制定整改方案，{}，9项问题已全部整改到位。\n")


def test_temp_rectified_before_feedback() -> None:
    (finding,) = findings_of(FED_BACK.format("截至2021年5月底"), "TEMP-RECTIFY")
    assert finding.severity == "warning" and finding.category == "temporal"
    quotes = "".join(e.quote for e in finding.evidence)
    assert "2021年6月" in quotes and "截至2021年5月底" in quotes
    text = "一、督导反馈问题整改情况\n市督导组于2021年6月20日对我县开展督导检查，指出问题9项，我县已于2021年6月10日完成整改。\n"
    (finding,) = findings_of(text, "TEMP-RECTIFY")
    assert "已于2021年6月10日完成整改" in "".join(e.quote for e in finding.evidence)


def test_temp_rectified_quiet_when_order_right_or_dates_ambiguous() -> None:
    assert findings_of(FED_BACK.format("截至2021年11月底"), "TEMP-RECTIFY") == []
    assert findings_of(FED_BACK.format("截至11月底"), "TEMP-RECTIFY") == []  # no year: could be the next one
    same_month = "一、督导反馈问题整改情况\n市督导组于2021年6月20日开展督导检查，指出问题9项，我县已于2021年6月完成整改。\n"
    assert findings_of(same_month, "TEMP-RECTIFY") == []
    plan = "一、督导反馈问题整改情况\n市督导组于2021年6月20日开展督导检查，指出问题9项，我县计划于2021年5月完成整改。\n"
    assert findings_of(plan, "TEMP-RECTIFY") == []


def test_temp_rectified_each_round_against_its_own_feedback() -> None:
    text = ("一、督导反馈问题整改情况\n2020年3月，市督导组反馈问题8项，截至2020年12月已全部整改到位；"
            "2021年5月，市督导组再次反馈问题5项，目前已整改3项。\n")
    assert findings_of(text, "TEMP-RECTIFY") == []
    other = ("一、主要成效\n2021年6月，市教育局检查校舍安全，截至2021年5月底，全县学校办学条件已全部完成达标建设。\n")
    assert findings_of(other, "TEMP-RECTIFY") == []  # nothing about 整改

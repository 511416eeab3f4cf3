"""Arithmetic rules on our own example sentences, run through segment + extract."""

from __future__ import annotations

import pytest
from test_check_engine import findings_of


def only(text: str, rule_id: str):
    return findings_of(text, rule_id)


def test_arith_diff_wrong_difference_is_an_error_with_computation() -> None:
    (finding,) = only("全县教师平均工资9800元，高于全省平均水平（8600元）1600元。", "ARITH-DIFF")
    assert finding.severity == "error" and finding.expected == 1200 and finding.observed == 1600
    assert "9800 − 8600 = 1200" in finding.message
    assert [e.quote for e in finding.evidence] == ["9800元", "8600元", "1600元"]


@pytest.mark.parametrize("text", [
    "全县教师平均工资9800元，高于全省平均水平（8600元）1200元。",
    "全市教师年均收入10.2万元，比全市公务员年均收入9.8万元高出0.4万元。",
])
def test_arith_diff_right_difference_is_quiet(text: str) -> None:
    assert only(text, "ARITH-DIFF") == []


def test_arith_diff_in_wan_units() -> None:
    (finding,) = only("全市教师年均收入10.2万元，比全市公务员年均收入9.8万元高出0.6万元。", "ARITH-DIFF")
    assert finding.expected == 4000 and finding.observed == 6000


def test_arith_parts_exceeding_total() -> None:
    (finding,) = only("全县共有中小学校56所，其中小学38所，初中15所，高中6所。", "ARITH-PARTS")
    assert finding.observed == 59 and finding.expected == 56 and finding.severity in ("warning", "error")


@pytest.mark.parametrize("text", [
    "全县共有中小学校56所，其中小学38所，初中15所。",  # a partial 其中 list
    "全县幼儿园127所（公办94所，民办33所）。",
    "新建学校10所，其中城区、镇区各3所，乡村4所。",  # 各 counts for each item
    "教师继续教育经费1001万余元，其中600万余元用于区级培训，401万元拨付学校。",  # 余 is "at least"
])
def test_arith_parts_that_add_up_are_quiet(text: str) -> None:
    assert only(text, "ARITH-PARTS") == []


def test_arith_parts_bracket_breakdown_and_distributive() -> None:
    (short,) = only("全县幼儿园127所（公办94所，民办30所）。", "ARITH-PARTS")
    assert short.observed == 124 and short.severity == "error"
    (distributive,) = only("新建学校9所，其中城区、镇区各3所，乡村4所。", "ARITH-PARTS")
    assert distributive.observed == 10


def test_arith_growth_wrong_base_is_named() -> None:
    (finding,) = only("全年教育经费达5.5亿元，比上年增加5000万元，增长9.09%。", "ARITH-GROWTH")
    assert finding.expected == 10 and finding.observed == 9.09
    assert "本期值" in finding.message
    (prior,) = only("小学生均公用经费12000元，比上年的11000元增长8.33%。", "ARITH-GROWTH")
    assert "本期值" in prior.message


@pytest.mark.parametrize("text", [
    "全年教育经费达5.5亿元，比上年增加5000万元，增长10%。",
    "小学生均公用经费12000元，比上年的11000元增长9.09%。",
    "在园幼儿由2018年的2000人增加到5000人，增长1.5倍。",  # 增长1.5倍 = ×2.5
])
def test_arith_growth_right_rates_are_quiet(text: str) -> None:
    assert only(text, "ARITH-GROWTH") == []


def test_arith_growth_times() -> None:
    (finding,) = only("在园幼儿由2018年的2000人增加到5000人，增长2倍。", "ARITH-GROWTH")
    assert finding.expected == 1.5 and finding.observed == 2


def test_arith_shortfall() -> None:
    (finding,) = only("全县应配专任教师560名，实有教师512名，缺口38名。", "ARITH-SHORT")
    assert (finding.expected, finding.observed) == (48, 38)
    assert only("全县应配专任教师560名，实有教师512名，尚缺48名。", "ARITH-SHORT") == []
    assert only("专任教师512名，兼职教师40名，缺口数为38名。", "ARITH-SHORT") == []  # no 应配: not checkable


def test_arith_respectively_counts() -> None:
    (finding,) = only("城区、镇区、乡村学校分别新增学位800个、650个。", "ARITH-RESPECTIVELY")
    assert (finding.expected, finding.observed) == (3, 2)
    assert only("城区、镇区、乡村学校分别新增学位800个、650个和420个。", "ARITH-RESPECTIVELY") == []


def test_arith_share_above_hundred() -> None:
    (finding,) = only("公办园在园幼儿占比达103.5%。", "ARITH-SHARE")
    assert finding.severity == "error"
    assert only("全县学前三年毛入园率达103.5%。", "ARITH-SHARE") == []
    assert only("公办园在园幼儿占比达93.5%。", "ARITH-SHARE") == []
    (suspicious,) = only("义务教育巩固率达100.8%。", "ARITH-SHARE")
    assert suspicious.severity == "warning"


# -- round 2: part lists bounded by ；, growth with 较…的, a prior figure in another sentence ---------------


def test_arith_parts_list_stops_at_semicolon() -> None:
    text = "全市共有普通高中24所，其中省级示范高中9所、市级示范高中17所；职业学校11所，其中国家级重点3所。"
    (finding,) = only(text, "ARITH-PARTS")
    assert finding.expected == 24 and finding.observed == 26
    assert "11所" not in "".join(e.quote for e in finding.evidence)


def test_arith_parts_next_list_is_not_summed_into_the_first() -> None:
    text = "全市共有普通高中24所，其中省级示范高中9所、市级示范高中12所；职业学校11所，其中国家级重点3所、省级重点5所。"
    assert only(text, "ARITH-PARTS") == []


def test_arith_growth_prior_in_the_same_clause_with_jiao() -> None:
    text = "2022年全州学前教育投入3.30亿元，较2021年的3.00亿元增长12%。"
    (finding,) = only(text, "ARITH-GROWTH")
    assert finding.severity == "error" and finding.expected == 10 and finding.observed == 12
    assert only(text.replace("增长12%", "增长10%"), "ARITH-GROWTH") == []


PRIOR_ELSEWHERE = (
    "一、主要成效\n2020年全盟义务教育阶段教育经费投入为5.20亿元。\n"
    "2021年全盟义务教育阶段教育经费投入达到5.72亿元，比上年增长{}。\n"
)


def test_arith_growth_prior_stated_in_another_sentence() -> None:
    (finding,) = only(PRIOR_ELSEWHERE.format("12%"), "ARITH-GROWTH")
    assert finding.severity == "warning" and finding.expected == 10 and finding.observed == 12
    assert {e.quote for e in finding.evidence} == {"5.20亿元", "5.72亿元", "12%"}


@pytest.mark.parametrize("text", [
    PRIOR_ELSEWHERE.format("10%"),  # 0.52 ÷ 5.20 = 10 %
    # the earlier figure measures something else: no prior to link
    PRIOR_ELSEWHERE.format("12%").replace("2020年全盟义务教育阶段教育经费投入", "2020年全盟普通高中教育经费投入"),
])
def test_arith_growth_prior_elsewhere_quiet(text: str) -> None:
    assert only(text, "ARITH-GROWTH") == []


def test_check_arithmetic_bare_figure_shares_the_basis_of_a_per_unit_one() -> None:
    from pipeline.check.arithmetic import same_unit
    from pipeline.check.engine import CheckContext, load_rule_data
    from pipeline.records import AuditInput, Document, Extraction, Quantity, Structure

    def money(text: str, value: int, unit: str) -> Quantity:
        return Quantity(text=text, start=0, end=len(text), page=1, kind="money", value=value, unit=unit)

    ctx = CheckContext(
        AuditInput(Document("x", "txt", "", "x"), Structure((), (), ()), Extraction()), load_rule_data()
    )
    per_year, bare, other = money("年均840元", 840, "元/年"), money("760元", 760, "元"), money("每月70元", 70, "元/月")
    assert same_unit(ctx, per_year, bare, money("80元", 80, "元"))
    assert not same_unit(ctx, per_year, other)


def test_arith_diff_per_year_average_against_a_bare_standard() -> None:
    (finding,) = only("初中生均公用经费年均840元，比市定标准760元高出90元。", "ARITH-DIFF")
    assert finding.expected == 80 and finding.observed == 90
    assert only("初中生均公用经费年均840元，比市定标准760元高出80元。", "ARITH-DIFF") == []
    # two different bases are not comparable: quiet rather than a false alarm
    assert only("教师每月补助300元，比每年补助标准3000元高出20元。", "ARITH-DIFF") == []


# -- round 3 (held-out reports): breakdowns along other attributes, adjusted bases, rates in 分别 lists ------


@pytest.mark.parametrize("text", [
    # a clause opening with "…中" breaks down a part again (专任教师中 …), not the total
    "全镇教职工612人，其中专任教师540人，专任教师中研究生学历35人、本科学历402人、高级职称97人。",
    # parts counted along different attributes overlap: 学历 and 职称, 女 and an age band
    "全市专任教师2860人，其中本科及以上学历2514人、高级职称633人。",
    "全旗专任教师1730人，其中女教师1188人、35岁以下教师906人。",
    # some parts with an attribute and some without
    "全县教职工3400人，其中专任教师3120人、少数民族教职工1460人。",
])
def test_arith_parts_cross_cutting_breakdowns_are_quiet(text: str) -> None:
    assert only(text, "ARITH-PARTS") == []


def test_arith_parts_one_attribute_is_still_a_partition() -> None:
    (finding,) = only("全市专任教师2860人，其中研究生学历120人、本科学历2500人、专科学历300人。", "ARITH-PARTS")
    assert finding.observed == 2920 and finding.expected == 2860
    # 初中/高中 are school levels, not a "…中" breakdown
    (levels,) = only("全县共有学校40所，其中小学24所、初中12所、普通高中6所。", "ARITH-PARTS")
    assert levels.observed == 42


ADJUSTED = "一、主要成效\n2022年全市教育经费总投入41.9亿元。\n2023年全市教育经费总投入42.6亿元，{}比上年增长6.5%。\n"


def test_arith_growth_on_an_adjusted_base_is_quiet() -> None:
    assert only(ADJUSTED.format("同口径"), "ARITH-GROWTH") == []
    assert only(ADJUSTED.format("按可比口径"), "ARITH-GROWTH") == []
    (finding,) = only(ADJUSTED.format(""), "ARITH-GROWTH")  # the raw figures give 1.67 %
    assert finding.severity == "warning" and finding.observed == 6.5


def test_arith_share_binds_rates_of_a_respectively_list_by_position() -> None:
    assert only("全县初中毛入学率、残疾儿童少年入学率分别为102.7%、96.4%。", "ARITH-SHARE") == []
    (finding,) = only("全县残疾儿童少年入学率、初中毛入学率分别为101.5%、99.2%。", "ARITH-SHARE")
    assert finding.observed == 101.5 and finding.severity == "error"

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


CLEARED = "一、主要成效\n全州城镇小区配套幼儿园治理问题已{}清零。\n二、存在的问题\n{}\n"


def test_claim_cleared_against_a_count_in_the_problems_section() -> None:
    (finding,) = findings_of(CLEARED.format("全面", "目前仍有小区配套幼儿园4所未移交教育部门。"), "CLAIM-FIGURE")
    assert finding.observed == 4 and finding.severity == "warning"
    assert "小区配套幼儿园4所" in "".join(e.quote for e in finding.evidence)


def test_claim_cleared_quiet_when_hedged_or_about_something_else() -> None:
    assert findings_of(CLEARED.format("基本", "目前仍有小区配套幼儿园4所未移交教育部门。"), "CLAIM-FIGURE") == []
    assert findings_of(CLEARED.format("全面", "目前仍有薄弱学校4所待改造。"), "CLAIM-FIGURE") == []


def test_claim_all_against_a_lower_share_of_the_same_rate() -> None:
    text = "一、主要成效\n全盟中小学心理健康教师配备率达到100%，其中农村牧区学校心理健康教师配备率为87.5%。\n"
    (finding,) = findings_of(text, "CLAIM-FIGURE")
    assert (finding.expected, finding.observed) == (100, 87.5)
    other = "一、主要成效\n全盟中小学心理健康教师配备率达到100%，校园食堂明厨亮灶改造完成率为87.5%。\n"
    assert findings_of(other, "CLAIM-FIGURE") == []


def test_claim_all_against_a_remaining_count() -> None:
    text = "一、主要成效\n全县寄宿制学校食堂全部完成明厨亮灶改造。\n二、存在的问题\n仍有5所寄宿制学校食堂明厨亮灶改造未完成验收。\n"
    (finding,) = findings_of(text, "CLAIM-FIGURE")
    assert finding.observed == 5
    quiet = "一、主要成效\n全县寄宿制学校食堂全部完成明厨亮灶改造。\n二、存在的问题\n仍有5所村小体育场地不达标。\n"
    assert findings_of(quiet, "CLAIM-FIGURE") == []


def test_claim_floor_against_a_lower_figure() -> None:
    claim = "一、主要成效\n乡村教师生活补助按每人每月不低于500元标准发放，{}。\n"
    (finding,) = findings_of(claim.format("其中一类地区教师每月补助420元"), "CLAIM-FIGURE")
    assert (finding.expected, finding.observed) == (500, 420)
    assert findings_of(claim.format("其中一类地区教师每月补助650元"), "CLAIM-FIGURE") == []
    assert findings_of(claim.format("人均增资150元"), "CLAIM-FIGURE") == []


# -- round 3 (held-out reports) ----------------------------------------------------------------------


def test_claim_only_increase_not_contradicted_by_fewer_pupils() -> None:
    text = ("一、主要成效\n一般公共预算教育支出实现只增不减，受生源变化影响，全市初中在校生比上年减少318人，"
            "初中生均教育经费仍有增长。\n")
    assert findings_of(text, "CLAIM-FIGURE") == []


def test_claim_cleared_not_contradicted_by_the_complement() -> None:
    cleared = "一、主要成效\n全市学科类校外培训机构已全面清零。\n二、存在的问题\n{}\n"
    assert findings_of(cleared.format("全市现有非学科类校外培训机构52家，监管力量不足。"), "CLAIM-FIGURE") == []
    (finding,) = findings_of(cleared.format("全市现有学科类校外培训机构2家仍在转型。"), "CLAIM-FIGURE")
    assert finding.observed == 2


def test_claim_all_not_contradicted_by_a_narrower_measure() -> None:
    text = "一、主要成效\n全市中小学专兼职心理健康教师配备率达到100%，其中专职心理健康教师配备率为58.3%。\n"
    assert findings_of(text, "CLAIM-FIGURE") == []


def test_claim_floor_on_a_total_does_not_bind_its_parts() -> None:
    text = "一、主要成效\n区财政安排学前教育发展资金不低于500万元，实际安排620万元，其中学前教育师资培训资金90万元。\n"
    assert findings_of(text, "CLAIM-FIGURE") == []
    low = "一、主要成效\n区财政安排学前教育发展资金不低于500万元，实际安排学前教育发展资金460万元。\n"
    (finding,) = findings_of(low, "CLAIM-FIGURE")
    assert (finding.expected, finding.observed) == (5000000, 4600000)


# -- named floors: A不低于B with A and B named (round 4, sample corpus) -------------------------------

PAY = "一、主要成效\n{}\n"


def test_claim_named_floor_against_lower_figures_in_the_paragraph() -> None:
    text = PAY.format("2021年全县义务教育教师年平均工资收入9.46万元，同期县公务员年平均工资收入9.82万元，"
                      "教师平均工资收入水平不低于当地公务员平均工资收入水平。")
    (finding,) = findings_of(text, "CLAIM-FIGURE")
    assert finding.severity == "warning"
    assert (finding.expected, finding.observed) == (98200, 94600)
    quotes = "".join(e.quote for e in finding.evidence)
    assert "9.46万元" in quotes and "9.82万元" in quotes and "不低于" in quotes


def test_claim_named_floor_cue_variants_and_short_second_name() -> None:
    for cue in ("不低于或高于", "高于"):
        text = PAY.format(f"全县义务教育教师平均工资收入8200元，县公务员平均工资收入8400元，教师平均工资收入{cue}当地公务员。")
        (finding,) = findings_of(text, "CLAIM-FIGURE")
        assert (finding.expected, finding.observed) == (8400, 8200)


def test_claim_named_floor_quiet_when_figures_agree() -> None:
    text = PAY.format("全县义务教育教师年平均工资收入9.96万元，县公务员年平均工资收入9.82万元，"
                      "教师平均工资收入水平不低于当地公务员平均工资收入水平。")
    assert findings_of(text, "CLAIM-FIGURE") == []
    approx = PAY.format("全县义务教育教师年平均工资收入约9.8万元，县公务员年平均工资收入9.82万元，教师平均工资收入不低于当地公务员。")
    assert findings_of(approx, "CLAIM-FIGURE") == []


def test_claim_named_floor_quiet_when_bases_differ() -> None:
    monthly = PAY.format("全县义务教育教师每月平均工资收入8200元，县公务员年平均工资收入8400元，教师平均工资收入不低于当地公务员。")
    assert findings_of(monthly, "CLAIM-FIGURE") == []
    years = PAY.format("2020年义务教育教师年平均工资收入9.46万元，2021年县公务员年平均工资收入9.82万元，"
                       "教师平均工资收入高于当地公务员。")
    assert findings_of(years, "CLAIM-FIGURE") == []


def test_claim_named_floor_quiet_on_plans_denials_and_ambiguity() -> None:
    plan = PAY.format("全县义务教育教师年平均工资收入9.46万元，县公务员年平均工资收入计划标准9.82万元，教师平均工资收入不低于当地公务员。")
    assert findings_of(plan, "CLAIM-FIGURE") == []
    denied = PAY.format("尚未实现教师平均工资收入不低于当地公务员，全县义务教育教师年平均工资收入9.46万元，"
                        "县公务员年平均工资收入9.82万元。")
    assert findings_of(denied, "CLAIM-FIGURE") == []
    two = PAY.format("全县义务教育教师平均工资收入8200元，公务员平均工资收入8400元，小学教师平均工资收入7900元，"
                     "教师平均工资收入不低于当地公务员。")
    assert findings_of(two, "CLAIM-FIGURE") == []  # which teachers' figure the claim means is not clear


def test_claim_named_floor_figures_elsewhere_in_the_report() -> None:
    text = ("一、主要成效\n教师平均工资收入水平不低于当地公务员平均工资收入水平。\n二、基本情况\n"
            "全县义务教育教师年平均工资收入9.46万元。\n县公务员年平均工资收入9.82万元。\n")
    (finding,) = findings_of(text, "CLAIM-FIGURE")
    assert finding.observed == 94600

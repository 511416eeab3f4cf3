"""Format rules on our own examples."""

from __future__ import annotations

from test_check_engine import findings_of


def test_fmt_title_nest_ascii_angle() -> None:
    (finding,) = findings_of("印发《关于落实<县域规划>的实施方案》。", "FMT-TITLE-NEST")
    assert finding.severity == "info" and "<县域规划>" in finding.evidence[0].quote
    assert findings_of("印发《关于落实〈县域规划〉的实施方案》。", "FMT-TITLE-NEST") == []


def test_fmt_bracket_unbalanced() -> None:
    (finding,) = findings_of("全面落实“双减政策，减轻学生负担。", "FMT-BRACKET")
    assert "“" in finding.evidence[0].quote
    assert findings_of("全面落实“双减”政策（试行），减轻学生负担。", "FMT-BRACKET") == []


def test_fmt_percentage_points_written_as_percent() -> None:
    (finding,) = findings_of("体质健康合格率由80.5%提高到95.5%，提高15%。", "FMT-PCT-POINT")
    assert finding.category == "format"
    assert findings_of("体质健康合格率由80.5%提高到95.5%，提高15个百分点。", "FMT-PCT-POINT") == []


def test_fmt_range_missing_first_scale() -> None:
    (finding,) = findings_of("计划投入9～16亿元建设新校区。", "FMT-RANGE")
    assert "9～16亿元" in finding.evidence[0].quote
    assert findings_of("计划投入9亿～16亿元建设新校区，服务0-18岁儿童。", "FMT-RANGE") == []


def test_fmt_unit_missing() -> None:
    (finding,) = findings_of("投资600余万改造操场。", "FMT-UNIT-MISSING")
    assert finding.evidence[0].quote == "600余万"
    assert findings_of("投资600余万元改造操场。", "FMT-UNIT-MISSING") == []


def test_fmt_heading_gap() -> None:
    gap = "一、总体情况\n全县学校56所。\n二、主要做法\n加强保障。\n四、存在问题\n经费不足。\n"
    (finding,) = findings_of(gap, "FMT-HEADING-SEQ")
    assert (finding.expected, finding.observed) == (3, 4)
    assert findings_of(gap.replace("四、", "三、"), "FMT-HEADING-SEQ") == []


def test_fmt_percentage_points_in_a_comparison() -> None:
    (finding,) = findings_of("全旗学前三年毛入园率87.4%，高出全区平均水平（85.1%）2.3%。", "FMT-PCT-POINT")
    assert finding.severity == "warning" and "2.3%" in [e.quote for e in finding.evidence]
    assert findings_of("全旗学前三年毛入园率87.4%，高出全区平均水平（85.1%）2.3个百分点。", "FMT-PCT-POINT") == []


def test_fmt_percentage_points_relative_comparison_is_quiet() -> None:
    # 12 ÷ 40 = 30 %: a relative comparison, right as written
    assert findings_of("全州学生体质优良率52%，比2019年的40%高30%。", "FMT-PCT-POINT") == []


def test_fmt_unit_missing_before_a_preposition() -> None:
    (finding,) = findings_of("县财政拨付350万对9所村小进行校舍维修。", "FMT-UNIT-MISSING")
    assert finding.evidence[0].quote == "350万"
    assert findings_of("县财政拨付350万元对9所村小进行校舍维修。", "FMT-UNIT-MISSING") == []
    assert findings_of("为寄宿生发放护眼台灯1.2万对。", "FMT-UNIT-MISSING") == []


def test_fmt_bracket_paragraph_split_by_a_line_break() -> None:
    split = "全州共有中小学（含教学\n点）312所，其中农村学校280所。\n"
    assert findings_of(split, "FMT-BRACKET") == []
    # a paragraph that ends with 。 is complete: its bracket and the next paragraph's are both unmatched
    found = findings_of("全州共有中小学（含教学点。\n新建校舍3栋）。\n", "FMT-BRACKET")
    assert sorted(f.message[1] for f in found) == ["（", "）"]


def scheme_report(headings: int) -> str:
    names = ["坚持党的领导", "保障教育投入", "落实立德树人", "加强教师队伍", "促进教育公平", "确保校园安全", "规范办学行为"]
    body = "".join(f"（{'一二三四五六七'[i]}）{w}\n全州扎实推进相关工作。\n" for i, w in enumerate(names[:headings]))
    return ("某州人民政府关于2022年度履行教育职责情况的自评报告\n\n按照评价方案要求，我州对照7个方面评价重点开展自评。\n"
            "一、自评工作开展情况\n州政府成立工作专班。\n二、履行教育职责主要成效\n" + body
            + "三、存在的问题\n部分学校师资不足。\n\n某州人民政府\n2022年11月30日")


def test_fmt_scheme_count_differs_from_headings() -> None:
    (finding,) = findings_of(scheme_report(6), "FMT-SCHEME-COUNT")
    assert (finding.expected, finding.observed) == (7, 6)
    assert "7个方面评价重点" in finding.evidence[0].quote
    assert findings_of(scheme_report(7), "FMT-SCHEME-COUNT") == []


# -- FMT-BOUNDS: contradictory bounds on one number (standards.md N-10) --------------------------------


def test_fmt_bounds_below_and_above_on_one_number() -> None:
    text = "一、主要成效\n全年培训将近4000余人次，约300多所学校参与，接近1.5万余元，不足50人以上。\n"
    found = findings_of(text, "FMT-BOUNDS")
    assert [f.evidence[0].quote for f in found] == ["将近4000余人次", "约300多所", "接近1.5万余元", "不足50人以上"]
    assert all(f.severity == "warning" and f.category == "format" for f in found)


def test_fmt_bounds_quiet_on_one_sided_and_other_words() -> None:
    text = ("一、主要成效\n近300所学校达标，培训4000余人次，近三年新建学校共300余所，约300所，"
            "与高校签约300余所，节约资金2000多万元，最近3年多来成效明显。\n")
    assert findings_of(text, "FMT-BOUNDS") == []

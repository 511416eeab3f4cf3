"""Heading parser and tree: each numbering variant on invented lines (many provinces' styles)."""

from __future__ import annotations

import pytest

from pipeline.records import Document
from pipeline.segment import chinese_to_int, parse_heading, segment


def _doc(text: str) -> Document:
    return Document(path="example.txt", media_type="txt", sha256="", text=text)


@pytest.mark.parametrize(
    ("line", "level", "index", "marker", "label"),
    [
        ("一、基本情况", 1, 1, "一、", "基本情况"),
        ("十二、其他事项", 1, 12, "十二、", "其他事项"),
        ("三.存在问题", 1, 3, "三.", "存在问题"),
        ("（二）主要做法", 2, 2, "（二）", "主要做法"),
        ("(三)工作成效", 2, 3, "(三)", "工作成效"),
        ("(-)强化组织领导", 2, 1, "(-)", "强化组织领导"),
        ("（－）强化组织领导", 2, 1, "（－）", "强化组织领导"),
        ("1．健全投入机制", 3, 1, "1．", "健全投入机制"),
        ("2.健全投入机制", 3, 2, "2.", "健全投入机制"),
        ("3、健全投入机制", 3, 3, "3、", "健全投入机制"),
        ("4 .健全投入机制", 3, 4, "4 .", "健全投入机制"),
        ("１２．健全投入机制", 3, 12, "１２．", "健全投入机制"),
        ("5强化师资配备", 3, 5, "5", "强化师资配备"),
        ("（1）加快学校建设", 4, 1, "（1）", "加快学校建设"),
        ("(10)加快学校建设", 4, 10, "(10)", "加快学校建设"),
        ("  （四）改进措施  ", 2, 4, "（四）", "改进措施"),
    ],
)
def test_marker_variants(line, level, index, marker, label):
    parsed = parse_heading(line)
    assert parsed is not None
    assert (parsed.level, parsed.index, parsed.marker, parsed.label) == (level, index, marker, label)
    assert parsed.rest.strip() == ""


@pytest.mark.parametrize(
    "line",
    [
        "2022年全县新建幼儿园4所。",  # a year, not item 20
        "12月底前完成验收。",  # a month
        "3所学校完成改造，新增学位900个。",  # a count
        "1.5亿元用于校舍维修。",  # a decimal
        "1.0版本平台上线运行。",  # a version
        "一是加大投入。二是优化布局。",  # an inline enumerator
        "一、二年级全面推行课后服务。",  # a list of grades
        "全县共有中小学56所。",
        "（联系人：张某；电话：12345678）",
        "7",  # a bare number
        "",
    ],
)
def test_non_headings(line):
    assert parse_heading(line) is None


@pytest.mark.parametrize(
    ("line", "level", "label", "rest"),
    [
        ("一、2020年本县教育基本情况", 1, "2020年本县教育基本情况", ""),
        ("二、２０２１年度某区教育概况", 1, "２０２１年度某区教育概况", ""),  # full-width digits
        ("三、2016—2018年评价反馈问题整改情况", 1, "2016—2018年评价反馈问题整改情况", ""),  # a year range
        ("四、2019-2021年督导问题整改落实情况", 1, "2019-2021年督导问题整改落实情况", ""),
        ("五、2020年中小学教育发展情况", 1, "2020年中小学教育发展情况", ""),  # 年中 here is no mid-year
        ("（二）2023年重点任务推进情况（本项满分10分，自评得9分）", 2, "2023年重点任务推进情况", ""),
        ("一、2020年某县教育基本情况。全县辖9个乡镇。", 1, "2020年某县教育基本情况", "全县辖9个乡镇。"),  # lead sentence
        ("  一、 2020 年本县教育基本情况", 1, "2020 年本县教育基本情况", ""),  # PDF spaces around digits
    ],
)
def test_year_led_headings(line, level, label, rest):
    parsed = parse_heading(line)
    assert parsed is not None
    assert (parsed.level, parsed.label, parsed.rest) == (level, label, rest)


@pytest.mark.parametrize(
    "line",
    [
        "一、2021年3月，县政府召开全县教育工作会议。",  # a date opening a narrative sentence
        "一、2021年，全县新增学位3200个。",  # the year as an adverbial, then a clause
        "一、2021年全县新建幼儿园5所。",  # a figure in the sentence
        "一、2021年底前完成全部校舍改造。",  # a point in time
        "一、2021年",  # a bare year: likelier a wrapped line than a heading
        "一、1.5万人次参加教师培训。",  # a figure, not a year
        "一、15所学校完成标准化建设",  # a count
        "（一）3.2亿元用于校舍建设",
        "一、2021年本县进一步加大教育经费投入力度全面改善城乡学校办学条件持续提升教育教学质量",  # too long
        "二、三年级学生全部参加课后服务。",  # a list of grades
        "1、2年级实行无书面作业。",  # a list of grades after an Arabic marker
        "2021年9月，区政府召开教育工作会议。",  # no marker at all
        "1.5万人次参加教师培训。",
    ],
)
def test_digit_led_lines_that_are_not_headings(line):
    assert parse_heading(line) is None


def test_year_led_heading_in_a_report():
    text = "\n".join(
        [
            "某区人民政府关于履行教育职责情况的自评报告",
            "一、2020年本区教育基本情况",
            "全区辖6个街道，常住人口28万。",
            "一、2021年3月，区政府召开教育工作会议。",
            "二、主要工作及成效",
            "教育经费逐年增长。",
        ]
    )
    structure = segment(_doc(text))
    assert [(h.level, h.label, h.role) for h in structure.headings] == [
        (1, "2020年本区教育基本情况", "background"),
        (1, "主要工作及成效", "achievement"),
    ]
    assert structure.section_at(text.index("常住人口")) == "background"
    assert structure.section_at(text.index("区政府召开")) == "background"  # a paragraph of the part


def test_lead_sentence_heading_is_split_from_its_body():
    line = "3．完善经费保障机制。一是足额拨付生均经费；二是按时发放教师绩效工资。"
    parsed = parse_heading(line)
    assert parsed is not None
    assert parsed.label == "完善经费保障机制"
    assert line[parsed.start : parsed.end] == "3．完善经费保障机制。"
    assert parsed.rest == "一是足额拨付生均经费；二是按时发放教师绩效工资。"


def test_stop_inside_quotes_does_not_end_the_heading():
    parsed = parse_heading("2．落实“控辍保学。”专项行动。全县无辍学学生。")
    assert parsed is not None
    assert parsed.label == "落实“控辍保学。”专项行动"


@pytest.mark.parametrize(
    ("line", "label", "note"),
    [
        ("（一）教育优先发展（本项满分10分，自评得9分）", "教育优先发展", "本项满分10分，自评得9分"),
        ("(二)教师队伍建设(分值20分,得分18.5分)", "教师队伍建设", "分值20分,得分18.5分"),
        ("三、学校安全管理（25分）", "学校安全管理", "25分"),
        ("4．规范办学行为（分值xx分，得分xx分）。全县无违规招生。", "规范办学行为", "分值xx分，得分xx分"),
    ],
)
def test_score_notes_are_stripped_from_the_label(line, label, note):
    parsed = parse_heading(line)
    assert parsed is not None
    assert parsed.label == label
    assert parsed.score_note == note


def test_heading_without_score_has_no_note():
    parsed = parse_heading("（三）学生资助到位（资助学生1200人）")
    assert parsed is not None
    assert parsed.score_note is None


def test_chinese_numerals():
    assert [chinese_to_int(n) for n in ("一", "九", "十", "十一", "二十", "九十九")] == [1, 9, 10, 11, 20, 99]
    assert chinese_to_int("十十") is None
    assert chinese_to_int("") is None


SKIPPED_AND_CONTINUED = "\n".join(
    [
        "某县人民政府关于履行教育职责情况的自评报告",
        "市教育督导委员会：",
        "根据评价方案要求，我县开展了自查自评，现报告如下：",
        "一、基本情况",
        "全县辖12个乡镇，常住人口31万。",
        "一、主要成效",
        "1.党建引领有力",
        "县委常委会每季度研究教育工作。",
        "（一）队伍建设",
        "3.教师待遇落实",
        "教师平均工资不低于公务员。",
        "（二）条件改善",
        "4.校舍改造完成",
        "（1）新建教学楼两栋",
        "二、存在的问题",
        "1．学前教育资源不足",
        "三、下一步工作打算",
        "1、加大投入。力争两年内补齐短板。",
        "某县人民政府",
        "2023年3月2日",
    ]
)


def test_tree_with_repeated_numeral_skipped_level_and_continuing_items():
    structure = segment(_doc(SKIPPED_AND_CONTINUED))
    headings = structure.headings
    labels = [h.label for h in headings]
    assert labels == [
        "基本情况", "主要成效", "党建引领有力", "队伍建设", "教师待遇落实", "条件改善",
        "校舍改造完成", "新建教学楼两栋", "存在的问题", "学前教育资源不足", "下一步工作打算", "加大投入",
    ]
    by_label = {h.label: h for h in headings}
    # two top-level headings both numbered 一、 are both kept
    assert [h.index for h in headings if h.level == 1] == [1, 1, 2, 3]
    # 一、 straight to 1. : the item's parent is the level-1 heading
    assert headings[by_label["党建引领有力"].parent].label == "主要成效"
    # item numbers continue across （一）/（二）
    assert by_label["教师待遇落实"].index == 3 and headings[by_label["教师待遇落实"].parent].label == "队伍建设"
    assert by_label["校舍改造完成"].index == 4 and headings[by_label["校舍改造完成"].parent].label == "条件改善"
    assert headings[by_label["新建教学楼两栋"].parent].label == "校舍改造完成"
    assert by_label["主要成效"].parent is None
    for heading in headings:
        assert structure_text(heading) == heading.text


def structure_text(heading) -> str:
    return SKIPPED_AND_CONTINUED[heading.start : heading.end]


def test_inline_enumerations_split_paragraphs_into_items():
    text = "一、工作成效\n全面改善办学条件。一是新建学校3所；二是改扩建校舍2万平方米；三是配齐实验设备。\n第一，经费足额到位；第二，教师按时补充。"
    structure = segment(_doc(text))
    body = [p for p in structure.passages if p.kind != "heading"]
    kinds = [(p.kind, text[p.start : p.end][:4]) for p in body]
    assert kinds == [
        ("paragraph", "全面改善"),
        ("item", "一是新建"),
        ("item", "二是改扩"),
        ("item", "三是配齐"),
        ("item", "第一，经"),
        ("item", "第二，教"),
    ]
    assert len(structure.headings) == 1


def test_lone_or_embedded_enumerator_does_not_split():
    text = "一、工作成效\n这是全县唯一是否达标的评估。统一是前提。\n实现第一个“只增不减”，第二个“只增不减”也已实现。"
    structure = segment(_doc(text))
    body = [p for p in structure.passages if p.kind != "heading"]
    assert [p.kind for p in body] == ["paragraph", "paragraph"]

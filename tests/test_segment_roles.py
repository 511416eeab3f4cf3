"""Section roles: fuzzy matching of heading labels, combined sections, inheritance, opening and closing."""

from __future__ import annotations

import pytest

from pipeline.errors import ConfigError
from pipeline.records import Document
from pipeline.segment import SectionLexicon, role_of_label, segment


@pytest.fixture(scope="module")
def lexicon() -> SectionLexicon:
    return SectionLexicon.load()


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("自查工作开展情况", "process"),
        ("开展自查工作情况", "process"),
        ("基本情况", "background"),
        ("我县教育基本情况", "background"),  # a place word in front
        ("2020年本县教育基本情况", "background"),  # a year in front
        ("县情与教育概况", "background"),
        ("主要成效", "achievement"),
        ("主要做法及取得的成效", "achievement"),  # not in the table word for word
        ("履行教育职责情况", "achievement"),
        ("自查情况及经验做法", "achievement"),  # contains 自查情况, but is the longer achievement name
        ("主要做法", "practice"),
        ("存在问题", "problem"),
        ("存在的主要困难和问题", "problem"),
        ("存在的问题和改进措施", "problem"),  # combined: the first part's role
        ("工作成效与存在问题", "achievement"),  # combined, not in the table: split at 与
        ("整改措施", "measure"),
        ("下一步工作打算", "measure"),
        ("今后工作打算和建议", "measure"),
        ("（二）改进措施。", "measure"),  # marker, punctuation ignored
        ("ＸＸ年度下一步工作措施", "measure"),
    ],
)
def test_labels_map_to_roles(lexicon, label, role):
    assert role_of_label(label, lexicon) == role


@pytest.mark.parametrize(
    ("label", "role"),
    [
        # the work done joined with its results: achievement
        ("主要工作及成效", "achievement"),
        ("三、主要工作及成效", "achievement"),
        ("工作开展情况及成效", "achievement"),
        ("主要举措和成效", "achievement"),
        ("主要举措与取得的成效", "achievement"),
        ("重点工作推进情况", "achievement"),
        ("2023年重点任务落实情况", "achievement"),
        ("各项工作完成情况", "achievement"),
        ("经验做法及成效", "achievement"),  # holds the practice name 经验做法, but names the results
        ("履行教育职责主要工作", "achievement"),
        # how the self-check was organised: process
        ("自评工作组织情况", "process"),
        ("自查自评组织实施情况", "process"),
        # plans not in the table: measure
        ("下一步主要工作", "measure"),
        ("今后重点工作", "measure"),
        # table names keep their roles next to the families
        ("自查工作开展情况", "process"),
        ("存在问题及下一步打算", "problem"),
        ("自查存在的问题", "problem"),
        ("工作成效与存在问题", "achievement"),
    ],
)
def test_name_families_map_to_roles(lexicon, label, role):
    assert role_of_label(label, lexicon) == role


@pytest.mark.parametrize(
    ("label", "role"),
    [
        # what was fixed since the last evaluation: reported results (section_roles.yaml)
        ("反馈问题整改情况", "achievement"),
        ("督导反馈问题整改情况", "achievement"),
        ("2019年省级评价反馈问题整改情况", "achievement"),
        ("2019—2021年履行教育职责存在问题整改情况", "achievement"),  # holds 存在问题, still not the problems
        ("上轮督导问题整改完成情况", "achievement"),  # a family word, not a table name
        ("督导问题整改“回头看”情况", "achievement"),
        # neighbours keep their roles
        ("自查自评安排部署及反馈问题整改情况", "process"),
        ("存在的问题及整改措施", "problem"),
        ("问题整改措施", "measure"),
        ("存在问题及整改打算", "problem"),
    ],
)
def test_previous_round_rectification_is_achievement(lexicon, label, role):
    assert role_of_label(label, lexicon) == role


@pytest.mark.parametrize(
    "label",
    [
        "加强师资队伍建设",  # a topic, not a section name
        "统筹推进教育工作情况",  # a topic written as 情况: no practice+result pair
        "（一）加强党对教育工作的全面领导（本项满分15分，自评得14.5分）",
        "健全工作机制",  # a practice word alone
        "成效显著",  # an achievement word alone
        "主要工作",  # bare: the plan or the record, the heading does not say
        "问题整改工作推进情况",  # a topic: 整改 not joined to its outcome (整改情况, 整改完成)
    ],
)
def test_topic_labels_stay_without_role(lexicon, label):
    assert role_of_label(label, lexicon) is None


@pytest.mark.parametrize(
    "label",
    ["强化师资队伍建设", "落实教育优先发展", "学前教育资源不足", "规范办学行为", "加快推进标准化建设", "", "。"],
)
def test_item_labels_have_no_role(lexicon, label):
    assert role_of_label(label, lexicon) is None


def test_bad_lexicon_raises_config_error(tmp_path):
    bad = tmp_path / "roles.yaml"
    bad.write_text("roles:\n  nonsense: [甲乙]\nclosing: {}\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        SectionLexicon.load(bad)
    with pytest.raises(ConfigError):
        SectionLexicon.load(tmp_path / "missing.yaml")


def test_bad_compound_names_raise_config_error(tmp_path):
    base = "roles:\n  problem: [存在问题]\nclosing: {issuer_suffixes: [政府], date_pattern: x, contact_cues: [电话]}\n"
    for compound in ("- {role: nonsense, all_of: [[工作]]}", "- {role: achievement, all_of: []}",
                     "- {role: achievement, all_of: [[]]}", "- {role: achievement}"):
        bad = tmp_path / "roles.yaml"
        bad.write_text(base + "compound_names:\n  " + compound + "\n", encoding="utf-8")
        with pytest.raises(ConfigError):
            SectionLexicon.load(bad)
    good = tmp_path / "good.yaml"
    good.write_text(base + "compound_names:\n  - {role: achievement, all_of: [[工作], [成效]], none_of: [问题]}\n",
                    encoding="utf-8")
    lexicon = SectionLexicon.load(good)
    assert role_of_label("主要工作及成效", lexicon) == "achievement"
    assert role_of_label("工作成效中的问题", lexicon) is None
    assert role_of_label("主要工作", lexicon) is None


REPORT = "\n".join(
    [
        "某区人民政府2022年度履行教育职责自评报告",
        "",
        "市人民政府教育督导室：",
        "全区辖8个街道，常住人口42万，现有各级各类学校96所。",
        "根据督导评价方案，我区组织开展了自查自评，现将有关情况报告如下：",
        "一、主要做法与成效",
        "（一）保障教育投入",
        "1.经费逐年增长。全区教育经费实现“两个只增不减”。",
        "二、存在的问题及整改措施",
        "（一）存在的问题",
        "1.师资结构性缺编。音体美教师缺口较大。",
        "（二）整改措施",
        "1.补齐师资。计划三年内招聘教师200名。",
        "某区人民政府",
        "2023年1月10日",
        "(联系人:王某;联系电话:00000000)",
    ]
)


def _segment(text: str):
    return segment(Document(path="r.txt", media_type="txt", sha256="", text=text))


def section_of(structure, text: str, words: str) -> str:
    offset = text.index(words)
    return structure.section_at(offset)


def test_roles_in_a_whole_report():
    structure = _segment(REPORT)
    roles = {h.label: h.role for h in structure.headings}
    assert roles["主要做法与成效"] == "achievement"
    assert roles["保障教育投入"] is None  # a topic, no role of its own
    assert roles["经费逐年增长"] is None
    assert roles["存在的问题及整改措施"] == "problem"
    assert roles["存在的问题"] == "problem"
    assert roles["整改措施"] == "measure"
    assert section_of(structure, REPORT, "全区教育经费") == "achievement"
    assert section_of(structure, REPORT, "音体美教师") == "problem"
    assert section_of(structure, REPORT, "计划三年内") == "measure"
    assert section_of(structure, REPORT, "常住人口") == "background"  # the district, not the self-check
    assert section_of(structure, REPORT, "现将有关情况") == "process"
    assert section_of(structure, REPORT, "市人民政府教育督导室") == "other"
    assert section_of(structure, REPORT, "2023年1月10日") == "closing"
    assert section_of(structure, REPORT, "联系人") == "closing"
    assert structure.meta.issuer == "某区人民政府"
    assert structure.meta.addressee == "市人民政府教育督导室"
    assert structure.meta.period == "2022年度"


def test_unmatched_headings_give_other_and_no_closing_without_signature():
    text = "一、加强组织领导\n成立领导小组。\n二、加大经费投入\n经费逐年增长。"
    structure = _segment(text)
    assert [h.role for h in structure.headings] == [None, None]
    assert {p.section for p in structure.passages} == {"other"}
    assert structure.meta.issuer is None


def test_background_opening_without_self_check_words():
    text = "某县教育工作报告\n全县辖12个乡镇，常住人口31万。\n一、主要成效\n新建学校两所。"
    structure = _segment(text)
    assert section_of(structure, text, "常住人口") == "background"
    assert section_of(structure, text, "某县教育工作报告") == "other"

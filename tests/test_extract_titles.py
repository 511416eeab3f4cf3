"""Titles: gold on the Dazu report; nesting, bracket problems and types on our own examples."""

from __future__ import annotations

import pytest

from pipeline.extract.titles import find_titles, scan_titles, title_type


def test_dazu_gold(dazu_text, gold_titles):
    found = find_titles(dazu_text)
    got = [(t.start, t.end, t.text, t.title, t.type, t.nested_in, t.docno) for t in found]
    want = [(g["start"], g["end"], g["text"], g["title"], g["type"], g["nested_in"], g["docno"])
            for g in gold_titles]
    assert got == want
    assert all(dazu_text[t.start:t.end] == t.text for t in found)
    flagged = [(t.title, t.bracket_problems) for t in found if t.bracket_problems]
    assert len(flagged) == 2 and all(problems == ("ascii_angle",) for _, problems in flagged)


def test_nested_with_standard_inner_marks():
    text = "转发《关于印发〈丁市义务教育质量评价实施细则〉的通知》"
    outer, inner = find_titles(text)
    assert outer.title == "关于印发〈丁市义务教育质量评价实施细则〉的通知" and outer.nested_in is None
    assert inner.text == "〈丁市义务教育质量评价实施细则〉" and inner.nested_in == outer.title
    assert outer.bracket_problems == () and inner.bracket_problems == ()


def test_nested_with_ascii_angle_and_space():
    text = "落实《关于印发 <2020年戊县学前教育提升计划>的通知》"
    outer, inner = find_titles(text)
    assert inner.title == "2020年戊县学前教育提升计划" and inner.nested_in == outer.title
    assert "ascii_angle" in outer.bracket_problems and "ascii_angle" in inner.bracket_problems


def test_nested_with_book_marks_and_doubled_marks():
    outer, inner = find_titles("按照《己省关于印发《中小学作业管理细则》的通知》执行")
    assert inner.title == "中小学作业管理细则" and inner.nested_in == outer.title
    assert outer.bracket_problems == ("double_book",)
    (single,) = find_titles("印发《《庚县控辍保学工作方案》》")
    assert single.title == "庚县控辍保学工作方案" and single.bracket_problems == ("double_book",)


def test_lone_angle_sign_is_not_a_title_bracket():
    (title,) = find_titles("《班额<45人的学校名单》")
    assert title.title == "班额<45人的学校名单" and title.bracket_problems == ()


def test_unbalanced_title_ends_at_clause():
    titles = find_titles("根据《辛县学校安全管理办法，落实责任。另见《壬县方案》。")
    assert [(t.title, t.bracket_problems) for t in titles] == [
        ("辛县学校安全管理办法", ("unbalanced",)), ("壬县方案", ())]
    (outer, inner) = find_titles("《关于转发〈癸市规划的通知》")
    assert "unbalanced" in outer.bracket_problems and "unbalanced" in inner.bracket_problems


def test_no_titles_without_book_marks():
    assert find_titles("全县落实“双减”政策，开展〈〉和<>讨论。") == ()
    assert scan_titles("《》") == ()


@pytest.mark.parametrize("title, kind", [
    ("中华人民共和国义务教育法", "law"),
    ("学校卫生工作条例", "law"),
    ("某市校外培训机构管理办法", "policy"),
    ("某县学生资助实施细则（试行）", "policy"),
    ("某区校园欺凌防治工作方案", "policy"),
    ("学生安全承诺书", "form"),
    ("致全县学生家长的一封信", "form"),
    ("某县人民政府履行教育职责自评报告", "report"),
    ("论语", "other"),
    ("告家长\n书", "form"),  # a line break from PDF text inside the title
])
def test_title_types(title, kind):
    assert title_type(title) == kind


def test_hostile_marks_do_not_recurse_or_stall():
    text = "《〈<" * 4000 + "《" * 20000 + "》" * 100
    titles = find_titles(text)
    assert all(text[t.start:t.end] == t.text for t in titles)
    assert all(t.title.strip("《〈<》〉> ") for t in titles)  # no title made of marks only

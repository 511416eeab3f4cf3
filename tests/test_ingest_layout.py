"""Paragraph rebuilding for left-aligned (ragged-right) text, on synthetic lines of our own.

A line that stops short of the right edge ends its paragraph only if the next line's first
unbreakable run would have fitted in the room left; an indented next line, a sentence-final
line with room for that run, a centred line and a wide gap still end paragraphs.
"""

from __future__ import annotations

import pytest

from pipeline.ingest.layout import (
    LayoutLine,
    PageGeometry,
    ends_paragraph,
    first_run_width,
    measure,
    merge_fragments,
    rebuild,
)

EM = 12.0
LEFT, RIGHT = 72.0, 522.0
PITCH = 20.0


def _line(text: str, row: int, *, x0: float = LEFT, x1: float = RIGHT, size: float = EM, page: int = 0,
          y: float | None = None) -> LayoutLine:
    return LayoutLine(text=text, page=page, x0=x0, x1=x1, y=700 - PITCH * row if y is None else y, size=size)


def _paragraphs(lines: list[LayoutLine], widths: list[float] | None = None) -> list[str]:
    return rebuild([lines], widths).text.split("\n")


GEOMETRY = PageGeometry(left=LEFT, right=RIGHT, size=EM, pitch=PITCH, edge=RIGHT)


# --- the first unbreakable run of a line ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ems"),
    [
        ("全县共有学校", 1.0),  # CJK breaks after every character
        ("点）186所，其中", 3.75),  # a closing mark never starts a line, and keeps the number after it
        ("人。2020 年，全县", 4.25),  # the layout space next to a CJK character is no break
        ("作“状元”行为", 3.0),  # a quotation mark binds to both neighbours
        ("98.6%，高于全省", 3.75),  # a number with its point, percent sign and the comma after it
        ("《实施方案》印发", 2.0),  # an opening mark never ends a line
        ("Windows 10系统", 3.5),  # a Latin word up to the space
        ("  ", 0.0),
    ],
)
def test_first_run_width(text: str, ems: float) -> None:
    assert first_run_width(text) == pytest.approx(ems)


# --- ragged right: short lines inside a paragraph ------------------------------------------


def test_short_line_joins_when_the_next_run_would_not_have_fitted() -> None:
    lines = [
        _line("2．城乡一体化发展。全县现有中小学校与幼儿园合计", 0, x0=LEFT + 2 * EM, x1=RIGHT - 0.4 * EM),
        _line("两百余处，其中县城学校三十所（含附设教学", 1, x1=RIGHT - 3 * EM),  # 3 em short …
        _line("点）186所，农村学校全部完成标准化建设，各校均已", 2, x1=RIGHT - 0.6 * EM),  # … '点）186' needs 3.75
        _line("接入城域网。", 3, x1=LEFT + 6 * EM),
    ]
    assert _paragraphs(lines) == [
        "2．城乡一体化发展。全县现有中小学校与幼儿园合计两百余处，其中县城学校三十所（含附设教学"
        "点）186所，农村学校全部完成标准化建设，各校均已接入城域网。"
    ]


def test_short_line_ends_the_paragraph_when_the_next_run_would_have_fitted() -> None:
    # no indent in this document: the room left (3 em) would have taken '全' (1 em)
    lines = [
        _line("全县新建学校食堂十二个，改造学生宿舍", 0, x1=RIGHT - 0.2 * EM),
        _line("八千平方米，惠及寄宿学生五千余人", 1, x1=RIGHT - 3 * EM),
        _line("全县教师培训经费按公用经费百分之五安排，", 2, x1=RIGHT - 0.3 * EM),
        _line("年内全部落实到位。", 3, x1=LEFT + 9 * EM),
    ]
    assert _paragraphs(lines) == [
        "全县新建学校食堂十二个，改造学生宿舍八千平方米，惠及寄宿学生五千余人",
        "全县教师培训经费按公用经费百分之五安排，年内全部落实到位。",
    ]


def test_a_sentence_end_needs_only_the_room_for_the_run() -> None:
    following = _line("全县中小学均已建立家长委员会。", 1)
    ended = _line("课后服务覆盖全部义务教育学校。", 0, x1=RIGHT - 1.2 * EM)
    unended = _line("课后服务覆盖全部义务教育学校，", 0, x1=RIGHT - 1.2 * EM)
    assert ends_paragraph(ended, following, GEOMETRY)  # '全' (1 em) fitted in 1.2 em after a full stop
    assert not ends_paragraph(unended, following, GEOMETRY)  # without one, 1.2 em is within the tolerance


def test_indent_and_wide_gap_end_a_paragraph_whatever_the_room() -> None:
    full = _line("全县义务教育阶段学校全部实现免试就近入学，公办民办同步", 0, x1=RIGHT)
    indented = _line("招生工作平稳有序。", 1, x0=LEFT + 2 * EM)
    far_below = _line("招生工作平稳有序。", 4)
    close_below = _line("招生工作平稳有序。", 1)
    assert ends_paragraph(full, indented, GEOMETRY)
    assert ends_paragraph(full, far_below, GEOMETRY)
    assert not ends_paragraph(full, close_below, GEOMETRY)


def test_right_edge_is_where_the_longest_lines_end() -> None:
    # ragged right: most lines end a little before the edge, the longest at it
    ends = [RIGHT - 0.8 * EM, RIGHT - 0.5 * EM, RIGHT, RIGHT - 1.5 * EM, RIGHT - 0.2 * EM, RIGHT - 0.7 * EM,
            RIGHT, RIGHT - 0.4 * EM, RIGHT - 1.1 * EM, RIGHT - 0.1 * EM]
    geometry = measure([_line("教育" * 18, row, x1=x1) for row, x1 in enumerate(ends)])
    assert geometry.right_edge == pytest.approx(RIGHT)
    assert geometry.right < RIGHT  # the centring margin stays where most lines end


# --- centred display lines ----------------------------------------------------------------


def _title(first_x0: float, first_x1: float, second: str, second_x0: float, second_x1: float) -> list[LayoutLine]:
    big = 22.0
    body = [_line("县人民政府高度重视教育督导评估工作，认真组织开展自查", 3 + row, x1=RIGHT - 0.3 * EM)
            for row in range(6)]
    return [
        _line("某县人民政府关于二〇二二年度履行教育职责", 0, x0=first_x0, x1=first_x1, size=big),
        _line(second, 1.6, x0=second_x0, x1=second_x1, size=big),
    ] + body


def test_a_full_centred_title_line_continues_on_the_next_centred_line() -> None:
    lines = _title(LEFT + 0.5 * EM, RIGHT - 0.5 * EM, "情况的自查报告", 220.0, 374.0)
    paragraphs = _paragraphs(lines, [595.0])
    assert paragraphs[0] == "某县人民政府关于二〇二二年度履行教育职责情况的自查报告"


def test_a_centred_line_after_a_title_line_with_room_stays_apart() -> None:
    # the first title line left room for '报' (22 pt): the second line is a line of its own
    lines = _title(150.0, 444.0, "报告", 275.0, 319.0)
    paragraphs = _paragraphs(lines, [595.0])
    assert paragraphs[:2] == ["某县人民政府关于二〇二二年度履行教育职责", "报告"]


def test_a_centred_body_line_after_a_full_body_line_stays_apart() -> None:
    full = _line("各校均按要求完成自查并上报佐证材料，县督导室逐项复核", 0, x1=RIGHT)
    centred = _line("表1 各校自查得分", 1, x0=247.0, x1=347.0)
    assert ends_paragraph(full, centred, GEOMETRY)


# --- pieces of one printed line -------------------------------------------------------------


def test_pieces_on_one_baseline_are_one_line() -> None:
    first = _line("全县学校配备专职保安员六百余名，", 0, x1=300.0)
    second = _line("“一键式”紧急报警全部接入公安系统，", 0, x0=300.0, x1=RIGHT - 0.2 * EM, y=first.y - 0.4)
    merged = merge_fragments([first, second])
    assert len(merged) == 1
    assert merged[0].text == first.text + second.text
    assert (merged[0].x0, merged[0].x1, merged[0].y) == (first.x0, second.x1, first.y)


def test_pieces_apart_are_not_merged() -> None:
    first = _line("全县学校配备专职保安员六百余名，", 0, x1=300.0)
    next_row = _line("“一键式”紧急报警全部接入公安系统，", 1)
    far_right = _line("第3页", 0, x0=480.0, x1=RIGHT)  # same baseline, 15 em away
    overlapping = _line("重叠", 0, x0=200.0, x1=240.0)  # starts inside the first piece
    other_size = _line("注", 0, x0=300.0, x1=306.0, size=6.0)
    for second in (next_row, far_right, overlapping, other_size):
        assert len(merge_fragments([first, second])) == 2


def test_a_line_split_in_two_pieces_rebuilds_as_one_paragraph() -> None:
    lines = [
        _line("县人民政府与各乡镇签订安全目标责任书，全县学校", 0, x0=LEFT + 2 * EM, x1=RIGHT - 0.5 * EM),
        _line("配备专职保安员六百余名，", 1, x1=250.0),
        _line("“一键式”紧急报警与公安机关", 1, x0=250.0, x1=RIGHT - 0.3 * EM, y=700 - PITCH - 0.5),
        _line("联网率达到百分之百。", 2, x1=LEFT + 10 * EM),
    ]
    assert _paragraphs(lines) == [
        "县人民政府与各乡镇签订安全目标责任书，全县学校配备专职保安员六百余名，“一键式”紧急报警与公安机关联网率达到百分之百。"
    ]

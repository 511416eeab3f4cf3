"""Section roles of the level-1 and level-2 headings of every bundled sample report, as a reader gives them.

Level-2 headings inside the achievement part name topics (（一）加强教师队伍建设): no role of their own, their
passages take the part's role.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import load_document
from pipeline.records import Structure
from pipeline.segment import segment

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
FIVE_PARTS = ["process", "background", "achievement", "problem", "measure"]

# (level, role) of the level-1/level-2 headings in order; None: a topic heading
EXPECTED = {
    "heting-2024.txt": [(1, r) for r in FIVE_PARTS],
    "liutang-2020.docx": [(1, r) for r in FIVE_PARTS],  # 自评工作组织情况, 履行教育职责主要工作
    "qingchuanhu-2022.docx": (
        [(1, "process"), (1, "background"), (1, "achievement")] + [(2, None)] * 8
        + [(1, "problem"), (2, "problem"), (2, "measure")]
    ),
    "songjian-2021.pdf": [(1, "background"), (1, "achievement")] + [(2, None)] * 9 + [(1, "problem"), (1, "measure")],
    "tongxi-2023.pdf": [(1, "process"), (1, "background"), (1, "achievement")] + [(2, None)] * 7
    + [(1, "problem"), (1, "measure")],  # 三、主要工作及成效
    "zhitang-2022.docx": [(1, "process"), (1, "background"), (1, "achievement")] + [(2, None)] * 7
    + [(1, "problem"), (1, "measure")],  # （一）…（分值15分，得分14分） topics
    # 一、2018年澄浦教育基本情况 (a year opens the heading); 三、督导反馈问题整改情况: achievement (section_roles.yaml)
    "chengpu-2018.pdf": [(1, "background"), (1, "achievement")] + [(2, None)] * 6
    + [(1, "achievement"), (1, "problem"), (1, "measure")],
    "yunling-2019.txt": [(1, "process"), (1, "background"), (1, "achievement")] + [(2, None)] * 6
    + [(1, "problem"), (1, "measure")],
}


def structure_of(name: str) -> Structure:
    return segment(load_document(SAMPLES / name))


def test_every_sample_is_listed() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".pdf"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_top_headings_take_the_roles_a_reader_gives_them(name: str) -> None:
    structure = structure_of(name)
    found = [(h.level, h.role) for h in structure.headings if h.level <= 2]
    assert found == EXPECTED[name], [(h.text, h.role) for h in structure.headings if h.level <= 2]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body_passages_under_a_part_are_in_its_section(name: str) -> None:
    structure = structure_of(name)
    tops = [h for h in structure.headings if h.level == 1]
    for passage in structure.passages:
        if passage.kind == "heading" or passage.heading is None or passage.section == "closing":
            continue
        top = structure.headings[passage.heading]
        while top.level > 1 and top.parent is not None:
            top = structure.headings[top.parent]
        if top in tops:
            inner = structure.headings[passage.heading]
            expected = inner.role if inner.level == 2 and inner.role else top.role
            assert passage.section == expected, (top.label, passage.id)


def test_tongxi_achievement_passages() -> None:
    structure = structure_of("tongxi-2023.pdf")
    document_text = load_document(SAMPLES / "tongxi-2023.pdf").text
    part = next(h for h in structure.headings if h.level == 1 and h.index == 3)
    assert part.label == "主要工作及成效" and part.role == "achievement"
    inside = [p for p in structure.passages if part.start <= p.start and p.heading_path[:1] == (part.label,)]
    assert len(inside) > 10
    assert {p.section for p in inside} == {"achievement"}
    # the paragraph the PDF reader used to cut in two is one passage
    joined = [p for p in inside if "（含教学点）" in document_text[p.start:p.end]]
    assert len(joined) == 1


def test_chengpu_year_led_background_heading() -> None:
    structure = structure_of("chengpu-2018.pdf")
    text = load_document(SAMPLES / "chengpu-2018.pdf").text
    first = structure.headings[0]
    assert (first.level, first.index, first.marker, first.role) == (1, 1, "一、", "background")
    assert first.label.endswith("教育基本情况") and first.label[:5] == "2018年"
    assert structure.section_at(text.index("常住人口")) == "background"
    rectification = next(h for h in structure.headings if h.level == 1 and h.index == 3)
    assert rectification.label.endswith("整改情况") and rectification.role == "achievement"

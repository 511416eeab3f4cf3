"""Structure of the real Dazu 2022 report (text read from ../shared at run time)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.records import SECTION_ROLES, Document, Structure
from pipeline.segment import segment


@pytest.fixture(scope="module")
def dazu_document(dazu_text: str) -> Document:
    return Document(path="dazu-2022.txt", media_type="txt", sha256="", text=dazu_text)


@pytest.fixture(scope="module")
def dazu_structure(dazu_document: Document) -> Structure:
    return segment(dazu_document)


def tree_outline(structure: Structure) -> list[tuple]:
    """(level, index, role, parent's (level, index)) per heading: the shape, not the words."""
    outline = []
    for heading in structure.headings:
        parent = structure.headings[heading.parent] if heading.parent is not None else None
        outline.append((heading.level, heading.index, heading.role, (parent.level, parent.index) if parent else None))
    return outline


def children(structure: Structure, index: int) -> list[int]:
    return [i for i, h in enumerate(structure.headings) if h.parent == index]


def find_heading(structure: Structure, level: int, role: str, parent_role: str | None = None) -> int:
    for i, heading in enumerate(structure.headings):
        parent = structure.headings[heading.parent] if heading.parent is not None else None
        if heading.level == level and heading.role == role and (parent_role is None or (parent and parent.role == parent_role)):
            return i
    raise AssertionError(f"no level-{level} heading with role {role}")


def test_top_level_parts(dazu_structure):
    top = [h for h in dazu_structure.headings if h.level == 1]
    assert [h.index for h in top] == [1, 2, 3]
    assert [h.role for h in top] == ["process", "achievement", "problem"]
    assert all(h.parent is None for h in top)


@pytest.mark.parametrize(
    ("parent_role", "role", "items"),
    [("achievement", "achievement", 8), ("achievement", "practice", 8), ("problem", "problem", 7), ("problem", "measure", 8)],
)
def test_second_level_sections_and_their_items(dazu_structure, parent_role, role, items):
    section = find_heading(dazu_structure, 2, role, parent_role)
    numbered = [dazu_structure.headings[i] for i in children(dazu_structure, section)]
    assert [h.level for h in numbered] == [3] * items
    assert [h.index for h in numbered] == list(range(1, items + 1))
    assert all(h.role is None for h in numbered)  # items have no role of their own: they inherit
    for child in children(dazu_structure, section):
        passages = [p for p in dazu_structure.passages if p.heading == child]
        assert passages and {p.section for p in passages} == {role}


def test_problem_item_three_has_seven_sub_items(dazu_structure):
    problems = find_heading(dazu_structure, 2, "problem", "problem")
    item_three = [i for i in children(dazu_structure, problems) if dazu_structure.headings[i].index == 3]
    assert len(item_three) == 1
    sub = [dazu_structure.headings[i] for i in children(dazu_structure, item_three[0])]
    assert [(h.level, h.index) for h in sub] == [(4, n) for n in range(1, 8)]


def test_heading_offsets_and_lead_sentence_split(dazu_structure, dazu_text):
    for heading in dazu_structure.headings:
        assert dazu_text[heading.start : heading.end] == heading.text
        assert heading.text.startswith(heading.marker)
        assert heading.label in heading.text
        assert "一是" not in heading.text  # lead-sentence headings stop at the first 。
    lead = [h for h in dazu_structure.headings if h.level == 3 and dazu_text[h.end : h.end + 2] == "一是"]
    assert len(lead) >= 5


def test_passages_cover_the_body_without_overlap(dazu_structure, dazu_text):
    covered = [0] * len(dazu_text)
    previous_end = 0
    for ordinal, passage in enumerate(dazu_structure.passages, start=1):
        assert passage.id == f"p{ordinal:04d}"
        assert passage.start >= previous_end and passage.end > passage.start
        assert dazu_text[passage.start : passage.end].strip() == dazu_text[passage.start : passage.end]
        assert passage.section in SECTION_ROLES
        assert passage.page == 1
        previous_end = passage.end
        for offset in range(passage.start, passage.end):
            covered[offset] += 1
    uncovered = [i for i, count in enumerate(covered) if count == 0 and not dazu_text[i].isspace()]
    assert uncovered == []


def test_sections_of_opening_body_and_closing(dazu_structure, dazu_text):
    passages = dazu_structure.passages
    assert passages[0].section == "other"  # the title line
    first_heading = dazu_structure.headings[0].start
    before = [p for p in passages if p.end <= first_heading]
    opening = max(before, key=lambda p: p.end - p.start)  # the paragraph that introduces the self-check
    assert opening.section == "process"
    assert [p.section for p in before if p is not opening] == ["other"] * (len(before) - 1)
    assert [p.section for p in passages[-3:]] == ["closing"] * 3
    assert {p.section for p in passages} >= {"process", "achievement", "practice", "problem", "measure", "closing"}
    items = [p for p in passages if p.kind == "item"]
    assert len(items) > 50
    assert all(dazu_text[p.start : p.end][1] == "是" for p in items if dazu_text[p.start] in "一二三四五六七八九")


def test_sentences_belong_to_their_passages(dazu_structure, dazu_text):
    by_id = {p.id: p for p in dazu_structure.passages}
    for sentence in dazu_structure.sentences:
        passage = by_id[sentence.passage_id]
        assert passage.start <= sentence.start < sentence.end <= passage.end
        inner = dazu_text[sentence.start : sentence.end - 1]
        assert not any(stop in inner.rstrip("”’）") for stop in "。！？；") or inner.count("“") != inner.count("”")
    assert len(dazu_structure.sentences) > len(dazu_structure.passages)


def test_report_meta(dazu_structure, dazu_text):
    meta = dazu_structure.meta
    assert meta.title and meta.title.endswith("报告") and " " not in meta.title
    assert meta.issuer and meta.issuer.endswith("人民政府") and meta.issuer in dazu_text[-200:]
    assert meta.addressee and meta.addressee.endswith("委员会")
    assert meta.period == "2021年以来"
    assert meta.scheme_document and meta.scheme_document.endswith("评价方案")
    assert meta.scheme_counts == ((8, "评价重点"), (38, "评价要点"))
    start, end = meta.scheme_counts_span
    assert dazu_text[start:end].startswith("8个") and dazu_text[start:end].endswith("评价要点")


@pytest.mark.parametrize("rendering", ["dazu-2022.docx", "dazu-2022.pdf"])
def test_same_tree_from_every_rendering(rendering, corpus_dir, dazu_structure, dazu_text):
    from pipeline.ingest import load_document

    document = load_document(str(corpus_dir / rendering))
    structure = segment(document)
    label_tree = [(h.level, h.index, h.label, h.role, h.parent) for h in structure.headings]
    assert label_tree == [(h.level, h.index, h.label, h.role, h.parent) for h in dazu_structure.headings]
    shape = [(p.kind, p.section, p.heading_path) for p in structure.passages]
    assert shape == [(p.kind, p.section, p.heading_path) for p in dazu_structure.passages]
    # offsets differ between renderings (PDF drops footers); everything else is the same
    assert replace(structure.meta, scheme_counts_span=None) == replace(dazu_structure.meta, scheme_counts_span=None)
    start, end = structure.meta.scheme_counts_span
    txt_start, txt_end = dazu_structure.meta.scheme_counts_span
    assert document.text[start:end] == dazu_text[txt_start:txt_end]
    for record in (*structure.headings, *structure.passages, *structure.sentences):
        assert record.page == document.page_at(record.start)
    pages = [p.page for p in structure.passages]
    assert pages == sorted(pages) and pages[-1] == document.page_count
    for heading in structure.headings:
        assert document.text[heading.start : heading.end] == heading.text

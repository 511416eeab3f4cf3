"""Headings: role headings stay unlabelled, topic headings are labelled but are never coverage evidence,
long numbered statements count as passages, and a topic heading steers an ambiguous passage below it."""

from __future__ import annotations

import functools

import pytest

from pipeline import nlp
from pipeline.classify import classify, load_classifier, load_scheme
from pipeline.records import Document, Heading, Passage, Structure

# Own example lines: (kind, heading role or None, text)
LINES = (
    ("heading", "problem", "（一）存在的问题"),
    ("heading", None, "1．校园安全防范仍有薄弱环节"),
    ("item", None, "一是部分民办学校和培训机构人手不足，值守制度执行不严。"),
    ("heading", None, "2．持续推进义务教育学校消除大班额，加快城区新建学校建设，确保明年秋季全部投用。"),
    ("paragraph", None, "2023年3月"),
)


@pytest.fixture(scope="module")
def example():
    text = "\n".join(line for _, _, line in LINES)
    headings, passages, offset = [], [], 0
    for kind, role, line in LINES:
        start, end = offset, offset + len(line)
        if kind == "heading":
            headings.append(
                Heading(text=line, start=start, end=end, page=1, level=2, index=len(headings) + 1, marker="",
                        label=line, role=role, parent=None)
            )
        passages.append(
            Passage(id=f"p{len(passages) + 1:04d}", start=start, end=end, page=1, section="problem",
                    heading_path=(headings[-1].label,) if headings else (), kind=kind, heading=len(headings) - 1)
        )
        offset = end + 1
    document = Document(path="e.txt", media_type="txt", sha256="0" * 64, text=text)
    return document, Structure(headings=tuple(headings), passages=tuple(passages), sentences=())


@pytest.fixture(scope="module")
def result(example):
    scheme = load_scheme("chongqing-2022")
    document, structure = example
    return classify(document, structure, scheme, load_classifier(scheme), functools.partial(nlp.words, nlp.load()))


def test_role_heading_is_not_labelled(result):
    assert result.labels[0].aspect is None and result.labels[0].point is None


def test_topic_heading_is_labelled_but_not_evidence(result):
    assert result.labels[1].aspect == "A7"
    evidence = {pid for _, ids in result.coverage for pid in ids}
    assert "p0002" not in evidence


def test_topic_heading_steers_the_item_below_it(result):
    assert result.labels[2].aspect == "A7"
    assert "p0003" in dict(result.coverage)[result.labels[2].point]


def test_long_numbered_statement_is_a_passage(result):
    assert result.labels[3].aspect == "A8" and result.labels[3].point == "A8.2"
    assert "p0004" in dict(result.coverage)["A8.2"]
    assert result.labels[4].aspect is None  # a bare date


def test_classification_is_deterministic(example, result):
    scheme = load_scheme("chongqing-2022")
    document, structure = example
    again = classify(document, structure, scheme, load_classifier(scheme), functools.partial(nlp.words, nlp.load()))
    assert again == result


def test_classify_title_block_and_self_check_account_are_not_evidence() -> None:
    from pipeline.classify import classify, load_classifier, load_scheme
    from pipeline.nlp import load, words
    from pipeline.records import Document
    from pipeline.segment import segment

    text = (
        "某某县人民政府\n关于2022年度履行教育职责情况的自查自评报告\n市政府教育督导委员会：\n"
        "一、自查工作开展情况\n县委常委会专题研究部署自查工作，成立工作专班逐项对照评价要点。\n"
        "二、主要成效\n县委常委会每年专题研究教育工作4次，党组织领导的校长负责制全面落实。\n"
    )
    document = Document(path="x.txt", media_type="txt", sha256="", text=text)
    structure = segment(document)
    scheme = load_scheme("chongqing-2022")
    nlp = load()
    result = classify(document, structure, scheme, load_classifier(scheme), lambda t: words(nlp, t))
    by_id = {label.passage_id: label for label in result.labels}
    evidence = {pid for _, ids in result.coverage for pid in ids}
    for passage in structure.passages:
        body = text[passage.start:passage.end]
        if passage.section in ("other", "process"):
            assert by_id[passage.id].aspect is None and passage.id not in evidence, body
    achievement = [p for p in structure.passages if p.section == "achievement" and p.kind != "heading"]
    assert achievement and by_id[achievement[0].id].aspect == "A1"

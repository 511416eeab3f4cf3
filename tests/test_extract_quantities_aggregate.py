"""extract(): one nlp run, records from every extractor, pages filled, no duplicates."""

from __future__ import annotations

import time

import pytest

from pipeline.extract import extract
from pipeline.nlp import load
from pipeline.records import Document, Extraction, Structure

EMPTY_STRUCTURE = Structure(headings=(), passages=(), sentences=())


@pytest.fixture(scope="module")
def nlp():
    return load()


def make_document(pages: list[str]) -> Document:
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page)
    return Document(path="sample.txt", media_type="txt", sha256="", text="".join(pages), page_starts=tuple(starts))


def test_pages_are_filled_from_the_document(nlp) -> None:
    document = make_document([
        "一、基本情况\n全县投入教育经费3.5亿元。\n",
        "根据《关于加强学校体育工作的意见》（湘教发〔2021〕7号），新建运动场12个，覆盖率达95%。\n",
    ])
    extraction = extract(document, EMPTY_STRUCTURE, nlp)
    by_text = {q.text: q for q in extraction.quantities}
    assert by_text["3.5亿元"].page == 1
    assert by_text["12个"].page == 2 and by_text["95%"].page == 2
    assert [d.page for d in extraction.docnos] == [2]
    assert all(t.page == 2 for t in extraction.titles)
    for record in extraction.quantities + extraction.docnos + extraction.titles + extraction.claims:
        assert document.text[record.start:record.end] == record.text
        assert record.page == document.page_at(record.start)


def test_docno_parts_and_dates_are_not_duplicated(nlp) -> None:
    document = make_document(["2022年9月，区政府印发（渝教发〔2022〕18号），新建学校3所。"])
    quantities = extract(document, EMPTY_STRUCTURE, nlp).quantities
    kinds = sorted(q.kind for q in quantities)
    assert kinds.count("docno") == 2
    assert "count" in kinds
    spans = [(q.start, q.end) for q in quantities]
    for i, (start, end) in enumerate(spans):
        for other_start, other_end in spans[i + 1:]:
            assert end <= other_start or other_end <= start, (spans, quantities)


def test_dazu_extraction_against_gold(nlp, dazu_text: str, gold_quantities: list[dict], gold_docnos: list[dict]) -> None:
    document = Document(path="dazu-2022.txt", media_type="txt", sha256="", text=dazu_text)
    started = time.perf_counter()
    extraction = extract(document, EMPTY_STRUCTURE, nlp)
    elapsed = time.perf_counter() - started
    assert isinstance(extraction, Extraction)
    assert elapsed < 5  # target well under 1 s; loose bound for a busy machine
    quantities = extraction.quantities
    assert [(q.start, q.end) for q in quantities] == sorted((q.start, q.end) for q in quantities)
    predicted = {(q.start, q.end, q.kind) for q in quantities}
    gold = {(g["start"], g["end"], g["kind"]) for g in gold_quantities}
    assert len(predicted & gold) / len(gold) >= 0.97
    assert len(predicted & gold) / len(predicted) >= 0.97
    assert {d.text for d in extraction.docnos} == {g["text"] for g in gold_docnos}
    assert extraction.report_date == "2022-11-15"


def test_span_overlap_test_agrees_with_pairwise_comparison() -> None:
    """extract's bisect overlap test gives what comparing a record with every reserved span gives."""
    import random
    from types import SimpleNamespace

    from pipeline.extract import _Spans

    rng = random.Random(7)
    for _ in range(300):
        spans = [(s, s + rng.randint(0, 6)) for s in (rng.randint(0, 40) for _ in range(rng.randint(0, 8)))]
        test = _Spans(spans).overlap
        for start in range(0, 48):
            for end in range(start, start + 5):
                record = SimpleNamespace(start=start, end=end)
                expected = any(record.start < e and s < record.end for s, e in spans)
                assert test(record) == expected, (spans, start, end)

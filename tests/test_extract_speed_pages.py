"""``with_pages`` copies records to their pages exactly as ``dataclasses.replace`` does."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from pipeline.extract import extract, page_copier, with_pages
from pipeline.records import Claim, DocNumber, Document, Quantity, Title


def _replaced(records, document: Document) -> tuple:
    placed = [dataclasses.replace(r, page=document.page_at(r.start)) for r in records]
    return tuple(sorted(placed, key=lambda r: (r.start, r.end)))


@pytest.fixture(scope="module")
def dazu_extraction(request: pytest.FixtureRequest):
    from pipeline.runner import AuditSettings, Context, ingest_file
    from pipeline.segment import segment

    corpus_dir = request.getfixturevalue("corpus_dir")
    ctx = Context.build()
    document = ingest_file(corpus_dir / "dazu-2022.pdf", AuditSettings())
    return document, extract(document, segment(document, ctx.section_lexicon), ctx.nlp, ctx.claim_lexicon)


def test_same_records_as_replace_on_the_dazu_report(dazu_extraction) -> None:
    document, extraction = dazu_extraction
    assert document.page_at(len(document.text) - 1) > 10
    for records in (extraction.quantities, extraction.docnos, extraction.titles, extraction.claims):
        on_page_one = [dataclasses.replace(r, page=1) for r in records]
        ours = with_pages(on_page_one, document)
        assert ours == _replaced(on_page_one, document) == records
        assert [type(r) for r in ours] == [type(r) for r in records]
        assert sum(r.page > 1 for r in ours) > len(ours) // 2


@pytest.mark.parametrize("record_type", [Quantity, DocNumber, Title, Claim])
def test_the_records_take_the_fast_copy(record_type: type) -> None:
    assert page_copier(record_type).__name__ == "copy"


@dataclass(frozen=True)
class _Checked:
    start: int
    page: int
    seen: list = field(default_factory=list, compare=False)

    def __post_init__(self) -> None:
        self.seen.append(self.page)


@dataclass(frozen=True)
class _KeywordOnly:
    start: int
    page: int = field(kw_only=True)


@pytest.mark.parametrize("record", [_Checked(5, 1), _KeywordOnly(5, page=1)])
def test_other_dataclasses_go_through_replace(record) -> None:
    copy = page_copier(type(record))
    assert copy.__name__ == "<lambda>"
    assert copy(record, 3) == dataclasses.replace(record, page=3)
    assert copy(record, 3).page == 3

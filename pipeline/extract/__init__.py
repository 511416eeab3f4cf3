"""The extract stage: document numbers, titles, dates, quantities, claims, report date.

``extract(document, structure, nlp)`` runs ``nlp`` (from ``pipeline.nlp.load``)
once on ``document.text``, takes the records its components stored on the
``Doc``, adds the document-number parts (kind ``docno``), the report date and
the claims, fills in every record's page and returns them sorted by
``(start, end)``. A component missing from ``nlp`` is replaced by a direct call
of its pure function, so a tokenizer-only ``nlp`` still gives a full result.

The pure functions (``find_quantities`` …) return records with ``page=1``;
pages are filled here only.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import accumulate
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.extract.claims import find_claims
from pipeline.extract.dates import find_dates, find_report_date, resolve_partial_dates
from pipeline.extract.docnos import docno_quantities, find_docnos_and_titles
from pipeline.extract.quantities import find_quantities
from pipeline.normalize import fold
from pipeline.records import Document, Extraction, Quantity, Structure

if TYPE_CHECKING:  # spaCy is imported only by pipeline.nlp (and importing it here would be circular)
    from pipeline.nlp import Language

Located = TypeVar("Located")

__all__ = ["extract", "find_quantities", "with_pages"]


def with_pages(records: Sequence[Located], document: Document) -> tuple[Located, ...]:
    """Records with ``page`` set from ``document`` and sorted by (start, end)."""
    page_at = document.page_at
    copiers: dict[type, Callable[[Any, int], Any]] = {}
    placed = []
    for record in records:
        page = page_at(record.start)  # type: ignore[attr-defined]
        if record.page != page:  # type: ignore[attr-defined]
            # Records are frozen: one already on its page is kept, the others are copied.
            kind = type(record)
            copy = copiers.get(kind) or copiers.setdefault(kind, page_copier(kind))
            record = copy(record, page)
        placed.append(record)
    return tuple(sorted(placed, key=lambda r: (r.start, r.end)))  # type: ignore[attr-defined]


def page_copier(record_type: type) -> Callable[[Any, int], Any]:
    """A function ``(record, page) -> dataclasses.replace(record, page=page)``, faster where it can be.

    ``replace`` passes every field to the constructor by keyword, looking the fields up on each call.
    For a dataclass whose fields are all positional ``__init__`` parameters and that has no
    ``__post_init__`` (every record in ``pipeline.records``), the same constructor call is made
    positionally with the field values read by one ``attrgetter``; any other type uses ``replace``.
    """
    fields = dataclasses.fields(record_type)
    names = tuple(f.name for f in fields)
    plain = (
        len(fields) == len(record_type.__dataclass_fields__)  # no InitVar or ClassVar pseudo-fields
        and all(f.init and not f.kw_only for f in fields)
        and not hasattr(record_type, "__post_init__")
        and "page" in names
        and len(names) > 1  # attrgetter of one name gives the value, not a tuple
    )
    if not plain:
        return lambda record, page: dataclasses.replace(record, page=page)
    values_of = attrgetter(*names)
    page_index = names.index("page")

    def copy(record: Any, page: int) -> Any:
        values = list(values_of(record))
        values[page_index] = page
        return record_type(*values)

    return copy


class _Spans:
    """Spans (in any order, overlapping or empty) with an O(log n) test for a record overlapping one of them."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.max_ends = list(accumulate((end for _, end in ordered), max))  # furthest end among the first k spans

    def overlap(self, record: Any) -> bool:
        """Whether some span has ``start < record.end`` and ``record.start < end``."""
        before_end = bisect_left(self.starts, record.end)  # spans starting before the record ends
        return before_end > 0 and self.max_ends[before_end - 1] > record.start


def extract(document: Document, structure: Structure, nlp: Language, claim_lexicon: Any = None) -> Extraction:
    """All extraction records of ``document`` (pages filled, sorted by offset).

    ``claim_lexicon`` (a loaded ``ClaimLexicon``) lets a caller load the cue file once per process.
    """
    from pipeline.nlp.components import (
        DATES,
        DOCNOS,
        FACTORY_DATES,
        FACTORY_DOCNOS,
        FACTORY_QUANTITIES,
        FACTORY_TITLES,
        QUANTITIES,
        TITLES,
        folded_text,
        records_of,
        source_text,
        word_starts,
    )

    text = document.text
    doc = nlp(text)
    # The components' fold of the text, computed once (a tokenizer that changed the text gets its own).
    folded = folded_text(doc) if source_text(doc) == text else fold(text)
    pipes = set(nlp.pipe_names)

    if FACTORY_DOCNOS in pipes:
        docnos = records_of(doc, DOCNOS)
        titles = records_of(doc, TITLES) if FACTORY_TITLES in pipes else ()
    else:
        docnos, titles = find_docnos_and_titles(text, folded=folded)
    if FACTORY_DATES in pipes:
        dates: tuple[Quantity, ...] = records_of(doc, DATES)
    else:
        dates = find_dates(text, folded=folded)
    docno_spans = [(d.start, d.end) for d in docnos]
    docno_parts = docno_quantities(docnos)
    in_docno = _Spans(docno_spans).overlap
    dates = tuple(q for q in dates if not in_docno(q))

    report = find_report_date(text, folded=folded)
    dates = resolve_partial_dates(dates, text, report[0] if report else None)
    reserved = docno_spans + [(q.start, q.end) for q in dates]
    numbers = records_of(doc, QUANTITIES) if FACTORY_QUANTITIES in pipes else find_quantities(text, reserved)
    # The component already skips reserved spans; this guards a pipeline built in another order.
    in_reserved = _Spans(reserved).overlap
    numbers = tuple(q for q in numbers if not in_reserved(q))

    claims = find_claims(text, structure, docnos, titles, lexicon=claim_lexicon, folded=folded)

    return Extraction(
        quantities=with_pages(tuple(numbers) + tuple(dates) + tuple(docno_parts), document),
        docnos=with_pages(docnos, document),
        titles=with_pages(titles, document),
        claims=with_pages(claims, document),
        report_date=report[0] if report else None,
        report_date_span=(report[1], report[2]) if report else None,
        word_starts=word_starts(doc),
    )

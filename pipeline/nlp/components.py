"""The extractors as spaCy pipeline components.

Each component runs a pure extractor on ``doc.text`` and writes its results
twice: the records themselves in ``doc.user_data["dutyaudit.<key>"]`` (what
the extract stage reads; character offsets are the records' own) and spans in
``doc.spans[<key>]`` (label = kind or type) for displaCy and token context.
Spans use ``alignment_mode="expand"`` because jieba words often straddle a
number's edge; offsets that cannot be aligned at all are counted in
``doc.user_data["dutyaudit.unaligned"]``, never silently dropped from the records.

Factories are registered when this module is imported, guarded so that a
second import (or ``importlib.reload``) does not raise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.dates import find_dates
from pipeline.extract.docnos import find_docnos_and_titles
from pipeline.extract.quantities import find_quantities
from pipeline.normalize import fold

USER_DATA_PREFIX = "dutyaudit."
QUANTITIES = "quantities"
DOCNOS = "docnos"
TITLES = "titles"
DATES = "dates"
UNALIGNED = USER_DATA_PREFIX + "unaligned"

FACTORY_QUANTITIES = "dutyaudit_quantities"
FACTORY_DOCNOS = "dutyaudit_docnos"
FACTORY_TITLES = "dutyaudit_titles"
FACTORY_DATES = "dutyaudit_dates"
PIPE_ORDER = (FACTORY_DOCNOS, FACTORY_TITLES, FACTORY_DATES, FACTORY_QUANTITIES)


SOURCE_TEXT_KEY = "dutyaudit.text"
WORD_STARTS_KEY = "dutyaudit.word_starts"
FOLDED_TEXT_KEY = "dutyaudit.folded"


def source_text(doc: Doc) -> str:
    """The text ``doc`` was made from (set by the tokenizer; avoids re-joining tokens)."""
    return doc.user_data.get(SOURCE_TEXT_KEY) or doc.text


def folded_text(doc: Doc) -> str:
    """``fold`` of the source text, computed once per Doc (every extractor matches on it)."""
    folded = doc.user_data.get(FOLDED_TEXT_KEY)
    if folded is None:
        folded = doc.user_data[FOLDED_TEXT_KEY] = fold(source_text(doc))
    return folded


def word_starts(doc: Doc) -> tuple[int, ...]:
    """Start offset of every token (set by the tokenizer; asked of the tokens otherwise)."""
    starts = doc.user_data.get(WORD_STARTS_KEY)
    return tuple(starts) if starts is not None else tuple(token.idx for token in doc)


def user_data_key(key: str) -> str:
    return USER_DATA_PREFIX + key


def records_of(doc: Doc, key: str) -> tuple[Any, ...]:
    """Records a component stored on ``doc`` (empty when it did not run)."""
    return tuple(doc.user_data.get(user_data_key(key), ()))


def set_records(doc: Doc, key: str, records: Sequence[Any], label_of: Callable[[Any], str]) -> None:
    """Store ``records`` and their spans under ``key``."""
    doc.user_data[user_data_key(key)] = tuple(records)
    spans = []
    unaligned = 0
    for record in records:
        span = doc.char_span(record.start, record.end, label=label_of(record), alignment_mode="expand")
        if span is None:
            unaligned += 1
        else:
            spans.append(span)
    doc.spans[key] = spans
    if unaligned:
        doc.user_data[UNALIGNED] = doc.user_data.get(UNALIGNED, 0) + unaligned


def _spans_of(records: Iterable[Any]) -> list[tuple[int, int]]:
    return [(r.start, r.end) for r in records]


class DocnoTagger:
    """Document numbers (发文字号); also keeps the titles found in the same pass."""

    def __call__(self, doc: Doc) -> Doc:
        docnos, titles = find_docnos_and_titles(source_text(doc), folded=folded_text(doc))
        set_records(doc, DOCNOS, docnos, lambda r: "docno")
        doc.user_data[user_data_key(TITLES)] = tuple(titles)
        return doc


class TitleTagger:
    """Titles in 《…》 (from the docno pass when it ran, else found here)."""

    def __call__(self, doc: Doc) -> Doc:
        key = user_data_key(TITLES)
        if key in doc.user_data:
            titles = doc.user_data[key]
        else:
            titles = find_docnos_and_titles(source_text(doc), folded=folded_text(doc))[1]
        set_records(doc, TITLES, titles, lambda r: r.type)
        return doc


class DateTagger:
    """Dates and years (kind date/year) from the dates extractor."""

    def __call__(self, doc: Doc) -> Doc:
        # The docno pass, when it ran, found the numbers whose digits are not dates.
        docnos = doc.user_data.get(user_data_key(DOCNOS))
        dates = find_dates(source_text(doc), folded=folded_text(doc), docnos=docnos)
        set_records(doc, DATES, dates, lambda r: r.kind)
        return doc


class QuantityTagger:
    """Every other numeric mention; numbers inside docnos and dates are left to those."""

    def __call__(self, doc: Doc) -> Doc:
        reserved = _spans_of(records_of(doc, DOCNOS)) + _spans_of(records_of(doc, DATES))
        set_records(doc, QUANTITIES, find_quantities(source_text(doc), reserved), lambda r: r.kind)
        return doc


def _register(name: str, component: Callable[[], Any]) -> None:
    if Language.has_factory(name):
        return

    def make(nlp: Language, name: str) -> Any:  # noqa: ARG001 - spaCy's factory signature
        return component()

    Language.factory(name, func=make)


_register(FACTORY_DOCNOS, DocnoTagger)
_register(FACTORY_TITLES, TitleTagger)
_register(FACTORY_DATES, DateTagger)
_register(FACTORY_QUANTITIES, QuantityTagger)

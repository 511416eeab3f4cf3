"""Records that flow between the stages (stdlib only).

Coordinates, defined once for the whole package:

* ``Document.text`` is the one document-wide text every offset indexes into
  (Python ``str`` offsets). It is what the report JSON exports as ``text``.
  Ingest builds it (for PDF: paragraphs rebuilt, page-number lines and layout
  spaces removed) and records where each page begins in ``page_starts``.
* Every record that points into the text has ``start``/``end`` with
  ``document.text[start:end] == record.text`` and ``page`` = the 1-based page
  of ``start`` (``Document.page_at``).
* Normalisation (``pipeline.normalize``) is length-preserving, so offsets in
  the normalised view are offsets in ``Document.text``.

Records are frozen; sequences are tuples. Values that are numbers are ``int``
or ``float``; ISO strings for dates; ``None`` where there is none.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

# --- ingest ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableCell:
    row: int
    col: int
    text: str | None  # None for a cell covered by a merge


@dataclass(frozen=True, slots=True)
class Table:
    page: int
    rows: tuple[tuple[str | None, ...], ...]
    start: int = -1  # offset of the table's text in Document.text (-1: unknown)
    end: int = -1


@dataclass(frozen=True, slots=True)
class Document:
    path: str  # as given by the user
    media_type: str  # "pdf" | "docx" | "txt"
    sha256: str
    text: str
    page_starts: tuple[int, ...] = (0,)  # offset where each page begins
    metadata: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()

    @property
    def page_count(self) -> int:
        return len(self.page_starts)

    def page_at(self, offset: int) -> int:
        """1-based page of the character at ``offset``."""
        return max(1, bisect_right(self.page_starts, offset))


# --- segment --------------------------------------------------------------

SECTION_ROLES = ("process", "background", "achievement", "practice", "problem", "measure", "closing", "other")


@dataclass(frozen=True, slots=True)
class Heading:
    text: str  # the full heading surface (marker + label [+ score])
    start: int
    end: int
    page: int
    level: int  # 1: 一、  2: （一）  3: 1．  4: （1）
    index: int  # position within its level as written (一 -> 1)
    marker: str  # the numbering as written, e.g. "（一）"
    label: str  # heading words without marker and score annotation
    role: str | None  # one of SECTION_ROLES, or None where the heading has no role of its own
    parent: int | None  # index into Structure.headings
    score_note: str | None = None  # e.g. "本项满分1分，自评得1分"


@dataclass(frozen=True, slots=True)
class Passage:
    id: str  # stable: "p" + zero-padded ordinal, e.g. "p0007"
    start: int
    end: int
    page: int
    section: str  # one of SECTION_ROLES
    heading_path: tuple[str, ...]  # labels of the enclosing headings, outermost first
    kind: str = "paragraph"  # "paragraph" | "item" | "heading"
    heading: int | None = None  # index into Structure.headings of the nearest heading


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    page: int
    passage_id: str


@dataclass(frozen=True, slots=True)
class ReportMeta:
    title: str | None = None
    issuer: str | None = None
    addressee: str | None = None
    period: str | None = None
    scheme_document: str | None = None
    scheme_counts: tuple[tuple[int, str], ...] = ()  # e.g. ((8, "评价重点"), (38, "评价要点"))
    scheme_counts_span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Structure:
    headings: tuple[Heading, ...]
    passages: tuple[Passage, ...]
    sentences: tuple[Sentence, ...]
    meta: ReportMeta = ReportMeta()

    def section_at(self, offset: int) -> str:
        for p in self.passages:
            if p.start <= offset < p.end:
                return p.section
        return "other"


# --- extract --------------------------------------------------------------

QUANTITY_KINDS = (
    "money", "count", "percent", "percentage_point", "area", "ratio", "range", "date",
    "year", "duration", "ordinal", "docno", "version", "other",
)


@dataclass(frozen=True, slots=True)
class Quantity:
    text: str
    start: int
    end: int
    page: int
    kind: str  # one of QUANTITY_KINDS
    value: Any  # int | float | str (ISO) | tuple (range) | None
    unit: str | None = None
    approx: str | None = None
    qualifiers: tuple[str, ...] = ()
    subject: str | None = None
    scale: int = 1  # 1, 10_000 or 100_000_000 as written (万/亿)
    unit_implied: bool = False  # unit filled in from context (投资600余万改造 -> 元)
    resolved: str | None = None  # a month-day date ("--10-08") with its year where the text leaves no doubt


@dataclass(frozen=True, slots=True)
class DocNumber:
    text: str
    start: int
    end: int
    page: int
    issuer_code: str | None
    year: int | None
    serial: int | None
    canonical: str | None
    title: str | None = None  # inner text of the 《…》 cited with it
    title_start: int | None = None  # span of the 《…》 (with brackets)
    title_end: int | None = None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Title:
    text: str  # with its brackets
    start: int
    end: int
    page: int
    title: str  # without the outer brackets
    type: str  # "policy" | "law" | "form" | "report" | "other"
    nested_in: str | None = None  # outer title (without brackets) for a nested one
    docno: str | None = None  # canonical form of the document number cited with it
    bracket_problems: tuple[str, ...] = ()  # e.g. ("ascii_angle",) for <…> inside 《…》


@dataclass(frozen=True, slots=True)
class Claim:
    text: str  # the sentence (or clause) making the claim
    start: int
    end: int
    page: int
    type: str  # "achievement" | "doc_issued" | "doc_not_issued" | "problem" | "commitment"
    polarity: str  # "positive" | "negative"
    cue: str  # the cue words that made it a claim, e.g. "全覆盖", "暂未出台"
    cue_start: int
    cue_end: int
    section: str  # role of the section it stands in
    subject: str | None = None
    hedge: str | None = None  # e.g. "基本"
    target: str | None = None  # for document-status claims: the title or number referred to


@dataclass(frozen=True, slots=True)
class Extraction:
    quantities: tuple[Quantity, ...] = ()
    docnos: tuple[DocNumber, ...] = ()
    titles: tuple[Title, ...] = ()
    claims: tuple[Claim, ...] = ()
    report_date: str | None = None  # ISO YYYY-MM-DD
    report_date_span: tuple[int, int] | None = None
    word_starts: tuple[int, ...] = ()  # start offset of every word of the NLP layer's tokenisation


# --- classify -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PassageLabel:
    passage_id: str
    aspect: str | None
    point: str | None
    score: float
    top: tuple[tuple[str, float], ...] = ()  # best points with scores


@dataclass(frozen=True, slots=True)
class Classification:
    scheme_id: str
    mode: str  # "model" | "zero_shot"
    labels: tuple[PassageLabel, ...]
    coverage: tuple[tuple[str, tuple[str, ...]], ...]  # point id -> passage ids, in scheme order
    model_id: str | None = None


# --- check ----------------------------------------------------------------

SEVERITIES = ("info", "warning", "error")
CATEGORIES = ("arithmetic", "claim", "reference", "duplicate", "temporal", "format", "coverage", "other")


@dataclass(frozen=True, slots=True)
class Evidence:
    quote: str
    start: int
    end: int
    page: int


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    rule: str
    category: str
    severity: str
    message: str
    evidence: tuple[Evidence, ...]
    expected: float | int | None = None
    observed: float | int | None = None


@dataclass(frozen=True, slots=True)
class AuditInput:
    """Everything the checker may look at: records only, no library objects."""

    document: Document
    structure: Structure
    extraction: Extraction
    classification: Classification | None = None


# --- result ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportError:
    code: str  # spec error code: empty_file, not_pdf, damaged, encrypted, no_text, unsupported, too_large, internal
    message: str


@dataclass(frozen=True, slots=True)
class ReportResult:
    path: str
    sha256: str | None
    media_type: str | None
    pages: int
    status: str  # "ok" | "failed"
    error: ReportError | None = None
    document: Document | None = None
    structure: Structure | None = None
    extraction: Extraction | None = None
    classification: Classification | None = None
    findings: tuple[Finding, ...] = ()
    timings: tuple[tuple[str, float], ...] = field(default=(), compare=False)

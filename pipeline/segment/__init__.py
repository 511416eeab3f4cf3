"""Report structure: headings, section roles, passages, sentences and report metadata.

``segment(document)`` reads ``Document.text`` line by line (one paragraph per line;
blank lines are ignored, so PDF and TXT renderings give the same tree).

Passages (``Structure.passages``) cover every non-blank character of the text,
in text order, without overlaps:

* a heading surface is a passage of kind ``"heading"`` (for a lead-sentence heading,
  ``1．坚持…领导。一是…``, only the lead sentence; the rest of the line follows as
  body passages). Its ``heading_path`` ends with its own label;
* a body line is one passage of kind ``"paragraph"``, or, when it holds an inline
  enumeration (一是…二是…, 第一，…第二，…), a lead-in ``"paragraph"`` (if any) and one
  ``"item"`` per enumerator;
* title, addressee and opening lines before the first heading, and the signature /
  date / contact lines at the end (section ``"closing"``) are passages too.

A passage's ``section`` is the role of its nearest heading that has one (a heading's own
role, else its ancestors'); before the first heading: ``"process"`` for an opening that
describes the self-check, ``"background"`` for one that describes the district, else
``"other"`` (the title and addressee lines are ``"other"``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.normalize import fold
from pipeline.records import Document, Heading, Passage, Sentence, Structure

from .headings import ParsedHeading, chinese_to_int, parse_heading
from .meta import build_meta, find_title_and_addressee
from .passages import split_items, split_sentences, trim
from .roles import SectionLexicon, compound_role, match_role, normalize_label, role_of_label

__all__ = [
    "ParsedHeading",
    "SectionLexicon",
    "chinese_to_int",
    "compound_role",
    "match_role",
    "normalize_label",
    "parse_heading",
    "role_of_label",
    "segment",
]

_CORE_ROLES = ("achievement", "practice", "problem", "measure")


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # trimmed span of a non-blank line
    end: int


def _lines(text: str) -> list[_Line]:
    lines = []
    offset = 0
    for raw in text.split("\n"):
        start, end = trim(text, offset, offset + len(raw))
        if start < end:
            lines.append(_Line(start, end))
        offset += len(raw) + 1
    return lines


def _is_closing_line(line: str, lexicon: SectionLexicon) -> bool:
    folded = fold(line).strip()
    if len(folded) > lexicon.closing_max_chars or "。" in folded:
        return False
    if lexicon.date_pattern.match(folded):
        return True
    if any(cue in line or fold(cue) in folded for cue in lexicon.contact_cues):
        return True
    return folded.endswith(lexicon.issuer_suffixes)


def _closing_start(text: str, lines: list[_Line], lexicon: SectionLexicon) -> int:
    """Index of the first line of the closing block (len(lines) if there is none)."""
    first = len(lines)
    while first > 0 and _is_closing_line(text[lines[first - 1].start : lines[first - 1].end], lexicon):
        first -= 1
    return first


def _issuer(text: str, closing: list[_Line], lexicon: SectionLexicon) -> str | None:
    for line in reversed(closing):
        words = text[line.start : line.end].strip()
        if fold(words).endswith(lexicon.issuer_suffixes) and not lexicon.date_pattern.match(fold(words)):
            return words
    return None


def _intro_role(paragraph: str, lexicon: SectionLexicon) -> str:
    if any(cue in paragraph for cue in lexicon.intro_process_cues):
        return "process"
    if any(cue in paragraph for cue in lexicon.intro_background_cues):
        return "background"
    return "other"


def _ancestors(headings: list[dict], index: int | None) -> list[int]:
    chain = []
    while index is not None:
        chain.append(index)
        index = headings[index]["parent"]
    return chain[::-1]


def segment(document: Document, lexicon: SectionLexicon | None = None) -> Structure:
    """Headings, passages, sentences and report metadata of one document."""
    lexicon = lexicon or SectionLexicon.load()
    text = document.text
    lines = _lines(text)
    closing_from = _closing_start(text, lines, lexicon)

    # 1. headings, with parents (nearest earlier heading of a higher level) and own roles
    headings: list[dict] = []
    line_heading: dict[int, tuple[int, ParsedHeading]] = {}
    for number, line in enumerate(lines[:closing_from]):
        parsed = parse_heading(
            text[line.start : line.end],
            excluded_next=lexicon.no_mark_excluded_next,
            max_heading_chars=lexicon.max_heading_chars,
        )
        if parsed is None:
            continue
        parent = None
        for earlier in range(len(headings) - 1, -1, -1):
            if headings[earlier]["level"] < parsed.level:
                parent = earlier
                break
        has_role_above = any(headings[i]["role"] for i in _ancestors(headings, parent))
        role = None
        if parsed.level <= 2 or not has_role_above:
            role = role_of_label(parsed.label, lexicon)
        line_heading[number] = (len(headings), parsed)
        headings.append({"level": parsed.level, "parent": parent, "role": role, "parsed": parsed, "line": line})

    def section_of(index: int | None, fallback: str) -> str:
        for ancestor in reversed(_ancestors(headings, index)):
            if headings[ancestor]["role"]:
                return headings[ancestor]["role"]
        return fallback if index is None else "other"

    def path_of(index: int | None) -> tuple[str, ...]:
        return tuple(headings[i]["parsed"].label for i in _ancestors(headings, index))

    # 2. the top block (title, addressee, opening) before the first heading
    first_heading_line = min(line_heading) if line_heading else closing_from
    top_lines = [(line.start, line.end) for line in lines[:first_heading_line]]
    title, addressee, addressee_span = find_title_and_addressee(text, top_lines)
    header_lines = 0
    if addressee_span is not None:
        header_lines = top_lines.index(addressee_span) + 1
    elif title:
        header_lines = sum(1 for _ in _title_lines(text, top_lines))

    # 3. passages in text order
    spans: list[tuple[int, int, str, str, tuple[str, ...], int | None]] = []
    current: int | None = None
    for number, line in enumerate(lines):
        if number >= closing_from:
            spans.append((line.start, line.end, "paragraph", "closing", (), None))
            continue
        if number < first_heading_line:
            paragraph = text[line.start : line.end]
            role = "other" if number < header_lines else _intro_role(paragraph, lexicon)
            for left, right, kind in split_items(text, line.start, line.end):
                spans.append((left, right, kind, role, (), None))
            continue
        body_start = line.start
        if number in line_heading:
            current, parsed = line_heading[number]
            left, right = trim(text, line.start + parsed.start, line.start + parsed.end)
            spans.append((left, right, "heading", section_of(current, "other"), path_of(current), current))
            body_start = line.start + parsed.end
        for left, right, kind in split_items(text, body_start, line.end):
            spans.append((left, right, kind, section_of(current, "other"), path_of(current), current))

    passages = tuple(
        Passage(
            id=f"p{ordinal:04d}",
            start=start,
            end=end,
            page=document.page_at(start),
            section=section,
            heading_path=path,
            kind=kind,
            heading=heading,
        )
        for ordinal, (start, end, kind, section, path, heading) in enumerate(spans, start=1)
    )
    sentences = tuple(
        Sentence(start=left, end=right, page=document.page_at(left), passage_id=passage.id)
        for passage in passages
        for left, right in split_sentences(text, passage.start, passage.end)
    )
    heading_records = tuple(
        Heading(
            text=text[line.start + h["parsed"].start : line.start + h["parsed"].end],
            start=line.start + h["parsed"].start,
            end=line.start + h["parsed"].end,
            page=document.page_at(line.start + h["parsed"].start),
            level=h["level"],
            index=h["parsed"].index,
            marker=h["parsed"].marker,
            label=h["parsed"].label,
            role=h["role"],
            parent=h["parent"],
            score_note=h["parsed"].score_note,
        )
        for h in headings
        for line in (h["line"],)
    )

    # 4. metadata: the opening runs up to the first heading of a core section
    opening_end = len(text)
    for index, heading in enumerate(heading_records):
        if section_of(index, "other") in _CORE_ROLES:
            opening_end = heading.start
            break
    closing_lines = lines[closing_from:]
    meta = build_meta(text, top_lines, (0, opening_end), _issuer(text, closing_lines, lexicon))
    return Structure(headings=heading_records, passages=passages, sentences=sentences, meta=meta)


def _title_lines(text: str, top_lines: list[tuple[int, int]]):
    """The leading top lines that make up the title (used when there is no addressee line)."""
    for start, end in top_lines:
        line = text[start:end].strip()
        if len(line) > 60 or line.endswith("。") or "，" in line:
            return
        yield start, end

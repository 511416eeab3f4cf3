"""Rebuild paragraphs from positioned text lines (stdlib only, no PDF library).

The PDF reader turns each page into ``LayoutLine``s (text plus the geometry of
its first and last visible character); this module drops page furniture
(page numbers, repeated headers/footers), decides where paragraphs end, removes
the spaces that justification and CJK/Latin auto-spacing introduced, and joins
everything into one text with the offset where each page begins.

Coordinates are PDF user space: y grows upwards, so the next line down has a
smaller ``y``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from pipeline.ingest.text_clean import is_wide

# Page furniture: whole-line patterns, tried on a line with its spaces removed.
PAGE_NUMBER_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        r"[—–―\-－─~～]+\d{1,4}[—–―\-－─~～]+",  # GB/T 9704: — 1 —
        r"第\d{1,4}页([,，/、]?共\d{1,4}页)?",
        r"共\d{1,4}页第\d{1,4}页",
        r"\d{1,4}/\d{1,4}",
        r"(?i)page\d{1,4}(of\d{1,4})?",
        r"\d{1,4}",  # a bare number alone at the top or bottom of a page
    )
)
FURNITURE_LINES_PER_EDGE = 2  # look at this many lines at the top and the bottom of each page
REPEATED_MIN_PAGES = 3  # a header/footer must repeat on at least this many pages …
REPEATED_MIN_SHARE = 0.5  # … and on this share of the pages
FURNITURE_Y_TOLERANCE = 4.0  # points: a running header sits at the same height on every page

# Paragraph decisions, in units of the body font size (em) or the line pitch.
# Text may be left-aligned (ragged right): a line that stops short of the right edge ends its
# paragraph only if the next line's first unbreakable run would have fitted in the room left.
JOIN_TOLERANCE_EMS = 0.5  # room needed beyond the run's estimated width (width estimates are rough) …
SENTENCE_END_CHARS = "。！？!?；;：:"  # … except after a line that ends a sentence: then the run's width suffices
NARROW_CHAR_EMS = 0.5  # estimated width of a Latin letter or digit; wide (CJK) characters are 1 em
AUTOSPACE_EMS = 0.25  # office suites set a gap between CJK and Latin/digits
RIGHT_EDGE_QUANTILE = 0.9  # the right edge of the text block: where the longest ordinary lines end
CENTRED_AXIS_EMS = 1.0  # two centred lines share an axis when their centres are this close
FRAGMENT_Y_EMS = 0.25  # pieces of one printed line: baselines this close …
FRAGMENT_GAP_EMS = 2.0  # … and at most this far apart horizontally
INDENT_EMS = 0.6  # a line starting further than this right of the left margin starts a paragraph
CENTRED_TOLERANCE_EMS = 2.0
SIZE_CHANGE_SHARE = 0.15  # font size differing by more than this share starts a paragraph
PARAGRAPH_GAP_PITCHES = 1.8  # a vertical gap wider than this many line pitches starts a paragraph
RIGHT_MARGIN_QUANTILE = 0.75  # the right margin is where most full lines end
MIRRORED_MARGIN_EMS = 3.0

LAYOUT_SPACES = re.compile(r"[ \u00a0\t]+")
EDGE_SPACES = " \u00a0\t\u3000"
SOFT_HYPHEN_MARK = "\x02"  # pdfium's mark for a hyphen it found at a line end

# Line-breaking classes (an approximation of UAX #14 as office suites apply it to Chinese):
# no line may begin with a closing mark, none may end with an opening one, and quotation marks
# bind to both neighbours.
NO_BREAK_BEFORE = frozenset("，。、；：！？）》」』】〕〗〉］｝”’％‰…・·〃々〜～,.;:!?)]}%")
NO_BREAK_AFTER = frozenset("（《「『【〔〖〈［｛“‘([{￥＄$£€")
QUOTE_MARKS = frozenset("“”‘’\"'")


@dataclass(frozen=True, slots=True)
class LayoutLine:
    text: str
    page: int  # 0-based page index
    x0: float  # left edge of the first visible character
    x1: float  # right edge of the last visible character
    y: float  # bottom of the line
    size: float  # font size in points
    table: int | None = None  # index of the table this row belongs to (never joined)


@dataclass(frozen=True, slots=True)
class RebuiltText:
    text: str
    page_starts: tuple[int, ...]
    table_spans: tuple[tuple[int, int, int], ...] = ()  # (table index, start, end)
    dropped_furniture: int = 0


@dataclass(frozen=True, slots=True)
class PageGeometry:
    left: float
    right: float  # where most full lines end (the margin the centring test uses)
    size: float
    pitch: float
    edge: float | None = None  # right edge of the text block (ragged right: where the longest lines end)

    @property
    def right_edge(self) -> float:
        return self.right if self.edge is None else max(self.edge, self.right)


def compact(text: str) -> str:
    return "".join(text.split())


def is_page_number(text: str) -> bool:
    squeezed = compact(text)
    return bool(squeezed) and any(p.fullmatch(squeezed) for p in PAGE_NUMBER_PATTERNS)


def _furniture_key(line: LayoutLine) -> tuple[str, int]:
    # page numbers inside a running header differ from page to page; its position does not
    return re.sub(r"\d+", "#", compact(line.text)), round(line.y / FURNITURE_Y_TOLERANCE)


def _edge_indices(count: int) -> list[int]:
    edge = min(FURNITURE_LINES_PER_EDGE, count)
    return sorted(set(range(edge)) | set(range(count - edge, count)))


def drop_furniture(pages: list[list[LayoutLine]]) -> tuple[list[list[LayoutLine]], int]:
    """Remove page numbers and headers/footers repeated across pages."""
    key_pages: dict[tuple[str, int], set[int]] = {}
    for page_index, lines in enumerate(pages):
        for i in _edge_indices(len(lines)):
            if lines[i].table is None:
                key_pages.setdefault(_furniture_key(lines[i]), set()).add(page_index)
    needed = max(REPEATED_MIN_PAGES, REPEATED_MIN_SHARE * len(pages))
    repeated = {key for key, where in key_pages.items() if key[0] and len(where) >= needed}

    kept_pages: list[list[LayoutLine]] = []
    dropped = 0
    for lines in pages:
        edges = set(_edge_indices(len(lines)))
        kept: list[LayoutLine] = []
        for i, line in enumerate(lines):
            if i in edges and line.table is None and (
                is_page_number(line.text) or _furniture_key(line) in repeated
            ):
                dropped += 1
                continue
            kept.append(line)
        kept_pages.append(kept)
    return kept_pages, dropped


def _quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(lines: list[LayoutLine], page_width: float | None = None) -> PageGeometry:
    """Body font size, margins and line pitch of the text lines (most common values)."""
    text_lines = [line for line in lines if line.table is None]
    if not text_lines:
        return PageGeometry(left=0.0, right=0.0, size=12.0, pitch=14.0)
    weights: Counter[float] = Counter()
    for line in text_lines:
        weights[round(line.size, 1)] += len(line.text)
    size = max(sorted(weights), key=lambda s: weights[s])
    body = [line for line in text_lines if abs(line.size - size) <= SIZE_CHANGE_SHARE * size] or text_lines
    lefts = Counter(round(line.x0) for line in body)
    left_mode = max(sorted(lefts), key=lambda x: lefts[x])
    left = min(line.x0 for line in body if round(line.x0) == left_mode)
    right = _quantile([line.x1 for line in body], RIGHT_MARGIN_QUANTILE)
    if page_width:
        # when most lines end far before the mirrored left margin, they are short lines, not full ones
        mirrored = page_width - left
        if right < mirrored - MIRRORED_MARGIN_EMS * size:
            right = mirrored - size
    steps = [
        a.y - b.y
        for a, b in zip(body, body[1:])
        if a.page == b.page and 0.5 * size < a.y - b.y < 4 * size
    ]
    pitch = median(steps) if steps else 1.5 * size
    edge = _quantile([line.x1 for line in body], RIGHT_EDGE_QUANTILE)
    return PageGeometry(left=left, right=right, size=size, pitch=pitch, edge=edge)


def _is_centred(line: LayoutLine, geometry: PageGeometry) -> bool:
    em = max(line.size, 1.0)
    left_gap = line.x0 - geometry.left
    right_gap = geometry.right - line.x1
    return left_gap > 2 * em and right_gap > 2 * em and abs(left_gap - right_gap) < CENTRED_TOLERANCE_EMS * em


def _is_narrow_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _binds(last: str, char: str) -> bool:
    """Whether no line break may fall between ``last`` and ``char``."""
    if char in NO_BREAK_BEFORE or last in NO_BREAK_AFTER or char in QUOTE_MARKS or last in QUOTE_MARKS:
        return True
    if _is_narrow_word_char(char) and (_is_narrow_word_char(last) or last in NO_BREAK_BEFORE):
        # one Latin word or number; office suites also keep a number with the closing mark before it (点）186)
        return True
    return False


def line_output_text(line: LayoutLine) -> str:
    """The text a line contributes to the document: table rows as they are, other lines cleaned."""
    if line.table is not None:
        return line.text  # cells were cleaned one by one; tabs separate them
    return clean_spaces(line.text.replace(SOFT_HYPHEN_MARK, ""))


def first_run_width(text: str) -> float:
    """Estimated width, in ems, of the text up to the first place a line could break."""
    return _cleaned_first_run_width(clean_spaces(text.replace(SOFT_HYPHEN_MARK, "")))


def _cleaned_first_run_width(cleaned: str) -> float:
    """``first_run_width`` of a text that went through ``clean_spaces`` (soft-hyphen marks removed) already."""
    if not cleaned:
        return 0.0
    width = 0.0
    last = ""
    for char in cleaned:
        if last and not _binds(last, char):
            break
        if char.isspace():
            break
        if last and is_wide(last) != is_wide(char):
            width += AUTOSPACE_EMS
        width += 1.0 if is_wide(char) else NARROW_CHAR_EMS
        last = char
    return width


def _ends_sentence(line: LayoutLine) -> bool:
    stripped = line.text.rstrip(EDGE_SPACES + SOFT_HYPHEN_MARK).rstrip("”’\"'）)》」』")
    return bool(stripped) and stripped[-1] in SENTENCE_END_CHARS


def run_would_fit(previous: LayoutLine, following: LayoutLine, room: float, following_output: str | None = None) -> bool:
    """Whether the first unbreakable run of ``following`` would have fitted in ``room`` points after ``previous``.

    If it would have, the line was not broken for lack of space: the paragraph ended there.
    ``following_output``, when given, is ``line_output_text(following)`` of a non-table line (computed once per line).
    """
    em = max(following.size, 1.0)
    if following_output is None:
        needed = first_run_width(following.text) * em
    else:
        needed = _cleaned_first_run_width(following_output) * em
    before = previous.text.rstrip(EDGE_SPACES + SOFT_HYPHEN_MARK)[-1:]
    after = following.text.lstrip(EDGE_SPACES)[:1]
    if before and after and is_wide(before) != is_wide(after):
        needed += AUTOSPACE_EMS * em  # the run would have been set apart from a number or word before it
    if not _ends_sentence(previous):
        needed += JOIN_TOLERANCE_EMS * em
    return room >= needed


def _centre(line: LayoutLine) -> float:
    return (line.x0 + line.x1) / 2


def _continues_centred(
    previous: LayoutLine, following: LayoutLine, geometry: PageGeometry, following_output: str | None
) -> bool:
    """A display line (a title) wrapped onto a centred second line: the first line is full and shares the axis."""
    em = max(previous.size, 1.0)
    display = abs(previous.size - geometry.size) > SIZE_CHANGE_SHARE * geometry.size or _is_centred(previous, geometry)
    if not display or not _is_centred(following, geometry):
        return False
    if abs(_centre(previous) - _centre(following)) > CENTRED_AXIS_EMS * em:
        return False
    room = (geometry.right_edge - geometry.left) - (previous.x1 - previous.x0)
    return not run_would_fit(previous, following, room, following_output)


def ends_paragraph(
    previous: LayoutLine, following: LayoutLine, geometry: PageGeometry, following_output: str | None = None
) -> bool:
    """Whether a paragraph break falls between two consecutive lines.

    A break falls at a table, a change of font size, a jump up the page or a wide vertical gap,
    around a centred line (unless it continues a full centred line above), before an indented line,
    and after a line that stops short of the right edge by more than the next line's first
    unbreakable run needs (text may be ragged right: a short line alone is no paragraph end).
    ``following_output``: optional ``line_output_text(following)``, saves cleaning the line twice.
    """
    if previous.table is not None or following.table is not None:
        return True
    larger = max(previous.size, following.size, 1.0)
    if abs(previous.size - following.size) > SIZE_CHANGE_SHARE * larger:
        return True
    em = max(previous.size, 1.0)
    if previous.page == following.page:
        if following.y > previous.y + 0.5 * em:  # went up: another column or a box
            return True
        if previous.y - following.y > PARAGRAPH_GAP_PITCHES * geometry.pitch:
            return True
    if _is_centred(previous, geometry) or _is_centred(following, geometry):
        return not _continues_centred(previous, following, geometry, following_output)
    if following.x0 - geometry.left > INDENT_EMS * max(following.size, 1.0):
        return True
    room = geometry.right_edge - previous.x1
    return room > 0 and run_would_fit(previous, following, room, following_output)


def merge_fragments(lines: list[LayoutLine]) -> list[LayoutLine]:
    """Join pieces of one printed line that the PDF's text order reports as separate lines.

    A piece continues the line before it when it sits on the same baseline, starts where that
    line stops (not before it) and has the same font size.
    """
    merged: list[LayoutLine] = []
    for line in lines:
        if merged and _same_printed_line(merged[-1], line):
            previous = merged[-1]
            gap = line.x0 - previous.x1
            joiner = " " if gap > AUTOSPACE_EMS * max(previous.size, 1.0) else ""
            merged[-1] = LayoutLine(
                text=previous.text + joiner + line.text,
                page=previous.page, x0=previous.x0, x1=max(previous.x1, line.x1), y=previous.y,
                size=previous.size,
            )
        else:
            merged.append(line)
    return merged


def _same_printed_line(previous: LayoutLine, following: LayoutLine) -> bool:
    if previous.table is not None or following.table is not None or previous.page != following.page:
        return False
    em = max(previous.size, following.size, 1.0)
    if abs(previous.size - following.size) > SIZE_CHANGE_SHARE * em:
        return False
    if abs(previous.y - following.y) > FRAGMENT_Y_EMS * em:
        return False
    gap = following.x0 - previous.x1
    return -FRAGMENT_Y_EMS * em <= gap <= FRAGMENT_GAP_EMS * em


def clean_spaces(text: str) -> str:
    """Strip a line and remove spaces next to CJK characters or full-width punctuation.

    Spaces between two Latin words or numbers stay (one space).
    """
    text = text.strip(EDGE_SPACES)
    pieces: list[str] = []
    last = 0
    for match in LAYOUT_SPACES.finditer(text):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        pieces.append(text[last:match.start()])
        if before and after and not is_wide(before) and not is_wide(after):
            pieces.append(" ")
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def line_joiner(left: str, right: str) -> str:
    """What goes between two lines of one paragraph: nothing for CJK, a space between Latin words."""
    if not left or not right:
        return ""
    a, b = left[-1], right[0]
    if _is_latin(b) and (_is_latin(a) or a in ",.;:!?)%") and not (a.isdigit() and b.isdigit()):
        return " "
    return ""


def paragraphs(pages: list[list[LayoutLine]], geometry: PageGeometry) -> list[list[LayoutLine]]:
    return [[line for line, _ in paragraph] for paragraph in _paragraphs_with_output(pages, geometry)]


def _paragraphs_with_output(
    pages: list[list[LayoutLine]], geometry: PageGeometry
) -> list[list[tuple[LayoutLine, str]]]:
    """``paragraphs``, each line paired with its ``line_output_text`` (cleaned once, used twice)."""
    result: list[list[tuple[LayoutLine, str]]] = []
    previous: LayoutLine | None = None
    for lines in pages:
        for line in lines:
            output = line_output_text(line)
            # table lines end paragraphs before any run is measured; never pass their raw rows on
            following_output = output if line.table is None else None
            if previous is None or ends_paragraph(previous, line, geometry, following_output):
                result.append([(line, output)])
            else:
                result[-1].append((line, output))
            previous = line
    return result


def rebuild(pages: list[list[LayoutLine]], page_widths: list[float] | None = None) -> RebuiltText:
    """Join the lines of every page into one text; record where each page begins."""
    page_count = len(pages)
    kept_pages, dropped = drop_furniture([merge_fragments(lines) for lines in pages])
    width = median(page_widths) if page_widths else None
    geometry = measure([line for lines in kept_pages for line in lines], width)

    out: list[str] = []
    length = 0
    page_starts: list[int | None] = [None] * page_count
    table_bounds: dict[int, list[int]] = {}

    for paragraph in _paragraphs_with_output(kept_pages, geometry):
        if length:
            out.append("\n")
            length += 1
        previous_text = ""
        hyphenated = False
        for line, cleaned in paragraph:
            ends_soft_hyphen = line.text.rstrip(EDGE_SPACES).endswith(SOFT_HYPHEN_MARK)
            if not cleaned:
                continue
            joiner = "" if hyphenated else line_joiner(previous_text, cleaned)
            out.append(joiner)
            length += len(joiner)
            if page_starts[line.page] is None:
                page_starts[line.page] = length
            if line.table is not None:
                bounds = table_bounds.setdefault(line.table, [length, length])
            out.append(cleaned)
            length += len(cleaned)
            if line.table is not None:
                bounds[1] = length
            previous_text = cleaned
            hyphenated = ends_soft_hyphen

    text = "".join(out)
    # a page without text begins where the next page with text begins
    filled: list[int] = [0] * page_count
    following = len(text)
    for index in range(page_count - 1, -1, -1):
        start = page_starts[index]
        following = start if start is not None else following
        filled[index] = following
    if filled:
        filled[0] = 0
    spans = tuple((table, bounds[0], bounds[1]) for table, bounds in sorted(table_bounds.items()))
    return RebuiltText(text=text, page_starts=tuple(filled), table_spans=spans, dropped_furniture=dropped)

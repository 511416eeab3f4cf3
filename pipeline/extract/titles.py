"""Cited titles: every 《…》 and the titles nested inside one (〈…〉, ASCII <…>, or a second 《…》).

``find_titles(text)`` returns the titles linked to the document numbers cited
with them; ``scan_titles(text)`` is the same scan without that linkage (the
docno module links the two). Matching runs on ``fold(text)`` (same length), so
spans index the original text, and ``title``/``text`` are copied from it.

Bracket problems (GB/T 15834 4.15: 〈〉 is the inner level of 《》):

* ``ascii_angle``: an inner title written ``<…>``;
* ``double_book``: an inner title written ``《…》`` or a doubled ``《《…》》``;
* ``unbalanced``: a 《 with no closing 》 (the title then ends at the clause end),
  or an inner bracket left open.

A non-standard inner bracket is recorded on both titles whose text shows it,
the outer and the inner one (a checker reporting per citation looks at outer
titles only: ``nested_in is None``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.normalize import fold
from pipeline.records import DocNumber, Title

BOOK_OPEN, BOOK_CLOSE = "《", "》"
INNER_PAIRS = {"〈": "〉", "<": ">", "《": "》"}
# A title longer than this without its 》 is treated as unbalanced.
MAX_TITLE_CHARS = 160
# Deeper openers are read as characters (hostile text must not exhaust the recursion).
MAX_NESTING = 3
# Where an unclosed 《 title ends: a paragraph end or a sentence/clause stop.
UNBALANCED_END = re.compile(r"\n|[。；;，,！!？?]|\((?=[^)\n]{0,20}[〔﹝【\[(]?\d{4}[〕﹞】\])]?\s*\d*\s*[号號])")

WORD = re.compile(r"[^\W_]")
# Type rules, tried in order on the title with a trailing (试行)-style note removed.
# Each rule: (type, suffixes that give it, suffixes that veto it).
TITLE_TYPE_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("report", ("报告",), ()),
    ("form", (
        "责任书", "承诺书", "目标书", "公约", "告家长书", "告知书", "倡议书", "一封信", "协议书", "协议",
        "登记表", "申请表", "调查表", "统计表", "评分表", "信息表", "回执", "问卷", "明白卡", "明白纸",
    ), ()),
    ("law", ("法", "条例", "宪法"), ("办法", "方法", "做法", "想法", "说法", "用法", "写法", "算法", "疗法")),
    ("policy", (
        "通知", "意见", "方案", "办法", "规定", "细则", "清单", "措施", "规划", "计划", "指南", "标准",
        "制度", "决定", "汇编", "手册", "纲要", "要点", "规程", "规范", "机制", "举措", "指引", "通报",
        "批复", "函", "决议", "目录", "名单", "章程", "守则", "准则", "公告", "通告", "体系",
        "指标", "工程", "行动", "要求", "纪要", "安排", "任务",
    ), ()),
)
# A trailing note in parentheses that does not change what kind of document it is.
TRAILING_NOTE = re.compile(r"[(（][^()（）]{1,20}[)）]\s*$")


@dataclass(frozen=True, slots=True)
class _Span:
    start: int  # offset of the opening bracket
    end: int  # offset after the closing bracket (or after the clause for an unbalanced title)
    depth: int
    parent: int | None  # index of the enclosing span
    problems: tuple[str, ...]
    closed: bool


def title_type(title: str) -> str:
    """Type of a title from its wording: report, form, law, policy or other."""
    core = "".join(fold(title).split())  # line breaks and spaces from PDF text
    while TRAILING_NOTE.search(core) and len(TRAILING_NOTE.sub("", core)) >= 2:
        core = TRAILING_NOTE.sub("", core).rstrip()
    for kind, suffixes, vetoes in TITLE_TYPE_RULES:
        if core.endswith(vetoes) and vetoes:
            continue
        if core.endswith(suffixes):
            return kind
    return "other"


def _parse(folded: str, start: int, depth: int, parent: int | None, spans: list[_Span]) -> int:
    """Parse the title opened at ``start``; append its span (inner ones after it); return the offset after it."""
    closer = INNER_PAIRS[folded[start]]
    limit = min(len(folded), start + 1 + MAX_TITLE_CHARS)
    index = len(spans)
    spans.append(_Span(start, start + 1, depth, parent, (), False))
    problems: list[str] = []
    i = start + 1
    while i < limit:
        ch = folded[i]
        if ch == closer:
            spans[index] = _Span(start, i + 1, depth, parent, tuple(dict.fromkeys(problems)), True)
            return i + 1
        if ch == "。" or ch == "\n" and folded[i + 1:i + 2] == "\n":
            break  # a title does not run past a sentence or paragraph end
        if depth > 0 and ch == BOOK_CLOSE:  # the outer title closes first: this inner one was left open
            break
        if ch in INNER_PAIRS and depth + 1 < MAX_NESTING:
            if ch == "<" and ">" not in folded[i + 1:limit]:
                i += 1  # a lone '<' is a character, not a bracket
                continue
            if ch == BOOK_OPEN:
                problems.append("double_book")
            elif ch == "<":
                problems.append("ascii_angle")
            child = len(spans)
            end = _parse(folded, i, depth + 1, index, spans)
            if not spans[child].closed:
                problems.append("unbalanced")
            i = max(end, i + 1)
            continue
        i += 1
    # Not closed: an outer title ends at the clause end; an inner one where the scan stopped.
    if depth == 0:
        # What looked nested may be the next title: drop it and rescan from the clause end.
        clause = UNBALANCED_END.search(folded, start + 1, limit)
        end = clause.start() if clause else limit
        del spans[index + 1:]
        problems = []
    else:
        end = i
    spans[index] = _Span(start, end, depth, parent, tuple(dict.fromkeys(problems + ["unbalanced"])), False)
    return end


def scan_titles(text: str, *, folded: str | None = None) -> tuple[Title, ...]:
    """Every 《…》 title and the titles nested in them, in text order, without document numbers.

    ``folded`` is ``fold(text)`` when the caller has it already.
    """
    folded = fold(text) if folded is None else folded
    spans: list[_Span] = []
    i = 0
    while True:
        i = folded.find(BOOK_OPEN, i)
        if i < 0:
            break
        i = max(_parse(folded, i, 0, None, spans), i + 1)

    doubled = {
        k for k, s in enumerate(spans)
        if s.parent is not None and s.closed and spans[s.parent].closed and folded[s.start] == BOOK_OPEN
        and s.start == spans[s.parent].start + 1 and s.end == spans[s.parent].end - 1
    }
    doubled_parents = {spans[k].parent for k in doubled}
    titles: list[Title] = []
    for k, span in enumerate(spans):
        if k in doubled:
            continue
        problems = span.problems
        inner_start = span.start + 1
        inner_end = span.end - 1 if span.closed else span.end
        if k in doubled_parents:
            inner_start, inner_end = inner_start + 1, inner_end - 1
        if inner_end - inner_start < 1:
            continue
        if span.closed and span.depth > 0 and folded[span.start] != "〈":
            own = "ascii_angle" if folded[span.start] == "<" else "double_book"
            problems = tuple(dict.fromkeys((own, *problems)))
        nested_in = None
        parent = span.parent
        while parent is not None and parent in doubled:
            parent = spans[parent].parent
        if parent is not None:
            outer = spans[parent]
            o_start = outer.start + 1
            o_end = outer.end - 1 if outer.closed else outer.end
            nested_in = text[o_start:o_end]
        inner = text[inner_start:inner_end].strip()
        if not WORD.search(inner):
            continue  # nothing but marks: not a title
        titles.append(Title(
            text=text[span.start:span.end], start=span.start, end=span.end, page=1,
            title=inner, type=title_type(inner), nested_in=nested_in, bracket_problems=problems,
        ))
    titles.sort(key=lambda t: (t.start, -t.end))
    return tuple(titles)


def link_titles(titles: tuple[Title, ...], docnos: tuple[DocNumber, ...]) -> tuple[Title, ...]:
    """Titles with ``docno`` set from the document numbers linked to them (``DocNumber.title_start``)."""
    by_start = {d.title_start: d for d in docnos if d.title_start is not None}
    linked = []
    for title in titles:
        docno = by_start.get(title.start)
        if docno is not None and docno.title_end == title.end:
            title = replace(title, docno=docno.canonical)
            if title.type == "other":
                title = replace(title, type="policy")  # a document with a number is an issued document
        linked.append(title)
    return tuple(linked)


def find_docnos_and_titles(text: str) -> tuple[tuple[DocNumber, ...], tuple[Title, ...]]:
    """Document numbers and titles, linked (defined in ``docnos``; imported here lazily to avoid a cycle)."""
    from pipeline.extract.docnos import find_docnos_and_titles as linked

    return linked(text)


def find_titles(text: str) -> tuple[Title, ...]:
    """Every 《…》 title and nested title, with the document number cited with it."""
    return find_docnos_and_titles(text)[1]

"""Reference rules: cited documents said issued and not issued, number/title conflicts, malformed numbers."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.matching import partial_similarity, similarity
from pipeline.normalize import fold
from pipeline.records import DocNumber, Title

from .engine import CheckContext, Hit, rule

_TITLE_NOISE = re.compile(r"[《》〈〉<>＜＞“”\"'‘’\s()（）·、，,：:]")


def title_key(title: str, ctx: CheckContext) -> str:
    """A title without its bracket and punctuation variants or its wrapper words."""
    key = _TITLE_NOISE.sub("", fold(title))
    for suffix in ctx.data.words("references", "title_suffixes"):
        if key.endswith(suffix) and len(key) > len(suffix) + 4:
            key = key[: -len(suffix)]
            break
    return key


def docno_of(title: Title, docnos: tuple[DocNumber, ...], ctx: CheckContext) -> DocNumber | None:
    for docno in docnos:
        if docno.title_start == title.start:
            return docno
    for docno in docnos:  # the number written right after the title
        if 0 <= docno.start - title.end <= 2:
            return docno
    return None


def status_cue(ctx: CheckContext, title: Title) -> tuple[str, int, int] | None:
    """("issued"|"not_issued", span) from the words written just before the title, or a
    not-issued cue right after it (``《X办法》至今尚未印发``)."""
    start, c_end = ctx.clause_of(title.start)
    before = ctx.text[max(start, title.start - 12):title.start]
    for status, key in (("not_issued", "not_issued_cues"), ("issued", "issued_cues")):
        words = sorted(ctx.data.words("references", key), key=lambda w: (-len(w), w))
        for word in words:
            found = before.rfind(word)
            if found >= 0:
                offset = title.start - len(before) + found
                return status, offset, offset + len(word)
    after = ctx.text[title.end:min(c_end, title.end + int(ctx.data.get("references", "cue_after_window", default=8)))]
    for word in sorted(ctx.data.words("references", "not_issued_cues"), key=lambda w: (-len(w), w)):
        found = after.find(word)
        if found >= 0:
            return "not_issued", title.end + found, title.end + found + len(word)
    return None


@dataclass(frozen=True, slots=True)
class Citation:
    """One mention of a document: its title key (or canonical number) and the spans to quote."""

    key: str
    number: str | None  # canonical document number, when cited with one
    spans: tuple[tuple[int, int], ...]
    shown: str  # how the message names it
    cue: tuple[int, int] | None = None  # the not-issued cue
    inner: tuple[str, ...] = ()  # keys of titles nested in this one (another document it refers to)


def match_score(ctx: CheckContext, issued: Citation, other: Citation) -> float:
    """How surely two citations name one document (0: not at all): the same number, titles equal after
    normalising, or one title a near-verbatim part of the other (a shortened citation, scored lower)."""
    if other.number and issued.number and other.number == issued.number:
        return 300.0
    if not issued.key or not other.key or issued.key in other.inner or other.key in issued.inner:
        return 0.0  # 《关于落实〈X〉的清单》 is not X
    ratio = similarity(issued.key, other.key)
    if ratio >= float(ctx.data.get("references", "title_match_ratio", default=90)):
        return 100.0 + ratio
    shorter = min(len(issued.key), len(other.key))
    minimum = int(ctx.data.get("references", "title_partial_min_chars", default=8))
    if shorter < minimum or shorter < 0.6 * max(len(issued.key), len(other.key)):
        return 0.0
    partial = partial_similarity(issued.key, other.key)
    return partial if partial >= float(ctx.data.get("references", "title_partial_ratio", default=95)) else 0.0


def inner_keys(ctx: CheckContext, title: Title, index: dict[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    if index is not None:
        return index.get(title.title, ())
    return tuple(title_key(t.title, ctx) for t in ctx.extraction.titles if t.nested_in == title.title)


def nested_index(ctx: CheckContext) -> dict[str, tuple[str, ...]]:
    """``inner_keys`` of every outer title, computed in one pass (per title, a scan of all titles made
    the rule quadratic when one title is cited thousands of times)."""
    index: dict[str, list[str]] = {}
    for t in ctx.extraction.titles:
        if t.nested_in is not None:
            index.setdefault(t.nested_in, []).append(title_key(t.title, ctx))
    return {outer: tuple(keys) for outer, keys in index.items()}


def issued_citations(ctx: CheckContext) -> list[Citation]:
    docnos = ctx.extraction.docnos
    found: list[Citation] = []
    nested = nested_index(ctx)
    for title in ctx.extraction.titles:
        if title.nested_in is not None:
            continue
        cue = status_cue(ctx, title)
        docno = docno_of(title, docnos, ctx)
        if (cue is not None and cue[0] == "issued") or (cue is None and docno is not None):
            spans = [(title.start, title.end)]
            shown = title.text
            if docno is not None:
                spans.append((docno.start, docno.end))
                shown += f"（{docno.text}）"
            found.append(Citation(title_key(title.title, ctx), docno.canonical if docno else None, tuple(spans), shown,
                                  inner=inner_keys(ctx, title, nested)))
    for docno in docnos:  # a number cited without a title
        if docno.title is None and docno.canonical and "template" not in docno.problems:
            found.append(Citation("", docno.canonical, ((docno.start, docno.end),), docno.text))
    return found


def not_issued_citations(ctx: CheckContext) -> list[Citation]:
    """Documents said not issued: from the claims extractor (doc_not_issued with its target), else from the
    cue words around a title."""
    found: list[Citation] = []
    covered: set[int] = set()
    nested = nested_index(ctx)
    titles = {t.title: t for t in ctx.extraction.titles if t.nested_in is None}
    strip = ctx.data.alternation("references", "status_fillers")
    numbers = {d.canonical for d in ctx.extraction.docnos if d.canonical}
    for claim in ctx.extraction.claims:
        if claim.type != "doc_not_issued":
            continue
        cue = (claim.cue_start, claim.cue_end)
        title = titles.get(claim.target or "")
        if title is not None and claim.start <= title.start < claim.end:
            covered.add(title.start)
            found.append(Citation(title_key(title.title, ctx), None, ((title.start, title.end),), title.text, cue,
                                  inner_keys(ctx, title, nested)))
            continue
        if claim.target and claim.target in numbers:
            found.append(Citation("", claim.target, (), claim.target, cue))
            continue
        # no 《》: the words before the cue name the document (课后服务实施办法至今尚未印发)
        c_start, _ = ctx.clause_of(claim.cue_start)
        named = re.sub(f"^(?:{strip})+|(?:{strip})+$", "", ctx.text[c_start:claim.cue_start].strip())
        if len(named) >= int(ctx.data.get("references", "title_partial_min_chars", default=8)):
            offset = ctx.text.find(named, c_start, claim.cue_start)
            found.append(Citation(title_key(named, ctx), None, ((offset, offset + len(named)),), f"“{named}”", cue))
    for title in ctx.extraction.titles:
        if title.nested_in is not None or title.start in covered:
            continue
        cue = status_cue(ctx, title)
        if cue is not None and cue[0] == "not_issued":
            found.append(Citation(title_key(title.title, ctx), None, ((title.start, title.end),), title.text,
                                  (cue[1], cue[2]), inner_keys(ctx, title, nested)))
    return sorted(found, key=lambda c: c.cue or (0, 0))


@rule("REF-STATUS", "reference", "warning")
def check_document_status(ctx: CheckContext) -> Iterator[Hit]:
    """A document cited as issued (印发/出台, or with its number) and elsewhere as not issued (暂未出台).

    Titles are matched across bracket and punctuation variants and shortened citations; the not-issued
    cue may stand before or after the title (``《X办法》至今尚未印发``) or after a title written without 《》.
    Positive: ``印发《关于落实〈X方案〉的工作清单》（某教发〔2021〕3号）`` … ``暂未出台《关于落实<X方案>的工作清单》``.
    Negative: the second citation names a different document (``暂未出台《Y办法》``).
    """
    issued = issued_citations(ctx)
    # citations that score alike (same key, number and inner keys) are scored once: the same title cited
    # thousands of times made this quadratic; the first (lowest index) citation of a group wins ties
    groups: dict[tuple[str, str | None, tuple[str, ...]], list[int]] = {}
    for i, other in enumerate(issued):
        groups.setdefault((other.key, other.number, other.inner), []).append(i)
    for citation in not_issued_citations(ctx):
        if citation.cue is None:
            continue
        best = (0.0, 0)
        for indices in groups.values():
            first = next((i for i in indices  # not the same mention
                          if not (citation.spans and issued[i].spans[0] == citation.spans[0])), None)
            if first is not None:
                best = max(best, (match_score(ctx, issued[first], citation), -first))
        if best[0] <= 0:
            continue
        other = issued[-best[1]]
        c_start, c_end = citation.cue
        spans = (*other.spans, citation.cue, *citation.spans)
        cue_first = not citation.spans or c_start < citation.spans[0][0]
        said = (f"“{ctx.text[c_start:c_end]}”{citation.shown}" if cue_first
                else f"{citation.shown}“{ctx.text[c_start:c_end]}”")
        message = f"前文称已印发{other.shown}，后文又称{said}，文件状态前后矛盾。"
        yield Hit(message, spans)


def with_titles(*docnos: DocNumber) -> tuple[tuple[int, int], ...]:
    spans = []
    for docno in docnos:
        spans.append((docno.start, docno.end))
        if docno.title_start is not None and docno.title_end is not None:
            spans.append((docno.title_start, docno.title_end))
    return tuple(spans)


@rule("REF-CONFLICT", "reference", "error")
def check_number_title_conflicts(ctx: CheckContext) -> Iterator[Hit]:
    """One document number cited with two different titles, or one title with two numbers (GB/T 9704).

    Positive: ``《A办法》（某府发〔2021〕7号）`` and ``《B方案》（某府发〔2021〕7号）``.
    Negative: the same title and number cited twice.
    """
    threshold = float(ctx.data.get("references", "title_match_ratio", default=90))
    by_number: dict[str, list[DocNumber]] = defaultdict(list)
    for docno in ctx.extraction.docnos:
        if docno.canonical and docno.title and "template" not in docno.problems:
            by_number[docno.canonical].append(docno)
    for number, cited in sorted(by_number.items()):
        first = cited[0]
        for other in cited[1:]:
            if similarity(title_key(first.title, ctx), title_key(other.title, ctx)) >= threshold:
                continue
            message = f"同一文号“{number}”对应两个不同标题：《{first.title}》与《{other.title}》。"
            yield Hit(message, with_titles(first, other))
            break
    by_title: dict[str, list[DocNumber]] = defaultdict(list)
    for docno in ctx.extraction.docnos:
        if docno.canonical and docno.title and "template" not in docno.problems:
            by_title[title_key(docno.title, ctx)].append(docno)
    for key, cited in sorted(by_title.items()):
        numbers = sorted({d.canonical for d in cited if d.canonical})
        if len(numbers) < 2:
            continue
        first = cited[0]
        other = next(d for d in cited if d.canonical != first.canonical)
        message = f"同一文件《{first.title}》在报告中有两个文号：“{first.canonical}”与“{other.canonical}”。"
        yield Hit(message, with_titles(first, other))


def year_brackets(docno: DocNumber) -> str | None:
    """The pair of characters around the year as written: ``【】`` in 某教发【2019】31号."""
    found = re.search(r"(\D)\s*(?:19|20)\d{2}\s*(\D)", fold(docno.text))
    return None if found is None else docno.text[found.start(1)] + docno.text[found.end(2) - 1]


@rule("REF-DOCNO-FORMAT", "reference", "warning")
def check_docno_format(ctx: CheckContext) -> Iterator[Hit]:
    """A malformed document number (GB/T 9704 §7.2.5: 〔年份〕 in full, no 第, no leading zero, 号).

    ``repaired`` (an extraction artefact) is at most info; ``template`` placeholders are not errors.
    A non-standard bracket used for every number of the report (a house style such as 【】) is one info
    finding; a number that departs from the report's own style keeps the problem's severity.
    Positive: ``某教发（2022）05号``. Negative: ``某教发〔2022〕5号``.
    """
    severities = ctx.data.get("references", "docno_problem_severity", default={}) or {}
    names = ctx.data.get("references", "docno_problem_names", default={}) or {}
    rank = {"info": 0, "warning": 1, "error": 2}
    docnos = [d for d in ctx.extraction.docnos if "template" not in d.problems]
    styles = {year_brackets(d) for d in docnos if d.year is not None}
    house_style = len(styles) == 1 and len(docnos) >= 2 and all("bracket" in d.problems for d in docnos)
    grouped: list[DocNumber] = []
    for docno in ctx.extraction.docnos:
        problems = [p for p in docno.problems if p in severities]
        if house_style and "bracket" in problems:
            grouped.append(docno)
            problems.remove("bracket")
        if not problems:
            continue
        severity = max((severities[p] for p in problems), key=lambda s: rank[s])
        described = "；".join(names.get(p, p) for p in problems)
        suggestion = f"，规范写法为“{docno.canonical}”" if docno.canonical and docno.canonical != docno.text else ""
        message = f"文号“{docno.text}”不规范：{described}{suggestion}。"
        yield Hit(message, ((docno.start, docno.end),), severity=severity)
    if grouped:
        (style,) = styles
        message = (f"报告中{len(grouped)}处文号的年份统一用“{style}”括注（如“{grouped[0].text}”），"
                   f"GB/T 9704规定用六角括号〔〕，如“{grouped[0].canonical}”。")
        yield Hit(message, tuple((d.start, d.end) for d in grouped),
                  severity=ctx.data.get("references", "house_style_severity", default="info"))


RULES = (check_document_status, check_number_title_conflicts, check_docno_format)

"""Checkable claims: achievements, document status, problem statements and commitments.

``find_claims`` reads the sentences of ``Structure`` and matches the cue lexicon
(``models/lexicon/claim_cues.yaml``) on the folded text. A claim's text is the clause
holding the cue (split at ，；： outside brackets and quotes), widened to take in the
title or document number it refers to. Records carry ``page=1``; the aggregator fills pages.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from pipeline import datafiles
from pipeline.errors import ConfigError
from pipeline.normalize import fold
from pipeline.paths import models_dir
from pipeline.records import SECTION_ROLES, Claim, DocNumber, Structure, Title

try:  # the regex parser behind re.compile (private, no public equivalent); without it nothing is pre-filtered
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - a Python that moved it
    sre_parse = None

CLAIM_TYPES = ("doc_not_issued", "doc_issued", "problem", "achievement", "commitment")  # also the priority order
_CLAUSE_DELIMITERS = set("，,；;：:。！？!?")
_OPENERS = "(“《〈<[「『【‘"
_CLOSERS = ")”》〉>]」』】’"
# The characters _clause_bounds acts on; the others of a sentence are skipped by re.
_CLAUSE_MARK = re.compile("[" + re.escape(_OPENERS + _CLOSERS + "".join(sorted(_CLAUSE_DELIMITERS))) + "]")
_LEADING_NOISE = re.compile(r"^(?:\d{1,2}\s*[.．、]|[（(]\s*[\d一二三四五六七八九十]{1,2}\s*[）)]|[一二三四五六七八九十]{1,2}[、是]|第[一二三四五六七八九十]{1,2}[，,、]?|同时|此外|截至目前|目前)+")
_SUBJECT_TRIM_HEAD = ("实现", "确保", "已经", "已", "均", "全面", "达到", "推进", "坚持")
_SUBJECT_TRIM_TAIL = ("存在着", "存在", "还", "仍然", "有一定", "有", "较大", "严重", "的", "已经", "已", "均", "全面", "实现", "基本", "达到", "都", "全部")
# Minimal fallback for titles when the caller passes none (the real parser is pipeline.extract.titles).
_FALLBACK_TITLE = re.compile(r"《([^《》]{2,120})》")


def default_cues_path() -> Path:
    return models_dir() / "lexicon" / "claim_cues.yaml"


# A character class wider than this is not worth indexing: the pattern is tried on every sentence.
_MAX_INDEXED_CLASS = 256


def _class_chars(items: list) -> set[str] | None:
    """Characters of a parsed ``[...]`` class, or None when negated, by category or too wide."""
    chars: set[str] = set()
    for op, av in items:
        if op is sre_parse.LITERAL:
            chars.add(chr(av))
        elif op is sre_parse.RANGE and av[1] - av[0] < _MAX_INDEXED_CLASS:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:
            return None
    return chars


def _leading_chars(items: list) -> tuple[set[str] | None, bool]:
    """(characters a match of ``items`` can start with, whether ``items`` can match the empty string).

    The set is None when it cannot be bounded (., negated or category classes, flags, back-references).
    Zero-width items (look-arounds, anchors) only narrow the matches, so they are skipped.
    """
    chars: set[str] = set()
    for op, av in items:
        if op in (sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            continue
        if op is sre_parse.LITERAL:
            return chars | {chr(av)}, False
        if op is sre_parse.IN:
            found = _class_chars(av)
            return (None if found is None else chars | found), False
        if op is sre_parse.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                return None, False
            alternatives = [sub]
        elif op is sre_parse.BRANCH:
            alternatives = av[1]
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            low, _, sub = av
            alternatives = [sub] if low > 0 else [sub, []]  # a repeat that may be skipped is nullable
        else:
            return None, False
        nullable = False
        for alternative in alternatives:
            found, empty = _leading_chars(alternative)
            if found is None:
                return None, False
            chars |= found
            nullable = nullable or empty
        if not nullable:
            return chars, False
    return chars, True


def leading_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Characters every match of ``pattern`` starts with; None when a match may start anywhere
    (the pattern can match the empty string, or its start is too wide to list)."""
    if sre_parse is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        found, nullable = _leading_chars(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    except (re.error, TypeError, ValueError):
        return None
    return None if found is None or nullable else frozenset(found)


@dataclass(frozen=True, slots=True)
class CuePattern:
    type: str
    pattern: re.Pattern[str]
    polarity: str
    sections: tuple[str, ...]  # roles where it applies
    # Characters every match starts with (None: unknown). A sentence holding none of them has no match,
    # so the pattern is not run there.
    first_chars: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class ClaimLexicon:
    patterns: tuple[CuePattern, ...]
    negations: tuple[str, ...]
    negation_window: int
    hedges: tuple[str, ...]
    hedge_window: int
    once_per_clause: tuple[str, ...]  # types that give at most one claim per clause
    needs_target: tuple[str, ...]  # types that are claims only with a title or document number
    target_fillers: tuple[str, ...] = ()  # words before a not-issued cue that name no document (至今, 该 …)

    @classmethod
    def load(cls, path: Path | str | None = None) -> ClaimLexicon:
        source = Path(path) if path is not None else default_cues_path()
        try:
            data = datafiles.read_file(source)
            patterns = []
            once, needs = [], []
            unknown = sorted(set(data["types"]) - set(CLAIM_TYPES))
            if unknown:
                raise ConfigError(f"未知的断言类型：{unknown}。Unknown claim types in {source}.")
            for claim_type in CLAIM_TYPES:
                spec = data["types"].get(claim_type)
                if not spec:
                    continue
                skip = set(spec.get("skip_sections", ()))
                sections = tuple(r for r in spec.get("sections", SECTION_ROLES) if r not in skip)
                for raw in spec["patterns"]:
                    compiled = re.compile(raw)
                    patterns.append(CuePattern(claim_type, compiled, spec.get("polarity", "positive"), sections,
                                               leading_chars(compiled)))
                if spec.get("once_per_clause"):
                    once.append(claim_type)
                if spec.get("needs_target"):
                    needs.append(claim_type)
            return cls(
                patterns=tuple(patterns),
                negations=tuple(sorted(data.get("negations", ()), key=len, reverse=True)),
                negation_window=int(data.get("negation_window", 4)),
                hedges=tuple(sorted(data.get("hedges", ()), key=len, reverse=True)),
                hedge_window=int(data.get("hedge_window", 6)),
                once_per_clause=tuple(once),
                needs_target=tuple(needs),
                target_fillers=tuple(str(w) for w in data.get("target_fillers", ())),
            )
        except ConfigError:
            raise
        except (OSError, datafiles.YAMLError, KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
            raise ConfigError(f"断言词表无效：{source}。Invalid claim-cue lexicon: {exc}") from exc


@dataclass(frozen=True, slots=True)
class _Reference:
    start: int  # span of the 《…》 (or of the number when there is no title)
    end: int
    target: str  # inner title text, or the canonical document number
    tail_end: int  # end including a document number cited right after the title


def _references(text: str, docnos: Sequence[DocNumber], titles: Sequence[Title]) -> list[_Reference]:
    refs: list[_Reference] = []
    docno_after_title = {d.title_start: d for d in docnos if d.title_start is not None}
    title_starts = set()
    for title in titles:
        if title.nested_in is not None:
            continue
        docno = docno_after_title.get(title.start)
        tail = title.end
        if docno is not None and docno.start - title.end <= 3:
            tail = docno.end + (1 if text[docno.end : docno.end + 1] in (")", "）") else 0)
        refs.append(_Reference(title.start, title.end, title.title, tail))
        title_starts.add(title.start)
    if not titles:
        for found in _FALLBACK_TITLE.finditer(text):
            refs.append(_Reference(found.start(), found.end(), found.group(1), found.end()))
    for docno in docnos:
        if docno.title_start is None or docno.title_start not in title_starts:
            refs.append(_Reference(docno.start, docno.end, docno.canonical or docno.text, docno.end))
    refs.sort(key=lambda r: (r.start, r.end))
    return refs


class _Located:
    """References sorted by start, with O(log n) look-ups by offset."""

    def __init__(self, references: Sequence[_Reference]) -> None:
        self.references = references
        self.starts = [r.start for r in references]
        self.max_ends = list(accumulate((r.end for r in references), max))  # furthest end among the first k

    def covers(self, offset: int) -> bool:
        """Whether some reference has ``start <= offset < end``."""
        starting_by = bisect_right(self.starts, offset)  # references starting at or before offset
        return starting_by > 0 and self.max_ends[starting_by - 1] > offset

    def starting_in(self, start: int, end: int) -> list[_Reference]:
        """The references with ``start <= reference.start < end``, in order."""
        return list(self.references[bisect_left(self.starts, start):bisect_left(self.starts, end)])


def _clause_bounds(folded: str, start: int, end: int, position: int) -> tuple[int, int]:
    """The clause of ``[start, end)`` around ``position``: delimiters inside brackets or quotes do not count."""
    return _clause_at(_clauses(folded, start, end), start, end, position)


def _clauses(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of ``[start, end)`` in order (empty ones included), split at delimiters outside brackets."""
    depth = 0
    left = start
    bounds = []
    for mark in _CLAUSE_MARK.finditer(folded, start, end):
        char = mark.group()
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0:  # a delimiter
            offset = mark.start()
            bounds.append((left, offset))
            left = offset + 1
    bounds.append((left, end))
    return bounds


def _clause_at(clauses: Sequence[tuple[int, int]], start: int, end: int, position: int) -> tuple[int, int]:
    """The first of ``clauses`` (of the sentence ``[start, end)``) holding ``position``."""
    for left, right in clauses:
        if left <= position < max(right, left + 1):
            return left, right
    return start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\r\n\u3000":
        start += 1
    while end > start and text[end - 1] in " \t\r\n\u3000":
        end -= 1
    return start, end


def _subject(text: str, clause_start: int, cue_start: int) -> str | None:
    words = _LEADING_NOISE.sub("", text[clause_start:cue_start].strip())
    changed = True
    while changed and words:
        changed = False
        for head in _SUBJECT_TRIM_HEAD:
            if words.startswith(head):
                words, changed = words[len(head) :], True
        for tail in _SUBJECT_TRIM_TAIL:
            if words.endswith(tail):
                words, changed = words[: -len(tail)], True
    words = words.strip("“”\"'：:，, ")
    return words or None


def _names_own_object(folded: str, left: int, cue_start: int, lexicon: ClaimLexicon) -> bool:
    """The clause names what was not issued before the cue (部分学校的评价细则尚未出台), so a title
    elsewhere in the sentence is not its target. Fillers (至今, 目前 …) and back-references (该, 此 …) name nothing."""
    words = folded[left:cue_start].strip()
    fillers = sorted(lexicon.target_fillers, key=len, reverse=True)
    changed = True
    while changed and words:
        changed = False
        for filler in fillers:
            if words.startswith(filler) or words.endswith(filler):
                words = words[len(filler):] if words.startswith(filler) else words[: -len(filler)]
                words, changed = words.strip(), True
    return len(re.findall(r"[\u4e00-\u9fff]", words)) >= 2


def _word_before(folded: str, left: int, cue_start: int, words: Sequence[str], window: int) -> str | None:
    before = folded[max(left, cue_start - window) : cue_start]
    for word in words:
        if word in before:
            return word
    return None


def _cue_masks(patterns: Sequence[CuePattern]) -> tuple[dict[str, int], int]:
    """For each character the patterns' matches can start with, the set of their ranks as a bit mask
    (bit ``rank``), and the mask of the patterns whose first characters are unknown (tried on every sentence)."""
    by_char: dict[str, int] = {}
    unindexed = 0
    for rank, cue in enumerate(patterns):
        if cue.first_chars is None:
            unindexed |= 1 << rank
            continue
        for char in cue.first_chars:
            by_char[char] = by_char.get(char, 0) | 1 << rank
    return by_char, unindexed


def _ranks(mask: int) -> list[int]:
    """The set bits of ``mask``, lowest first."""
    ranks = []
    while mask:
        lowest = mask & -mask
        ranks.append(lowest.bit_length() - 1)
        mask ^= lowest
    return ranks


def _cue_chooser(patterns: Sequence[CuePattern]) -> Callable[[str, int, int], list[int]]:
    """A function giving the ranks, in order, of the patterns that can match in ``folded[start:end]``:
    those that can start with a character found there and those whose first characters are unknown."""
    masks_by_char, unindexed = _cue_masks(patterns)
    if not masks_by_char:
        return lambda folded, start, end: _ranks(unindexed)
    # re finds the cue characters of a sentence (it holds few of them).
    cue_chars = re.compile("[" + re.escape("".join(sorted(masks_by_char))) + "]")

    def ranks_in(folded: str, start: int, end: int) -> list[int]:
        mask = unindexed
        for char in set(cue_chars.findall(folded, start, end)):
            mask |= masks_by_char[char]
        return _ranks(mask)

    return ranks_in


def find_claims(
    text: str,
    structure: Structure,
    docnos: Sequence[DocNumber] = (),
    titles: Sequence[Title] = (),
    lexicon: ClaimLexicon | None = None,
    *,
    folded: str | None = None,
) -> tuple[Claim, ...]:
    """Claims in the text, one per cue, in text order (``page`` is 1: the aggregator sets it).

    ``folded`` is ``fold(text)`` when the caller has it already.
    """
    lexicon = lexicon or ClaimLexicon.load()
    folded = fold(text) if folded is None else folded
    section_by_passage = {p.id: p.section for p in structure.passages}
    located = _Located(_references(text, docnos, titles))
    cue_ranks = _cue_chooser(lexicon.patterns)
    claims: list[Claim] = []
    for sentence in structure.sentences:
        section = section_by_passage.get(sentence.passage_id, "other")
        cues = [(rank, lexicon.patterns[rank]) for rank in cue_ranks(folded, sentence.start, sentence.end)]
        claims.extend(_sentence_claims(text, folded, sentence.start, sentence.end, section, located, lexicon, cues))
    claims.sort(key=lambda c: (c.start, c.cue_start, CLAIM_TYPES.index(c.type)))
    return tuple(claims)


def _sentence_claims(
    text: str,
    folded: str,
    start: int,
    end: int,
    section: str,
    located: _Located,
    lexicon: ClaimLexicon,
    cues: Sequence[tuple[int, CuePattern]],
) -> list[Claim]:
    """Claims of the sentence ``[start, end)``; ``cues`` are the (rank, pattern) pairs that can match in it.

    ``located``: the references of the text (built once per text).
    """
    matches = []
    for rank, cue in cues:
        if section not in cue.sections:
            continue
        for found in cue.pattern.finditer(folded, start, end):
            group = "cue" if "cue" in cue.pattern.groupindex else 0
            cue_start, cue_end = found.span(group)
            if cue_end > cue_start:
                matches.append((cue_start, cue_end, cue, rank))
    if not matches:
        return []
    # longest cue first, then type priority: 暂未出台 beats 出台, 覆盖率不高 beats 不高
    matches.sort(key=lambda m: (-(m[1] - m[0]), CLAIM_TYPES.index(m[2].type), m[3], m[0]))
    kept: list[tuple[int, int, CuePattern]] = []
    for cue_start, cue_end, cue, _ in matches:
        if any(cue_start < k_end and k_start < cue_end for k_start, k_end, _ in kept):
            continue
        if located.covers(cue_start):
            continue  # words inside a cited title are not the report's claim
        kept.append((cue_start, cue_end, cue))
    kept.sort(key=lambda k: k[0])
    sentence_refs = located.starting_in(start, end)
    clauses = _clauses(folded, start, end) if kept else []
    doc_cues = [k[0] for k in kept if k[2].type in ("doc_issued", "doc_not_issued")]
    claims: list[Claim] = []
    clauses_with: set[tuple[str, int]] = set()
    for cue_start, cue_end, cue in kept:
        claim_type, polarity = cue.type, cue.polarity
        left, right = _clause_at(clauses, start, end, cue_start)
        hedge = None
        target_ref = None
        if claim_type == "achievement":
            if _word_before(folded, left, cue_start, lexicon.negations, lexicon.negation_window):
                claim_type, polarity = "problem", "negative"
            else:
                hedge = _word_before(folded, left, cue_start, lexicon.hedges, lexicon.hedge_window)
        if claim_type in ("doc_issued", "doc_not_issued"):
            next_doc_cue = min((s for s in doc_cues if s > cue_start), default=end)
            after = [r for r in sentence_refs if cue_end <= r.start < next_doc_cue]
            before = [r for r in sentence_refs if left <= r.start and r.end <= cue_start]
            target_ref = after[0] if after else (before[-1] if before else None)
            if claim_type == "doc_not_issued" and target_ref is None and sentence_refs \
                    and not _names_own_object(folded, left, cue_start, lexicon):
                target_ref = sentence_refs[0]  # 《X办法》，至今尚未出台: the cue refers back to the title
            if claim_type in lexicon.needs_target and target_ref is None:
                continue
        if section == "measure" and claim_type in ("achievement", "doc_issued"):
            claim_type, polarity = "commitment", "positive"  # a plan, not a result
        if claim_type in lexicon.once_per_clause:
            if (claim_type, left) in clauses_with:
                continue
            clauses_with.add((claim_type, left))
        span_start, span_end = left, right
        if target_ref is not None:
            span_start = min(span_start, target_ref.start)
            span_end = max(span_end, target_ref.tail_end)
            span_end = max(span_end, _clause_at(clauses, start, end, span_end - 1)[1]) if span_end < end else span_end
        span_start, span_end = _trim(text, span_start, span_end)
        claims.append(
            Claim(
                text=text[span_start:span_end],
                start=span_start,
                end=span_end,
                page=1,
                type=claim_type,
                polarity=polarity,
                cue=text[cue_start:cue_end],
                cue_start=cue_start,
                cue_end=cue_end,
                section=section,
                subject=_subject(text, left, cue_start),
                hedge=hedge,
                target=target_ref.target if target_ref is not None else None,
            )
        )
    return claims

"""The faster check paths give exactly what the straightforward code they replaced gave.

Each reference below is the earlier implementation (or a brute force), compared on the real
reports: the sample corpus and the Dazu 2022 report, so a change that moves one value fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rapidfuzz import fuzz
from test_check_engine import audit_of

from pipeline.check import claims
from pipeline.check.arithmetic import paragraph_spans, skeletons
from pipeline.check.engine import QUANTITY_MARK, CheckContext, load_rule_data
from pipeline.errors import ConfigError
from pipeline.ingest import load_document
from pipeline.matching import similar_pairs
from pipeline.normalize import FOLD_TABLE, fold
from pipeline.records import AuditInput

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"


@pytest.fixture(scope="module")
def report_audits(dazu_text: str) -> list[AuditInput]:
    paths = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".txt"))
    assert len(paths) >= 8
    return [audit_of(load_document(p).text) for p in paths] + [audit_of(dazu_text)]


@pytest.fixture(scope="module")
def contexts(report_audits: list[AuditInput]) -> list[CheckContext]:
    data = load_rule_data()
    return [CheckContext(audit, data) for audit in report_audits]


def sentence_texts(ctx: CheckContext, minimum: int) -> list[str]:
    """The sentences DUP-SENTENCE compares."""
    spans = [(s, e) for s, e in ctx.sentence_spans if len(ctx.text[s:e].strip()) >= minimum]
    return [fold(ctx.text[s:e]).strip() for s, e in spans]


def brute_force_pairs(texts: list[str], threshold: float) -> list[tuple[int, int, int]]:
    return [(i, j, round(score)) for i in range(len(texts)) for j in range(i + 1, len(texts))
            if (score := fuzz.ratio(texts[i], texts[j], processor=None)) >= threshold]


@pytest.mark.parametrize("threshold", [60, 80, 92])
def test_similar_pairs_within_one_list_as_brute_force_on_the_reports(contexts, threshold: float) -> None:
    """Each pair scored once (the upper triangle) finds the pairs every pair's score finds."""
    compared = 0
    for ctx in contexts:
        texts = sentence_texts(ctx, 12)
        found = [(i, j, round(score)) for i, j, score in similar_pairs(texts, threshold=threshold)]
        assert found == brute_force_pairs(texts, threshold)
        compared += len(found)
    assert compared > 0  # the reports do have near-identical sentences at these thresholds


def reference_skeleton(ctx: CheckContext, start: int, end: int, kinds) -> tuple[str, tuple, dict]:
    """The skeleton as first built: text, one document span per character, marks."""
    pieces, origin, quantity_at, position = [], [], {}, start
    for q in ctx.quantities_in(start, end, kinds):
        if q.start < position:
            continue
        pieces.append(ctx.text[position:q.start])
        origin.extend(zip(range(position, q.start), range(position + 1, q.start + 1)))
        quantity_at[len(origin)] = q
        pieces.append(QUANTITY_MARK)
        origin.append((q.start, q.end))
        position = q.end
    pieces.append(ctx.text[position:end])
    origin.extend(zip(range(position, end), range(position + 1, end + 1)))
    return "".join(pieces), tuple(origin), quantity_at


def test_skeleton_spans_as_the_per_character_table_on_the_reports(contexts) -> None:
    """Spans computed from the marks equal the table of one span per character they replaced."""
    checked = 0
    for ctx in contexts:
        kinds_list = [ctx.data.words("figure_kinds"), ("percent",), ("count", "money")]
        for (start, end), kinds in ((span, kinds) for span in paragraph_spans(ctx) for kinds in kinds_list):
            skeleton = ctx.skeleton(start, end, kinds)
            text, origin, quantity_at = reference_skeleton(ctx, start, end, kinds)
            assert (skeleton.text, skeleton.quantity_at) == (text, quantity_at)
            assert skeleton.origin == origin
            n = len(origin)
            for a, b in ((0, n), (0, 1), (n - 1, n), (0, 0), (-3, -1)) + tuple((i, i + 1) for i in quantity_at):
                if n and -n <= a < n and -n <= b - 1 < n:
                    assert skeleton.span(a, b) == (origin[a][0], origin[b - 1][1])
            with pytest.raises(IndexError):
                skeleton.span(n, n + 1)
            checked += len(quantity_at)
    assert checked > 1000


def test_figure_skeletons_listed_once_as_the_generator_gave_them(contexts) -> None:
    """skeletons(ctx), shared by six rules, lists what the per-rule generator listed, in order."""
    for ctx in contexts:
        kinds = ctx.data.words("figure_kinds")
        expected = [ctx.skeleton(s, e, kinds) for s, e in paragraph_spans(ctx)]
        expected = [skeleton for skeleton in expected if QUANTITY_MARK in skeleton.text]
        assert list(skeletons(ctx)) == expected
        assert skeletons(ctx) is skeletons(ctx)


def test_fold_of_short_texts_is_translate_on_the_reports(contexts) -> None:
    """Every figure's text and the short windows the rules fold (``fold`` returns a short text with
    nothing to fold as it is), with and without something to fold."""
    folded_differently = 0
    for ctx in contexts:
        for q in ctx.quantities:
            for text in (q.text, ctx.text[max(0, q.start - 12):q.start], ctx.text[max(0, q.start - 2):q.start]):
                assert fold(text) == text.translate(FOLD_TABLE)
                folded_differently += fold(text) != text
    assert folded_differently > 0
    assert fold("") == "" and fold("１２％（约）") == "１２％（约）".translate(FOLD_TABLE) == "12%(约)"


def _key_paths(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _key_paths(value, (*path, key))
    else:
        yield path


def test_rule_data_lookups_kept_as_computed_afresh() -> None:
    """words / alternation / pattern, asked twice, give what the data gives on first reading."""
    data = load_rule_data()
    fresh = load_rule_data()
    lists = [p for p in _key_paths(data.values) if isinstance(fresh.get(*p), list)
             and all(isinstance(w, str) for w in fresh.get(*p))]
    patterns = [p for p in _key_paths(data.values) if isinstance(fresh.get(*p), str) and "(" in fresh.get(*p)]
    assert len(lists) > 30 and len(patterns) > 5
    for _ in range(2):
        for path in lists:
            words = fresh.get(*path)
            assert data.words(*path) == tuple(words)
            ordered = sorted(words, key=lambda w: (-len(w), w))
            assert data.alternation(*path) == ("|".join(re.escape(w) for w in ordered) or "(?!)")
        for path in patterns:
            assert data.pattern(*path) == re.compile(fresh.get(*path).replace("{Q}", QUANTITY_MARK))
        assert data.words("no", "such", "list") == () and data.alternation("no", "such", "list") == "(?!)"
        with pytest.raises(ConfigError):
            data.pattern("no", "such", "pattern")


def reference_bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1) if all("\u4e00" <= c <= "\u9fff" for c in text[i:i + 2])}


def test_bigrams_as_every_pair_of_ideographs_on_the_reports(contexts) -> None:
    for ctx in contexts:
        for start, end in ctx.sentence_spans:
            for text in (ctx.text[start:end], ctx.text[slice(*ctx.clause_of(start))]):
                assert claims.bigrams(text) == reference_bigrams(text)
    for text in ("", "中", "中文", "a中b文", "\u4dff\u4e00\u9fff\ua000", "一丁" * 3 + "x" + "七"):
        assert claims.bigrams(text) == reference_bigrams(text)


def reference_cue_spans(ctx: CheckContext, words: tuple[str, ...]) -> list[tuple[int, int]]:
    spans = set()
    for claim in ctx.extraction.claims:
        for word in words:
            found = ctx.text.find(word, claim.start, claim.end)
            if found >= 0 and (claim.cue_start <= found < claim.cue_end or word in claim.cue):
                spans.add((found, found + len(word)))
    if not ctx.extraction.claims:
        pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))
        spans.update(m.span() for m in pattern.finditer(ctx.text))
    return sorted(s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans))


def test_cue_spans_as_found_in_the_whole_text_on_the_reports(contexts) -> None:
    lists = [("claims", "only_increase"), ("claims", "zero_cues"), ("claims", "all_cues"), ("claims", "nonzero_cues")]
    found = 0
    for ctx in contexts:
        word_lists = [ctx.data.words(*keys) for keys in lists]
        word_lists += [tuple(pair["achievement"]) for pair in ctx.data.get("claims", "achievement_vs_problem")]
        for words in word_lists:
            spans = claims.cue_spans(ctx, words)
            assert spans == reference_cue_spans(ctx, words)
            found += len(spans)
    assert found > 20

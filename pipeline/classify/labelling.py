"""``classify``: label a document's passages with the scheme's aspects and points."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import numpy as np

from pipeline.classify.features import Tokenize, feature_text
from pipeline.classify.model import SENTENCE_END, PassageClassifier
from pipeline.classify.scheme import Scheme
from pipeline.classify.zero_shot import ZeroShotRanker
from pipeline.normalize import fold
from pipeline.records import Classification, Document, Passage, PassageLabel, Structure

TOP_N = 3
MIN_HAN_CHARS = 8  # shorter passages (dates, signatures, phone lines) carry no topic
MIN_HAN_CHARS_HEADING = 24  # headings shorter than this are labels, not statements
MIN_HAN_CHARS_SHORT_HEADING = 4  # "一、" or "（二）主要做法" alone: nothing to label
HAN = re.compile(r"[\u4e00-\u9fff]")
UNLABELLED_KINDS = ("heading",)  # unless long enough to be a statement
# The account of how the self-check was run (process) and the signature block (closing) describe the
# report, not the duties: they are no evidence for any point (nor is the title block, see classify).
UNLABELLED_SECTIONS = ("process", "closing")

# Per mode: minimum aspect score to name an aspect, minimum point score to name a point, and (model
# only: zero-shot has no sentence-window scores) the minimum score for a sentence window of a long
# passage to make it evidence for a further point in the coverage matrix. Chance is 1/8 and 1/38.
THRESHOLDS = {
    "model": {"aspect": 0.15, "point": 0.08, "window": 0.15},
    "zero_shot": {"aspect": 0.20, "point": 0.04},
}
HEADING_MIN_ASPECT = 0.25  # a short topic heading is named only when it leans clearly towards one aspect
ZERO_SHOT_BLEND = 0.25  # model mode: share of the scheme-text similarity (helps on wording the model never saw)
HEADING_CONTEXT_WEIGHT = 0.4  # share of the enclosing heading's scores in a passage's scores
HEADING_CONTEXT_MIN = 0.25  # ...used only when that heading leans clearly towards one aspect


def classify(
    document: Document,
    structure: Structure,
    scheme: Scheme,
    classifier: PassageClassifier | None,
    tokenize: Tokenize,
    ranker: ZeroShotRanker | None = None,
    word_starts: Sequence[int] = (),
) -> Classification:
    """Aspect and point of every passage, and the point -> passages coverage matrix.

    Statements are labelled from their own text, blended with the innermost
    heading's scores when that heading is specific. Short headings are labelled
    (strictly) but are never evidence in the coverage matrix. ``word_starts`` (the
    extract stage's word boundaries, ``Extraction.word_starts``) saves tokenising the
    passages again; ``tokenize`` handles any text they do not cover.
    """
    mode = "model" if classifier is not None else "zero_shot"
    limits = THRESHOLDS[mode]
    # the ranker and the model tokenise the same texts, and the document's words are known already
    tokenize = memoized(tokenize, passage_sentence_words(document, structure.passages, word_starts))
    point_ids = tuple(p.id for p in scheme.points)
    aspect_columns = [[point_ids.index(p.id) for p in aspect.points] for aspect in scheme.aspects]
    ranker = ranker or ZeroShotRanker.build(scheme, tokenize)  # callers auditing many reports pass one built once

    def score(texts: list[str]) -> tuple[np.ndarray, list[list[tuple[str, float]]]]:
        """Scores per text (scheme point order) and, in model mode, each text's best point per sentence window."""
        feature_texts = [feature_text(text, tokenize) for text in texts]  # both read the same features
        similarity = normalise_rows(ranker.point_scores(texts, tokenize, feature_texts))
        if classifier is None:
            return similarity, [[] for _ in texts]
        probabilities, window_points = classifier.predict_texts(texts, tokenize, feature_texts)
        probabilities = align_columns(probabilities, classifier.labels, point_ids)
        return (1 - ZERO_SHOT_BLEND) * probabilities + ZERO_SHOT_BLEND * similarity, window_points

    topic_heading_starts = {h.start for h in structure.headings if h.role is None}
    body_start = structure.headings[0].start if structure.headings else 0  # title and addressee lines come first
    statements = [
        p for p in structure.passages
        if is_statement(document, p) and not (p.section == "other" and p.end <= body_start)
    ]
    headings = [
        p for p in structure.passages if is_short_heading(document, p) and p.start in topic_heading_starts
    ]
    statement_scores, statement_windows = score([document.text[p.start : p.end] for p in statements])
    heading_scores, _ = score([document.text[p.start : p.end] for p in headings])
    context_labels = sorted({topic_heading_label(structure, p) for p in statements} - {None})
    context = dict(zip(context_labels, score(context_labels)[0]))

    # a heading's scores count as context only when the heading clearly names an aspect
    specific = {label: row for label, row in context.items() if aspect_totals(row, aspect_columns).max() >= HEADING_CONTEXT_MIN}
    rows = statement_scores.copy()
    for index, passage in enumerate(statements):
        heading_row = specific.get(topic_heading_label(structure, passage))
        if heading_row is not None:
            rows[index] = (1 - HEADING_CONTEXT_WEIGHT) * statement_scores[index] + HEADING_CONTEXT_WEIGHT * heading_row

    labels_by_id: dict[str, PassageLabel] = {}
    evidence: dict[str, set[str]] = {pid: set() for pid in point_ids}
    for passage, row, aspect_scores in zip(statements, rows, aspect_total_rows(rows, aspect_columns)):
        label = label_passage(passage.id, row, scheme, point_ids, aspect_columns, limits, aspect_scores)
        labels_by_id[passage.id] = label
        if label.point is not None:
            evidence[label.point].add(passage.id)
    heading_limits = dict(limits, aspect=max(limits["aspect"], HEADING_MIN_ASPECT))
    for passage, row, aspect_scores in zip(headings, heading_scores, aspect_total_rows(heading_scores, aspect_columns)):
        labels_by_id[passage.id] = label_passage(
            passage.id, row, scheme, point_ids, aspect_columns, heading_limits, aspect_scores
        )
    if classifier is not None:
        for passage, window_points in zip(statements, statement_windows):
            for point_id, window_score in window_points:
                if window_score >= limits["window"] and point_id in evidence:
                    evidence[point_id].add(passage.id)

    labels = tuple(
        labels_by_id.get(p.id) or PassageLabel(passage_id=p.id, aspect=None, point=None, score=0.0)
        for p in structure.passages
    )
    order = {p.id: i for i, p in enumerate(structure.passages)}
    coverage = tuple((pid, tuple(sorted(evidence[pid], key=order.__getitem__))) for pid in point_ids)
    return Classification(
        scheme_id=scheme.id,
        mode=mode,
        labels=labels,
        coverage=coverage,
        model_id=classifier.model_id if classifier is not None else None,
    )


def memoized(tokenize: Tokenize, known: dict[str, list[str]] | None = None) -> Tokenize:
    """``tokenize`` remembering its answers, sentence by sentence, for one ``classify`` call.

    A passage, its sentence windows and the ranker's copy share their sentences; jieba never
    joins a word across 。！？；, so tokenising sentence by sentence gives the same tokens once.
    ``known`` holds sentences whose words are known already.
    """
    seen: dict[str, list[str]] = dict(known or {})

    def cached(text: str) -> list[str]:
        tokens: list[str] = []
        for piece in SENTENCE_END.split(text):
            if piece not in seen:
                seen[piece] = tokenize(piece)
            tokens.extend(seen[piece])
        return tokens

    return cached


def passage_sentence_words(
    document: Document, passages: Sequence[Passage], word_starts: Sequence[int]
) -> dict[str, list[str]]:
    """Words of every sentence of every passage, read from the document's word boundaries.

    Keys are sentences of the folded text, as ``memoized`` splits the folded text that
    ``feature_text`` passes to ``tokenize``; a word crossing a passage edge is cut at it.
    """
    if not word_starts:
        return {}
    folded = fold(document.text)
    bounds = [*word_starts, len(folded)]
    last = len(bounds) - 1  # words are bounds[i]:bounds[i + 1] for i < last
    known: dict[str, list[str]] = {}
    for passage in passages:
        offset = passage.start
        for piece in SENTENCE_END.split(folded[passage.start : passage.end]):
            end = offset + len(piece)
            if piece and piece not in known:
                first = max(bisect_right(bounds, offset) - 1, 0)  # the word the piece starts in
                stop = min(bisect_left(bounds, end), last)  # words starting before the piece ends
                if first < stop:
                    starts, ends = bounds[first:stop], bounds[first + 1 : stop + 1]
                    starts[0], ends[-1] = max(starts[0], offset), min(ends[-1], end)  # cut at the piece's edges
                    pieces = map(folded.__getitem__, map(slice, starts, ends))
                    known[piece] = [word for word in pieces if word and not word.isspace()]
                else:
                    known[piece] = []
            offset = end
    return known


def han_count(document: Document, passage: Passage) -> int:
    return len(HAN.findall(document.text[passage.start : passage.end]))


def is_statement(document: Document, passage: Passage) -> bool:
    """A passage that can be evidence: a paragraph or item, or a heading long enough to be a sentence."""
    if passage.section in UNLABELLED_SECTIONS:
        return False
    minimum = MIN_HAN_CHARS_HEADING if passage.kind in UNLABELLED_KINDS else MIN_HAN_CHARS
    return han_count(document, passage) >= minimum


def is_short_heading(document: Document, passage: Passage) -> bool:
    return (
        passage.kind in UNLABELLED_KINDS
        and passage.section not in UNLABELLED_SECTIONS
        and MIN_HAN_CHARS_SHORT_HEADING <= han_count(document, passage) < MIN_HAN_CHARS_HEADING
    )


def topic_heading_label(structure: Structure, passage: Passage) -> str | None:
    """Label of the nearest heading when it names a topic; role headings ("主要成效", "存在的问题") say nothing."""
    if passage.heading is None or not 0 <= passage.heading < len(structure.headings):
        return None
    heading = structure.headings[passage.heading]
    return heading.label if heading.role is None and heading.label else None


def aspect_totals(row: np.ndarray, aspect_columns: list[list[int]]) -> np.ndarray:
    return np.array([row[columns].sum() for columns in aspect_columns])


def aspect_total_rows(rows: np.ndarray, aspect_columns: list[list[int]]) -> np.ndarray:
    """``aspect_totals`` of every row at once, the same floats: each sum runs along a row as before."""
    if not len(rows) or not aspect_columns:
        return np.zeros((len(rows), len(aspect_columns)))
    return np.column_stack([rows[:, columns].sum(axis=1) for columns in aspect_columns])


def align_columns(scores: np.ndarray, labels: tuple[str, ...], point_ids: tuple[str, ...]) -> np.ndarray:
    """Reorder model columns into scheme order; points the model never saw score 0."""
    aligned = np.zeros((scores.shape[0], len(point_ids)))
    for column, label in enumerate(labels):
        if label in point_ids:
            aligned[:, point_ids.index(label)] = scores[:, column]
    return aligned


def normalise_rows(scores: np.ndarray) -> np.ndarray:
    totals = scores.sum(axis=1, keepdims=True)
    return np.divide(scores, totals, out=np.zeros_like(scores), where=totals > 0)


def label_passage(
    passage_id: str,
    row: np.ndarray,
    scheme: Scheme,
    point_ids: tuple[str, ...],
    aspect_columns: list[list[int]],
    limits: dict[str, float],
    aspect_scores: np.ndarray | None = None,
) -> PassageLabel:
    """``aspect_scores``: ``aspect_totals(row, aspect_columns)`` when the caller has them already."""
    if aspect_scores is None:
        aspect_scores = aspect_totals(row, aspect_columns)
    best_aspect = int(aspect_scores.argmax()) if len(aspect_scores) else 0
    # stable sort: ties keep scheme order, so output is deterministic
    ranked = np.argsort(-row, kind="stable")[:TOP_N].tolist()
    top = tuple((point_ids[i], round(float(row[i]), 4)) for i in ranked if row[i] > 0)
    if not len(aspect_scores) or aspect_scores[best_aspect] < limits["aspect"]:
        return PassageLabel(passage_id=passage_id, aspect=None, point=None, score=round(float(aspect_scores.max(initial=0.0)), 4), top=top)
    columns = aspect_columns[best_aspect]
    best_point = max(columns, key=lambda i: (row[i], -i))
    point = point_ids[best_point] if row[best_point] >= limits["point"] else None
    score = float(row[best_point]) if point is not None else float(aspect_scores[best_aspect])
    return PassageLabel(
        passage_id=passage_id,
        aspect=scheme.aspects[best_aspect].id,
        point=point,
        score=round(score, 4),
        top=top,
    )

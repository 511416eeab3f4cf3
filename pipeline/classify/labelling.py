"""``classify``: label a document's passages with the scheme's aspects and points."""

from __future__ import annotations

import re

import numpy as np

from pipeline.classify.features import Tokenize
from pipeline.classify.model import PassageClassifier
from pipeline.classify.scheme import Scheme
from pipeline.classify.zero_shot import ZeroShotRanker
from pipeline.records import Classification, Document, Passage, PassageLabel, Structure

TOP_N = 3
MIN_HAN_CHARS = 8  # shorter passages (dates, signatures, phone lines) carry no topic
HAN = re.compile(r"[\u4e00-\u9fff]")
UNLABELLED_KINDS = ("heading",)
UNLABELLED_SECTIONS = ("closing",)

# Per mode: minimum aspect score to name an aspect, minimum point score to name a point,
# and minimum sentence-window score for a window to count as evidence in the coverage matrix.
THRESHOLDS = {
    "model": {"aspect": 0.15, "point": 0.08, "coverage": 0.15},
    "zero_shot": {"aspect": 0.20, "point": 0.04, "coverage": 1.0},
}


def classify(
    document: Document,
    structure: Structure,
    scheme: Scheme,
    classifier: PassageClassifier | None,
    tokenize: Tokenize,
) -> Classification:
    """Aspect and point of every passage, and the point -> passages coverage matrix."""
    mode = "model" if classifier is not None else "zero_shot"
    limits = THRESHOLDS[mode]
    point_ids = tuple(p.id for p in scheme.points)
    eligible = [p for p in structure.passages if is_classifiable(document, p)]
    texts = [document.text[p.start : p.end] for p in eligible]

    if classifier is not None:
        raw = classifier.point_probabilities(texts, tokenize)
        scores = align_columns(raw, classifier.labels, point_ids)
    else:
        ranker = ZeroShotRanker.build(scheme, tokenize)
        scores = normalise_rows(ranker.point_scores(texts, tokenize))

    aspect_columns = [[point_ids.index(p.id) for p in aspect.points] for aspect in scheme.aspects]
    labels_by_id: dict[str, PassageLabel] = {}
    evidence: dict[str, set[str]] = {pid: set() for pid in point_ids}
    for passage, row in zip(eligible, scores):
        label = label_passage(passage.id, row, scheme, point_ids, aspect_columns, limits)
        labels_by_id[passage.id] = label
        if label.point is not None:
            evidence[label.point].add(passage.id)
    if classifier is not None:
        for passage, text in zip(eligible, texts):
            for point_id, score in classifier.chunk_best_points(text, tokenize):
                if score >= limits["coverage"] and point_id in evidence:
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


def is_classifiable(document: Document, passage: Passage) -> bool:
    if passage.kind in UNLABELLED_KINDS or passage.section in UNLABELLED_SECTIONS:
        return False
    return len(HAN.findall(document.text[passage.start : passage.end])) >= MIN_HAN_CHARS


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
) -> PassageLabel:
    aspect_scores = np.array([row[columns].sum() for columns in aspect_columns])
    best_aspect = int(aspect_scores.argmax()) if len(aspect_scores) else 0
    # stable sort: ties keep scheme order, so output is deterministic
    ranked = sorted(range(len(point_ids)), key=lambda i: -row[i])
    top = tuple((point_ids[i], round(float(row[i]), 4)) for i in ranked[:TOP_N] if row[i] > 0)
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

"""The shipped classifier (trained WITHOUT the Dazu report) against the gold aspects of its passages.

Passages are the lines of dazu-2022.txt (not the segmenter's output), so this
test measures the classifier alone.
"""

from __future__ import annotations

import functools
import hashlib
import json

import pytest

from pipeline import nlp
from pipeline.classify import classify, load_classifier, load_scheme
from pipeline.classify.model import classifier_dir
from pipeline.records import Document, Passage, Structure


def line_passages(text: str) -> tuple[Passage, ...]:
    passages = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            passages.append(
                Passage(id=f"p{len(passages) + 1:04d}", start=offset, end=offset + len(line), page=1, section="other", heading_path=())
            )
        offset += len(line) + 1
    return tuple(passages)


@pytest.fixture(scope="module")
def tokenize():
    return functools.partial(nlp.words, nlp.load())


@pytest.fixture(scope="module")
def scheme():
    return load_scheme("chongqing-2022")


@pytest.fixture(scope="module")
def dazu(dazu_text):
    document = Document(
        path="dazu-2022.txt", media_type="txt", sha256=hashlib.sha256(dazu_text.encode("utf-8")).hexdigest(), text=dazu_text
    )
    return document, Structure(headings=(), passages=line_passages(dazu_text), sentences=())


def gold_accuracy(classification, document, structure, gold_findings) -> tuple[int, int, list]:
    by_id = {label.passage_id: label for label in classification.labels}
    correct, misses = 0, []
    labels = gold_findings["aspects"]["labels"]
    for item in labels:
        at = document.text.index(item["anchor"])
        passage = next(p for p in structure.passages if p.start <= at < p.end)
        predicted = by_id[passage.id].aspect
        if predicted == item["aspect"]:
            correct += 1
        else:
            misses.append((item["anchor"], item["aspect"], predicted))
    return correct, len(labels), misses


def test_shipped_model_was_trained_without_dazu(scheme):
    with open(classifier_dir(scheme.id) / "meta.json", encoding="utf-8") as f:
        meta = json.load(f)
    assert meta["dazu_included"] is False
    assert not any("dazu" in name for name in meta["training_files"])
    assert meta["cv"]["method"].startswith("GroupKFold")


def test_model_mode_gets_at_least_21_of_23_gold_aspects(dazu, scheme, tokenize, gold_findings):
    document, structure = dazu
    classifier = load_classifier(scheme)
    assert classifier is not None
    result = classify(document, structure, scheme, classifier, tokenize)
    assert result.mode == "model" and result.model_id == classifier.model_id
    correct, total, misses = gold_accuracy(result, document, structure, gold_findings)
    print(f"model mode: {correct}/{total} gold aspects; misses {misses}")
    assert total == 23
    assert correct >= 21, misses


def test_zero_shot_mode_is_above_chance_on_gold_aspects(dazu, scheme, tokenize, gold_findings):
    document, structure = dazu
    result = classify(document, structure, scheme, None, tokenize)
    assert result.mode == "zero_shot" and result.model_id is None
    correct, total, misses = gold_accuracy(result, document, structure, gold_findings)
    print(f"zero-shot mode: {correct}/{total} gold aspects; misses {misses}")
    assert correct >= 8, misses  # chance is about 3/23 with 8 aspects


def test_labels_and_coverage_are_consistent(dazu, scheme, tokenize):
    document, structure = dazu
    result = classify(document, structure, scheme, load_classifier(scheme), tokenize)
    assert [label.passage_id for label in result.labels] == [p.id for p in structure.passages]
    assert [point for point, _ in result.coverage] == [p.id for p in scheme.points]
    passage_ids = {p.id for p in structure.passages}
    for label in result.labels:
        if label.point is not None:
            assert label.point.startswith(label.aspect + ".")
            assert label.passage_id in dict(result.coverage)[label.point]
        assert 0.0 <= label.score <= 1.0
        assert len(label.top) <= 3
    for _, ids in result.coverage:
        assert set(ids) <= passage_ids
    # the signature/date/phone lines are too short to carry a topic
    date_line = next(p for p in structure.passages if document.text[p.start : p.end].strip() == "2022年11月15日")
    assert next(label for label in result.labels if label.passage_id == date_line.id).aspect is None
    # a report that covers all eight aspects leaves most points with evidence
    covered = sum(1 for _, ids in result.coverage if ids)
    assert covered >= 26

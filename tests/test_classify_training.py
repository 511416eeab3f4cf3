"""Training data, references into the Dazu text, grouped cross-validation, deterministic persistence."""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline import nlp
from pipeline.classify import classify, load_scheme
from pipeline.classify.model import load_classifier
from pipeline.classify.training import (
    LabelledPassage,
    cross_validate,
    fit_classifier,
    load_labelled_passages,
    load_reference_passages,
    paragraph_containing,
    save_classifier,
)
from pipeline.errors import ConfigError
from pipeline.records import Document, Passage, Structure

REPO = Path(__file__).resolve().parents[1]
LABELLED = REPO / "corpora" / "labelled"


@pytest.fixture(scope="module")
def scheme():
    return load_scheme("chongqing-2022")


@pytest.fixture(scope="module")
def tokenize():
    return functools.partial(nlp.words, nlp.load())


@pytest.fixture(scope="module")
def passages(scheme):
    return load_labelled_passages(LABELLED / "passages", scheme)


def test_training_corpus_is_large_and_covers_every_point(passages, scheme):
    assert len(passages) >= 300
    per_point = Counter(p.point for p in passages)
    assert set(per_point) == {p.id for p in scheme.points}
    assert min(per_point.values()) >= 8
    assert len({p.group for p in passages}) >= 6
    assert len({p.text for p in passages}) == len(passages)  # no duplicated passages


def test_training_passages_are_not_copied_from_dazu(passages, dazu_text):
    window = 20  # officialese shares short stock phrases; a 20-character run would be copying
    grams = {dazu_text[i : i + window] for i in range(len(dazu_text) - window)}
    copied = [p.id for p in passages if any(p.text[i : i + window] in grams for i in range(len(p.text) - window))]
    assert copied == []


def test_dazu_references_resolve_to_whole_lines(scheme, dazu_text):
    refs = load_reference_passages(LABELLED / "dazu-2022.refs.jsonl", dazu_text, scheme, "dazu-2022")
    lines = {line.strip() for line in dazu_text.split("\n")}
    assert len(refs) >= 23
    assert all(r.text in lines and r.group == "dazu-2022" for r in refs)
    with open(LABELLED / "dazu-2022.refs.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    assert all(len(row["anchor"]) <= 30 for row in rows)  # references, not copies


def test_bad_references_and_labels_raise_config_error(tmp_path, scheme):
    refs = tmp_path / "refs.jsonl"
    refs.write_text(json.dumps({"anchor": "这句话不在原文里", "point": "A1.1"}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_reference_passages(refs, "第一段。\n第二段。", scheme, "x")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.jsonl").write_text(json.dumps({"point": "Z9.9", "text": "某县开展教育督导。"}) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="Z9.9"):
        load_labelled_passages(tmp_path / "src", scheme)
    assert paragraph_containing("甲段。\n乙段含锚点。\n丙段。", "锚点") == "乙段含锚点。"
    assert paragraph_containing("甲段。", "") is None


def small_corpus(passages: list[LabelledPassage], per_point: int = 3) -> list[LabelledPassage]:
    taken: Counter = Counter()
    chosen = []
    for passage in passages:
        if taken[passage.point] < per_point:
            taken[passage.point] += 1
            chosen.append(passage)
    return chosen


def test_cross_validation_is_grouped_by_source_document(passages, scheme, tokenize):
    subset = small_corpus(passages)
    result = cross_validate(subset, scheme, tokenize, n_splits=3)
    assert result["method"].startswith("GroupKFold")
    assert result["n_passages"] == len(subset)
    assert set(result["per_group"]) == {p.group for p in subset}
    assert result["aspect_accuracy"] > 0.5 and result["point_accuracy"] > 0.3  # chance: 1/8 and 1/38
    assert sum(g["n"] for g in result["per_group"].values()) == len(subset)
    one_group = [LabelledPassage(p.id, "only", p.point, p.text) for p in subset]
    with pytest.raises(ConfigError):
        cross_validate(one_group, scheme, tokenize)


def test_training_twice_gives_identical_files(tmp_path, passages, scheme, tokenize):
    subset = small_corpus(passages, per_point=2)
    digests = []
    for run in ("a", "b"):
        model = fit_classifier(subset, scheme, tokenize, seed=7, model_id="test")
        meta = save_classifier(model, tmp_path / run, {"model_id": "test", "random_seed": 7})
        digests.append(((tmp_path / run / "model.npz").read_bytes(), (tmp_path / run / "meta.json").read_bytes()))
        assert meta["scheme_id"] == scheme.id and meta["labels"] == [p.id for p in scheme.points]
    assert digests[0] == digests[1]
    reloaded = load_classifier(scheme, tmp_path / "a")
    assert reloaded is not None and reloaded.model_id == "test"


def test_shipped_meta_records_cv_seed_and_data_hash(scheme):
    meta = json.loads((REPO / "models" / "classifier" / scheme.id / "meta.json").read_text(encoding="utf-8"))
    for key in ("scheme_id", "sklearn_version", "training_data_sha256", "labels", "cv", "random_seed", "dazu_included"):
        assert key in meta
    assert len(meta["training_data_sha256"]) == 64
    assert meta["cv"]["n_groups"] >= 6
    assert 0.5 < meta["cv"]["aspect_accuracy"] <= 1.0


def test_hostile_and_empty_inputs(scheme, tokenize):
    classifier = load_classifier(scheme)
    empty = Document(path="e.txt", media_type="txt", sha256="0" * 64, text="")
    result = classify(empty, Structure(headings=(), passages=(), sentences=()), scheme, classifier, tokenize)
    assert result.labels == () and all(ids == () for _, ids in result.coverage)
    text = "学校食堂实行明厨亮灶，落实校长陪餐制度。" * 20_000  # 400,000 characters in one paragraph
    huge = Document(path="h.txt", media_type="txt", sha256="1" * 64, text=text)
    passage = Passage(id="p0001", start=0, end=len(text), page=1, section="achievement", heading_path=())
    heading = Passage(id="p0002", start=0, end=10, page=1, section="achievement", heading_path=(), kind="heading")
    result = classify(huge, Structure(headings=(), passages=(passage, heading), sentences=()), scheme, classifier, tokenize)
    assert result.labels[0].aspect == "A7"
    assert result.labels[1].aspect is None and result.labels[1].point is None

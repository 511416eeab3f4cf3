"""Training data, grouped cross-validation and persistence of the passage classifier.

scikit-learn fits the model here (the only module of the prediction path's package
that imports it at module level); the fitted pipeline is exported to a
``LinearTextModel`` at once, so cross-validation scores what an audit will run.

Labelled passages live in ``corpora/labelled/passages/<source>.jsonl`` (one
fictitious source document per file: the file stem is the CV group). Labels for
a real report are stored as references (an anchor substring and a point id),
never as copies of its text; the text is read from the report at training time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline

from pipeline.classify.features import (
    CHAR_MIN_DF,
    CHAR_NGRAMS,
    RANDOM_SEED,
    WORD_NGRAMS,
    WORD_TOKEN_PATTERN,
    Tokenize,
    feature_text,
    remove_spaces,
)
from pipeline.classify.linear import FORMAT, LinearTextModel, TfidfTable, save_npz
from pipeline.classify.model import META_FILE, MODEL_FILE, PassageClassifier, file_sha256
from pipeline.classify.scheme import Scheme
from pipeline.errors import ConfigError

MAX_LABELLED_LINE = 20_000


@dataclass(frozen=True, slots=True)
class LabelledPassage:
    id: str
    group: str  # source document: the unit of cross-validation
    point: str
    text: str


def load_labelled_passages(directory: Path, scheme: Scheme) -> list[LabelledPassage]:
    """Every ``*.jsonl`` under ``directory`` in name order; each point id must be in the scheme."""
    known = {p.id for p in scheme.points}
    passages: list[LabelledPassage] = []
    for path in sorted(directory.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                where = f"{path.name}:{number}"
                try:
                    row = json.loads(line[:MAX_LABELLED_LINE])
                except ValueError as exc:
                    raise ConfigError(f"{where}: 不是有效的 JSON。Not valid JSON ({exc}).") from exc
                point, text = row.get("point"), row.get("text")
                if point not in known:
                    raise ConfigError(f"{where}: 要点 {point!r} 不在方案 {scheme.id} 中。Unknown point id.")
                if not isinstance(text, str) or not text.strip():
                    raise ConfigError(f"{where}: 缺少字段 text。Field 'text' is missing.")
                passages.append(LabelledPassage(str(row.get("id", where)), path.stem, point, text.strip()))
    return passages


def load_reference_passages(refs_path: Path, source_text: str, scheme: Scheme, group: str) -> list[LabelledPassage]:
    """Resolve anchor references: the passage is the line (paragraph) of ``source_text`` containing the anchor."""
    known = {p.id for p in scheme.points}
    passages = []
    with open(refs_path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            anchor, point = row.get("anchor", ""), row.get("point")
            if point not in known:
                raise ConfigError(f"{refs_path.name}:{number}: 要点 {point!r} 不在方案中。Unknown point id.")
            text = paragraph_containing(source_text, anchor)
            if text is None:
                raise ConfigError(f"{refs_path.name}:{number}: 锚点文字在原文中找不到。Anchor not found in the source text.")
            passages.append(LabelledPassage(f"{group}-{number:03d}", group, point, text))
    return passages


def paragraph_containing(text: str, anchor: str) -> str | None:
    if not anchor:
        return None
    at = text.find(anchor)
    if at < 0:
        return None
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start : end if end >= 0 else len(text)].strip()


def data_sha256(paths: Sequence[Path]) -> str:
    """Digest of the training files' bytes, in sorted path-name order."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def build_pipeline(random_state: int = RANDOM_SEED, c: float = 8.0) -> Pipeline:
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    token_pattern=WORD_TOKEN_PATTERN, lowercase=False, ngram_range=WORD_NGRAMS, sublinear_tf=True, min_df=1
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char", preprocessor=remove_spaces, ngram_range=CHAR_NGRAMS, sublinear_tf=True,
                    min_df=CHAR_MIN_DF,
                ),
            ),
        ]
    )
    model = LogisticRegression(C=c, max_iter=5000, random_state=random_state)
    return Pipeline([("features", features), ("model", model)])


def export_linear_model(pipeline: Pipeline) -> LinearTextModel:
    """The arrays prediction needs from a fitted ``build_pipeline()``; refuses settings ``linear.py`` does not apply."""
    union = pipeline.named_steps["features"]
    if union.transformer_weights is not None:
        raise ValueError("weighted feature unions are not supported")
    branches = []
    for _, vectorizer in union.transformer_list:
        params = vectorizer.get_params()
        supported = (
            params["norm"] == "l2" and params["use_idf"] and not params["binary"] and params["stop_words"] is None
            and params["strip_accents"] is None and params["vocabulary"] is None
            and (
                (params["analyzer"] == "word" and params["token_pattern"] == WORD_TOKEN_PATTERN
                 and not params["lowercase"] and params["preprocessor"] is None and params["tokenizer"] is None)
                or (params["analyzer"] == "char" and params["preprocessor"] is remove_spaces)
            )
        )
        if not supported:
            raise ValueError(f"vectorizer settings not supported by the exported model: {params}")
        vocabulary = {str(term): int(column) for term, column in vectorizer.vocabulary_.items()}
        branches.append(
            TfidfTable(params["analyzer"], tuple(params["ngram_range"]), bool(params["sublinear_tf"]), vocabulary,
                       np.array(vectorizer.idf_, dtype=float))
        )
    model = pipeline.named_steps["model"]
    return LinearTextModel(
        tuple(branches), np.array(model.coef_, dtype=float), np.array(model.intercept_, dtype=float),
        tuple(str(c) for c in model.classes_),
    )


def fit_classifier(
    passages: Sequence[LabelledPassage], scheme: Scheme, tokenize: Tokenize, seed: int = RANDOM_SEED, model_id: str = ""
) -> PassageClassifier:
    pipeline = build_pipeline(random_state=seed)
    pipeline.fit([feature_text(p.text, tokenize) for p in passages], [p.point for p in passages])
    model = export_linear_model(pipeline)
    labels = tuple(p.id for p in scheme.points if p.id in set(model.classes))
    return PassageClassifier(scheme_id=scheme.id, model=model, labels=labels, model_id=model_id or scheme.id)


def cross_validate(
    passages: Sequence[LabelledPassage], scheme: Scheme, tokenize: Tokenize, n_splits: int = 8, seed: int = RANDOM_SEED
) -> dict:
    """Accuracy for points and aspects, with folds grouped by source document (never a random passage split)."""
    groups = np.array([p.group for p in passages])
    n_groups = len(set(groups.tolist()))
    splits = min(n_splits, n_groups)
    if splits < 2:
        raise ConfigError("交叉验证至少需要两个来源文档。Cross-validation needs at least two source documents.")
    aspect_of = {p.id: p.aspect for p in scheme.points}
    point_correct = aspect_correct = 0
    per_group: dict[str, dict[str, float]] = {}
    for train_index, test_index in GroupKFold(n_splits=splits).split(np.zeros(len(passages)), groups=groups):
        model = fit_classifier([passages[i] for i in train_index], scheme, tokenize, seed)
        held_out = [passages[i] for i in test_index]
        probabilities = model.point_probabilities([p.text for p in held_out], tokenize)
        for passage, row in zip(held_out, probabilities):
            predicted_point = model.labels[int(row.argmax())]
            aspect_totals: dict[str, float] = {}
            for label, value in zip(model.labels, row.tolist()):
                aspect_totals[aspect_of[label]] = aspect_totals.get(aspect_of[label], 0.0) + value
            predicted_aspect = max(sorted(aspect_totals), key=aspect_totals.__getitem__)
            hit_point = predicted_point == passage.point
            hit_aspect = predicted_aspect == aspect_of[passage.point]
            point_correct += hit_point
            aspect_correct += hit_aspect
            stats = per_group.setdefault(passage.group, {"n": 0, "point": 0, "aspect": 0})
            stats["n"] += 1
            stats["point"] += hit_point
            stats["aspect"] += hit_aspect
    total = len(passages)
    return {
        "method": f"GroupKFold(n_splits={splits}) grouped by source document",
        "n_passages": total,
        "n_groups": n_groups,
        "point_accuracy": round(point_correct / total, 4),
        "aspect_accuracy": round(aspect_correct / total, 4),
        "per_group": {
            g: {"n": s["n"], "point_accuracy": round(s["point"] / s["n"], 4), "aspect_accuracy": round(s["aspect"] / s["n"], 4)}
            for g, s in sorted(per_group.items())
        },
    }


def save_classifier(classifier: PassageClassifier, directory: Path, meta: dict) -> dict:
    """Write ``model.npz`` and ``meta.json`` (no timestamps: two runs give the same files)."""
    directory.mkdir(parents=True, exist_ok=True)
    model_path = directory / MODEL_FILE
    save_npz(model_path, classifier.model.to_arrays())
    full_meta = dict(meta)
    full_meta["scheme_id"] = classifier.scheme_id
    full_meta["format"] = FORMAT
    full_meta["sklearn_version"] = sklearn.__version__  # the version that trained it; prediction does not need it
    full_meta["labels"] = list(classifier.labels)
    full_meta["model_file"] = MODEL_FILE
    full_meta["model_sha256"] = file_sha256(model_path)
    with open(directory / META_FILE, "w", encoding="utf-8") as f:
        json.dump(full_meta, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")
    return full_meta

"""The trained passage classifier: prediction, loading and compatibility checks.

The model is a ``LinearTextModel`` (plain arrays exported from the scikit-learn pipeline
that ``training.py`` fits), so loading and predicting never import scikit-learn.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.classify.features import MAX_FEATURE_CHARS, Tokenize, feature_text
from pipeline.classify.linear import LinearTextModel, load_npz
from pipeline.classify.scheme import Scheme
from pipeline.errors import ModelError
from pipeline.paths import models_dir

MODEL_FILE = "model.npz"
META_FILE = "meta.json"
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
CHUNK_CHARS = 160  # long paragraphs cover several points: read them in sentence windows of about this size
CHUNK_WEIGHT = 0.5  # share of the sentence-window average in a long passage's scores (the rest: the whole text)


@dataclass(frozen=True)
class PassageClassifier:
    """A fitted model over point ids of one scheme."""

    scheme_id: str
    model: LinearTextModel
    labels: tuple[str, ...]  # point ids in the model's column order
    model_id: str
    meta: tuple[tuple[str, object], ...] = ()

    def predict_texts(
        self, texts: list[str], tokenize: Tokenize, feature_texts: list[str] | None = None
    ) -> tuple[np.ndarray, list[list[tuple[str, float]]]]:
        """Point probabilities per text and the best point of each of its sentence windows.

        A row (columns in ``labels``, summing to 1) blends the whole text with the length-weighted
        mean of its sentence windows; the windows' best points make a long passage evidence for
        several points. All texts and all windows go through the model in two batched calls.
        ``feature_texts``: the texts' ``feature_text``, when the caller has them already.
        """
        if not texts:
            return np.zeros((0, len(self.labels))), []
        if feature_texts is None:
            feature_texts = [feature_text(t, tokenize) for t in texts]
        whole = self._predict(feature_texts)
        windows = [sentence_windows(t) for t in texts]
        # a text that is its own single window already has its row: predict only the others
        own_row = [len(ws) == 1 and ws[0] == t for t, ws in zip(texts, windows)]
        flat = [w for text_windows, own in zip(windows, own_row) if not own for w in text_windows]
        window_rows = self._predict([feature_text(w, tokenize) for w in flat]) if flat else np.zeros((0, len(self.labels)))
        rows, best_points, offset = [], [], 0
        for whole_row, text_windows, own in zip(whole, windows, own_row):
            if own:
                chunk_rows = whole_row[None, :]
            else:
                chunk_rows = window_rows[offset : offset + len(text_windows)]
                offset += len(text_windows)
            best = chunk_rows.argmax(axis=1).tolist() if len(text_windows) else []
            best_points.append([(self.labels[i], float(row[i])) for i, row in zip(best, chunk_rows)])
            if len(text_windows) < 2:
                rows.append(whole_row)
                continue
            weights = np.array([len(c) for c in text_windows], dtype=float)
            mean = (chunk_rows * weights[:, None]).sum(axis=0) / weights.sum()
            rows.append(CHUNK_WEIGHT * mean + (1 - CHUNK_WEIGHT) * whole_row)
        return np.vstack(rows), best_points

    def point_probabilities(self, texts: list[str], tokenize: Tokenize) -> np.ndarray:
        """One row per text, one column per point in ``labels``; rows sum to 1."""
        return self.predict_texts(texts, tokenize)[0]

    def _predict(self, feature_texts: list[str]) -> np.ndarray:
        probabilities = self.model.predict_proba(feature_texts)
        order = [self.model.classes.index(label) for label in self.labels]
        return probabilities[:, order]


def sentence_windows(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Consecutive sentences grouped into windows of about ``size`` characters (of the first
    ``MAX_FEATURE_CHARS`` only: a hostile megabyte "paragraph" must not cost minutes)."""
    sentences = [s for s in (part.strip() for part in SENTENCE_END.split(text[:MAX_FEATURE_CHARS])) if s]
    windows: list[str] = []
    current = ""
    for sentence in sentences:
        if current and len(current) + len(sentence) > size:
            windows.append(current)
            current = ""
        current += sentence
    if current:
        windows.append(current)
    return windows


def classifier_dir(scheme_id: str) -> Path:
    return models_dir() / "classifier" / scheme_id


def load_classifier(scheme: Scheme, directory: Path | None = None) -> PassageClassifier | None:
    """The trained model for ``scheme`` if one is shipped, else None (use zero-shot)."""
    folder = directory if directory is not None else classifier_dir(scheme.id)
    meta_path = folder / META_FILE
    model_path = folder / MODEL_FILE
    if not meta_path.is_file() and not model_path.is_file():
        return None
    if not meta_path.is_file() or not model_path.is_file():
        raise ModelError(f"分类模型不完整：{folder} 缺少 {MODEL_FILE} 或 {META_FILE}。Classifier files incomplete in {folder}.")
    try:
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
    except (OSError, ValueError) as exc:
        raise ModelError(f"分类模型说明文件无法读取：{meta_path}（{exc}）。Cannot read {meta_path}.") from exc
    if not isinstance(meta, dict):
        raise ModelError(f"分类模型说明文件格式错误：{meta_path}。Malformed {meta_path}.")
    if meta.get("scheme_id") != scheme.id:
        raise ModelError(f"分类模型属于方案 {meta.get('scheme_id')}，不是 {scheme.id}。Model belongs to another scheme.")
    labels = tuple(meta.get("labels") or ())
    known = {p.id for p in scheme.points}
    unknown = sorted(set(labels) - known)
    if not labels or unknown:
        raise ModelError(f"分类模型的标签与方案 {scheme.id} 不符：{unknown}。Model labels do not match the scheme.")
    expected_digest = meta.get("model_sha256")
    if expected_digest and file_sha256(model_path) != expected_digest:
        raise ModelError(f"分类模型文件校验失败：{model_path}。Model file checksum mismatch.")
    try:
        model = LinearTextModel.from_arrays(load_npz(model_path))
    except (OSError, ValueError, KeyError, IndexError) as exc:  # all mean "not a model this version can read"
        raise ModelError(
            f"分类模型无法加载：{model_path}（{exc}），请用 scripts/train_classifier.py 重新训练。Cannot load the model.",
            hint="python scripts/train_classifier.py",
        ) from exc
    if set(model.classes) != set(labels):
        raise ModelError(f"分类模型与说明文件不一致：{model_path}。Model does not match its meta.json.")
    return PassageClassifier(
        scheme_id=scheme.id,
        model=model,
        labels=labels,
        model_id=str(meta.get("model_id") or f"{scheme.id}@{str(expected_digest or '')[:12]}"),
        meta=tuple(sorted((k, v) for k, v in meta.items() if isinstance(v, (str, int, float, bool)))),
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()

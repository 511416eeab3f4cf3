"""Zero-shot ranking of a scheme's points for a scheme without a trained model.

Each point is described by its aspect's name, its own name, description and
keywords. A passage is compared with every description by TF-IDF cosine
similarity (word tokens and character 2–3-grams, both fitted on the scheme's
own text) plus a bonus for each keyword written out in the passage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.classify.features import (
    MAX_FEATURE_CHARS,
    Tokenize,
    build_scheme_char_vectorizer,
    build_scheme_vectorizer,
    feature_text,
)
from pipeline.classify.scheme import Scheme
from pipeline.normalize import fold

KEYWORD_BONUS = 0.08  # per distinct keyword of the point found verbatim in the passage
KEYWORD_BONUS_CAP = 0.4
WORD_WEIGHT = 0.5  # the character branch gets the rest


@dataclass(frozen=True)
class ZeroShotRanker:
    labels: tuple[str, ...]
    keywords: tuple[tuple[str, ...], ...]
    word_vectorizer: TfidfVectorizer
    char_vectorizer: TfidfVectorizer
    word_matrix: Any  # sparse matrix, one row per point
    char_matrix: Any

    @classmethod
    def build(cls, scheme: Scheme, tokenize: Tokenize) -> ZeroShotRanker:
        descriptions = []
        for aspect in scheme.aspects:
            for point in aspect.points:
                keywords = " ".join(point.keywords)
                descriptions.append(f"{aspect.name} {point.name} {point.name} {point.description} {keywords} {keywords}")
        tokenised = [feature_text(d, tokenize) for d in descriptions]
        word_vectorizer = build_scheme_vectorizer()
        char_vectorizer = build_scheme_char_vectorizer()
        return cls(
            labels=tuple(p.id for p in scheme.points),
            keywords=tuple(tuple(fold(k) for k in p.keywords) for p in scheme.points),
            word_vectorizer=word_vectorizer,
            char_vectorizer=char_vectorizer,
            word_matrix=word_vectorizer.fit_transform(tokenised),
            char_matrix=char_vectorizer.fit_transform(tokenised),
        )

    def point_scores(self, texts: list[str], tokenize: Tokenize) -> np.ndarray:
        """Similarity of each text (rows) to each point (columns, in ``labels`` order); 0 and up."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        tokenised = [feature_text(t, tokenize) for t in texts]
        words = (self.word_vectorizer.transform(tokenised) @ self.word_matrix.T).toarray()
        chars = (self.char_vectorizer.transform(tokenised) @ self.char_matrix.T).toarray()
        scores = WORD_WEIGHT * words + (1 - WORD_WEIGHT) * chars
        for row, text in enumerate(texts):
            folded = fold(text[:MAX_FEATURE_CHARS])
            for column, keywords in enumerate(self.keywords):
                hits = sum(1 for k in keywords if k in folded)
                scores[row, column] += min(KEYWORD_BONUS_CAP, KEYWORD_BONUS * hits)
        return scores

"""Zero-shot ranking of a scheme's points for a scheme without a trained model.

Each point is described by its aspect's name, its own name, description and
keywords. A passage is compared with every description by TF-IDF cosine
similarity (word tokens and character 2–3-grams, both fitted on the scheme's
own text) plus a bonus for each keyword written out in the passage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.classify.features import MAX_FEATURE_CHARS, SCHEME_CHAR_NGRAMS, Tokenize, feature_text
from pipeline.classify.linear import TfidfTable
from pipeline.classify.scheme import Scheme
from pipeline.normalize import fold

KEYWORD_BONUS = 0.08  # per distinct keyword of the point found verbatim in the passage
KEYWORD_BONUS_CAP = 0.4
WORD_WEIGHT = 0.5  # the character branch gets the rest


@dataclass(frozen=True)
class ZeroShotRanker:
    labels: tuple[str, ...]
    keywords: tuple[str, ...]  # every distinct keyword of the scheme, folded
    keyword_counts: np.ndarray  # (points, keywords): how often each point lists each keyword
    keywords_by_first_char: dict[str, tuple[int, ...]]  # only keywords whose first character occurs can occur
    words: TfidfTable
    chars: TfidfTable
    word_matrix: np.ndarray  # (terms, points): a point's l2-normalised TF-IDF vector per column, so a
    char_matrix: np.ndarray  # text's terms select whole rows

    @classmethod
    def build(cls, scheme: Scheme, tokenize: Tokenize) -> ZeroShotRanker:
        descriptions = []
        for aspect in scheme.aspects:
            for point in aspect.points:
                keywords = " ".join(point.keywords)
                descriptions.append(f"{aspect.name} {point.name} {point.name} {point.description} {keywords} {keywords}")
        tokenised = [feature_text(d, tokenize) for d in descriptions]
        point_keywords = [[fold(k) for k in p.keywords] for p in scheme.points]
        keywords = tuple(sorted({k for listed in point_keywords for k in listed}))
        column = {k: i for i, k in enumerate(keywords)}
        keyword_counts = np.zeros((len(point_keywords), len(keywords)))
        for row, listed in enumerate(point_keywords):
            for keyword in listed:
                keyword_counts[row, column[keyword]] += 1
        words = TfidfTable.fit(tokenised, "word", (1, 1))
        chars = TfidfTable.fit(tokenised, "char", SCHEME_CHAR_NGRAMS)
        return cls(
            labels=tuple(p.id for p in scheme.points),
            keywords=keywords,
            keyword_counts=keyword_counts,
            keywords_by_first_char=keywords_by_first_char(keywords),
            words=words,
            chars=chars,
            word_matrix=np.ascontiguousarray(words.dense(tokenised).T),
            char_matrix=np.ascontiguousarray(chars.dense(tokenised).T),
        )

    def keywords_in(self, folded: str) -> list[int]:
        """Indices of the keywords written out in ``folded``."""
        starts = self.keywords_by_first_char.keys() & set(folded)
        return [i for char in starts for i in self.keywords_by_first_char[char] if self.keywords[i] in folded]

    def point_scores(self, texts: list[str], tokenize: Tokenize, feature_texts: list[str] | None = None) -> np.ndarray:
        """Similarity of each text (rows) to each point (columns, in ``labels`` order); 0 and up.

        ``feature_texts``: the texts' ``feature_text``, when the caller has them already.
        """
        if feature_texts is None:
            feature_texts = [feature_text(text, tokenize) for text in texts]
        scores = np.zeros((len(texts), len(self.labels)))
        word_rows = self.words.transform_rows(feature_texts)
        char_rows = self.chars.transform_rows(feature_texts)
        present = np.zeros((len(texts), len(self.keywords)))
        for row, (text, (word_columns, word_values), (char_columns, char_values)) in enumerate(
            zip(texts, word_rows, char_rows)
        ):
            scores[row] = (
                WORD_WEIGHT * (word_values @ self.word_matrix[word_columns])
                + (1 - WORD_WEIGHT) * (char_values @ self.char_matrix[char_columns])
            )
            present[row, self.keywords_in(fold(text[:MAX_FEATURE_CHARS]))] = 1.0
        # counts times 0/1 add up to whole numbers: exact in any order, so one product serves all rows
        scores += np.minimum(KEYWORD_BONUS_CAP, KEYWORD_BONUS * (present @ self.keyword_counts.T))
        return scores


def keywords_by_first_char(keywords: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    grouped: dict[str, list[int]] = {}
    for index, keyword in enumerate(keywords):
        if keyword:
            grouped.setdefault(keyword[0], []).append(index)
    return {char: tuple(indices) for char, indices in grouped.items()}

"""Text preparation and the scikit-learn pipeline (the one place that builds it).

scikit-learn never sees jieba: passages are tokenised by the caller's
``tokenize`` and handed over as tokens joined by single spaces. The word branch
splits on those spaces (so one-character words such as 县/校/班 survive); the
character branch removes the spaces again and reads 1–3-character n-grams of
the untokenised text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from pipeline.normalize import fold

Tokenize = Callable[[str], list[str]]

MAX_FEATURE_CHARS = 20_000  # hostile input: a "paragraph" of megabytes is cut, not tokenised whole
DIGIT_RUN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
WORD_TOKEN_PATTERN = r"[^ ]+"
RANDOM_SEED = 20221115


def feature_text(text: str, tokenize: Tokenize) -> str:
    """Tokens joined by spaces; numbers become ``0`` (their values say nothing about the topic)."""
    folded = DIGIT_RUN.sub("0", fold(text[:MAX_FEATURE_CHARS]))
    return " ".join(t for t in (tok.strip() for tok in tokenize(folded)) if t)


def remove_spaces(text: str) -> str:
    """Preprocessor of the character branch (module-level so the pipeline pickles)."""
    return text.replace(" ", "")


def build_pipeline(random_state: int = RANDOM_SEED, c: float = 8.0) -> Pipeline:
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    token_pattern=WORD_TOKEN_PATTERN, lowercase=False, ngram_range=(1, 2), sublinear_tf=True, min_df=1
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char", preprocessor=remove_spaces, ngram_range=(1, 3), sublinear_tf=True, min_df=2
                ),
            ),
        ]
    )
    model = LogisticRegression(C=c, max_iter=5000, random_state=random_state)
    return Pipeline([("features", features), ("model", model)])


def build_scheme_vectorizer() -> TfidfVectorizer:
    """Zero-shot: TF-IDF fitted on the scheme's own words (space-joined tokens)."""
    return TfidfVectorizer(token_pattern=WORD_TOKEN_PATTERN, lowercase=False, sublinear_tf=True)


def build_scheme_char_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", preprocessor=remove_spaces, ngram_range=(2, 3), sublinear_tf=True)


def drop_unstable_state(pipeline: Pipeline) -> Pipeline:
    """Remove state that differs between identical fits before saving, so two runs give the same file.

    ``stop_words_`` is a set (pickled in string-hash order; scikit-learn documents it as safe to
    delete) and ``_stop_words_id`` is an object address (read with a default, only to cache a warning).
    """
    for _, vectorizer in pipeline.named_steps["features"].transformer_list:
        for attribute in ("stop_words_", "_stop_words_id"):
            if hasattr(vectorizer, attribute):
                delattr(vectorizer, attribute)
    return pipeline

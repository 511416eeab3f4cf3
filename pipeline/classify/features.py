"""Text preparation shared by training and prediction, and the feature settings.

Passages are tokenised by the caller's ``tokenize`` (jieba, from the NLP layer) and
handed over as tokens joined by single spaces. The word branch splits on those
spaces (so one-character words such as 县/校/班 survive) and reads unigrams and
bigrams; the character branch removes the spaces again and reads 1–3-character
n-grams. No scikit-learn here: prediction must not import it (see ``linear.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.normalize import fold

Tokenize = Callable[[str], list[str]]

MAX_FEATURE_CHARS = 20_000  # hostile input: a "paragraph" of megabytes is cut, not tokenised whole
DIGIT_RUN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
WORD_TOKEN_PATTERN = r"[^ ]+"
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (1, 3)
CHAR_MIN_DF = 2
SCHEME_CHAR_NGRAMS = (2, 3)  # zero-shot: the scheme's text is too short for single characters to say much
RANDOM_SEED = 20221115


def feature_text(text: str, tokenize: Tokenize) -> str:
    """Tokens of the folded text joined by spaces; numbers become ``0`` (their values say nothing about the topic).

    ``tokenize`` sees the folded text, the same text the NLP layer tokenises for a whole
    document, so a passage's tokens are the same whether it is tokenised alone or read
    from the document's words.
    """
    tokens = filter(None, map(str.strip, tokenize(fold(text[:MAX_FEATURE_CHARS]))))
    return DIGIT_RUN.sub("0", " ".join(tokens))  # a digit run never spans the space between two tokens


def remove_spaces(text: str) -> str:
    """Preprocessor of the character branch."""
    return text.replace(" ", "")

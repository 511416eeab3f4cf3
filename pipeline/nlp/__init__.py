"""The NLP layer: the only place that imports spaCy and jieba.

``load()`` builds the spaCy ``Language`` once per process: ``spacy.blank("zh")``
with a jieba tokenizer that uses its own ``jieba.Tokenizer`` instance (so the
domain user dictionary under ``models/jieba/`` does not touch jieba's global
state).
"""

from __future__ import annotations

import logging
from pathlib import Path

import jieba
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.paths import models_dir

logging.getLogger("jieba").setLevel(logging.WARNING)


class JiebaTokenizer:
    """spaCy tokenizer backed by a private jieba.Tokenizer instance."""

    def __init__(self, vocab: Vocab, segmenter: jieba.Tokenizer) -> None:
        self.vocab = vocab
        self.segmenter = segmenter

    def __call__(self, text: str) -> Doc:
        words = [w for w in self.segmenter.cut(text, HMM=False) if w]
        spaces = [False] * len(words)
        return Doc(self.vocab, words=words, spaces=spaces)


def build_segmenter(user_dict: Path | None = None) -> jieba.Tokenizer:
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    path = user_dict if user_dict is not None else models_dir() / "jieba" / "userdict.txt"
    if path.is_file():
        segmenter.load_userdict(str(path))
    return segmenter


def load(user_dict: Path | None = None) -> Language:
    """Build the pipeline's ``nlp``. Call once per process and pass it around."""
    nlp = spacy.blank("zh")
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, build_segmenter(user_dict))
    return nlp


def words(nlp: Language, text: str) -> list[str]:
    """Word tokens (jieba) of ``text``, whitespace tokens dropped."""
    return [t.text for t in nlp.make_doc(text) if not t.text.isspace()]

"""The NLP layer: the only place that imports spaCy and jieba.

``load()`` builds the spaCy ``Language`` once per process: ``spacy.blank("zh")``
with a jieba tokenizer that uses its own ``jieba.Tokenizer`` instance (so the
domain user dictionary under ``models/jieba/`` does not touch jieba's global
state), followed by the extractor components of ``pipeline.nlp.components``
(docnos, titles, dates, quantities). After ``doc = nlp(text)`` the records are
in ``doc.user_data["dutyaudit.quantities"]`` (and ``.docnos``, ``.titles``,
``.dates``) and their spans in ``doc.spans["quantities"]`` etc., so
``displacy.render(doc, style="span", options={"spans_key": "quantities"})``
shows them. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from itertools import accumulate
from pathlib import Path
from types import ModuleType


def _import_jieba() -> ModuleType:
    """``import jieba`` without importing ``pkg_resources``.

    jieba imports setuptools' ``pkg_resources`` (about 0.12 s, a tenth of the start-up left)
    only to open its own bundled files, and opens them with ``open()`` when that import fails.
    A ``None`` entry in ``sys.modules`` makes the import fail; it is there for jieba's import only.
    """
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", ModuleType("x")) is None:
            del sys.modules["pkg_resources"]
    return jieba


jieba = _import_jieba()

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402
from spacy.vocab import Vocab  # noqa: E402

from pipeline.errors import ConfigError
from pipeline.normalize import fold
from pipeline.nlp.components import (
    FOLDED_TEXT_KEY,
    PIPE_ORDER,
    SOURCE_TEXT_KEY,
    WORD_STARTS_KEY,
    records_of,
    word_starts,
)
from pipeline.nlp.jieba_cut import cut_words
from pipeline.paths import models_dir

logging.getLogger("jieba").setLevel(logging.WARNING)


class JiebaTokenizer:
    """spaCy tokenizer backed by a private jieba.Tokenizer instance."""

    def __init__(self, vocab: Vocab, segmenter: jieba.Tokenizer) -> None:
        self.vocab = vocab
        self.segmenter = segmenter

    def __call__(self, text: str) -> Doc:
        # jieba reads the folded text (full-width digits and letters group as ASCII ones do);
        # folding keeps every offset, so the tokens are cut from the original text.
        folded = fold(text)
        folded_words = [word for word in cut_words(self.segmenter, folded) if word]
        bounds = list(accumulate(map(len, folded_words), initial=0))
        starts = bounds[:-1]
        words = folded_words if folded == text else list(map(text.__getitem__, map(slice, starts, bounds[1:])))
        spaces = [False] * len(words)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        # Doc.text re-joins every token on each access; components read this copy instead.
        doc.user_data[SOURCE_TEXT_KEY] = text
        doc.user_data[WORD_STARTS_KEY] = tuple(starts)  # cheaper than creating a Token per word to ask its idx
        doc.user_data[FOLDED_TEXT_KEY] = folded  # the components match on it
        return doc


def default_user_dict() -> Path:
    return models_dir() / "jieba" / "userdict.txt"


def _cache_file_name() -> str | None:
    """jieba's prefix-dictionary cache name in the temp dir, or None for jieba's default.

    jieba caches its parsed dictionary as ``<tmp>/jieba.cache``. When another
    user created that file and we cannot read it, jieba would rebuild the
    dictionary on every start; a per-user name keeps the cache working.
    """
    default = Path(tempfile.gettempdir()) / "jieba.cache"
    if not default.exists() or os.access(default, os.R_OK):
        return None
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return f"jieba.dutyaudit-{uid}.cache"


def _prefix_cache_path() -> Path:
    """Our own cache of jieba's prefix dictionary, keyed by jieba's version and the dictionary's bytes.

    The bytes, not the file's date: every new virtual environment installs the same dictionary
    afresh, and a key by date would leave one more 7 MB cache file behind each time.
    """
    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    digest = hashlib.sha256(jieba.__version__.encode())
    digest.update(dictionary.read_bytes())  # ~5 MB: about 10 ms
    key = digest.hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dutyaudit"
    return base / f"jieba-prefix-{key}.pickle"


def _initialize_from_pickle(segmenter: jieba.Tokenizer) -> None:
    """Initialise ``segmenter`` from a pickle of its prefix dictionary, writing one if missing.

    jieba's own cache is a marshal file that takes ~1 s to load; the same dictionary
    pickled loads about three times faster, which is most of the start-up we can save.
    """
    path = _prefix_cache_path()
    try:
        with open(path, "rb") as handle:
            segmenter.FREQ, segmenter.total = pickle.load(handle)
        segmenter.initialized = True
        return
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
        pass
    segmenter.initialize()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((segmenter.FREQ, segmenter.total), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        pass  # no writable cache directory: jieba's own cache still works


def build_segmenter(user_dict: Path | None = None) -> jieba.Tokenizer:
    """A private jieba tokenizer with the domain user dictionary loaded."""
    path = user_dict if user_dict is not None else default_user_dict()
    if user_dict is not None and not path.is_file():
        raise ConfigError(f"jieba用户词典不存在：{path}。User dictionary not found: {path}")
    segmenter = jieba.Tokenizer()
    segmenter.cache_file = _cache_file_name()
    _initialize_from_pickle(segmenter)
    if path.is_file():
        try:
            segmenter.load_userdict(str(path))
        except (ValueError, UnicodeDecodeError) as error:
            raise ConfigError(f"jieba用户词典格式错误：{path}（{error}）。Invalid user dictionary.") from error
    return segmenter


def load(user_dict: Path | None = None, *, components: bool = True) -> Language:
    """Build the pipeline's ``nlp``. Call once per process and pass it around.

    ``components=False`` gives the tokenizer only (for word features).
    """
    nlp = spacy.blank("zh")
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, build_segmenter(user_dict))
    if components:
        for name in PIPE_ORDER:
            nlp.add_pipe(name)
    return nlp


def words(nlp: Language, text: str) -> list[str]:
    """Word tokens (jieba) of ``text``, whitespace tokens dropped (``text`` is used as given: fold it first
    for the tokens a whole document gets)."""
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, JiebaTokenizer):  # same tokens as make_doc, without building a Doc
        return [w for w in cut_words(tokenizer.segmenter, text) if w and not w.isspace()]
    return [t.text for t in nlp.make_doc(text) if not t.text.isspace()]


__all__ = [
    "JiebaTokenizer", "Language", "build_segmenter", "default_user_dict", "load", "records_of", "word_starts", "words",
]

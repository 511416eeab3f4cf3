"""Prediction with our TF-IDF features and linear models, in numpy alone.

Importing scikit-learn costs about 1.3 s (it imports scipy.stats), close to half the
start-up budget of a batch audit. So scikit-learn trains (``training.py``) and is the
reference; what prediction needs from a fitted pipeline (the vocabularies, idf weights,
coefficients and intercepts) is exported to a ``.npz`` of plain arrays, and this module
applies it. The zero-shot ranker fits its small
vectorizers here too. The formulas are those of ``TfidfVectorizer`` (``sublinear_tf``,
``smooth_idf``, l2 norm) and ``LogisticRegression.predict_proba`` (softmax); tests
compare both with scikit-learn on the labelled corpus. A model file holds no pickle,
so loading one runs no code and does not depend on the installed scikit-learn.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np

WHITE_SPACES = re.compile(r"\s\s+")  # TfidfVectorizer's character analyzer folds runs of white space
FORMAT = "dutyaudit-tfidf-linear/1"
NPZ_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member timestamps: the same model gives the same file

SparseRow = tuple[np.ndarray, np.ndarray]  # (column indices, values)
CODE_POINT_BITS = 21  # every Unicode code point fits
MAX_KEYED_CHARS = 3  # 3 x 21 bits fit in an int64


def word_ngrams(feature_text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Space-separated tokens and their n-grams (``token_pattern=r"[^ ]+"``, no lowercasing)."""
    tokens = [t for t in feature_text.split(" ") if t]
    low, high = ngram_range
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams.extend(map(" ".join, zip(*(tokens[k:] for k in range(n)))))
    return grams


def char_ngrams(feature_text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams of the text with the token-separating spaces removed."""
    text = WHITE_SPACES.sub(" ", feature_text.replace(" ", ""))
    low, high = ngram_range
    grams = list(text) if low == 1 else []
    for n in range(max(low, 2), min(high, len(text)) + 1):
        grams.extend(text[i : i + n] for i in range(len(text) - n + 1))
    return grams


ANALYZERS: Mapping[str, Callable[[str, tuple[int, int]], list[str]]] = {"word": word_ngrams, "char": char_ngrams}


def unit_length(values: np.ndarray) -> np.ndarray:
    """``values`` scaled to l2 norm 1 (one text's row: the dot product adds in the row's order)."""
    return values / np.sqrt(np.dot(values, values))


@dataclass(frozen=True)
class TfidfTable:
    """A fitted TF-IDF vectorizer: vocabulary (term -> column), idf per column and the analyzer."""

    analyzer: str  # "word" | "char"
    ngram_range: tuple[int, int]
    sublinear_tf: bool
    vocabulary: Mapping[str, int]
    idf: np.ndarray

    @classmethod
    def fit(
        cls, feature_texts: Sequence[str], analyzer: str, ngram_range: tuple[int, int], sublinear_tf: bool = True
    ) -> TfidfTable:
        """Vocabulary of every term seen (sorted, as scikit-learn orders it) and smoothed idf."""
        document_frequency: Counter[str] = Counter()
        for text in feature_texts:
            document_frequency.update(set(ANALYZERS[analyzer](text, ngram_range)))
        terms = sorted(document_frequency)
        counts = np.array([document_frequency[t] for t in terms], dtype=float)
        idf = np.log((1 + len(feature_texts)) / (1 + counts)) + 1
        return cls(analyzer, ngram_range, sublinear_tf, {t: i for i, t in enumerate(terms)}, idf)

    @property
    def width(self) -> int:
        return len(self.idf)

    def transform_row(self, feature_text: str) -> SparseRow:
        """One text's l2-normalised TF-IDF vector, as column indices (in first-seen order) and values."""
        counts = Counter(map(self.vocabulary.get, ANALYZERS[self.analyzer](feature_text, self.ngram_range)))
        counts.pop(None, None)  # terms outside the vocabulary
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = np.fromiter(counts.values(), dtype=float, count=len(counts))
        return columns, unit_length(self._weigh(columns, values))

    def transform_rows(self, feature_texts: Sequence[str]) -> list[SparseRow]:
        """``transform_row`` of every text, the same arrays bit for bit.

        The terms of a whole batch are counted and weighed in numpy at once: one Counter and
        a handful of numpy calls per text cost more than the lookups themselves. Character
        n-grams are even looked up in numpy (``char_keys``). Columns keep the first-seen order
        of ``transform_row`` (for characters: 1-grams in text order, then 2-grams, then
        3-grams), so every later sum adds in the same order.
        """
        if len(feature_texts) < 2:
            return [self.transform_row(text) for text in feature_texts]
        if self.analyzer == "char" and self.ngram_range[1] <= MAX_KEYED_CHARS:
            owners, columns = self._char_terms(feature_texts)
        else:
            owners, columns = self._looked_up_terms(feature_texts)
        if not len(columns):
            return [(np.zeros(0, dtype=np.int64), np.zeros(0)) for _ in feature_texts]
        # owners ascend, so a term's first occurrence in its text is its first occurrence here
        distinct, first_seen, counts = np.unique(owners * self.width + columns, return_index=True, return_counts=True)
        in_seen_order = np.argsort(first_seen)
        rows_of, columns = np.divmod(distinct[in_seen_order], self.width)
        values = self._weigh(columns, counts[in_seen_order].astype(float))  # elementwise: all rows at once
        bounds = np.searchsorted(rows_of, np.arange(len(feature_texts) + 1)).tolist()
        result = []
        for begin, end in zip(bounds[:-1], bounds[1:]):
            if begin == end:
                result.append((np.zeros(0, dtype=np.int64), np.zeros(0)))
                continue
            result.append((columns[begin:end], unit_length(values[begin:end])))
        return result

    def _looked_up_terms(self, feature_texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(text index, column) of every known term, text by text, in the analyzer's order."""
        analyze, lookup = ANALYZERS[self.analyzer], self.vocabulary.get
        owners: list[int] = []
        columns: list[int] = []
        for row, text in enumerate(feature_texts):
            known = [column for column in map(lookup, analyze(text, self.ngram_range)) if column is not None]
            columns.extend(known)
            owners.extend(repeat(row, len(known)))
        return np.array(owners, dtype=np.int64), np.array(columns, dtype=np.int64)

    def _char_terms(self, feature_texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``_looked_up_terms`` for character n-grams, looked up as integer keys in numpy."""
        texts = [WHITE_SPACES.sub(" ", text.replace(" ", "")) for text in feature_texts]
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        owner = np.repeat(np.arange(len(texts)), lengths)  # the text each character belongs to
        owner_end = np.repeat(np.cumsum(lengths), lengths)
        low, high = self.ngram_range
        owners, found = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        for n in range(low, high + 1):
            if n > len(codes) or n not in self.char_keys:
                continue
            starts = len(codes) - n + 1
            keys = codes[:starts].copy()
            for offset in range(1, n):
                keys = (keys << CODE_POINT_BITS) | codes[offset : offset + starts]
            inside = np.arange(starts) + n <= owner_end[:starts]  # no n-gram across two texts
            keys, gram_owners = keys[inside], owner[:starts][inside]
            vocabulary_keys, vocabulary_columns = self.char_keys[n]
            at = np.minimum(np.searchsorted(vocabulary_keys, keys), len(vocabulary_keys) - 1)
            known = vocabulary_keys[at] == keys
            owners.append(gram_owners[known])
            found.append(vocabulary_columns[at[known]])
        order = np.argsort(np.concatenate(owners), kind="stable")  # per text: 1-grams, 2-grams, 3-grams
        return np.concatenate(owners)[order], np.concatenate(found)[order]

    def _weigh(self, columns: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Term counts to TF-IDF weights, before normalisation (``counts`` is changed in place)."""
        values = np.log(counts) + 1 if self.sublinear_tf else counts
        values *= self.idf[columns]
        return values

    @functools.cached_property
    def char_keys(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Per n-gram length, the vocabulary's character n-grams as sorted integer keys and their columns.

        An n-gram's key packs its code points (21 bits each) into one integer, so n-grams up to
        ``MAX_KEYED_CHARS`` characters fit in an int64.
        """
        by_length: dict[int, list[tuple[int, int]]] = {}
        for term, column in self.vocabulary.items():
            if len(term) <= MAX_KEYED_CHARS:
                key = 0
                for char in term:
                    key = (key << CODE_POINT_BITS) | ord(char)
                by_length.setdefault(len(term), []).append((key, column))
        tables = {}
        for length, pairs in by_length.items():
            pairs.sort()
            tables[length] = (
                np.array([k for k, _ in pairs], dtype=np.int64), np.array([c for _, c in pairs], dtype=np.int64),
            )
        return tables

    def dense(self, feature_texts: Sequence[str]) -> np.ndarray:
        matrix = np.zeros((len(feature_texts), self.width))
        for row, text in enumerate(feature_texts):
            columns, values = self.transform_row(text)
            matrix[row, columns] = values
        return matrix


@dataclass(frozen=True)
class LinearTextModel:
    """TF-IDF branches side by side (a FeatureUnion) and a multinomial logistic regression."""

    branches: tuple[TfidfTable, ...]
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)
    classes: tuple[str, ...]

    @functools.cached_property
    def branch_weights(self) -> tuple[np.ndarray, ...]:
        """Per branch, its slice of ``coef`` transposed (features, classes): a text's terms are whole rows."""
        bounds = np.cumsum([0] + [b.width for b in self.branches])
        return tuple(np.ascontiguousarray(self.coef[:, a:b].T) for a, b in zip(bounds[:-1], bounds[1:]))

    def predict_proba(self, feature_texts: Sequence[str]) -> np.ndarray:
        """One row per text, one column per class in ``classes``; rows sum to 1."""
        decision = np.tile(self.intercept, (len(feature_texts), 1))
        for branch, branch_weights in zip(self.branches, self.branch_weights):
            for row, (columns, values) in enumerate(branch.transform_rows(feature_texts)):
                decision[row] += values @ branch_weights[columns]
        if len(self.classes) == 2:  # binary: one coefficient row, the logistic of its decision
            positive = 1 / (1 + np.exp(-decision[:, -1]))
            return np.column_stack([1 - positive, positive])
        decision -= decision.max(axis=1, keepdims=True)
        np.exp(decision, out=decision)
        return decision / decision.sum(axis=1, keepdims=True)

    def to_arrays(self) -> dict[str, np.ndarray]:
        arrays: dict[str, np.ndarray] = {
            "format": np.array([FORMAT]),
            "classes": np.array(self.classes),
            "coef": self.coef,
            "intercept": self.intercept,
            "branches": np.array([b.analyzer for b in self.branches]),
        }
        for index, branch in enumerate(self.branches):
            terms = sorted(branch.vocabulary, key=branch.vocabulary.__getitem__)
            arrays[f"branch{index}_terms"] = np.array(terms, dtype=str)
            arrays[f"branch{index}_idf"] = branch.idf
            arrays[f"branch{index}_ngram_range"] = np.array(branch.ngram_range, dtype=np.int64)
            arrays[f"branch{index}_sublinear_tf"] = np.array([branch.sublinear_tf])
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> LinearTextModel:
        """The model saved by ``to_arrays``; raises ValueError (or KeyError) on anything else."""
        if arrays["format"].tolist() != [FORMAT]:
            raise ValueError(f"not a {FORMAT} model")
        branches = []
        for index, analyzer in enumerate(arrays["branches"].tolist()):
            if analyzer not in ANALYZERS:
                raise ValueError(f"unknown analyzer {analyzer!r}")
            terms = arrays[f"branch{index}_terms"].tolist()
            idf = np.asarray(arrays[f"branch{index}_idf"], dtype=float)
            low, high = (int(n) for n in arrays[f"branch{index}_ngram_range"].tolist())
            if len(terms) != len(idf) or not 1 <= low <= high:
                raise ValueError(f"branch {index} is inconsistent")
            vocabulary = {term: column for column, term in enumerate(terms)}
            branches.append(TfidfTable(analyzer, (low, high), bool(arrays[f"branch{index}_sublinear_tf"][0]), vocabulary, idf))
        classes = tuple(arrays["classes"].tolist())
        coef = np.asarray(arrays["coef"], dtype=float)
        intercept = np.asarray(arrays["intercept"], dtype=float)
        rows = 1 if len(classes) == 2 else len(classes)
        if coef.shape != (rows, sum(b.width for b in branches)) or intercept.shape != (rows,):
            raise ValueError("coefficients do not match the vocabularies and classes")
        return cls(tuple(branches), coef, intercept, classes)


def save_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """``numpy.savez`` with fixed member timestamps and order, so equal arrays give equal bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(arrays[name]), allow_pickle=False)
            member = zipfile.ZipInfo(f"{name}.npy", date_time=NPZ_DATE_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, buffer.getvalue())


def load_npz(path: Path) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz`` file; ValueError for anything that is not one (pickles are refused)."""
    try:
        archive = np.load(path, allow_pickle=False)
    except (zipfile.BadZipFile, EOFError) as error:
        raise ValueError(f"not an npz file: {error}") from error
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError("not an npz file")
    try:
        with archive:
            return {name: archive[name] for name in archive.files}
    except (zipfile.BadZipFile, EOFError) as error:
        raise ValueError(f"damaged npz file: {error}") from error

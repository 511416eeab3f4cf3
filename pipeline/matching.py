"""Fuzzy matching: the one module that imports rapidfuzz.

Every call passes scorer, processor and score_cutoff explicitly (rapidfuzz 3
changed the processor default; a default must not change results).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

BLOCK_ROWS = 16  # rows of the score matrix computed at once (memory: BLOCK_ROWS × len(right) bytes at most);
# small blocks keep each block's length window narrow: fewer long-against-short pairs are scored


def similarity(a: str, b: str) -> float:
    """Normalised Indel similarity in 0–100."""
    return float(fuzz.ratio(a, b, processor=None))


def partial_similarity(a: str, b: str) -> float:
    """Best alignment of the shorter string inside the longer one, 0–100."""
    return float(fuzz.partial_ratio(a, b, processor=None))


def best_match(query: str, choices: Sequence[str], cutoff: float = 80.0) -> tuple[int, float] | None:
    """Index and score of the most similar choice at or above ``cutoff``, or None."""
    if not choices:
        return None
    found = process.extractOne(query, list(choices), scorer=fuzz.ratio, processor=None, score_cutoff=cutoff)
    if found is None:
        return None
    _, score, index = found
    return int(index), float(score)


def _length_window(lengths: Sequence[int], threshold: float) -> tuple[float, float]:
    """Lengths a string needs to reach ``threshold`` against one of ``lengths`` (sorted ascending).

    The Indel distance is at least the length difference, so ratio(a, b) <= 200 * min / (len a + len b).
    The bound is loosened by one point: the window only skips work, cdist still decides every pair.
    """
    cutoff = threshold - 1.0
    if cutoff <= 0:
        return 0.0, math.inf
    return lengths[0] * cutoff / (200.0 - cutoff), lengths[-1] * (200.0 - cutoff) / cutoff


def similar_pairs(
    left: Sequence[str], right: Sequence[str] | None = None, threshold: float = 90.0,
    max_per_column: int | None = None,
) -> list[tuple[int, int, float]]:
    """All (i, j, score) with score >= threshold, computed in vectorised cdist blocks.

    With ``right`` None, pairs within ``left`` (i < j) are returned.
    Sorted by (i, j) for deterministic output. ``max_per_column`` keeps, for each j, only
    its first (lowest i) matches: a text repeated n times would otherwise give n² pairs.
    Rows are taken ``BLOCK_ROWS`` at a time in order of length, and each block is scored only
    against the columns whose length can reach ``threshold``, so memory stays linear.
    Within ``left`` (``right`` None) the score is symmetric, so a block is scored only against
    the strings from its own first row on in order of length: each pair is computed once.
    """
    if not left or (right is not None and not right):
        return []
    other = list(left if right is None else right)
    rows_by_length = sorted(range(len(left)), key=lambda i: len(left[i]))
    columns_by_length = sorted(range(len(other)), key=lambda j: len(other[j]))
    column_lengths = [len(other[j]) for j in columns_by_length]
    hits: list[tuple[int, int, float]] = []
    for first in range(0, len(rows_by_length), BLOCK_ROWS):
        rows = rows_by_length[first:first + BLOCK_ROWS]
        shortest, longest = _length_window([len(left[i]) for i in rows], threshold)
        window_start = bisect_left(column_lengths, shortest)
        if right is None:
            # pairs with a string earlier in the length order were scored with that string's block
            window_start = max(window_start, first)
        columns = columns_by_length[window_start:bisect_right(column_lengths, longest)]
        if not columns:
            continue
        matrix = process.cdist(
            [left[i] for i in rows], [other[j] for j in columns], scorer=fuzz.ratio, processor=None,
            score_cutoff=threshold, dtype=np.uint8, workers=1,
        )
        for r, c in zip(*(found.tolist() for found in np.nonzero(matrix >= threshold))):
            i, j = rows[r], columns[c]
            if right is None:
                if first + r >= window_start + c:
                    continue  # itself, or a pair of this block met the other way round
                i, j = min(i, j), max(i, j)  # ratio is symmetric: the pair as (lower, higher) index
            hits.append((i, j, float(matrix[r, c])))
    hits.sort()
    if max_per_column is None:
        return hits
    taken: dict[int, int] = {}
    pairs = []
    for i, j, score in hits:  # in (i, j) order: each column keeps its lowest-i matches
        if taken.get(j, 0) < max_per_column:
            taken[j] = taken.get(j, 0) + 1
            pairs.append((i, j, score))
    return pairs

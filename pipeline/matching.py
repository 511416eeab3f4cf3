"""Fuzzy matching: the one module that imports rapidfuzz.

Every call passes scorer, processor and score_cutoff explicitly (rapidfuzz 3
changed the processor default; a default must not change results).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

BLOCK_ROWS = 256  # rows of the score matrix computed at once (memory: BLOCK_ROWS × len(right) bytes)


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


def similar_pairs(
    left: Sequence[str], right: Sequence[str] | None = None, threshold: float = 90.0,
    max_per_column: int | None = None,
) -> list[tuple[int, int, float]]:
    """All (i, j, score) with score >= threshold, computed in vectorised cdist blocks.

    With ``right`` None, pairs within ``left`` (i < j) are returned.
    Sorted by (i, j) for deterministic output. ``max_per_column`` keeps, for each j, only
    its first (lowest i) matches: a text repeated n times would otherwise give n² pairs.
    The score matrix is computed ``BLOCK_ROWS`` rows at a time, so memory stays linear.
    """
    if not left or (right is not None and not right):
        return []
    other = list(left if right is None else right)
    taken = np.zeros(len(other), dtype=np.int64)
    pairs = []
    for first in range(0, len(left), BLOCK_ROWS):
        matrix = process.cdist(
            list(left[first:first + BLOCK_ROWS]), other, scorer=fuzz.ratio, processor=None,
            score_cutoff=threshold, dtype=np.uint8, workers=1,
        )
        hits = matrix >= threshold
        if max_per_column is not None:
            hits[:, taken >= max_per_column] = False
        rows, cols = np.nonzero(hits)
        for r, j in zip(rows.tolist(), cols.tolist()):
            i = first + r
            if right is None and j <= i:
                continue
            if max_per_column is not None:
                if taken[j] >= max_per_column:
                    continue
                taken[j] += 1
            pairs.append((i, j, float(matrix[r, j])))
    pairs.sort()
    return pairs

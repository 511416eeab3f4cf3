"""Fuzzy matching: the one module that imports rapidfuzz.

Every call passes scorer, processor and score_cutoff explicitly (rapidfuzz 3
changed the processor default; a default must not change results).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process


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
    left: Sequence[str], right: Sequence[str] | None = None, threshold: float = 90.0
) -> list[tuple[int, int, float]]:
    """All (i, j, score) with score >= threshold, computed in one vectorised cdist.

    With ``right`` None, pairs within ``left`` (i < j) are returned.
    Sorted by (i, j) for deterministic output.
    """
    if not left or (right is not None and not right):
        return []
    other = left if right is None else right
    matrix = process.cdist(
        list(left), list(other), scorer=fuzz.ratio, processor=None, score_cutoff=threshold, dtype=np.uint8, workers=1
    )
    rows, cols = np.nonzero(matrix >= threshold)
    pairs = []
    for i, j in zip(rows.tolist(), cols.tolist()):
        if right is None and j <= i:
            continue
        pairs.append((i, j, float(matrix[i, j])))
    pairs.sort()
    return pairs

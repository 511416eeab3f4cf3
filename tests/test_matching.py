"""similar_pairs against a brute-force fuzz.ratio over every pair (the length window only skips work)."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from pipeline.matching import similar_pairs


def _brute_force(left, right, threshold, max_per_column):
    other = left if right is None else right
    taken: dict[int, int] = {}
    pairs = []
    for i, a in enumerate(left):
        for j, b in enumerate(other):
            if right is None and j <= i:
                continue
            score = fuzz.ratio(a, b, processor=None)
            if score < threshold:
                continue
            if max_per_column is not None:
                if taken.get(j, 0) >= max_per_column:
                    continue
                taken[j] = taken.get(j, 0) + 1
            pairs.append((i, j, round(score)))
    return pairs


def _texts(rng: random.Random, n: int) -> list[str]:
    alphabet = "教育学校经费投入资金万元12，。"
    pool = ["".join(rng.choice(alphabet) for _ in range(rng.choice([0, 5, 30, 80]))) for _ in range(6)]
    texts = []
    for _ in range(n):
        text = rng.choice(pool)
        if text and rng.random() < 0.5:
            text = text[:-1] + rng.choice(alphabet)  # a near copy
        texts.append(text)
    return texts


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("threshold", [0, 60, 92, 100])
@pytest.mark.parametrize("max_per_column", [None, 2])
def test_similar_pairs_matches_brute_force(seed: int, threshold: float, max_per_column: int | None) -> None:
    rng = random.Random(seed)
    left = _texts(rng, 150)  # more than one block of rows
    right = None if seed % 2 else _texts(rng, 40)
    found = [(i, j, round(score)) for i, j, score in similar_pairs(left, right, threshold, max_per_column)]
    assert found == _brute_force(left, right, threshold, max_per_column)

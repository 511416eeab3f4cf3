"""find_quantities against the hand-checked Dazu gold (../shared via conftest fixtures)."""

from __future__ import annotations

import math

import pytest

from pipeline.extract.quantities import find_quantities

MAIN_KINDS = ("money", "count", "percent", "area")
THRESHOLD = 0.98


def same_value(a: object, b: object) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-6)
    return a == b


def precision_recall(predicted, gold: list[dict], kinds: tuple[str, ...]) -> tuple[float, float]:
    preds = [q for q in predicted if q.kind in kinds]
    golds = [g for g in gold if g["kind"] in kinds]
    used: set[int] = set()
    hits = 0
    for q in preds:
        for i, g in enumerate(golds):
            if i in used or g["kind"] != q.kind or not same_value(q.value, g["value"]):
                continue
            if q.start < g["end"] and g["start"] < q.end:
                used.add(i)
                hits += 1
                break
    return hits / len(preds), hits / len(golds)


@pytest.fixture(scope="module")
def predicted(dazu_text: str):
    return find_quantities(dazu_text)


@pytest.mark.parametrize("kind", MAIN_KINDS)
def test_gold_precision_and_recall_per_kind(predicted, gold_quantities: list[dict], kind: str) -> None:
    precision, recall = precision_recall(predicted, gold_quantities, (kind,))
    assert precision >= THRESHOLD, f"{kind}: precision {precision:.3f}"
    assert recall >= THRESHOLD, f"{kind}: recall {recall:.3f}"


def test_gold_precision_and_recall_all_four_kinds(predicted, gold_quantities: list[dict]) -> None:
    precision, recall = precision_recall(predicted, gold_quantities, MAIN_KINDS)
    assert precision >= THRESHOLD and recall >= THRESHOLD, (precision, recall)


@pytest.mark.parametrize("kind", ["ordinal", "other", "version", "range", "duration"])
def test_gold_other_kinds_mostly_found(predicted, gold_quantities: list[dict], kind: str) -> None:
    precision, recall = precision_recall(predicted, gold_quantities, (kind,))
    assert precision >= 0.9 and recall >= 0.9, (kind, precision, recall)


def test_gold_spans_units_and_approx_agree(predicted, gold_quantities: list[dict]) -> None:
    by_span = {(q.start, q.end): q for q in predicted}
    mine = [g for g in gold_quantities if g["kind"] in MAIN_KINDS]
    agree = 0
    for g in mine:
        q = by_span.get((g["start"], g["end"]))
        if q is not None and q.unit == g["unit"] and q.approx == g["approx"] and list(q.qualifiers) == g["qualifiers"]:
            agree += 1
    assert agree / len(mine) >= THRESHOLD, f"{agree}/{len(mine)}"


def test_no_dates_years_or_docno_parts_emitted(predicted, dazu_text: str) -> None:
    assert not [q for q in predicted if q.kind in ("date", "year", "docno")]
    for q in predicted:
        assert dazu_text[q.start:q.end] == q.text


def test_known_traps_in_the_text(predicted, gold_quantities: list[dict]) -> None:
    """The money without 元 and the classifier-less 500 are read as the gold reads them."""
    implied = [g for g in gold_quantities if g["kind"] == "money" and "元" not in g["text"]]
    assert implied, "gold changed: expected a money figure without 元"
    for g in implied:
        q = next(q for q in predicted if q.start == g["start"])
        assert (q.kind, q.unit, q.unit_implied) == ("money", "元", True)

"""The faster check paths give exactly what the straightforward code they replaced gave.

Each reference below is the earlier implementation (or a brute force), compared on the real
reports: the sample corpus and the Dazu 2022 report, so a change that moves one value fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz
from test_check_engine import audit_of

from pipeline.check.engine import CheckContext, load_rule_data
from pipeline.ingest import load_document
from pipeline.matching import similar_pairs
from pipeline.normalize import fold
from pipeline.records import AuditInput

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"


@pytest.fixture(scope="module")
def report_audits(dazu_text: str) -> list[AuditInput]:
    paths = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".txt"))
    assert len(paths) >= 8
    return [audit_of(load_document(p).text) for p in paths] + [audit_of(dazu_text)]


@pytest.fixture(scope="module")
def contexts(report_audits: list[AuditInput]) -> list[CheckContext]:
    data = load_rule_data()
    return [CheckContext(audit, data) for audit in report_audits]


def sentence_texts(ctx: CheckContext, minimum: int) -> list[str]:
    """The sentences DUP-SENTENCE compares."""
    spans = [(s, e) for s, e in ctx.sentence_spans if len(ctx.text[s:e].strip()) >= minimum]
    return [fold(ctx.text[s:e]).strip() for s, e in spans]


def brute_force_pairs(texts: list[str], threshold: float) -> list[tuple[int, int, int]]:
    return [(i, j, round(score)) for i in range(len(texts)) for j in range(i + 1, len(texts))
            if (score := fuzz.ratio(texts[i], texts[j], processor=None)) >= threshold]


@pytest.mark.parametrize("threshold", [60, 80, 92])
def test_similar_pairs_within_one_list_as_brute_force_on_the_reports(contexts, threshold: float) -> None:
    """Each pair scored once (the upper triangle) finds the pairs every pair's score finds."""
    compared = 0
    for ctx in contexts:
        texts = sentence_texts(ctx, 12)
        found = [(i, j, round(score)) for i, j, score in similar_pairs(texts, threshold=threshold)]
        assert found == brute_force_pairs(texts, threshold)
        compared += len(found)
    assert compared > 0  # the reports do have near-identical sentences at these thresholds

"""summary.json over the bundled samples: the passages copied between districts (gold/cross-district.json) are reported
as near-duplicates, and nothing else is.

One batch run (``pipeline.batch.run_batch``, in-process, no cache) over ``corpora/samples``; the pairs are read from
``summary.json`` → ``near_duplicates.pairs`` (each side: report, passage, start, end, excerpt) and each side's full
passage text from ``reports/<report>.json`` (the excerpt is cut at 160 characters).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
CROSS = SAMPLES / "gold" / "cross-district.json"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipeline.batch import run_batch
    from pipeline.runner import AuditSettings

    out = tmp_path_factory.mktemp("samples-summary")
    run_batch([SAMPLES], out, AuditSettings(), jobs=1, use_cache=False, progress=False)
    return out


@pytest.fixture(scope="module")
def summary(batch_out: Path) -> dict:
    return json.loads((batch_out / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def expected() -> list[dict]:
    return json.loads(CROSS.read_text(encoding="utf-8"))["pairs"]


@pytest.fixture(scope="module")
def reported(batch_out: Path, summary: dict) -> list[dict]:
    """The reported pairs, each side with the full passage text (whitespace removed)."""
    texts: dict[str, str] = {}
    pairs = []
    for pair in summary["near_duplicates"]["pairs"]:
        sides = []
        for side in (pair["a"], pair["b"]):
            name = side["report"]
            if name not in texts:
                texts[name] = json.loads((batch_out / "reports" / f"{name}.json").read_text(encoding="utf-8"))["text"]
            sides.append({"report": name, "text": squeeze(texts[name][side["start"] : side["end"]]), "score": pair["score"]})
        pairs.append({"sides": sides, "score": pair["score"]})
    return pairs


def _matches(pair: dict, item: dict) -> bool:
    """The reported pair is the expected one, in either order, with both anchors in their passages."""
    (x, y) = pair["sides"]
    for a, b in ((x, y), (y, x)):
        if (a["report"], b["report"]) == (item["a"]["report"], item["b"]["report"]):
            if item["a"]["anchor"] in a["text"] and item["b"]["anchor"] in b["text"]:
                return True
    return False


def test_cross_district_gold_is_well_formed(expected: list[dict]) -> None:
    stems = {p.stem for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".pdf")}
    assert expected
    ids = [item["id"] for item in expected]
    assert len(ids) == len(set(ids))
    for item in expected:
        assert item["a"]["report"] in stems and item["b"]["report"] in stems, item
        assert item["a"]["report"] != item["b"]["report"], item
        assert item["a"]["anchor"] and item["b"]["anchor"] and item["why"], item


def test_all_sample_reports_audited(summary: dict) -> None:
    stems = {p.stem for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".pdf")}
    assert {r["name"] for r in summary["reports"]} == stems
    assert all(r["status"] == "ok" for r in summary["reports"]), summary["reports"]


@pytest.mark.parametrize("index", range(len(json.loads(CROSS.read_text(encoding="utf-8"))["pairs"])))
def test_expected_copy_is_reported(index: int, expected: list[dict], reported: list[dict]) -> None:
    item = expected[index]
    hits = [p for p in reported if _matches(p, item)]
    assert hits, (item["id"], [(p["sides"][0]["report"], p["sides"][1]["report"], p["score"]) for p in reported])
    assert all(p["score"] >= 90 for p in hits)


def test_no_other_copy_is_reported(expected: list[dict], reported: list[dict]) -> None:
    """No false copy alarm: every reported pair is one of the expected pairs (same reports, same passages)."""
    allowed = {frozenset((item["a"]["report"], item["b"]["report"])) for item in expected}
    for pair in reported:
        reports = frozenset(side["report"] for side in pair["sides"])
        assert reports in allowed, ("pair between reports not listed", sorted(reports), pair["score"])
        assert any(_matches(pair, item) for item in expected), (
            "unexpected passage pair", [(s["report"], s["text"][:40]) for s in pair["sides"]], pair["score"])


def test_copies_are_not_taken_for_boilerplate(summary: dict, expected: list[dict]) -> None:
    """The copied paragraph shared by three reports stays below the boilerplate threshold."""
    near = summary["near_duplicates"]
    in_group = {item["a"]["report"] for item in expected} | {item["b"]["report"] for item in expected}
    assert near["boilerplate_min_reports"] > 3
    assert near["boilerplate_pairs_ignored"] == 0
    assert len(in_group) >= 3

"""The main job end to end: ``dutyaudit audit corpora/samples ../shared/corpus --out OUT``.

Runs the real CLI (in-process, ``--jobs 1``) over the bundled samples and the shared
fixtures, checks the statuses and exit code, and scores the sample reports with
``scripts/score_findings.py`` against ``corpora/samples/gold``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import ExitCode

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_findings", REPO / "scripts" / "score_findings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EXPECTED_FAILURES = {
    "zero-bytes": "empty_file",
    "not-a-pdf": "not_pdf",
    "truncated": "damaged",
    "encrypted": "encrypted",
    "empty": "no_text",
    "dazu-2022.scanned": "no_text",
}


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("samples-out")
    code = main(["audit", str(SAMPLES), str(corpus_dir), "--out", str(out), "--jobs", "1", "--no-cache", "--no-progress"])
    assert code == ExitCode.PARTIAL_FAILURE
    return out


def _reports(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "reports").glob("*.json"))}


def test_samples_audit_statuses_and_codes(audited: Path, corpus_dir: Path) -> None:
    reports = _reports(audited)
    sample_inputs = {p.stem for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".pdf")}
    assert sample_inputs <= reports.keys()
    failed = {name: r["error"]["code"] for name, r in reports.items() if r["status"] == "failed"}
    assert failed == EXPECTED_FAILURES
    ok = {name for name, r in reports.items() if r["status"] == "ok"}
    # dazu-2022.{docx,pdf,txt} share a stem: the batch makes the names unique with a suffix
    assert ok == sample_inputs | {"dazu-2022", "dazu-2022-2", "dazu-2022-3", "dazu-2022.gb18030", "dazu-2022.tables"}
    for name, report in reports.items():
        if report["status"] != "ok":
            continue
        for finding in report["findings"]:
            for evidence in finding["evidence"]:
                assert report["text"][evidence["start"] : evidence["end"]] == evidence["quote"]


def test_samples_audit_scores_against_gold(audited: Path) -> None:
    scored = _scorer().score_dir(audited, SAMPLES / "gold")
    totals = scored["totals"]
    # No false alarm on figures that add up; every planted problem is found.
    assert totals["violated"] == 0, scored["rows"]
    assert totals["matched"] == totals["must_find"], scored["rows"]

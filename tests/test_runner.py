"""The runner: one file in, one result out; bad inputs and runaway work become failed results."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.errors import TimeLimitError
from pipeline.runner import AuditSettings, Context, audit_file, time_limit


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context.build(AuditSettings())


def test_runner_time_limit_interrupts_long_work() -> None:
    with pytest.raises(TimeLimitError):
        with time_limit(0.2):
            time.sleep(2)


def test_runner_time_limit_leaves_quick_work_alone() -> None:
    with time_limit(5):
        value = sum(range(1000))
    assert value == 499500


def test_runner_audit_file_reports_time_limit_as_failed(ctx: Context, corpus_dir: Path) -> None:
    slow = replace(ctx, settings=replace(ctx.settings, max_seconds=0.001))
    result = audit_file(corpus_dir / "dazu-2022.pdf", slow)
    assert result.status == "failed"
    assert result.error is not None and result.error.code == "too_large"
    assert "秒" in result.error.message


def test_runner_audit_file_ok_and_failed(ctx: Context, corpus_dir: Path, dazu_text: str, tmp_path: Path) -> None:
    ok = audit_file(corpus_dir / "dazu-2022.txt", ctx)
    assert ok.status == "ok" and ok.error is None
    assert ok.document is not None and ok.document.text == dazu_text
    assert {name for name, _ in ok.timings} >= {"ingest", "segment", "extract", "classify", "check"}
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    failed = audit_file(empty, ctx)
    assert failed.status == "failed" and failed.error.code == "empty_file"
    assert failed.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

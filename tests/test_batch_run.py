"""Batch runs: statuses and codes, byte-identical reruns served from the cache, atomic writes, names.

The first tests run the real runner (one Context build, in-process); the pool tests swap
in a fake ``audit_file`` (inherited by forked workers) to exercise the process pool fast.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import time
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.batch import atomic_write_text, expand_inputs, run_batch, sanitise_name, unique_names

GOOD = (
    "重庆市某某区人民政府\n关于2021年以来履行教育职责情况的自查自评报告\n"
    "一、基本情况\n全区共有中小学校42所，在校学生5.2万人。生均公用经费达到1200元。\n"
    "二、存在问题\n部分学校大班额问题尚未完全解决。\n重庆市某某区人民政府\n2022年11月15日"
)
FINGERPRINT = "test-fingerprint"


def _settings():
    from pipeline.runner import AuditSettings

    return AuditSettings()


def _make_inputs(root: Path) -> Path:
    src = root / "in"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    (src / "a" / "report.txt").write_text(GOOD, encoding="utf-8")
    (src / "b" / "Report.txt").write_text(GOOD.replace("某某区", "另一区"), encoding="utf-8")
    (src / "zero-bytes.pdf").write_bytes(b"")
    (src / "fake.pdf").write_text("这不是PDF文件。", encoding="utf-8")
    (src / "renamed.pdf").write_text(GOOD, encoding="utf-8")  # same bytes as a/report.txt: must not share its cache entry
    (src / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    (src / "notes.md").write_text("# skipped in a folder", encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("batch")
    src = _make_inputs(root)
    extra = root / "extra.md"
    extra.write_text("=cmd", encoding="utf-8")
    out = src / "out"  # inside an input folder: must not be read back as input
    inputs = [src, extra]
    first = run_batch(inputs, out, _settings(), jobs=1, progress=False, fingerprint=FINGERPRINT)
    files_first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}
    (out / "reports" / "report.json").unlink()  # the rerun restores it from the cache
    began = time.perf_counter()
    second = run_batch(inputs, out, _settings(), jobs=1, progress=False, fingerprint=FINGERPRINT)
    rerun_seconds = time.perf_counter() - began
    files_second = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}
    return {"out": out, "first": first, "second": second, "files": (files_first, files_second), "rerun": rerun_seconds}


def test_batch_run_statuses_and_codes(two_runs: dict) -> None:
    result = two_runs["first"]
    out = two_runs["out"]
    statuses = {e.name: (e.status, e.error_code) for e in result.entries}
    assert statuses == {
        "report": ("ok", None),
        "Report-2": ("ok", None),  # same stem, different case: suffixed
        "zero-bytes": ("failed", "empty_file"),
        "fake": ("failed", "not_pdf"),
        "renamed": ("failed", "not_pdf"),
        "extra": ("failed", "unsupported"),  # given explicitly: a failed entry, not skipped
    }
    assert (result.ok, result.failed) == (2, 4)
    assert dict(result.failures)[str(out.parent / "zero-bytes.pdf")] == "empty_file"
    for name in statuses:
        d = json.loads((out / "reports" / f"{name}.json").read_text(encoding="utf-8"))
        assert d["schema"] == "dutyaudit/report@1" and d["status"] == statuses[name][0]
        assert (out / "reports" / f"{name}.html").is_file()
    for name in ("findings.csv", "findings.xlsx", "index.html", "summary.json", "run.json"):
        assert (out / name).is_file()
    rows = list(csv.DictReader(io.StringIO((out / "findings.csv").read_text(encoding="utf-8-sig"))))
    failed_rows = {r["report"]: r["category"] for r in rows if r["status"] == "failed"}
    assert failed_rows == {"zero-bytes": "empty_file", "fake": "not_pdf", "renamed": "not_pdf", "extra": "unsupported"}
    run = json.loads(two_runs["files"][0][Path("run.json")].decode("utf-8"))  # the first run's
    assert run["started"] and run["finished"] and run["cache"]["hits"] == 0 and run["cache"]["misses"] == 5
    assert not list(out.rglob("*.tmp"))


def test_batch_run_rerun_identical_and_cached(two_runs: dict) -> None:
    first, second = two_runs["files"]
    for rel in first:
        if rel.suffix in (".json", ".csv", ".html") and rel.name != "run.json":
            assert first[rel] == second[rel], rel
    result = two_runs["second"]
    # everything is served from the cache except the unsupported file (never audited)
    assert result.cache_hits == 5
    assert {e.name: e.error_code for e in result.entries}["renamed"] == "not_pdf"
    assert {e.name for e in result.entries if not e.cached} == {"extra"}
    assert two_runs["rerun"] < 5.0  # no Context is built on a fully cached rerun
    run = json.loads((two_runs["out"] / "run.json").read_text(encoding="utf-8"))
    assert run["cache"]["hits"] == 5
    assert not list(two_runs["out"].rglob("*.tmp"))


def test_batch_names_and_expansion(tmp_path: Path) -> None:
    assert sanitise_name("../../etc/passwd") == "etc_passwd"
    assert sanitise_name("大足区 2022 报告") == "大足区_2022_报告"
    assert sanitise_name("...") == "report"
    paths = [Path("x/a.txt"), Path("y/a.pdf"), Path("z/A.docx"), Path("w/b.txt")]
    assert unique_names(paths) == ["a", "a-2", "A-3", "b"]
    src = _make_inputs(tmp_path)
    (src / "out").mkdir()
    (src / "out" / "old.txt").write_text("x", encoding="utf-8")
    found = expand_inputs([src], src / "out")
    assert [p.relative_to(src).as_posix() for p in found] == ["a/report.txt", "b/Report.txt", "fake.pdf", "renamed.pdf", "zero-bytes.pdf"]
    with pytest.raises(FileNotFoundError):
        expand_inputs([tmp_path / "missing"])


def test_batch_atomic_write_leaves_nothing_on_interrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.json"
    atomic_write_text(target, "old")

    def boom(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]


# --- the process pool, with a fake runner ---------------------------------------------


class _FakeContext:
    @classmethod
    def build(cls, settings: object) -> _FakeContext:
        return cls()


def _fake_audit(path: str, ctx: object):
    from pipeline.records import Document, ReportError, ReportResult

    if "slow" in path:
        time.sleep(30)
    text = Path(path).read_text(encoding="utf-8")
    if not text:
        return ReportResult(path, None, "txt", 0, "failed", ReportError("empty_file", "空文件"))
    doc = Document(path, "txt", "0" * 64, text)
    return ReportResult(path, doc.sha256, "txt", 1, "ok", None, doc, findings=())


@pytest.fixture
def fake_runner(monkeypatch: pytest.MonkeyPatch):
    from pipeline import runner

    if "fork" not in multiprocessing.get_all_start_methods():  # as pipeline.batch decides
        pytest.skip("the fake runner reaches workers only through fork (not available on this platform)")
    monkeypatch.setattr(runner.Context, "build", _FakeContext.build)
    monkeypatch.setattr(runner, "audit_file", _fake_audit)
    monkeypatch.setattr(runner, "audit_ingested", lambda path, document, seconds, ctx: _fake_audit(path, ctx))
    return runner


class _SlowContext(_FakeContext):
    @classmethod
    def build(cls, settings: object) -> _SlowContext:
        time.sleep(2.5)  # loading the models: time enough for the prefetch process to read the small inputs
        return cls()


def test_batch_pool_reads_files_while_the_models_load(tmp_path: Path, fake_runner, monkeypatch) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"r{i}.txt").write_text(f"报告{i}", encoding="utf-8")
    (src / "zero-bytes.pdf").write_bytes(b"")
    monkeypatch.setattr(fake_runner.Context, "build", _SlowContext.build)
    result = run_batch([src], tmp_path / "out", fake_runner.AuditSettings(classify=False), jobs=2, progress=False,
                       use_cache=False, fingerprint=FINGERPRINT)
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["prefetched"] == 4 and run["phases"]["context"] >= 2.5
    # a bad file read ahead comes back as its failure
    assert {e.name: e.error_code for e in result.entries} == {"r0": None, "r1": None, "r2": None, "zero-bytes": "empty_file"}


def test_prefetched_file_gives_the_report_of_a_file_read_in_the_worker(tmp_path: Path) -> None:
    from pipeline.runner import AuditSettings, Context

    settings = AuditSettings()
    ctx = Context.build(settings)
    good, bad = tmp_path / "good.txt", tmp_path / "zero-bytes.pdf"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_bytes(b"")
    for path in (good, bad):
        ingested = batch._ingest_task(str(path), settings)
        read_in_worker = batch._audit_with(ctx, str(path), path.stem)
        read_ahead = batch._audit_with(ctx, str(path), path.stem, ingested)
        assert read_ahead[0]["status"] == read_in_worker[0]["status"]
        assert read_ahead[1] == read_in_worker[1]  # the rendered JSON and HTML, byte for byte
    assert batch._ingest_task(str(bad), settings)[2][0] == "empty_file"
    assert batch._ingest_task(str(good), settings)[0].text == GOOD


def test_batch_pool_runs_workers(tmp_path: Path, fake_runner) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(5):
        (src / f"r{i}.txt").write_text(f"报告{i}", encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    result = run_batch([src], tmp_path / "out", fake_runner.AuditSettings(classify=False), jobs=2, progress=False,
                       use_cache=False, fingerprint=FINGERPRINT)
    assert (result.ok, result.failed) == (5, 1)
    assert json.loads((tmp_path / "out" / "run.json").read_text())["jobs"] == 2
    assert not (tmp_path / "out" / ".cache").exists()


def test_batch_pool_interrupt_stops_workers(tmp_path: Path, fake_runner, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("报告", encoding="utf-8")
    for i in range(3):
        (src / f"slow{i}.txt").write_text("慢", encoding="utf-8")
    real_write = batch._write_report

    def write_then_interrupt(reports_dir: Path, name: str, d: dict, rendered=None) -> None:
        real_write(reports_dir, name, d, rendered)
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "_write_report", write_then_interrupt)
    out = tmp_path / "out"
    began = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        run_batch([src], out, fake_runner.AuditSettings(classify=False), jobs=2, progress=False, fingerprint=FINGERPRINT)
    assert time.perf_counter() - began < 20  # did not wait for the 30 s workers
    deadline = time.time() + 5
    while multiprocessing.active_children() and time.time() < deadline:
        time.sleep(0.1)
    assert not multiprocessing.active_children()
    assert sorted(p.name for p in (out / "reports").iterdir()) == ["a.html", "a.json"]  # finished reports stay
    assert not list(out.rglob("*.tmp")) and not (out / "findings.csv").exists()


def test_batch_rendering_bug_fails_that_report_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    (src / "other.txt").write_text(GOOD.replace("42所", "43所"), encoding="utf-8")
    real_render = batch.render_report_html

    def render_breaks_on_other(name: str, d: dict) -> str:
        if name == "other" and d.get("status") == "ok":
            raise ValueError("template bug")
        return real_render(name, d)

    monkeypatch.setattr(batch, "render_report_html", render_breaks_on_other)
    result = run_batch([src], tmp_path / "out", _settings(), jobs=1, use_cache=False, progress=False)
    statuses = {e.name: (e.status, e.error_code) for e in result.entries}
    assert statuses == {"good": ("ok", None), "other": ("failed", "internal")}
    assert (tmp_path / "out" / "reports" / "other.html").is_file()


def _batch_files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("findings.csv", "findings.xlsx", "summary.json", "index.html")}


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the tables writer is forked")
def test_tables_written_by_a_forked_process_with_jobs_or_here_when_it_fails(
    tmp_path: Path, fake_runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --jobs > 1 a forked process writes findings.csv/.xlsx while the summary is built; the
    files are the bytes a one-job run writes, and a writer that dies leaves the work to the batch."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"r{i}.txt").write_text(f"报告{i}", encoding="utf-8")
    settings = fake_runner.AuditSettings(classify=False)
    run_batch([src], tmp_path / "one", settings, jobs=1, progress=False, use_cache=False, fingerprint=FINGERPRINT)
    started = []
    real_start = batch._start_tables_writer
    monkeypatch.setattr(batch, "_start_tables_writer", lambda *a: started.append(1) or real_start(*a))
    run_batch([src], tmp_path / "two", settings, jobs=2, progress=False, use_cache=False, fingerprint=FINGERPRINT)
    assert started == [1]
    assert _batch_files(tmp_path / "two") == _batch_files(tmp_path / "one")

    def dying_writer(paths, ordered):
        process = multiprocessing.get_context("fork").Process(target=os._exit, args=(3,), daemon=True)
        process.start()
        return process

    monkeypatch.setattr(batch, "_start_tables_writer", dying_writer)
    run_batch([src], tmp_path / "three", settings, jobs=2, progress=False, use_cache=False, fingerprint=FINGERPRINT)
    assert _batch_files(tmp_path / "three") == _batch_files(tmp_path / "one")

"""The SQLite result cache: keyed by sha256, version and scheme; committed per put."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pipeline.cache import ReportCache, default_cache_path, fingerprint_paths, pipeline_version
from pipeline.export.report_json import dumps_report, report_to_dict
from test_export_json import make_result


def test_cache_store_roundtrip_and_keys(tmp_path: Path) -> None:
    path = default_cache_path(tmp_path)
    assert path == tmp_path / ".cache" / "dutyaudit.sqlite"
    d = report_to_dict(make_result())
    sha = d["source"]["sha256"]
    with ReportCache(path, pipeline_version("abc")) as cache:
        assert cache.get(sha, "chongqing-2022") is None
        cache.put(sha, "chongqing-2022", d)
        got = cache.get(sha, "chongqing-2022")
        assert got is not None and dumps_report(got) == dumps_report(d)
        assert cache.get(sha, "other-scheme") is None
        assert cache.get(None, "chongqing-2022") is None
        # same bytes under another suffix (a .txt renamed .pdf) is another entry
        cache.put(sha, "chongqing-2022", d, ".TXT")
        assert cache.get(sha, "chongqing-2022", ".txt") == d
        assert cache.get(sha, "chongqing-2022", ".pdf") is None
    # another version (code or model changed) misses; the same version hits after reopening
    with ReportCache(path, pipeline_version("def")) as other:
        assert other.get(sha, "chongqing-2022") is None
    with ReportCache(path, pipeline_version("abc")) as again:
        assert again.get(sha, "chongqing-2022") == d
        assert len(again) == 2


def test_cache_store_commits_each_put_and_concurrent_reader(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    d = report_to_dict(make_result())
    writer = ReportCache(path, "v")
    reader = ReportCache(path, "v")
    writer.put("s1", "x", d)
    # visible to another connection without closing the writer: committed per put
    assert reader.get("s1", "x") == d
    raw = sqlite3.connect(str(path))
    assert raw.execute("SELECT COUNT(*) FROM reports_v2").fetchone()[0] == 1
    raw.close()
    writer.close()
    reader.close()


def test_cache_store_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with ReportCache(path, "v") as cache:
        cache._db.execute("INSERT INTO reports_v2 VALUES ('s', 'v', 'x', '', '{not json')")
        cache._db.commit()
        assert cache.get("s", "x") is None


def test_cache_store_fingerprint_changes_with_content(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("a: 1", encoding="utf-8")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_bytes(b"junk")
    first = fingerprint_paths([tmp_path])
    assert first == fingerprint_paths([tmp_path])
    (tmp_path / "b.py").write_text("x = 1", encoding="utf-8")
    second = fingerprint_paths([tmp_path])
    assert second != first
    (tmp_path / "b.py").write_text("x = 2", encoding="utf-8")
    assert fingerprint_paths([tmp_path]) != second
    assert fingerprint_paths([tmp_path / "missing"]) == fingerprint_paths([])

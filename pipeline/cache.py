"""Result cache: an embedded SQLite store of report dicts.

Keyed by (sha256 of the file bytes, pipeline version, scheme id, file suffix): the
suffix matters because the same bytes named ``.txt`` and ``.pdf`` give different
results (a text file renamed to .pdf is ``not_pdf``). The pipeline
version is ``pipeline.__version__`` plus a fingerprint of the code and data that
decide the result (``fingerprint_paths``), so a changed rule, model or scheme file
misses the cache instead of serving stale findings. The value is the report JSON
dict (``pipeline.export.report_json``), from which every batch output is derived.

Each ``put`` commits at once (a crash loses nothing already stored); the database is
in WAL mode so readers do not block each other or the writer.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline import __version__

CACHE_DIRNAME = ".cache"
CACHE_FILENAME = "dutyaudit.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports_v2 (
    sha256 TEXT NOT NULL,
    version TEXT NOT NULL,
    scheme TEXT NOT NULL,
    suffix TEXT NOT NULL,
    report TEXT NOT NULL,
    PRIMARY KEY (sha256, version, scheme, suffix)
)
"""
_FINGERPRINT_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".txt", ".csv", ".jsonl", ".npz", ".jinja")


def default_cache_path(out_dir: str | os.PathLike[str]) -> Path:
    return Path(out_dir) / CACHE_DIRNAME / CACHE_FILENAME


def fingerprint_paths(paths: Iterable[str | os.PathLike[str]]) -> str:
    """sha256 (first 16 hex digits) over the relative names and bytes of the data/code files under ``paths``.

    Caches and bytecode are skipped; files are read in sorted order. Missing paths are ignored.
    """
    digest = hashlib.sha256()
    for root in sorted(Path(p) for p in paths):
        if root.is_file():
            files = [root]
        elif root.is_dir():
            files = sorted(
                f for f in root.rglob("*")
                if f.is_file() and f.suffix in _FINGERPRINT_SUFFIXES and "__pycache__" not in f.parts
                and not any(part.startswith(".") for part in f.relative_to(root).parts)
            )
        else:
            continue
        for f in files:
            digest.update(str(f.relative_to(root) if f != root else f.name).encode("utf-8") + b"\0")
            with open(f, "rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()[:16]


def pipeline_version(fingerprint: str = "") -> str:
    """The cache's version key: package version plus a data/model fingerprint."""
    return f"{__version__}+{fingerprint}" if fingerprint else __version__


class ReportCache:
    """Report dicts by (sha256, version, scheme). Use as a context manager or call ``close``."""

    def __init__(self, path: str | os.PathLike[str], version: str, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.version = version
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), timeout=timeout)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        self._db.commit()

    def get(self, sha256: str | None, scheme: str, suffix: str = "") -> dict[str, Any] | None:
        if not sha256:
            return None
        row = self._db.execute(
            "SELECT report FROM reports_v2 WHERE sha256 = ? AND version = ? AND scheme = ? AND suffix = ?",
            (sha256, self.version, scheme, suffix.lower()),
        ).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            return None  # a damaged entry is a miss
        return value if isinstance(value, dict) else None

    def put(
        self, sha256: str | None, scheme: str, report: dict[str, Any], suffix: str = "", text: str | None = None
    ) -> None:
        """Store one report dict and commit at once. ``text``: the dict already rendered as JSON."""
        if not sha256:
            return
        if text is None:
            text = json.dumps(report, sort_keys=True, ensure_ascii=False, allow_nan=False)
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO reports_v2 (sha256, version, scheme, suffix, report) VALUES (?, ?, ?, ?, ?)",
                (sha256, self.version, scheme, suffix.lower(), text),
            )

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM reports_v2").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ReportCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
